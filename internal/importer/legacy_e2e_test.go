package importer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/collect"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/reconcile"
	"github.com/nbasim/nbasim/internal/synth"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestLegacyBucketEndToEnd is the scenario at CI size on the S3
// server (NBASIM_LEGACY_OBJECTS, default 2,000; scripts/legacy-bucket.sh
// runs 173,000): a synthetic nba_simulator bucket reconciled in place
// (every key classified, copies found, imports planned), imported into
// nbasim's lake on the same endpoint (server-side copies), nbasim's lake
// reconciled with the same expectations (the same objects present, cell by
// cell), and a second import that writes nothing.
func TestLegacyBucketEndToEnd(t *testing.T) {
	t.Parallel()
	u := testutil.S3URL(t)
	n := 2000
	if v := os.Getenv("NBASIM_LEGACY_OBJECTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatalf("NBASIM_LEGACY_OBJECTS=%q: %v", v, err)
		}
	}
	ctx := context.Background()
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	run := hex.EncodeToString(rnd[:])
	legacy, err := lake.Open(ctx, u, "e2e-legacy-"+run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { legacy.Close() })
	own, err := lake.Open(ctx, u, "e2e-own-"+run)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { own.Close() })
	t.Cleanup(func() { emptyLake(t, legacy); emptyLake(t, own) })
	objs, games, err := synth.PlanLegacy(synth.Options{Objects: n})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WriteLake(ctx, legacy, "", objs, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	sched := reconcile.Schedule{}
	for _, g := range games {
		sched[g.Season] = append(sched[g.Season], reconcile.Game{GameID: g.GameID, Season: g.Season, SeasonType: g.SeasonType,
			Date: g.Date, Status: "final", ESPNID: g.ESPNID, BBRefID: g.BBRefID, HomeCode: g.HomeCode})
	}
	exp, err := reconcile.LoadExpectations(reconcile.ExpectationsNBASimulator)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	analyze := func(l *lake.Lake, prof *layout.Profile) (*reconcile.ScanResult, *reconcile.Analysis) {
		t.Helper()
		scan, err := reconcile.Scan(ctx, l, reconcile.ScanOptions{Profile: prof})
		if err != nil {
			t.Fatal(err)
		}
		return scan, reconcile.Analyze(reconcile.Inputs{Expectations: exp, Seasons: reconcile.SeasonsInScan(scan),
			Current: layout.SeasonOfDate(now), Now: now, Schedule: sched}, scan)
	}

	prof, why, err := reconcile.ResolveProfile(ctx, legacy, layout.LayoutAuto)
	if err != nil || prof != layout.NBASimulator {
		t.Fatalf("auto layout: %v %s %v", prof, why, err)
	}
	scanL, anaL := analyze(legacy, prof)
	if scanL.Listed != int64(n) || scanL.UnknownCount != 0 || scanL.NotDataCount() == 0 {
		t.Fatalf("legacy scan: listed %d unknown %d not data %d", scanL.Listed, scanL.UnknownCount, scanL.NotDataCount())
	}
	c := scanL.Copies
	if c.Copies == 0 || c.Identical == 0 || c.Different == 0 || c.SizeOnly != 0 {
		t.Fatalf("copies %+v: want identical ones (by size and ETag) and different ones", c)
	}
	planned := 0
	for _, tk := range reconcile.ImportTasks(scanL, u) {
		planned += tk.Count
	}
	data := int(scanL.Kept - scanL.UnknownCount - scanL.NotDataCount())
	if planned != data-int(c.Copies) {
		t.Fatalf("import tasks cover %d objects, want %d (data %d less %d copies)", planned, data-int(c.Copies), data, c.Copies)
	}
	if anaL.Present == 0 {
		t.Fatal("nothing present in the legacy bucket")
	}

	im := &Importer{Lake: own, Registry: collect.Registry(nil), SourcePrefix: "e2e-legacy-" + run}
	rep, err := im.Import(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	// every different copy is kept as an earlier version, whatever the
	// rank of its name: two nba_api_comprehensive folders (team_stats/ and
	// league_dashboards/) hold leaguedashteamstats under names of the same
	// rank, and the copy under the smaller key (the scan's choice) stays
	// current
	if len(rep.Skipped) != 0 || rep.Adopted() != data || rep.Written != data-int(c.Identical) || rep.Archived != int(c.Different) || rep.ServerCopies != rep.Written {
		t.Fatalf("import: %s (skipped %v); want %d adopted, %d written (%d archived), all by server-side copy", rep, rep.Skipped, data, data-int(c.Identical), c.Different)
	}
	scanO, anaO := analyze(own, layout.NBASim)
	if scanO.UnknownCount != 0 || scanO.History != c.Different {
		t.Fatalf("nbasim lake: unknown %d, history %d (want %d)", scanO.UnknownCount, scanO.History, c.Different)
	}
	if anaO.Present != anaL.Present || len(anaO.Cells) != len(anaL.Cells) {
		t.Fatalf("present: legacy %d, nbasim %d (cells %d vs %d)", anaL.Present, anaO.Present, len(anaL.Cells), len(anaO.Cells))
	}
	for i, cl := range anaL.Cells {
		if co := anaO.Cells[i]; co.ID() != cl.ID() || co.Present != cl.Present || co.Extra != cl.Extra {
			t.Errorf("cell %s: legacy present %d extra %d, nbasim %s present %d extra %d", cl.ID(), cl.Present, cl.Extra, co.ID(), co.Present, co.Extra)
		}
	}
	rep2, err := im.Import(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Written != 0 || rep2.Adopted() != data {
		t.Fatalf("second import: %s", rep2)
	}
}

// emptyLake deletes what a test wrote under its prefix of the shared test
// bucket (a cleanup registered after the lake's Close, so it runs before).
func emptyLake(t *testing.T, l *lake.Lake) {
	t.Helper()
	ctx := context.Background()
	var keys []string
	if err := l.WalkAll(ctx, 0, func(o lake.Object) error { keys = append(keys, o.Key); return nil }); err != nil {
		t.Logf("cleanup: %v", err)
		return
	}
	for _, k := range keys {
		if err := l.Delete(ctx, k); err != nil {
			t.Logf("cleanup: %v", err)
			return
		}
	}
}
