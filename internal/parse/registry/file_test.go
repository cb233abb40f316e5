package registry

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

func TestForFile(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, head, want string
	}{
		{"nba_stats/playbyplayv2/2018-19/0021800001.json", "", "nba_stats/playbyplayv2"},
		{"/lake/nba_live/boxscore/2020-21/0022000001.json", "", "nba_live/boxscore"},
		{"../shared/data/nba_stats/playbyplayv3/0021800001.json", "", "nba_stats/playbyplayv3"},
		{"../shared/data/nba_stats/boxscoretraditionalv2/0021600270_EndRange-28800.json", "", "nba_stats/boxscoretraditionalv2"},
		{"../shared/data/nba_live/liveData/playbyplay/playbyplay_0022000001.json", "", "nba_live/playbyplay"},
		{"../shared/data/espn/summary_401585607.json", "", "espn/summary"},
		{"../shared/data/bbref/boxscores/201810160BOS.html.gz", "", "bbref/boxscores"},
		// the defect of issue 11: a pbp CSV under bbref/ went to the box parser
		{"../shared/data/bbref/pbp_parsed/2018_10_16_BOS_pbp.csv", "", "bbref/pbp_parsed"},
		{"../shared/data/bbref/pbp_parsed/2003_10_29_TOR_pbp.json", "", "bbref/pbp_parsed"},
		{"../shared/data/bbref/schedules/NBA_2018_games-april.html", "", "bbref/schedule"},
		{"bbref/pbp/2018-19/201810160BOS.html", "", "bbref/pbp"},
		{"download.json", `{"resource":"playbyplay","resultSets":[{"headers":["EVENTMSGTYPE"]}]}`, "nba_stats/playbyplayv2"},
		{"x.html", `<table id="box-BOS-game-basic">`, "bbref/boxscores"},
	}
	for _, c := range cases {
		e, err := ForFile(c.path, []byte(c.head))
		if err != nil {
			t.Errorf("ForFile(%q): %v", c.path, err)
			continue
		}
		if e.ID() != c.want || e.Parse == nil {
			t.Errorf("ForFile(%q) = %s (parser %v), want %s", c.path, e.ID(), e.Parse != nil, c.want)
		}
	}
	if _, err := ForFile("notes/readme.txt", []byte("hello")); err == nil {
		t.Error("an unknown file was recognised")
	}
}

func TestItemOfFile(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"playbyplay_0022000001.json":           "0022000001",
		"nba_stats/x/0021800001.json":          "0021800001",
		"bbref/boxscores/201810160BOS.html.gz": "201810160BOS",
	} {
		if got := ItemOfFile(in); got != want {
			t.Errorf("ItemOfFile(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseFileScraperCSV parses the file issue 11 named: the bbref
// scraper's CSV yields play-by-play, not a box-parser error.
func TestParseFileScraperCSV(t *testing.T) {
	t.Parallel()
	dir := testutil.RealDataDir(t)
	p := filepath.Join(dir, "bbref", "pbp_parsed", "2018_10_16_BOS_pbp.csv")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	res, id, err := ParseFile(p, data, parse.Hint{Item: "201810160BOS"})
	if err != nil {
		t.Fatal(err)
	}
	if id != "bbref/pbp_parsed" || res.PBP == nil || len(res.PBP.Events) == 0 {
		t.Fatalf("id %s, pbp %v", id, res.PBP != nil)
	}
}
