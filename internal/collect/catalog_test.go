package collect

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/parse"
	parsenbastats "github.com/nbasim/nbasim/internal/parse/nbastats"
	"github.com/nbasim/nbasim/internal/replay"
	"github.com/nbasim/nbasim/internal/source"
	"github.com/nbasim/nbasim/internal/source/nbastats"
)

// TestFetchEveryCatalogEndpoint fetches, through the replay server (real
// HTTP) and the paced client, one object for every recorded stats.nba.com
// request, each built from the catalog alone (the recording's query mapped
// to a lake key, the key back to a request): every object is
// byte-identical to a recording of that key, with provenance; every
// response decodes into the result sets the catalog declares, with their
// headers; every catalog endpoint but the two declared without a recording
// is covered.
func TestFetchEveryCatalogEndpoint(t *testing.T) {
	t.Parallel()
	rs := loadReplay(t)
	e := newEnv(t, rs)
	src := mustSource(t, e.reg, "nba_stats").(*nbastats.Source)
	cat := src.Catalog()
	byKey := map[string][]*replay.Entry{}
	var reqs []*source.Request
	turnedAway := map[string]int{}
	recordings := 0
	for _, en := range rs.Entries() {
		if !strings.HasPrefix(en.Host, "stats.") {
			continue
		}
		if en.Host != "stats.nba.com" {
			turnedAway[en.Host]++ // G League: not NBA data
			continue
		}
		if strings.HasSuffix(en.File, ".pbpstats_fixture_reordered.json") {
			turnedAway["fixture altered on purpose"]++
			continue
		}
		recordings++
		ce, ok := cat.ForPath(strings.TrimPrefix(en.Path, "/stats/"), en.Query)
		if !ok {
			t.Errorf("%s: endpoint not in the catalog", en.Name())
			continue
		}
		season, item, err := ce.Recognise(en.Query)
		if err != nil {
			t.Errorf("%s: %v", en.Name(), err)
			continue
		}
		r, err := src.Request(ce.Name, season, item)
		if err != nil {
			t.Errorf("%s: %s/%s: %v", en.Name(), season, item, err)
			continue
		}
		key, err := r.Key()
		if err != nil {
			t.Errorf("%s: %v", en.Name(), err)
			continue
		}
		if byKey[key] == nil {
			reqs = append(reqs, r)
		}
		byKey[key] = append(byKey[key], en)
	}
	for k, ens := range byKey {
		if len(ens) > 1 {
			var names []string
			for _, en := range ens {
				names = append(names, en.Name())
			}
			t.Logf("%s: %d recordings: %v", k, len(ens), names)
		}
	}
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].String() < reqs[j].String() })
	datasets := map[string]int{}
	for _, r := range reqs {
		datasets[r.Dataset]++
	}
	var uncovered []string
	for _, ce := range cat.Endpoints {
		if datasets[ce.Name] == 0 {
			uncovered = append(uncovered, ce.Name)
		}
	}
	t.Logf("%d recordings, %d objects, %d datasets; turned away %v; catalog endpoints without a recording: %v",
		recordings, len(reqs), len(datasets), turnedAway, uncovered)
	// 363 recordings minus 6 G League and 2 pbpstats fixtures; 352
	// objects: 3 recordings are another version of an object (the
	// playbyplayv2 originals of 0021600270 and 0021900001, a range box
	// asked with other periods, which it ignores).
	if recordings != 355 || len(reqs) != 352 || len(datasets) != 120 {
		t.Errorf("%d recordings, %d objects, %d datasets; want 355, 352, 120", recordings, len(reqs), len(datasets))
	}
	if !slices.Equal(uncovered, []string{"boxscoreadvancedv2", "playergamelogs"}) {
		t.Errorf("catalog endpoints without a recording: %v", uncovered)
	}
	if turnedAway["stats.gleague.nba.com"] != 6 || turnedAway["fixture altered on purpose"] != 2 {
		t.Errorf("turned away %v, want 6 G League recordings and 2 fixtures", turnedAway)
	}

	ctx := context.Background()
	sum, err := e.col.Fetch(ctx, "catalog", reqs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary: %s", sum)
	if sum.Fetched != len(reqs) || sum.FailedTotal() != 0 {
		for _, f := range sum.Failures {
			t.Errorf("failed: %s: %v", f.Key, f.Err)
		}
		t.Fatalf("fetched %d of %d", sum.Fetched, len(reqs))
	}
	checkAgainstRecordings(t, e, reqs)

	rows := 0
	for _, r := range reqs {
		key, _ := r.Key()
		got, err := e.lake.Read(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		// the replay server answered with a recording of this very object
		same := false
		for _, en := range byKey[key] {
			b, err := rs.Body(en)
			if err != nil {
				t.Fatal(err)
			}
			same = same || lake.SHA256(b) == lake.SHA256(got)
		}
		if !same {
			t.Errorf("%s: the object is none of its %d recordings", key, len(byKey[key]))
		}
		sets, err := parsenbastats.DecodeRowSets(got, parse.Hint{Key: key})
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		ce, _ := cat.Endpoint(r.Dataset)
		declared := map[string][]string{}
		for _, rs := range ce.ResultSets {
			declared[rs.Name] = rs.Headers
		}
		for _, s := range sets {
			rows += len(s.Rows)
			h, ok := declared[s.Name]
			if !ok {
				t.Errorf("%s: result set %s is not in the catalog", key, s.Name)
				continue
			}
			for _, c := range s.Headers {
				if !slices.Contains(h, c) {
					t.Errorf("%s: %s: header %s is not in the catalog", key, s.Name, c)
				}
			}
		}
	}
	if rows != 136863 {
		t.Errorf("%d rows in all result sets, want 136,863", rows)
	}
}
