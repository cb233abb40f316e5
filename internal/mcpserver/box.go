package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/jsonx"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store"
)

// BoxIn selects a game and, optionally, a moment.
type BoxIn struct {
	GameID         string   `json:"game_id" jsonschema:"NBA (0021800001), short (21800001), ESPN or bbref id"`
	Source         string   `json:"source,omitempty" jsonschema:"stored box source (default: an official one, else derived)"`
	Moment         string   `json:"moment,omitempty" jsonschema:"box at a moment: Q3 7:02.4, OT1 2:00"`
	Period         int      `json:"period,omitempty" jsonschema:"with clock: box at that moment (5 = OT1)"`
	Clock          string   `json:"clock,omitempty" jsonschema:"time remaining in the period, M:SS(.t)"`
	ElapsedSeconds *float64 `json:"elapsed_seconds,omitempty" jsonschema:"box after this much game time"`
}

// BoxColumns are the columns of every box line, in order.
var BoxColumns = []string{"id", "name", "side", "starter", "min", "pts", "reb", "ast", "stl", "blk", "tov", "pf",
	"fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "plus_minus"}

// BoxOut is a box score: columns once, lines as arrays.
type BoxOut struct {
	GameID    string   `json:"game_id"`
	Game      string   `json:"game" jsonschema:"the game the id resolved to"`
	Source    string   `json:"source" jsonschema:"stored source, or derived:<plays provider> when computed"`
	Moment    string   `json:"moment" jsonschema:"final, or the game time of the box"`
	Columns   []string `json:"columns"`
	Home      []any    `json:"home"`
	Away      []any    `json:"away"`
	Players   [][]any  `json:"players"`
	Available []string `json:"available_sources"`
	Note      string   `json:"note,omitempty"`
}

// compiled returns the game compiled with the embedded overrides, from the
// shared game source (internal/gamecache: LRU, dropped when the game is
// reloaded) or read from the store (plays, names and sides from stored
// boxes) and compiled on a miss; an engine panic becomes an error naming
// the game.
func (s *Server) compiled(ctx context.Context, r gameref.Resolved) (*pbp.Compiled, error) {
	c, err := s.games.GetRead(ctx, r.Game, "")
	if err != nil && strings.Contains(err.Error(), "no plays") {
		return nil, fmt.Errorf("%w (a box at a moment needs the game's play-by-play in the database)", err)
	}
	return c, err
}

// boxAtTime folds c to t into sc.box; an engine panic becomes an error
// naming the game.
func boxAtTime(c *pbp.Compiled, t model.Tenths, sc *boxScratch) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("game %s: play-by-play engine failed: %v", c.Game.GameID, p)
		}
	}()
	c.BoxInto(&sc.st, pbp.AtElapsed(t), &sc.box)
	return nil
}

func line(id, name string, side model.Side, starter bool, st model.Stats) []any {
	return []any{id, name, side.String(), starter, float64(int(st.Seconds)/6) / 100,
		st.PTS, st.REB, st.AST, st.STL, st.BLK, st.TOV, st.PF,
		st.FGM, st.FGA, st.FG3M, st.FG3A, st.FTM, st.FTA, st.OREB, st.DREB, st.PlusMinus}
}

func boxOut(b model.Box) BoxOut {
	out := BoxOut{GameID: b.GameID, Source: b.Source, Columns: BoxColumns, Players: [][]any{},
		Home: line(b.Home.TeamID, b.Home.Code, model.Home, false, b.Home.Stats),
		Away: line(b.Away.TeamID, b.Away.Code, model.Away, false, b.Away.Stats)}
	players := append([]model.PlayerLine(nil), b.Players...)
	sort.SliceStable(players, func(i, j int) bool {
		if players[i].Side != players[j].Side {
			return players[i].Side == model.Home
		}
		return players[i].Seconds > players[j].Seconds
	})
	for _, p := range players {
		if p.DNP {
			continue
		}
		out.Players = append(out.Players, line(string(p.PlayerID), p.Name, p.Side, p.Starter, p.Stats))
	}
	return out
}

// boxScore answers box_score: the header of the answer (every BoxOut field
// but the lines) and, for a box at a moment, the folded box in sc, whose
// lines appendJSON writes straight from it; for a stored box (box nil) out
// holds the lines too.
func (s *Server) boxScore(ctx context.Context, in BoxIn, sc *boxScratch) (out BoxOut, box *model.Box, err error) {
	if in.GameID == "" {
		return BoxOut{}, nil, errors.New("game_id is required")
	}
	q := readonly.Querier(s.opts.DB)
	atMoment := in.Moment != "" || in.Period != 0 || in.Clock != "" || in.ElapsedSeconds != nil
	var (
		r       gameref.Resolved
		sources []string
		c       *pbp.Compiled
	)
	if atMoment {
		r, sources, c = s.cachedMeta(ctx, in.GameID)
	}
	if c == nil {
		if r, err = gameref.Resolve(ctx, q, in.GameID); err != nil {
			return BoxOut{}, nil, err
		}
		if sources, err = boxSources(ctx, q, r.GameID); err != nil {
			return BoxOut{}, nil, err
		}
	}
	in.GameID = r.GameID
	rows := 0
	if atMoment {
		if c == nil {
			if c, err = s.compiled(ctx, r); err != nil {
				return BoxOut{}, nil, err
			}
			s.meta.put(r.GameID, c, metaEntry{r: r, sources: sources})
		}
		if out, err = s.boxAt(in, c, sc); err != nil {
			return BoxOut{}, nil, err
		}
		box = &sc.box
		for i := range box.Players {
			if !box.Players[i].DNP {
				rows++
			}
		}
	} else {
		if out, err = s.storedBox(ctx, q, in, sources); err != nil {
			return BoxOut{}, nil, err
		}
		rows = len(out.Players)
	}
	out.Available = sources
	out.Game = r.Describe()
	statsFrom(ctx).rows = rows
	return out, box, nil
}

// boxScratch is what one box_score answer at a moment folds into: the
// engine's state, the box and the order of its lines, reused from call to
// call (Server.scratch) so that a call on a cached game allocates next to
// nothing (the garbage of every call is what makes the collector run, and
// its cycles are the tail of a session's latencies).
type boxScratch struct {
	st  pbp.State
	box model.Box
	ord []int
}

// cachedMeta returns, for an NBA id whose compiled game is cached, the id
// resolution and box sources that an earlier call read for that same
// compiled game (no query), and the compiled game; c is nil when there are
// none (the caller reads them). They are as fresh as the compiled game,
// which the cache drops when the game is reloaded: a new compiled game
// means new metadata.
func (s *Server) cachedMeta(ctx context.Context, id string) (r gameref.Resolved, sources []string, c *pbp.Compiled) {
	kind, nbaID, err := layout.ParseGameID(id)
	if err != nil || (kind != layout.NBAGame && kind != layout.ShortNBAGame) || !s.meta.has(nbaID) {
		return r, nil, nil
	}
	if c, err = s.games.Get(ctx, nbaID, ""); err != nil {
		return r, nil, nil
	}
	m, ok := s.meta.get(nbaID, c)
	if !ok {
		return r, nil, nil
	}
	return m.r, m.sources, c
}

// metaEntry is what gameMeta read for one compiled game.
type metaEntry struct {
	c       weak.Pointer[pbp.Compiled] // the compiled game it belongs to (weak: the LRU may drop it)
	r       gameref.Resolved
	sources []string
}

// metaCache holds gameMeta's answers by game id, at most metaCap.
type metaCache struct {
	mu sync.Mutex
	m  map[string]metaEntry
}

const metaCap = 16384

func (mc *metaCache) has(id string) bool {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	_, ok := mc.m[id]
	return ok
}

func (mc *metaCache) get(id string, c *pbp.Compiled) (metaEntry, bool) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	e, ok := mc.m[id]
	if !ok || c == nil || e.c.Value() != c {
		return metaEntry{}, false
	}
	return e, true
}

func (mc *metaCache) put(id string, c *pbp.Compiled, e metaEntry) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.m == nil || len(mc.m) >= metaCap {
		mc.m = map[string]metaEntry{} // bounded: start over
	}
	e.c = weak.Make(c)
	mc.m[id] = e
}

func boxSources(ctx context.Context, q store.Querier, gameID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT source FROM team_box WHERE game_id = $1 AND scope = 'game' ORDER BY source`, gameID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (s *Server) storedBox(ctx context.Context, q store.Querier, in BoxIn, sources []string) (BoxOut, error) {
	src := in.Source
	if src == "" {
		for _, c := range sources {
			if c != pbp.SourceDerived {
				src = c
				break
			}
		}
		if src == "" && len(sources) > 0 {
			src = sources[0]
		}
	}
	if src == "" {
		if _, err := store.GetGame(ctx, q, in.GameID); err != nil {
			return BoxOut{}, fmt.Errorf("game %s: not in the database", in.GameID)
		}
		return BoxOut{}, fmt.Errorf("game %s has no stored box score yet (load it, or ask for a moment to compute one from play-by-play)", in.GameID)
	}
	b, err := store.LoadBox(ctx, q, in.GameID, src, "game")
	if err != nil {
		return BoxOut{}, fmt.Errorf("game %s, source %s: %w (available: %s)", in.GameID, src, err, strings.Join(sources, ", "))
	}
	out := boxOut(b)
	out.Moment = "final"
	return out, nil
}

// boxAt computes the box at a moment with the play-by-play engine, into
// sc.box; out is the answer's header (no lines).
func (s *Server) boxAt(in BoxIn, c *pbp.Compiled, sc *boxScratch) (BoxOut, error) {
	game := c.Game
	prov := game.Provider
	var t model.Tenths
	last := lastPeriod(c)
	switch {
	case in.ElapsedSeconds != nil:
		e := *in.ElapsedSeconds
		if e < 0 || math.IsNaN(e) || math.IsInf(e, 0) {
			return BoxOut{}, errors.New("elapsed_seconds must be a number of seconds, not negative")
		}
		t = model.Tenths(math.Round(e * 10))
		if err := moment.CheckElapsed(in.GameID, t, last); err != nil {
			return BoxOut{}, err
		}
	case in.Moment != "":
		m, err := moment.Parse(in.Moment)
		if err != nil {
			return BoxOut{}, err
		}
		if err := m.Check(in.GameID, last); err != nil {
			return BoxOut{}, err
		}
		t = m.Elapsed()
	case in.Period > 0 && in.Clock != "":
		cl, err := model.ParseTypedClock(in.Clock)
		if err != nil {
			return BoxOut{}, err
		}
		if in.Period > pbp.MaxPeriod {
			return BoxOut{}, fmt.Errorf("period %d: at most %d", in.Period, pbp.MaxPeriod)
		}
		if cl > model.PeriodLength(in.Period) {
			return BoxOut{}, fmt.Errorf("clock %s is longer than period %d", in.Clock, in.Period)
		}
		m := moment.Moment{Period: in.Period, Clock: cl}
		if err := m.Check(in.GameID, last); err != nil {
			return BoxOut{}, err
		}
		t = m.Elapsed()
	default:
		return BoxOut{}, errors.New("a moment needs moment (\"Q3 7:02.4\"), or period and clock, or elapsed_seconds")
	}
	if err := boxAtTime(c, t, sc); err != nil {
		return BoxOut{}, err
	}
	out := BoxOut{Columns: BoxColumns}
	if c.Degraded {
		out.Note = "degraded: " + strings.Join(c.Reasons, "; ")
	}
	out.GameID = in.GameID
	out.Source = "derived:" + prov
	out.Moment = describeMoment(t)
	return out, nil
}

// lastPeriod is the last period of the game's compiled play-by-play (at
// least 4): its periods, not its events, which a game of box_score's cache
// does not keep (gamecache.SourceOptions.FoldOnly).
func lastPeriod(c *pbp.Compiled) int {
	return max(4, len(c.Periods))
}

func describeMoment(t model.Tenths) string {
	reg := 4 * model.RegulationPeriod
	if t <= reg {
		p := int(t/model.RegulationPeriod) + 1
		rem := model.RegulationPeriod - t%model.RegulationPeriod
		if p > 4 {
			p, rem = 4, 0
		}
		return fmt.Sprintf("Q%d %d:%02d (%.1fs elapsed)", p, int(rem)/600, int(rem)%600/10, float64(t)/10)
	}
	o := t - reg
	p := int(o/model.OvertimePeriod) + 1
	rem := model.OvertimePeriod - o%model.OvertimePeriod
	return fmt.Sprintf("OT%d %d:%02d (%.1fs elapsed)", p, int(rem)/600, int(rem)%600/10, float64(t)/10)
}

// ---- coverage

// CoverageIn filters the coverage cells.
type CoverageIn struct {
	Source  string `json:"source,omitempty"`
	Dataset string `json:"dataset,omitempty"`
	Season  string `json:"season,omitempty" jsonschema:"e.g. 2023-24"`
}

// CoverageCell is one source x dataset x season.
type CoverageCell struct {
	Source       string  `json:"source"`
	Dataset      string  `json:"dataset"`
	Season       string  `json:"season"`
	Expected     int64   `json:"expected"`
	Present      int64   `json:"present"`
	Missing      int64   `json:"missing"`
	Stale        int64   `json:"stale"`
	Invalid      int64   `json:"invalid"`
	Completeness float64 `json:"completeness"`
}

// CoverageOut is the latest coverage.
type CoverageOut struct {
	RunID      string         `json:"run_id,omitempty"`
	RecordedAt string         `json:"recorded_at,omitempty"`
	Cells      []CoverageCell `json:"cells"`
	Truncated  bool           `json:"truncated,omitempty"`
	Note       string         `json:"note,omitempty"`
}

func (s *Server) coverage(ctx context.Context, _ *mcp.CallToolRequest, in CoverageIn) (*mcp.CallToolResult, CoverageOut, error) {
	out := CoverageOut{Cells: []CoverageCell{}}
	tables, err := s.opts.DB.Tables(ctx)
	if err != nil {
		return nil, out, err
	}
	found := false
	for _, t := range tables {
		found = found || t.Name == "coverage_history"
	}
	if !found {
		out.Note = "no reconciliation yet (the coverage tables do not exist: run `nbasim db migrate` and `nbasim reconcile`)"
		return nil, out, nil
	}
	r, err := s.opts.DB.Query(ctx, `SELECT run_id, started_at FROM reconcile_runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1`, readonly.Limits{Rows: 1})
	if err != nil {
		return nil, out, err
	}
	if len(r.Rows) == 0 {
		out.Note = "no reconciliation yet"
		return nil, out, nil
	}
	if err := scanRow(r.Rows[0], &out.RunID, &out.RecordedAt); err != nil {
		return nil, out, err
	}
	res, err := s.opts.DB.Query(ctx, `SELECT source, dataset, season, expected, present, missing, stale, invalid, completeness
FROM coverage_history WHERE run_id = $1
  AND ($2 = '' OR source = $2) AND ($3 = '' OR dataset = $3) AND ($4 = '' OR season = $4)
ORDER BY source, dataset, season`, readonly.Limits{Rows: readonly.MaxRowCap}, out.RunID, in.Source, in.Dataset, in.Season)
	if err != nil {
		return nil, out, err
	}
	for _, row := range res.Rows {
		var c CoverageCell
		if err := scanRow(row, &c.Source, &c.Dataset, &c.Season, &c.Expected, &c.Present, &c.Missing, &c.Stale, &c.Invalid, &c.Completeness); err != nil {
			return nil, out, err
		}
		out.Cells = append(out.Cells, c)
	}
	out.Truncated = res.Truncated
	if out.Truncated {
		out.Note = "more cells exist: filter by source, dataset or season"
	}
	statsFrom(ctx).rows = len(out.Cells)
	return nil, out, nil
}

// CacheStats returns the counters of the compiled-game cache box_score uses.
func (s *Server) CacheStats() gamecache.Stats { return s.games.Cache().Stats() }

// AppendJSON appends the box's JSON to dst: byte for byte what
// json.Marshal(b) gives (TestBoxJSONIsEncodingJSON), without reflection.
func (b *BoxOut) AppendJSON(dst []byte) []byte { return b.appendJSON(dst, nil, nil) }

// appendJSON is AppendJSON with the lines, when box is not nil, written
// straight from the folded box: the bytes AppendJSON writes for the BoxOut
// that boxOut(*box) gives, header fields from b (TestBoxAtJSONIsBoxOut),
// without a line of []any. ord is scratch for the lines' order.
func (b *BoxOut) appendJSON(dst []byte, box *model.Box, ord *[]int) []byte {
	dst = append(dst, `{"game_id":`...)
	dst = jsonx.AppendString(dst, b.GameID)
	dst = append(dst, `,"game":`...)
	dst = jsonx.AppendString(dst, b.Game)
	dst = append(dst, `,"source":`...)
	dst = jsonx.AppendString(dst, b.Source)
	dst = append(dst, `,"moment":`...)
	dst = jsonx.AppendString(dst, b.Moment)
	dst = append(dst, `,"columns":`...)
	dst = jsonx.AppendStrings(dst, b.Columns)
	if box != nil {
		dst = append(dst, `,"home":`...)
		dst = appendLine(dst, box.Home.TeamID, box.Home.Code, model.Home, false, &box.Home.Stats)
		dst = append(dst, `,"away":`...)
		dst = appendLine(dst, box.Away.TeamID, box.Away.Code, model.Away, false, &box.Away.Stats)
		dst = append(dst, `,"players":[`...)
		first := true
		for _, i := range lineOrder(box.Players, ord) {
			p := &box.Players[i]
			if p.DNP {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendLine(dst, string(p.PlayerID), p.Name, p.Side, p.Starter, &p.Stats)
		}
		dst = append(dst, ']')
	} else {
		dst = append(dst, `,"home":`...)
		dst = appendValues(dst, b.Home)
		dst = append(dst, `,"away":`...)
		dst = appendValues(dst, b.Away)
		dst = append(dst, `,"players":`...)
		if b.Players == nil {
			dst = append(dst, "null"...)
		} else {
			dst = append(dst, '[')
			for i, l := range b.Players {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendValues(dst, l)
			}
			dst = append(dst, ']')
		}
	}
	dst = append(dst, `,"available_sources":`...)
	dst = jsonx.AppendStrings(dst, b.Available)
	if b.Note != "" {
		dst = append(dst, `,"note":`...)
		dst = jsonx.AppendString(dst, b.Note)
	}
	return append(dst, '}')
}

// lineOrder is the order boxOut gives players' lines (home first, then by
// seconds played, most first; ties keep the box's order), as indexes into
// players, in *ord's storage.
func lineOrder(players []model.PlayerLine, ord *[]int) []int {
	o := (*ord)[:0]
	for i := range players {
		o = append(o, i)
	}
	// insertion sort: stable, no allocation, a box has ~30 lines
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && lineBefore(&players[o[j]], &players[o[j-1]]); j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
	*ord = o
	return o
}

// lineBefore is boxOut's order: a before b.
func lineBefore(a, b *model.PlayerLine) bool {
	if a.Side != b.Side {
		return a.Side == model.Home
	}
	return a.Seconds > b.Seconds
}

// appendLine appends the JSON of line(id, name, side, starter, *st)
// without boxing its values.
func appendLine(dst []byte, id, name string, side model.Side, starter bool, st *model.Stats) []byte {
	dst = append(dst, '[')
	dst = jsonx.AppendString(dst, id)
	dst = append(dst, ',')
	dst = jsonx.AppendString(dst, name)
	dst = append(dst, ',')
	dst = jsonx.AppendString(dst, side.String())
	dst = append(dst, ',')
	dst = strconv.AppendBool(dst, starter)
	dst = append(dst, ',')
	dst = jsonx.AppendFloat(dst, float64(int(st.Seconds)/6)/100)
	for _, v := range [...]int{st.PTS, st.REB, st.AST, st.STL, st.BLK, st.TOV, st.PF,
		st.FGM, st.FGA, st.FG3M, st.FG3A, st.FTM, st.FTA, st.OREB, st.DREB, st.PlusMinus} {
		dst = append(dst, ',')
		dst = jsonx.AppendInt(dst, v)
	}
	return append(dst, ']')
}

// appendValues appends a box line (strings, a bool, a float, ints); any
// other type goes through encoding/json.
func appendValues(dst []byte, vs []any) []byte {
	if vs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, v := range vs {
		if i > 0 {
			dst = append(dst, ',')
		}
		switch x := v.(type) {
		case string:
			dst = jsonx.AppendString(dst, x)
		case int:
			dst = jsonx.AppendInt(dst, x)
		case float64:
			dst = jsonx.AppendFloat(dst, x)
		case bool:
			dst = strconv.AppendBool(dst, x)
		default:
			b, err := json.Marshal(x)
			if err != nil {
				b = []byte("null")
			}
			dst = append(dst, b...)
		}
	}
	return append(dst, ']')
}

// boxScoreJSON is box_score as registered (addJSONTool): boxScore's answer
// written as JSON, with a box at a moment folded into reused scratch.
func (s *Server) boxScoreJSON(ctx context.Context, _ *mcp.CallToolRequest, in BoxIn) ([]byte, error) {
	sc, _ := s.scratch.Get().(*boxScratch)
	if sc == nil {
		sc = new(boxScratch)
	}
	defer s.scratch.Put(sc)
	out, box, err := s.boxScore(ctx, in, sc)
	if err != nil {
		return nil, err
	}
	return out.appendJSON(make([]byte, 0, 4096), box, &sc.ord), nil
}
