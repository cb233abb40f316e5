package nbastats

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/testutil"
)

const csvHeader = "GAME_ID,EVENTNUM,EVENTMSGTYPE,EVENTMSGACTIONTYPE,PERIOD,WCTIMESTRING,PCTIMESTRING,HOMEDESCRIPTION,NEUTRALDESCRIPTION,VISITORDESCRIPTION,SCORE,SCOREMARGIN,PERSON1TYPE,PLAYER1_ID,PLAYER1_NAME,PLAYER1_TEAM_ID,PLAYER1_TEAM_CITY,PLAYER1_TEAM_NICKNAME,PLAYER1_TEAM_ABBREVIATION,PERSON2TYPE,PLAYER2_ID,PLAYER2_NAME,PLAYER2_TEAM_ID,PLAYER2_TEAM_CITY,PLAYER2_TEAM_NICKNAME,PLAYER2_TEAM_ABBREVIATION,PERSON3TYPE,PLAYER3_ID,PLAYER3_NAME,PLAYER3_TEAM_ID,PLAYER3_TEAM_CITY,PLAYER3_TEAM_NICKNAME,PLAYER3_TEAM_ABBREVIATION,VIDEO_AVAILABLE_FLAG\n"

// Lines as pandas wrote them in the legacy_pbp archive (0021800001).
const (
	csvStart = "0021800001,2,12,0,1,8:03 PM,12:00,,Start of 1st Period (8:03 PM EST),,,,0.0,0,,,,,,0,0,,,,,,0,0,,,,,,0\n"
	csvJump  = "0021800001,4,10,0,1,8:03 PM,12:00,Jump Ball Horford vs. Embiid: Tip to Simmons,,,,,4.0,201143,Al Horford,1610612738.0,Boston,Celtics,BOS,5,203954,Joel Embiid,1610612755.0,Philadelphia,76ers,PHI,5,1627732,Ben Simmons,1610612755.0,Philadelphia,76ers,PHI,1\n"
	csvShot  = "0021800001,7,1,1,1,8:04 PM,11:41,,,\"Embiid 2' Layup, (2 PTS)\",2 - 0,-2,5.0,203954,Joel Embiid,1610612755.0,Philadelphia,76ers,PHI,0,0,,,,,,0,0,,,,,,1\n"
)

func TestParsePlayByPlayV2CSV(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		text       string
		events     int
		issues     []string // positions
		warnings   int
		errContain string
	}{
		{name: "three events", text: csvHeader + csvStart + csvJump + csvShot, events: 3},
		{name: "Kaggle ids without zeros", text: csvHeader + strings.Replace(csvStart, "0021800001", "21800001", 1) + strings.Replace(csvJump, "0021800001", "21800001.0", 1), events: 2},
		{name: "exact duplicate line", text: csvHeader + csvStart + csvJump + csvJump + csvShot, events: 3, warnings: 1},
		{name: "short line", text: csvHeader + csvStart + "0021800001,5,1\n" + csvShot, events: 2, issues: []string{"line 3"}},
		{name: "bad period", text: csvHeader + csvStart + strings.Replace(csvShot, ",1,1,1,8:04", ",1,1,x,8:04", 1), events: 1, issues: []string{"line 3"}},
		{name: "other game", text: csvHeader + csvStart + strings.Replace(csvShot, "0021800001", "0021800003", 1), events: 1, issues: []string{"line 3"}},
		{name: "empty", text: "", errContain: "empty CSV"},
		{name: "header only", text: csvHeader, errContain: "no event lines"},
		{name: "missing column", text: strings.Replace(csvHeader, "EVENTMSGTYPE,", "X,", 1) + csvStart, errContain: "missing column EVENTMSGTYPE"},
		{name: "game of another key", text: csvHeader + strings.Replace(csvStart, "0021800001", "0021800009", 1), errContain: "0021800009"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := ParsePlayByPlayV2CSV([]byte(tc.text), parse.Hint{Key: "archive/playbyplayv2/2018-19/0021800001.csv", Item: "0021800001"})
			if tc.errContain != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errContain) {
					t.Fatalf("err = %v, want %q", err, tc.errContain)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := res.PBP
			if g.GameID != "0021800001" || len(g.Events) != tc.events || len(g.Warnings) != tc.warnings || g.Provider != ProviderPBPV2 {
				t.Fatalf("game %s provider %s: %d events, warnings %v; want %d, %d", g.GameID, g.Provider, len(g.Events), g.Warnings, tc.events, tc.warnings)
			}
			var pos []string
			for _, is := range res.Issues {
				pos = append(pos, is.Position)
			}
			if strings.Join(pos, ",") != strings.Join(tc.issues, ",") {
				t.Fatalf("issues %+v, want at %v", res.Issues, tc.issues)
			}
		})
	}
	res, err := ParsePlayByPlayV2CSV([]byte(csvHeader+csvStart+csvJump+csvShot), parse.Hint{Item: "0021800001"})
	if err != nil {
		t.Fatal(err)
	}
	g := res.PBP
	shot := g.Events[2]
	if g.Home.ID != "1610612738" || g.Home.Code != "BOS" || g.Away.ID != "1610612755" ||
		shot.Type != model.ShotMade || shot.Points != 2 || shot.Player != "203954" || shot.Side != model.Away ||
		shot.ScoreAway != 2 || shot.ScoreHome != 0 || shot.Description != "Embiid 2' Layup, (2 PTS)" {
		t.Fatalf("teams %+v %+v, shot %+v", g.Home, g.Away, shot)
	}
}

// parseV2CSVReference is ParsePlayByPlayV2CSV as it was before its fast
// path: every line through encoding/csv. The fast path must give the same
// result on every game.
func parseV2CSVReference(data []byte, h parse.Hint) (*parse.Result, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	rs, gameCol := csvResultSet(data, header)
	var issues []parse.Issue
	lines := []int{}
	line := 1
	for {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			issues = append(issues, parse.Issue{Position: "line " + strconv.Itoa(line), Reason: "CSV: " + err.Error()})
			continue
		}
		rs.RowSet = append(rs.RowSet, csvRecord(rec, gameCol, int(start), int(cr.InputOffset())))
		lines = append(lines, line)
	}
	res, err := parseV2Set(rs, 0, h, func(i int) string { return "line " + strconv.Itoa(lines[i]) })
	if err != nil {
		return nil, err
	}
	res.Issues = append(issues, res.Issues...)
	return res, nil
}

// TestParseV2CSVFastPathSameResult: on every game of a real season archive
// (2014-15, whose lines include quoted fields) and on edge cases, the fast
// path's result equals the encoding/csv reference's.
func TestParseV2CSVFastPathSameResult(t *testing.T) {
	t.Parallel()
	same := func(name string, data []byte, item string) {
		t.Helper()
		h := parse.Hint{Key: name, Item: item}
		got, gerr := ParsePlayByPlayV2CSV(data, h)
		want, werr := parseV2CSVReference(data, h)
		if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("%s: err %v, reference %v", name, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: results differ:\n%+v\n%+v", name, got, want)
		}
	}
	for name, text := range map[string]string{
		"crlf":            strings.ReplaceAll(csvHeader+csvStart+csvJump+csvShot, "\n", "\r\n"),
		"no final eol":    csvHeader + csvStart + strings.TrimSuffix(csvShot, "\n"),
		"empty lines":     csvHeader + "\n" + csvStart + "\n\n" + csvJump,
		"quoted newline":  csvHeader + csvStart + strings.Replace(csvShot, "Layup, (2", "Layup,\n(2", 1) + csvJump,
		"bare quote":      csvHeader + csvStart + strings.Replace(csvJump, "Tip to", "Tip \"to", 1) + csvShot,
		"short line":      csvHeader + csvStart + "0021800001,5,1\n" + csvShot,
		"duplicate lines": csvHeader + csvStart + csvShot + csvShot,
	} {
		same(name, []byte(text), "0021800001")
	}
	data := testutil.RealDataDir(t)
	games := 0
	err := archive.Walk(context.Background(), filepath.Join(data, "archive", "legacy_pbp", "2014-15.tar.zst"), archive.Options{}, func(m *archive.Member) error {
		games++
		same(m.Name, m.Data, m.GameID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if games != 1311 {
		t.Fatalf("%d games, want 1,311", games)
	}
}
