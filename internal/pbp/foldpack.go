package pbp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/nbasim/nbasim/internal/model"
)

// FoldPackFormat is the version of the fold pack encoding and of what it
// holds: the compiled events (cev), the players, periods and flags a
// compile produced. A stored pack of another format is not used (the game
// is compiled again). Bump it whenever
//
//   - cev, PeriodInfo or the fields of Compiled a pack carries change
//     (TestFoldPackLayoutIsPinned fails until the pin is updated with it);
//   - what Compile produces from the same game and overrides changes: a
//     quirk rule, the rebound, foul, possession or lineup resolution, the
//     interning of players (TestFoldPackGolden pins the packs of the
//     synthetic games, which catches most such changes, not all);
//   - what fold does with a compiled event (a pack holds no State: the
//     checkpoints are folded again at decode, so a fold change alone is
//     safe only when it reads the same cev fields the same way).
//
// Stored packs of an old format are then rebuilt by the next load
// (docs/store.md, "Fold packs").
const FoldPackFormat = 1

// foldPackMagic starts every fold pack.
const foldPackMagic = "NBFP"

// AppendFoldPack appends to dst the fold pack of c: everything folding
// and reading boxes need (the game's teams and roster, the players, the
// periods and their starters, the compiled events, Degraded and Reasons),
// not its events or notes. DecodeFoldPack gives back a game whose boxes,
// states, lineups and stints are c's. A game compiled with quirk rules
// disabled (DisableRulesEnv) is packed as it is: the caller keeps such
// packs apart (AllRulesOn).
func (c *Compiled) AppendFoldPack(dst []byte) []byte {
	var tbl strTable
	g := c.Game
	if g == nil {
		g = &model.Game{}
	}
	// body first (string references), then the table before it
	var b []byte
	for _, s := range [...]string{g.GameID, g.Provider, g.Date} {
		b = tbl.ref(b, s)
	}
	for _, t := range [...]*model.Team{&g.Home, &g.Away} {
		b = tbl.ref(b, t.ID)
		b = tbl.ref(b, t.Code)
		b = tbl.ref(b, t.Name)
		b = binary.AppendVarint(b, int64(t.Pts))
	}
	b = binary.AppendUvarint(b, uint64(len(g.Warnings)))
	for _, w := range g.Warnings {
		b = tbl.ref(b, w)
	}
	if g.Players == nil {
		b = binary.AppendUvarint(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(g.Players))+1)
		for _, id := range sortedIDs(g.Players) {
			p := g.Players[id]
			b = tbl.ref(b, string(id))
			b = tbl.ref(b, string(p.ID))
			b = tbl.ref(b, p.Name)
			b = append(b, byte(p.Side), b2u8(p.Starter))
		}
	}
	b = append(b, b2u8(c.Degraded))
	b = binary.AppendUvarint(b, uint64(len(c.Reasons)))
	for _, r := range c.Reasons {
		b = tbl.ref(b, r)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Players)))
	for i, p := range c.Players {
		b = tbl.ref(b, string(p.ID))
		b = tbl.ref(b, p.Name)
		b = append(b, byte(p.Side), b2u8(p.Starter), b2u8(c.played[i])|b2u8(c.starter[i])<<1)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Periods)))
	for i := range c.Periods {
		pi := &c.Periods[i]
		b = binary.AppendVarint(b, int64(pi.Period))
		b = binary.AppendVarint(b, int64(pi.Start))
		for _, side := range [2]model.Side{model.Home, model.Away} {
			b = tbl.ref(b, pi.Method[side])
			for _, p := range pi.starters[side] {
				b = binary.AppendUvarint(b, uint64(p+1))
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(c.ev)))
	var prevT model.Tenths
	var prevNum int32
	for i := range c.ev {
		e := &c.ev[i]
		b = binary.AppendVarint(b, int64(e.elapsed)-int64(prevT))
		b = binary.AppendVarint(b, int64(e.src)-int64(i))
		b = binary.AppendVarint(b, int64(e.num)-int64(prevNum))
		prevT, prevNum = e.elapsed, e.num
		b = append(b, byte(e.typ), byte(e.side)|byte(e.possEnd)<<2|b2u8(e.team)<<4|b2u8(e.made)<<5|b2u8(e.three)<<6, byte(e.pts), e.period)
		b = binary.AppendUvarint(b, uint64(e.flags))
		ps := [...]pidx{e.p, e.a, e.blk, e.stl, e.fouled, e.in, e.out}
		var mask byte
		for k, p := range ps {
			if p >= 0 {
				mask |= 1 << k
			}
		}
		if e.slot >= 0 {
			mask |= 1 << 7
		}
		b = append(b, mask)
		for _, p := range ps {
			if p >= 0 {
				b = binary.AppendUvarint(b, uint64(p))
			}
		}
		if e.slot >= 0 {
			b = append(b, byte(e.slot))
		}
	}
	dst = append(dst, foldPackMagic...)
	dst = binary.AppendUvarint(dst, FoldPackFormat)
	dst = binary.AppendUvarint(dst, uint64(len(tbl.list)))
	for _, s := range tbl.list {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return append(dst, b...)
}

// strTable numbers the strings of a pack (0 is "").
type strTable struct {
	idx  map[string]uint64
	list []string
}

func (t *strTable) ref(b []byte, s string) []byte {
	if s == "" {
		return append(b, 0)
	}
	k, ok := t.idx[s]
	if !ok {
		if t.idx == nil {
			t.idx = map[string]uint64{}
		}
		t.list = append(t.list, s)
		k = uint64(len(t.list))
		t.idx[s] = k
	}
	return binary.AppendUvarint(b, k)
}

func sortedIDs(m map[model.PlayerID]model.PlayerInfo) []model.PlayerID {
	return slices.Sorted(maps.Keys(m))
}

func b2u8(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// ErrFoldPack is the error of a fold pack that does not decode: the
// message says what is wrong and where.
var ErrFoldPack = errors.New("pbp: bad fold pack")

// packDec reads a fold pack; the first problem sticks.
type packDec struct {
	b   []byte
	i   int
	err error
	str []string // the string table (0 is "")
}

func (d *packDec) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: at byte %d: %s", ErrFoldPack, d.i, fmt.Sprintf(format, args...))
	}
	d.i = len(d.b)
}

// uvarint reads an unsigned varint: one byte inline, nearly every time.
func (d *packDec) uvarint(what string) uint64 {
	if d.i < len(d.b) && d.b[d.i] < 0x80 {
		v := d.b[d.i]
		d.i++
		return uint64(v)
	}
	return readVarint(d, what, binary.Uvarint)
}

// varint reads a signed (zigzag) varint: one byte inline, nearly every
// time.
func (d *packDec) varint(what string) int64 {
	if d.i < len(d.b) && d.b[d.i] < 0x80 {
		v := d.b[d.i]
		d.i++
		return int64(v>>1) ^ -int64(v&1)
	}
	return readVarint(d, what, binary.Varint)
}

// readVarint reads a varint of the kind read decodes.
func readVarint[T uint64 | int64](d *packDec, what string, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := read(d.b[d.i:])
	if n <= 0 {
		d.fail("%s: truncated or overlong varint", what)
		return 0
	}
	d.i += n
	return v
}

func (d *packDec) byte(what string) byte {
	if d.err != nil {
		return 0
	}
	if d.i >= len(d.b) {
		d.fail("%s: truncated", what)
		return 0
	}
	v := d.b[d.i]
	d.i++
	return v
}

// count reads a length of items of at least min bytes each.
func (d *packDec) count(what string, min int) int {
	n := d.uvarint(what)
	if d.err == nil && n > uint64((len(d.b)-d.i)/min) {
		d.fail("%s: %d does not fit in the %d bytes left", what, n, len(d.b)-d.i)
		return 0
	}
	return int(n)
}

func (d *packDec) string(what string) string {
	k := d.uvarint(what)
	if d.err == nil && k >= uint64(len(d.str)) {
		d.fail("%s: string %d of a table of %d", what, k, len(d.str)-1)
		return ""
	}
	return d.str[k]
}

func (d *packDec) side(what string, v byte) model.Side {
	if v > byte(model.Away) {
		d.fail("%s: side %d", what, v)
		return model.NoSide
	}
	return model.Side(v)
}

// DecodeFoldPack decodes a fold pack of FoldPackFormat (AppendFoldPack)
// into a compiled game that keeps no events (as after ReleaseEvents): its
// final state is folded again, one pass over the compiled events, and it
// keeps no checkpoint but the start (StateAt folds from the start of the
// game: the same states, a microsecond more a box, half the memory). Bytes
// that are not such a pack give an error wrapping ErrFoldPack that says
// what is wrong (another format, a truncation, a player or side out of
// range); it never panics, and what it returns folds without panicking.
// The strings of the game are substrings of one copy of the pack's string
// table: b is not kept.
func DecodeFoldPack(b []byte) (*Compiled, error) {
	d := &packDec{b: b}
	if len(b) < len(foldPackMagic) || string(b[:len(foldPackMagic)]) != foldPackMagic {
		return nil, fmt.Errorf("%w: not a fold pack (no %q header)", ErrFoldPack, foldPackMagic)
	}
	d.i = len(foldPackMagic)
	if f := d.uvarint("format"); d.err == nil && f != FoldPackFormat {
		return nil, fmt.Errorf("%w: format %d, this build reads %d", ErrFoldPack, f, FoldPackFormat)
	}
	ns := d.count("strings", 1)
	if d.err != nil {
		return nil, d.err
	}
	// every string of the table is a substring of one copy of its bytes
	start := d.i
	offs := make([]int, 2*ns)
	for k := 0; k < ns; k++ {
		l := d.uvarint("string length")
		if d.err == nil && l > uint64(len(b)-d.i) {
			d.fail("string %d: length %d past the end", k+1, l)
		}
		if d.err != nil {
			return nil, d.err
		}
		offs[2*k], offs[2*k+1] = d.i-start, d.i-start+int(l)
		d.i += int(l)
	}
	all := string(b[start:d.i])
	d.str = make([]string, ns+1)
	for k := range ns {
		d.str[k+1] = all[offs[2*k]:offs[2*k+1]]
	}

	g := &model.Game{}
	g.GameID, g.Provider, g.Date = d.string("game id"), d.string("provider"), d.string("date")
	for _, t := range [...]*model.Team{&g.Home, &g.Away} {
		t.ID, t.Code, t.Name = d.string("team id"), d.string("team code"), d.string("team name")
		t.Pts = int(d.varint("team points"))
	}
	if nw := d.count("warnings", 1); nw > 0 {
		g.Warnings = make([]string, nw)
		for k := range g.Warnings {
			g.Warnings[k] = d.string("warning")
		}
	}
	if nr := d.count("roster", 1); nr > 0 {
		nr--
		g.Players = make(map[model.PlayerID]model.PlayerInfo, nr)
		for range nr {
			id := model.PlayerID(d.string("roster id"))
			p := model.PlayerInfo{ID: model.PlayerID(d.string("roster player id")), Name: d.string("roster name")}
			p.Side = d.side("roster side", d.byte("roster side"))
			p.Starter = d.byte("roster starter") != 0
			g.Players[id] = p
		}
	}
	c := &Compiled{Game: g}
	c.Degraded = d.byte("degraded") != 0
	if nr := d.count("reasons", 1); nr > 0 {
		c.Reasons = make([]string, nr)
		for k := range c.Reasons {
			c.Reasons[k] = d.string("reason")
		}
	}
	np := d.count("players", 5)
	if np > math.MaxInt16 {
		d.fail("%d players", np)
	}
	if d.err != nil {
		return nil, d.err
	}
	c.Players = make([]model.PlayerInfo, np)
	flags := make([]bool, 2*np)
	c.played, c.starter = flags[:np:np], flags[np:]
	c.index = make(map[model.PlayerID]pidx, np)
	for i := range c.Players {
		p := &c.Players[i]
		p.ID, p.Name = model.PlayerID(d.string("player id")), d.string("player name")
		p.Side = d.side("player side", d.byte("player side"))
		p.Starter = d.byte("player starter") != 0
		f := d.byte("player flags")
		c.played[i], c.starter[i] = f&1 != 0, f&2 != 0
		c.index[p.ID] = pidx(i)
	}
	player := func(what string, v uint64) pidx {
		if v >= uint64(np) {
			d.fail("%s: player %d of %d", what, v, np)
			return none
		}
		return pidx(v)
	}
	if nper := d.count("periods", 4); nper > 0 {
		c.Periods = make([]PeriodInfo, nper)
		for i := range c.Periods {
			pi := &c.Periods[i]
			pi.Period = int(d.varint("period"))
			pi.Start = model.Tenths(d.varint("period start"))
			for _, side := range [2]model.Side{model.Home, model.Away} {
				pi.Method[side] = d.string("starters method")
				for j := range pi.starters[side] {
					pi.starters[side][j] = none
					if v := d.uvarint("starter"); v > 0 {
						p := player("starter", v-1)
						pi.starters[side][j] = p
						if p >= 0 {
							pi.Starters[side][j] = c.Players[p].ID
						}
					}
				}
			}
		}
	}
	if ne := d.count("events", 9); d.err == nil {
		c.ev = make([]cev, ne)
		var t int64
		var num int64
		for i := range c.ev {
			e := &c.ev[i]
			t += d.varint("elapsed")
			src := int64(i) + d.varint("event index")
			num += d.varint("event number")
			if t < math.MinInt32 || t > math.MaxInt32 || src < math.MinInt32 || src > math.MaxInt32 || num < math.MinInt32 || num > math.MaxInt32 {
				d.fail("event %d: elapsed, index or number out of range", i)
			}
			e.elapsed, e.src, e.num = model.Tenths(t), int32(src), int32(num)
			e.typ = model.EventType(d.byte("event type"))
			bits := d.byte("event bits")
			e.side = d.side("event side", bits&3)
			e.possEnd = d.side("event possession", bits>>2&3)
			e.team, e.made, e.three = bits&(1<<4) != 0, bits&(1<<5) != 0, bits&(1<<6) != 0
			e.pts = int8(d.byte("event points"))
			e.period = d.byte("event period")
			fl := d.uvarint("event flags")
			if fl > math.MaxUint16 {
				d.fail("event %d: flags %#x", i, fl)
			}
			e.flags = uint16(fl)
			mask := d.byte("event players")
			for k, dst := range [...]*pidx{&e.p, &e.a, &e.blk, &e.stl, &e.fouled, &e.in, &e.out} {
				*dst = none
				if mask&(1<<k) != 0 {
					*dst = player("event player", d.uvarint("event player"))
				}
			}
			e.slot = -1
			if mask&(1<<7) != 0 {
				s := d.byte("event slot")
				if s >= 5 {
					d.fail("event %d: lineup slot %d", i, s)
				}
				e.slot = int8(s)
			}
			if d.err != nil {
				return nil, d.err
			}
		}
	}
	if d.err == nil && d.i != len(b) {
		d.fail("%d bytes after the events", len(b)-d.i)
	}
	if d.err != nil {
		return nil, d.err
	}
	c.checkpoint(false)
	return c, nil
}

// AllRulesOn reports whether every quirk rule applies in this process
// (DisableRulesEnv is empty): a stored fold pack is built with every rule
// on, and is not used otherwise.
func AllRulesOn() bool { return len(disabledRules()) == 0 }
