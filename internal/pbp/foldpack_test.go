package pbp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/nbasim/nbasim/internal/model"
)

// foldOnly compiles synthetic game seed and drops its events, as the MCP
// box_score source keeps its games.
func foldOnly(seed uint64) *Compiled {
	g, _ := SyntheticGame(seed)
	return CompileOwned(g, nil).ReleaseEvents()
}

// sameFold fails unless d, decoded from a pack of c, folds as c does: the
// same compiled events, players, periods, flags, checkpoints, and the same
// box after every event.
func sameFold(t *testing.T, c, d *Compiled) {
	t.Helper()
	for _, f := range []struct {
		name string
		a, b any
	}{
		{"Game", c.Game, d.Game}, {"Players", c.Players, d.Players}, {"Periods", c.Periods, d.Periods},
		{"Degraded", c.Degraded, d.Degraded}, {"Reasons", c.Reasons, d.Reasons}, {"ev", c.ev, d.ev},
		{"played", c.played, d.played}, {"starter", c.starter, d.starter}, {"index", c.index, d.index},
		{"first checkpoint", c.checkpoints[0], d.checkpoints[0]}, {"final", c.final, d.final},
	} {
		if !reflect.DeepEqual(f.a, f.b) {
			t.Fatalf("game %s: %s differs after a fold pack round trip:\n%+v\n%+v", c.Game.GameID, f.name, f.a, f.b)
		}
	}
	if len(d.checkpoints) != 1 {
		t.Fatalf("game %s: a decoded game keeps %d checkpoints, want the start only", c.Game.GameID, len(d.checkpoints))
	}
	for i := range c.ev {
		m := Moment{Event: int(c.ev[i].src)}
		if a, b := c.BoxAt(m), d.BoxAt(m); !reflect.DeepEqual(a, b) {
			t.Fatalf("game %s: box after event %d differs:\n%+v\n%+v", c.Game.GameID, i, a, b)
		}
		var sa, sb State
		c.StateAt(&sa, m)
		d.StateAt(&sb, m)
		if !reflect.DeepEqual(sa, sb) {
			t.Fatalf("game %s: state after event %d differs", c.Game.GameID, i)
		}
	}
	if a, b := c.Stints(), d.Stints(); !reflect.DeepEqual(a, b) {
		t.Fatalf("game %s: stints differ", c.Game.GameID)
	}
}

func TestFoldPackRoundTrip(t *testing.T) {
	for seed := range uint64(50) {
		c := foldOnly(seed)
		pack := c.AppendFoldPack(nil)
		d, err := DecodeFoldPack(pack)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		sameFold(t, c, d)
		if again := d.AppendFoldPack(nil); !bytes.Equal(again, pack) {
			t.Fatalf("seed %d: a decoded pack encodes to other bytes", seed)
		}
	}
	// a compiled game that keeps its events packs the same
	g, _ := SyntheticGame(7)
	if a, b := Compile(g, nil).AppendFoldPack(nil), foldOnly(7).AppendFoldPack(nil); !bytes.Equal(a, b) {
		t.Fatal("Compile and CompileOwned+ReleaseEvents pack differently")
	}
}

// TestFoldPackLayoutIsPinned fails when the types a fold pack carries
// change: the encoding must follow them and FoldPackFormat must be bumped
// (stored packs of the old layout are then not used).
func TestFoldPackLayoutIsPinned(t *testing.T) {
	const format = 1 // FoldPackFormat the pins below were written for
	pins := []struct {
		v      any
		size   uintptr
		fields string
	}{
		{cev{}, 40, "elapsed model.Tenths, src int32, num int32, typ model.EventType, side model.Side, team bool, made bool, three bool, pts int8, possEnd model.Side, flags uint16, period uint8, p int16, a int16, blk int16, stl int16, fouled int16, in int16, out int16, slot int8"},
		{PeriodInfo{}, 0, "Period int, Start model.Tenths, Starters [3][5]model.PlayerID, Method [3]string, starters [3][5]int16"},
		{Compiled{}, 0, "Game *model.Game, Events []model.Event, Players []model.PlayerInfo, Periods []pbp.PeriodInfo, Notes []pbp.Note, Degraded bool, Reasons []string, disabled map[string]bool, index map[model.PlayerID]int16, ev []pbp.cev, checkpoints []pbp.State, final pbp.State, played []bool, starter []bool"},
		{model.Game{}, 0, "GameID string, Provider string, Date string, Home model.Team, Away model.Team, Players map[model.PlayerID]model.PlayerInfo, Events []model.Event, Warnings []string"},
		{model.Team{}, 0, "ID string, Code string, Name string, Pts int"},
		{model.PlayerInfo{}, 0, "ID model.PlayerID, Name string, Side model.Side, Starter bool"},
	}
	for _, p := range pins {
		typ := reflect.TypeOf(p.v)
		var fs []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			fs = append(fs, f.Name+" "+f.Type.String())
		}
		got := strings.Join(fs, ", ")
		if got != p.fields || (p.size != 0 && typ.Size() != p.size) {
			t.Errorf("%s changed (size %d, fields %s; pinned for fold pack format %d: size %d, fields %s): "+
				"update AppendFoldPack/DecodeFoldPack, bump FoldPackFormat (now %d) and this pin",
				typ, typ.Size(), got, format, p.size, p.fields, FoldPackFormat)
		}
	}
	if unsafe.Sizeof(cev{}) != pins[0].size {
		t.Errorf("unsafe.Sizeof(cev{}) = %d", unsafe.Sizeof(cev{}))
	}
	if FoldPackFormat != format {
		t.Errorf("FoldPackFormat is %d, the pins were written for %d: check them and update format", FoldPackFormat, format)
	}
}

// TestFoldPackGolden pins the packs of the synthetic games: a change of
// what Compile produces (a quirk rule, the resolution of rebounds, fouls,
// possessions or lineups) changes them, and stored packs compiled by the
// old engine must then not be used: bump FoldPackFormat and the pin.
func TestFoldPackGolden(t *testing.T) {
	const format, want = 1, "46128b9996873b96"
	h := sha256.New()
	for seed := range uint64(50) {
		h.Write(foldOnly(seed).AppendFoldPack(nil))
	}
	got := hex.EncodeToString(h.Sum(nil))[:16]
	if got != want || format != FoldPackFormat {
		t.Errorf("fold packs of the synthetic games hash to %s (pinned %s for format %d, FoldPackFormat is %d): "+
			"what Compile produces changed; bump FoldPackFormat and pin the new hash with it", got, want, format, FoldPackFormat)
	}
}

func TestDecodeFoldPackErrors(t *testing.T) {
	good := foldOnly(3).AppendFoldPack(nil)
	// a pack with one byte changed at i
	with := func(i int, v byte) []byte {
		b := bytes.Clone(good)
		b[i] = v
		return b
	}
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "no \"NBFP\" header"},
		{"other bytes", []byte("{\"game\":1}"), "no \"NBFP\" header"},
		{"another format", append([]byte("NBFP"), 99), "format 99, this build reads 1"},
		{"no format", []byte("NBFP"), "format: truncated"},
		{"trailing bytes", append(bytes.Clone(good), 0), "1 bytes after the events"},
		{"string table too long", append([]byte("NBFP\x01"), 0xff, 0xff, 0x03), "strings: 65535 does not fit"},
		{"string past the end", []byte("NBFP\x01\x01\x09ab"), "string 1: length 9 past the end"},
		{"game id not in the table", []byte("NBFP\x01\x00\x05"), "game id: string 5 of a table of 0"},
	}
	for i := range len(good) - 1 {
		cases = append(cases, struct {
			name string
			b    []byte
			want string
		}{fmt.Sprintf("truncated to %d bytes", i), good[:i], ""})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := DecodeFoldPack(c.b)
			if err == nil || d != nil {
				t.Fatalf("decoded %d bytes: %v, %v", len(c.b), d, err)
			}
			if !errors.Is(err, ErrFoldPack) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want ErrFoldPack saying %q", err, c.want)
			}
		})
	}
	// a corrupt byte anywhere gives an error or a game that folds
	for i := range good {
		for _, v := range []byte{0, 1, 5, 0x7f, 0x80, 0xff} {
			if d, err := DecodeFoldPack(with(i, v)); err == nil {
				foldAll(d)
			}
		}
	}
}

// foldAll asks a decoded game for what the MCP and web servers ask.
func foldAll(c *Compiled) {
	_ = c.Final()
	for _, t := range []model.Tenths{0, 100, 7200, 14400, 30000} {
		_ = c.BoxAt(AtElapsed(t))
	}
	_ = c.Window(BeforeElapsed(100), AtElapsed(20000))
	_ = c.PeriodWindow(1, 2)
	_ = c.Stints()
	_, _ = c.LineupAt(3)
	var s State
	c.Fold(&s)
}

// FuzzDecodeFoldPack decodes mutated packs: an error, or a game that folds
// without panicking and packs to the same bytes again.
func FuzzDecodeFoldPack(f *testing.F) {
	for seed := range uint64(4) {
		f.Add(foldOnly(seed).AppendFoldPack(nil))
	}
	f.Add([]byte("NBFP\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeFoldPack(b)
		if err != nil {
			if c != nil || !errors.Is(err, ErrFoldPack) {
				t.Fatalf("error %v with a game, or not ErrFoldPack", err)
			}
			return
		}
		foldAll(c)
		d, err := DecodeFoldPack(c.AppendFoldPack(nil))
		if err != nil {
			t.Fatalf("a decoded pack does not decode again: %v", err)
		}
		if !reflect.DeepEqual(c.ev, d.ev) || !reflect.DeepEqual(c.Players, d.Players) {
			t.Fatal("a decoded pack packs to another game")
		}
	})
}

// BenchmarkDecodeFoldPack decodes the pack of a synthetic game (~450
// events): the cost of a cache miss served from a stored pack, less the
// read.
func BenchmarkDecodeFoldPack(b *testing.B) {
	pack := foldOnly(11).AppendFoldPack(nil)
	b.ReportMetric(float64(len(pack)), "bytes")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeFoldPack(pack); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileFoldOnly is what a pack replaces: compiling the game
// (its events already read) and dropping them.
func BenchmarkCompileFoldOnly(b *testing.B) {
	g0, _ := SyntheticGame(11)
	b.ReportAllocs()
	for b.Loop() {
		g := *g0
		g.Events = append([]model.Event(nil), g0.Events...)
		CompileOwned(&g, nil).ReleaseEvents()
	}
}
