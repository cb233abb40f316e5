package layout

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key     string
		want    Key
		wantErr string
	}{
		{key: "nba_stats/playbyplayv3/2023-24/0022300061.json", want: Key{"nba_stats", "playbyplayv3", "2023-24", "0022300061", "json"}},
		{key: "espn/summary/2023-24/401585607.json", want: Key{"espn", "summary", "2023-24", "401585607", "json"}},
		{key: "bbref/boxscores/2023-24/202403170ORL.html", want: Key{"bbref", "boxscores", "2023-24", "202403170ORL", "html"}},
		{key: "bbref/schedule/2018-19/april.html", want: Key{"bbref", "schedule", "2018-19", "april", "html"}},
		{key: "nba_stats/leaguegamelog/2018-19/regular_T.json", want: Key{"nba_stats", "leaguegamelog", "2018-19", "regular_T", "json"}},
		{key: "nba_stats/boxscoretraditionalv2_range/2016-17/0021600270_28800-28940.json", want: Key{"nba_stats", "boxscoretraditionalv2_range", "2016-17", "0021600270_28800-28940", "json"}},
		{key: "nba_stats/playbyplayv3/2023-24/0022300061.html", wantErr: "extension"},
		{key: "nba_stats/playbyplayv3/2023-24/401585607.json", wantErr: "does not match"},
		{key: "nba_stats/unknown/2023-24/0022300061.json", wantErr: "unknown dataset"},
		{key: "nba_stats/playbyplayv3/2023-25/0022300061.json", wantErr: "second year"},
		{key: "nba_stats/playbyplayv3/0022300061.json", wantErr: "want source"},
		{key: "_history/espn/summary/2023-24/401585607.json@abc", wantErr: "want source"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			got, _, err := Parse(tt.key)
			if tt.wantErr != "" {
				var pe *ParseError
				if !errors.As(err, &pe) || !strings.Contains(pe.Reason, tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want a ParseError containing %q", tt.key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.key, err)
			}
			if got != tt.want {
				t.Fatalf("Parse(%q) = %+v, want %+v", tt.key, got, tt.want)
			}
			if got.String() != tt.key {
				t.Fatalf("String() = %q, want %q", got.String(), tt.key)
			}
		})
	}
}

func TestMakeRejectsBadItems(t *testing.T) {
	t.Parallel()
	if k, err := Make("espn", "summary", "2023-24", "401585607"); err != nil || k != "espn/summary/2023-24/401585607.json" {
		t.Fatalf("Make = %q, %v", k, err)
	}
	for _, c := range [][4]string{
		{"espn", "summary", "2023-24", "../x"},
		{"espn", "nope", "2023-24", "401585607"},
		{"espn", "summary", "23-24", "401585607"},
	} {
		if k, err := Make(c[0], c[1], c[2], c[3]); err == nil {
			t.Errorf("Make(%v) = %q, want an error", c, k)
		}
	}
}

func TestSeasons(t *testing.T) {
	t.Parallel()
	ids := map[string]string{"0021800001": "2018-19", "0049800001": "1998-99", "0022300979": "2023-24"}
	for id, want := range ids {
		s, err := SeasonOfGameID(id)
		if err != nil || s.String() != want {
			t.Errorf("SeasonOfGameID(%s) = %v, %v; want %s", id, s, err, want)
		}
	}
	if _, err := SeasonOfGameID("401585607"); err == nil {
		t.Error("SeasonOfGameID accepted an ESPN id")
	}
	dates := map[string]string{
		"2018-10-16": "2018-19", "2019-04-10": "2018-19", "2020-08-15": "2019-20",
		"2020-10-11": "2019-20", "2020-12-22": "2020-21", "2021-07-20": "2020-21", "2021-10-19": "2021-22",
	}
	for d, want := range dates {
		tm, _ := time.Parse("2006-01-02", d)
		if got := SeasonOfDate(tm).String(); got != want {
			t.Errorf("SeasonOfDate(%s) = %s, want %s", d, got, want)
		}
	}
	if got := SeasonTypeOfGameID("0042300101"); got != "playoffs" {
		t.Errorf("SeasonTypeOfGameID = %q", got)
	}
}

// TestLazyRegexpsCompile: the legacy file-name patterns compile on first
// use, so a bad one would panic then, not at start-up: compile them all.
func TestLazyRegexpsCompile(t *testing.T) {
	for _, l := range []*lazyRE{espnGameFile, espnDateFile, nbaAPIPBPFile, nbaAPIIncrFile, nbaAPIGameFile, nbaAPISeasonFile, nbaAPISeasonDir,
		hooprCSVFile, hooprStaticFile, hooprParquetFile, hooprIncrFile, bbrefSeasonFile, bbrefDateFile, bbrefGameFile, bbrefPBPDateFile, kaggleFile} {
		if l.re().String() != l.expr {
			t.Errorf("%s compiled as %s", l.expr, l.re())
		}
	}
}
