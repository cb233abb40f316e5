package runloop

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
	"github.com/nbasim/nbasim/internal/testutil"
)

// orderKeys are the 2018-19 schedule (the NBA's game log), one game's NBA
// play-by-play and its basketball-reference box: the box's players get their NBA ids from the play-by-play's names,
// so the rows depend on the order of the two loads unless the loop makes
// them not.
var orderKeys = struct{ schedule, nba, bbref string }{
	schedule: "nba_stats/leaguegamelog/2018-19/regular_T.json",
	nba:      "nba_stats/playbyplayv2/2018-19/0021800001.json",
	bbref:    "bbref/boxscores/2018-19/201810160BOS.html",
}

// orderLake is a folder lake holding the objects of orderKeys.
func orderLake(t *testing.T) *lake.Lake {
	t.Helper()
	data := testutil.RealDataDir(t)
	ctx := context.Background()
	lk, err := lake.Open(ctx, "file://"+t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lk.Close() })
	for key, rel := range map[string]string{
		orderKeys.schedule: "nba_stats/leaguegamelog/Counter-1000_Direction-DESC_PlayerOrTeam-T_Season-2018-19_SeasonType-Regular+Season_Sorter-DATE.json",
		orderKeys.nba:      "nba_stats/playbyplayv2/0021800001.json",
		orderKeys.bbref:    "bbref/boxscores/201810160BOS.html.gz",
	} {
		b, err := os.ReadFile(filepath.Join(data, rel))
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Ext(rel) == ".gz" {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if err := lk.Put(ctx, key, b, lake.Meta{FetchedAt: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	return lk
}

// orderChecksums are the core tables' checksums without the columns that
// record when a row was written.
func orderChecksums(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, tb := range store.CoreTables {
		s, err := store.TableChecksumExcept(context.Background(), st, tb, "updated_at", "created_at", "parsed_at", "fetched_at")
		if err != nil {
			t.Fatal(err)
		}
		out[tb] = s
	}
	return out
}

func countRows(t *testing.T, st store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// orderLoop is a loop on a fresh SQLite store over lk whose jobs the test
// works by hand (River's client is not started).
func orderLoop(t *testing.T, lk *lake.Lake) *Loop {
	t.Helper()
	st := storetest.SQLite(t)
	l, err := New(context.Background(), Options{Config: config.Default(), Lake: lk, Store: st, RunID: "order"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// work runs one load job of task as River would (attempt n).
func work(t *testing.T, l *Loop, task queue.Task, attempt int) {
	t.Helper()
	job := &river.Job[queue.LoadArgs]{JobRow: &rivertype.JobRow{ID: int64(attempt), Attempt: attempt, MaxAttempts: 5}, Args: queue.LoadArgs{Task: task}}
	if err := (&loadWorker{l: l}).Work(context.Background(), job); err != nil {
		t.Fatalf("load job %s (attempt %d): %v", task.TaskID, attempt, err)
	}
}

// takeLoads removes the waiting load jobs from the queue and returns their
// tasks (what River would hand to the load workers next).
func takeLoads(t *testing.T, l *Loop) []queue.Task {
	t.Helper()
	ctx := context.Background()
	var out []queue.Task
	var ids []int64
	err := l.q.Each(ctx, queue.UniqueStates, []string{queue.KindLoad}, func(j *rivertype.JobRow) error {
		var task queue.Task
		if err := json.Unmarshal(j.EncodedArgs, &task); err != nil {
			return err
		}
		out = append(out, task)
		ids = append(ids, j.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := l.store.Exec(ctx, `DELETE FROM river_job WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func loadTask(id string, force bool, keys ...string) queue.Task {
	return queue.Task{TaskID: id, Gap: "fetched", Keys: keys, Count: len(keys), Force: force, Priority: "HIGH"}
}

// TestLoadOrderPlayers loads one game's NBA play-by-play and its bbref box
// (after the season's schedule) through the loop's load jobs in every order the fleet can run them in,
// including a forced reload killed after its load committed and retried,
// and a repeated load: the tables (players above all) must equal those of
// one `nbasim load` of both objects.
func TestLoadOrderPlayers(t *testing.T) {
	t.Parallel()
	lk := orderLake(t)
	ctx := context.Background()

	ref := orderLoop(t, lk)
	if _, err := (&load.Loader{Lake: lk, Store: ref.store}).Run(ctx, load.Options{Keys: []string{orderKeys.schedule, orderKeys.nba, orderKeys.bbref}, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	want := orderChecksums(t, ref.store)
	if n := countRows(t, ref.store, `SELECT count(*) FROM players WHERE bbref_id IS NOT NULL AND player_id NOT LIKE 'bbref:%'`); n < 20 {
		t.Fatalf("the one-pass load linked %d NBA players to their bbref ids, want at least 20 (the box's players)", n)
	}
	refProvider := countRows(t, ref.store, `SELECT count(*) FROM players WHERE player_id LIKE 'bbref:%'`)

	for _, tc := range []struct {
		name string
		run  func(t *testing.T, l *Loop)
	}{
		{"nba first", func(t *testing.T, l *Loop) {
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 1)
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 1)
		}},
		{"bbref first, then its forced reload", func(t *testing.T, l *Loop) {
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 1)
			providerFirst(t, l)
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 1)
			work(t, l, theReload(t, l, "the NBA load"), 1)
		}},
		{"bbref first, reload killed after its load committed, then retried", func(t *testing.T, l *Loop) {
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 1)
			providerFirst(t, l)
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 1)
			// the NBA load's job killed after its work and retried
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 2)
			reload := theReload(t, l, "the NBA load")
			// attempt 1: kill -9 right after the loader's transaction
			// committed (what the job did before the kill)
			if _, err := (&load.Loader{Lake: lk, Store: l.store}).Run(ctx, load.Options{Keys: reload.Keys, Workers: 1, Force: true}); err != nil {
				t.Fatal(err)
			}
			// attempt 2: River's rescuer hands the job out again
			work(t, l, reload, 2)
		}},
		{"bbref and NBA loads at the same time", func(t *testing.T, l *Loop) {
			// the bbref job maps its players before the NBA load commits;
			// the NBA job looks for provider players before the bbref load
			// commits (it sees none); then the bbref job's own step after
			// its commit must queue the reload
			ld := &load.Loader{Lake: lk, Store: l.store}
			if _, err := ld.Run(ctx, load.Options{Keys: []string{orderKeys.bbref}, Workers: 1}); err != nil {
				t.Fatal(err)
			}
			providerFirst(t, l)
			if _, err := ld.Run(ctx, load.Options{Keys: []string{orderKeys.nba}, Workers: 1}); err != nil {
				t.Fatal(err)
			}
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 1) // the rest of the bbref job (its load is unchanged now)
			work(t, l, theReload(t, l, "the bbref load"), 1)
		}},
		{"every load twice", func(t *testing.T, l *Loop) {
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 1)
			work(t, l, loadTask("l_bbref", false, orderKeys.bbref), 2)
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 1)
			for _, r := range takeLoads(t, l) {
				work(t, l, r, 1)
				work(t, l, r, 2)
			}
			work(t, l, loadTask("l_nba", false, orderKeys.nba), 2)
			for _, r := range takeLoads(t, l) {
				work(t, l, r, 1)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := orderLoop(t, lk)
			// the schedule first, as the loop plans per-game keys from it
			work(t, l, loadTask("l_schedule", false, orderKeys.schedule), 1)
			takeLoads(t, l)
			tc.run(t, l)
			for _, r := range takeLoads(t, l) {
				work(t, l, r, 1)
			}
			got := orderChecksums(t, l.store)
			for _, tb := range store.CoreTables {
				if got[tb] != want[tb] {
					t.Errorf("table %s: checksum %s, one-pass load %s", tb, got[tb], want[tb])
				}
			}
			if n := countRows(t, l.store, `SELECT count(*) FROM players WHERE player_id LIKE 'bbref:%'`); n != refProvider {
				t.Errorf("%d players under a bbref id, the one-pass load has %d", n, refProvider)
			}
		})
	}
}

// theReload takes the one load job queued (after what), the forced reload
// of the bbref box.
func theReload(t *testing.T, l *Loop, after string) queue.Task {
	t.Helper()
	reloads := takeLoads(t, l)
	if len(reloads) != 1 || !reloads[0].Force || reloads[0].Keys[0] != orderKeys.bbref {
		t.Fatalf("after %s: %d load jobs queued (%+v), want the forced reload of the bbref box", after, len(reloads), reloads)
	}
	return reloads[0]
}

// providerFirst checks that the bbref box loaded alone kept its players
// under bbref ids (what makes the order matter).
func providerFirst(t *testing.T, l *Loop) {
	t.Helper()
	if n := countRows(t, l.store, `SELECT count(*) FROM players WHERE player_id LIKE 'bbref:%'`); n < 20 {
		t.Fatalf("the bbref box loaded alone wrote %d players under bbref ids, want its players (at least 20)", n)
	}
}
