package mcpserver

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/testutil"
)

// TestBoxJSONIsEncodingJSON: BoxOut.AppendJSON, the writer box_score
// answers with, gives exactly json.Marshal's bytes: for the box after every
// 30 seconds of a real overtime game (names with accents and apostrophes,
// floats, zero and non-zero counts), and for values with what JSON escapes
// (HTML characters, quotes, control characters, invalid UTF-8), a note and
// nil slices.
func TestBoxJSONIsEncodingJSON(t *testing.T) {
	g, err := derive.LoadV2File(filepath.Join(testutil.RealDataDir(t), "nba_stats", "playbyplayv2", "0021600270.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := pbp.Compile(g, nil)
	end := c.FinalState().Elapsed
	var outs []BoxOut
	for at := model.Tenths(0); at <= end; at += 300 {
		out := boxOut(c.BoxAt(pbp.AtElapsed(at)))
		out.GameID, out.Game, out.Source, out.Moment = g.GameID, "OKC vs WAS", "derived:"+g.Provider, describeMoment(at)
		out.Available = []string{"derived", "nba_stats"}
		outs = append(outs, out)
	}
	odd := BoxOut{GameID: "<&>", Game: "a \"quoted\" game\n\x01", Source: "bad \xff utf-8 \u2028", Moment: "final", Columns: BoxColumns,
		Home: []any{"1610612760", "O'Neal <Jr.>", "home", true, 12.5, 0, 1e21, 1.5e-7}, Note: "degraded: x & y"}
	outs = append(outs, odd, BoxOut{})
	if len(outs) < 50 {
		t.Fatalf("%d boxes: the game is shorter than expected", len(outs))
	}
	for i := range outs {
		want, err := json.Marshal(outs[i])
		if err != nil {
			t.Fatal(err)
		}
		got := outs[i].AppendJSON(nil)
		if !bytes.Equal(got, want) {
			t.Fatalf("box %d (%s):\n got %s\nwant %s", i, outs[i].Moment, got, want)
		}
	}
}

// TestBoxAtJSONIsBoxOut: the answer box_score writes for a box at a moment
// (lines straight from the folded box, in scratch reused call after call)
// is byte for byte AppendJSON of the BoxOut that boxOut gives, at every 30
// seconds of two real games taken in turn, so that a line left over from
// the previous call, another order or another number fails.
func TestBoxAtJSONIsBoxOut(t *testing.T) {
	var cs []*pbp.Compiled
	for _, id := range []string{"0021600270", "0021800001"} {
		g, err := derive.LoadV2File(filepath.Join(testutil.RealDataDir(t), "nba_stats", "playbyplayv2", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, pbp.Compile(g, nil))
	}
	var sc boxScratch
	n := 0
	for at := model.Tenths(0); at <= cs[0].FinalState().Elapsed+600; at += 300 {
		for _, c := range cs {
			hdr := BoxOut{GameID: c.Game.GameID, Game: "a game", Source: "derived:" + c.Game.Provider, Moment: describeMoment(at),
				Columns: BoxColumns, Available: []string{"derived"}}
			want := boxOut(c.BoxAt(pbp.AtElapsed(at)))
			want.GameID, want.Game, want.Source, want.Moment, want.Available = hdr.GameID, hdr.Game, hdr.Source, hdr.Moment, hdr.Available
			if err := boxAtTime(c, at, &sc); err != nil {
				t.Fatal(err)
			}
			got := hdr.appendJSON(nil, &sc.box, &sc.ord)
			if w := want.AppendJSON(nil); !bytes.Equal(got, w) {
				t.Fatalf("%s at %d:\n got %s\nwant %s", c.Game.GameID, at, got, w)
			}
			n++
		}
	}
	if n < 100 {
		t.Fatalf("%d boxes compared: the games are shorter than expected", n)
	}
}
