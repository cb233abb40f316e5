package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/model"
)

// Typed helpers for the core tables, written once against Querier: they
// work on a Store and inside InTx alike, on both engines.
//
// Conventions: an empty string is written as NULL in nullable columns (and
// read back as ""); timestamps are RFC 3339 UTC text (Now); booleans 0/1.

// nullStr returns nil for "" (NULL) and s otherwise.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullInt returns nil for 0 and v otherwise.
func nullInt(v int) any {
	if v == 0 {
		return nil
	}
	return int64(v)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// keepNonEmpty is the Update expression that keeps the stored value of a
// NOT NULL text column when the incoming one is empty.
func keepNonEmpty(table, col string) string {
	return "COALESCE(NULLIF(excluded." + col + ", ''), " + table + "." + col + ")"
}

// SeasonRow is one row of the seasons table.
type SeasonRow struct {
	Season       string // "2018-19"
	StartYear    int
	RegularGames int // scheduled regular-season games; 0 unknown
	PlayoffGames int // 0 unknown
}

// UpsertSeasons writes seasons; a 0 game count never erases a known one.
// Like every typed upsert, it leaves rows that would not change untouched
// (updated_at included): reloading the same data is a no-op.
func UpsertSeasons(ctx context.Context, q Querier, rows []SeasonRow) (int64, error) {
	now := Now()
	b := Batch{Table: "seasons", Columns: []string{"season", "start_year", "regular_games", "playoff_games", "updated_at"},
		Key: []string{"season"}, Stamp: "updated_at", Keep: []string{"regular_games", "playoff_games"}}
	for i, r := range rows {
		if r.Season == "" {
			return 0, fmt.Errorf("store: seasons row %d: empty season", i)
		}
		b.Rows = append(b.Rows, []any{r.Season, int64(r.StartYear), nullInt(r.RegularGames), nullInt(r.PlayoffGames), now})
	}
	return q.Upsert(ctx, b)
}

// UpsertTeams merges teams on team_id: a field a provider leaves empty
// keeps the stored value; rows for the same team in one call are merged
// field by field (later non-empty values win).
func UpsertTeams(ctx context.Context, q Querier, rows []model.TeamRow) (int64, error) {
	merged := map[string]*model.TeamRow{}
	var order []string
	for i, r := range rows {
		if r.TeamID == "" {
			return 0, fmt.Errorf("store: teams row %d (%q %q): empty team id", i, r.Code, r.Name)
		}
		m, ok := merged[r.TeamID]
		if !ok {
			c := r
			merged[r.TeamID] = &c
			order = append(order, r.TeamID)
			continue
		}
		mergeStr(&m.Code, r.Code)
		mergeStr(&m.City, r.City)
		mergeStr(&m.Name, r.Name)
		mergeStr(&m.ESPNID, r.ESPNID)
		mergeStr(&m.ESPNCode, r.ESPNCode)
		mergeStr(&m.BBRefCode, r.BBRefCode)
	}
	now := Now()
	b := Batch{Table: "teams", Columns: []string{"team_id", "code", "city", "name", "espn_id", "espn_code", "bbref_code", "updated_at"},
		Key: []string{"team_id"}, Stamp: "updated_at",
		Keep:   []string{"city", "name", "espn_id", "espn_code", "bbref_code"},
		Update: map[string]string{"code": keepNonEmpty("teams", "code")}}
	for _, id := range order {
		r := merged[id]
		b.Rows = append(b.Rows, []any{r.TeamID, r.Code, nullStr(r.City), nullStr(r.Name), nullStr(r.ESPNID), nullStr(r.ESPNCode), nullStr(r.BBRefCode), now})
	}
	return q.Upsert(ctx, b)
}

func mergeStr(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// PlayerKey returns the players.player_id of r: the NBA person id, else
// "espn:<id>", else "bbref:<slug>" ("" when r has no id at all).
func PlayerKey(r model.PlayerRow) string {
	switch {
	case r.PlayerID != "":
		return r.PlayerID
	case r.ESPNID != "":
		return "espn:" + r.ESPNID
	case r.BBRefID != "":
		return "bbref:" + r.BBRefID
	}
	return ""
}

// UpsertPlayers merges players on PlayerKey, like UpsertTeams.
func UpsertPlayers(ctx context.Context, q Querier, rows []model.PlayerRow) (int64, error) {
	merged := map[string]*model.PlayerRow{}
	var order []string
	for i, r := range rows {
		k := PlayerKey(r)
		if k == "" {
			return 0, fmt.Errorf("store: players row %d (%q): no NBA, ESPN or Basketball-Reference id", i, r.Name)
		}
		m, ok := merged[k]
		if !ok {
			c := r
			merged[k] = &c
			order = append(order, k)
			continue
		}
		mergeStr(&m.Name, r.Name)
		mergeStr(&m.ESPNID, r.ESPNID)
		mergeStr(&m.BBRefID, r.BBRefID)
	}
	now := Now()
	b := Batch{Table: "players", Columns: []string{"player_id", "name", "espn_id", "bbref_id", "updated_at"},
		Key: []string{"player_id"}, Stamp: "updated_at",
		Keep:   []string{"espn_id", "bbref_id"},
		Update: map[string]string{"name": keepNonEmpty("players", "name")}}
	for _, k := range order {
		r := merged[k]
		b.Rows = append(b.Rows, []any{k, r.Name, nullStr(r.ESPNID), nullStr(r.BBRefID), now})
	}
	return q.Upsert(ctx, b)
}

// GameStatus values.
const (
	GameScheduled = "scheduled"
	GameFinal     = "final"
)

// UpsertGames merges games on game_id. Each provider knows part of a game
// (NBA has the GAME_ID and scores, ESPN its event id, Basketball-Reference
// its slug), so the merge never lets an empty value overwrite a known one:
// empty strings and unknown scores (not final and 0 or less) are NULL and
// COALESCE keeps the stored value; season and season_type keep theirs when
// the incoming one is empty; status never goes back from final to
// scheduled. Rows for the same game in one call are merged field by field
// first (later non-empty values win).
func UpsertGames(ctx context.Context, q Querier, rows []model.GameRow) (int64, error) {
	type g struct {
		model.GameRow
		hasScore bool
	}
	merged := map[string]*g{}
	var order []string
	for i, r := range rows {
		if r.GameID == "" {
			return 0, fmt.Errorf("store: games row %d (date %s %s@%s, espn %q, bbref %q): no NBA game id", i, r.Date, r.AwayCode, r.HomeCode, r.ESPNID, r.BBRefID)
		}
		score := r.Final || r.HomePts > 0 || r.AwayPts > 0
		m, ok := merged[r.GameID]
		if !ok {
			merged[r.GameID] = &g{GameRow: r, hasScore: score}
			order = append(order, r.GameID)
			continue
		}
		mergeStr(&m.ESPNID, r.ESPNID)
		mergeStr(&m.BBRefID, r.BBRefID)
		mergeStr(&m.Season, r.Season)
		mergeStr(&m.SeasonType, r.SeasonType)
		mergeStr(&m.Date, r.Date)
		mergeStr(&m.HomeCode, r.HomeCode)
		mergeStr(&m.AwayCode, r.AwayCode)
		mergeStr(&m.HomeTeamID, r.HomeTeamID)
		mergeStr(&m.AwayTeamID, r.AwayTeamID)
		if score {
			m.HomePts, m.AwayPts, m.hasScore = r.HomePts, r.AwayPts, true
		}
		m.Final = m.Final || r.Final
	}
	now := Now()
	b := Batch{Table: "games",
		Columns: []string{"game_id", "season", "season_type", "game_date", "home_team_id", "away_team_id", "home_code", "away_code",
			"home_pts", "away_pts", "status", "espn_id", "bbref_id", "updated_at"},
		Key: []string{"game_id"}, Stamp: "updated_at",
		Keep: []string{"game_date", "home_team_id", "away_team_id", "home_code", "away_code", "home_pts", "away_pts", "espn_id", "bbref_id"},
		Update: map[string]string{
			"season":      keepNonEmpty("games", "season"),
			"season_type": keepNonEmpty("games", "season_type"),
			"status":      "CASE WHEN games.status = 'final' THEN games.status ELSE excluded.status END",
		}}
	for _, id := range order {
		r := merged[id]
		var hp, ap any
		if r.hasScore {
			hp, ap = int64(r.HomePts), int64(r.AwayPts)
		}
		status := GameScheduled
		if r.Final {
			status = GameFinal
		}
		b.Rows = append(b.Rows, []any{r.GameID, r.Season, r.SeasonType, nullStr(r.Date), nullStr(r.HomeTeamID), nullStr(r.AwayTeamID),
			nullStr(r.HomeCode), nullStr(r.AwayCode), hp, ap, status, nullStr(r.ESPNID), nullStr(r.BBRefID), now})
	}
	return q.Upsert(ctx, b)
}

// InChunks calls fn for each run of at most 500 of ids with the SQL list
// of their placeholders ("$2, $3, ..." numbered from first) and args
// followed by the run's ids: how a statement names many keys at once in
// both engines (IN (...)).
func InChunks(ids []string, first int, args []any, fn func(list string, args []any) error) error {
	for lo := 0; lo < len(ids); lo += 500 {
		part := ids[lo:min(lo+500, len(ids))]
		a := append(make([]any, 0, len(args)+len(part)), args...)
		ph := make([]string, len(part))
		for i, id := range part {
			a = append(a, id)
			ph[i] = "$" + strconv.Itoa(first+i)
		}
		if err := fn(strings.Join(ph, ", "), a); err != nil {
			return err
		}
	}
	return nil
}

// TouchGames moves the updated_at of the games ids forward, strictly: the
// game's version changes although its row did not. The loader calls it
// when it rewrites a game's plays or boxes from new or changed input, so
// that readers which cache what they derive from them (internal/gamecache)
// see a new version; an identical reload does not call it and changes
// nothing. It returns the number of games touched (ids without a row are
// skipped).
func TouchGames(ctx context.Context, q Querier, ids []string) (int64, error) {
	now := Now()
	var touched int64
	err := InChunks(ids, 2, []any{now}, func(in string, args []any) error {
		// rows already stamped at or after now (this very millisecond, or
		// by a writer whose clock is ahead) move one millisecond past
		// their own stamp; the others to now
		rows, err := q.Query(ctx, `SELECT game_id, updated_at FROM games WHERE updated_at >= $1 AND game_id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		type stamp struct{ id, at string }
		var late []stamp
		for rows.Next() {
			var st stamp
			if err := rows.Scan(&st.id, &st.at); err != nil {
				rows.Close()
				return err
			}
			late = append(late, st)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		n, err := q.Exec(ctx, `UPDATE games SET updated_at = $1 WHERE updated_at < $1 AND game_id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		touched += n
		for _, st := range late {
			t, err := time.Parse("2006-01-02T15:04:05.000Z", st.at)
			if err != nil {
				t, err = time.Parse(time.RFC3339Nano, st.at)
			}
			if err != nil {
				return fmt.Errorf("game %s: updated_at %q: %w", st.id, st.at, err)
			}
			if _, err := q.Exec(ctx, `UPDATE games SET updated_at = $1 WHERE game_id = $2`, FormatTime(t.Add(time.Millisecond)), st.id); err != nil {
				return fmt.Errorf("game %s: %w", st.id, err)
			}
			touched++
		}
		return nil
	})
	if err != nil {
		return touched, fmt.Errorf("store: touch games: %w", err)
	}
	return touched, nil
}

// Game is one row of the games table as read back.
type Game struct {
	GameID, Season, SeasonType, Date string
	HomeTeamID, AwayTeamID           string
	HomeCode, AwayCode               string
	HomePts, AwayPts                 int  // valid when HasScore
	HasScore                         bool // scores known
	Status                           string
	ESPNID, BBRefID                  string
	UpdatedAt                        string
}

const gameCols = `game_id, season, season_type, game_date, home_team_id, away_team_id, home_code, away_code,
home_pts, away_pts, status, espn_id, bbref_id, updated_at`

func scanGame(r interface{ Scan(...any) error }) (Game, error) {
	var g Game
	var date, hid, aid, hc, ac, espn, bbref *string
	var hp, ap *int64
	if err := r.Scan(&g.GameID, &g.Season, &g.SeasonType, &date, &hid, &aid, &hc, &ac, &hp, &ap, &g.Status, &espn, &bbref, &g.UpdatedAt); err != nil {
		return g, err
	}
	g.Date, g.HomeTeamID, g.AwayTeamID, g.HomeCode, g.AwayCode = deref(date), deref(hid), deref(aid), deref(hc), deref(ac)
	g.ESPNID, g.BBRefID = deref(espn), deref(bbref)
	if hp != nil && ap != nil {
		g.HomePts, g.AwayPts, g.HasScore = int(*hp), int(*ap), true
	}
	return g, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// GetGame reads one game (ErrNoRows when absent).
func GetGame(ctx context.Context, q Querier, gameID string) (Game, error) {
	g, err := scanGame(q.QueryRow(ctx, `SELECT `+gameCols+` FROM games WHERE game_id = $1`, gameID))
	if err != nil {
		return g, fmt.Errorf("store: game %s: %w", gameID, err)
	}
	return g, nil
}

// ListGames reads the games of a season ("" for all), by date then id.
func ListGames(ctx context.Context, q Querier, season string) ([]Game, error) {
	query := `SELECT ` + gameCols + ` FROM games`
	var args []any
	if season != "" {
		query += ` WHERE season = $1`
		args = append(args, season)
	}
	rows, err := q.Query(ctx, query+` ORDER BY game_date, game_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list games: %w", err)
	}
	defer rows.Close()
	var out []Game
	for rows.Next() {
		g, err := scanGame(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list games: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// PlayColumns are the plays table's columns in the order PlayRow renders.
var PlayColumns = []string{"game_id", "provider", "ord", "event_num", "period", "clock", "elapsed", "type", "subtype",
	"side", "team_event", "made", "points", "three", "ft_num", "ft_of", "ft_kind", "rebound_kind", "foul_kind",
	"player_id", "assist_id", "block_id", "steal_id", "fouled_id", "sub_in_id", "sub_out_id", "jump2_id", "jump_to_id",
	"score_home", "score_away", "description", "text_facts"}

// playsChunk is how many plays rows ReplacePlaysBatch sends at a time.
const playsChunk = 25_000

// PlayRow renders e as a plays row in PlayColumns order.
func PlayRow(gameID, provider string, e *model.Event) []any {
	return fillPlayRow(make([]any, len(PlayColumns)), nil, gameID, provider, e)
}

func fillPlayRow(r []any, bx *boxer, gameID, provider string, e *model.Event) []any {
	return append(r[:0], bx.str(gameID), bx.str(provider), bx.int(e.Order), bx.int(e.EventNum), bx.int(e.Period),
		bx.int(int(e.Clock)), bx.int(int(e.Elapsed)), bx.int(int(e.Type)), bx.null(e.Subtype), bx.int(int(e.Side)),
		b2i(e.Team), b2i(e.Made), bx.int(int(e.Points)), b2i(e.Three),
		bx.int(e.FTNum), bx.int(e.FTOf), bx.int(int(e.FTKind)), bx.int(int(e.Rebound)), bx.int(int(e.Foul)),
		bx.null(string(e.Player)), bx.null(string(e.Assist)), bx.null(string(e.Block)), bx.null(string(e.Steal)),
		bx.null(string(e.Fouled)), bx.null(string(e.SubIn)), bx.null(string(e.SubOut)), bx.null(string(e.Jump2)),
		bx.null(string(e.JumpTo)), bx.int(e.ScoreHome), bx.int(e.ScoreAway), nullStr(e.Description),
		bx.int(int(e.Facts.Pack())))
}

// boxer reuses the interface values of the ids and small integers that
// repeat across a batch of plays (player ids, game ids, clocks): a season
// is 17 million values, and boxing each anew dominated the client's
// allocations. A nil boxer boxes every value.
type boxer struct {
	ints []any
	strs map[string]any
}

func newBoxer() *boxer { return &boxer{ints: make([]any, 1<<15), strs: map[string]any{}} }

func (bx *boxer) int(v int) any {
	if bx == nil || v < 0 || v >= len(bx.ints) {
		return int64(v)
	}
	if x := bx.ints[v]; x != nil {
		return x
	}
	x := any(int64(v))
	bx.ints[v] = x
	return x
}

func (bx *boxer) str(s string) any {
	if bx == nil {
		return s
	}
	if x, ok := bx.strs[s]; ok {
		return x
	}
	x := any(s)
	if len(bx.strs) < 1<<16 {
		bx.strs[s] = x
	}
	return x
}

func (bx *boxer) null(s string) any {
	if s == "" {
		return nil
	}
	return bx.str(s)
}

// GamePlays is one game's events from one provider.
type GamePlays struct {
	GameID   string
	Provider string
	Events   []model.Event
}

// ReplacePlays replaces the plays of gameID from provider with events, in
// one transaction (the rows are keyed by Event.Order, which must be unique;
// the stored game_id is gameID whatever Event.GameID says).
func ReplacePlays(ctx context.Context, q Querier, gameID, provider string, events []model.Event) (int64, error) {
	return ReplacePlaysBatch(ctx, q, []GamePlays{{GameID: gameID, Provider: provider, Events: events}})
}

// ReplacePlaysBatch replaces the plays of many games at once, in one
// transaction: it deletes each (game, provider)'s rows, then appends every
// event with the engine's bulk path (COPY on PostgreSQL). This is how a
// season is loaded: about 550,000 events in one call.
func ReplacePlaysBatch(ctx context.Context, q Querier, games []GamePlays) (int64, error) {
	n := 0
	seen := map[[2]string]bool{}
	for _, g := range games {
		if g.GameID == "" || g.Provider == "" {
			return 0, fmt.Errorf("store: plays: empty game id or provider (%q, %q)", g.GameID, g.Provider)
		}
		k := [2]string{g.GameID, g.Provider}
		if seen[k] {
			return 0, fmt.Errorf("store: plays: game %s from %s given twice in one batch", g.GameID, g.Provider)
		}
		seen[k] = true
		n += len(g.Events)
	}
	for _, g := range games {
		ords := make(map[int]bool, len(g.Events))
		for i := range g.Events {
			if o := g.Events[i].Order; ords[o] {
				return 0, fmt.Errorf("store: plays of game %s from %s: event %d has the order %d of an earlier event", g.GameID, g.Provider, i, o)
			} else {
				ords[o] = true
			}
		}
	}
	var written int64
	err := RunInTx(ctx, q, func(tx Tx) error {
		groups := newGameGroups()
		for _, g := range games {
			groups.add(g.GameID, g.Provider)
		}
		if err := groups.delete(ctx, tx, "plays", "provider"); err != nil {
			return fmt.Errorf("delete old plays: %w", err)
		}
		if err := groups.delete(ctx, tx, "play_packs", "provider"); err != nil {
			return fmt.Errorf("delete old play packs: %w", err)
		}
		// each (game, provider)'s pack, written with its rows (playpack.go)
		packs := Batch{Table: "play_packs", Columns: playPackColumns}
		for _, g := range games {
			if len(g.Events) > 0 {
				packs.Rows = append(packs.Rows, playPackRow(g.GameID, g.Provider, g.Events))
			}
			if len(packs.Rows) == 500 {
				if _, err := tx.Insert(ctx, packs); err != nil {
					return fmt.Errorf("play packs: %w", err)
				}
				packs.Rows = packs.Rows[:0]
			}
		}
		if len(packs.Rows) > 0 {
			if _, err := tx.Insert(ctx, packs); err != nil {
				return fmt.Errorf("play packs: %w", err)
			}
		}
		// Rows are rendered and sent in chunks through one reused buffer:
		// a season (550,000 events) never sits in memory as 17 million
		// boxed values.
		chunk := min(n, playsChunk)
		flat := make([]any, chunk*len(PlayColumns))
		b := Batch{Table: "plays", Columns: PlayColumns, Rows: make([][]any, 0, chunk)}
		var bx *boxer
		if n > 1000 {
			bx = newBoxer()
		}
		flush := func() error {
			if len(b.Rows) == 0 {
				return nil
			}
			w, err := tx.Insert(ctx, b)
			written += w
			b.Rows = b.Rows[:0]
			return err
		}
		for _, g := range games {
			for i := range g.Events {
				row := flat[len(b.Rows)*len(PlayColumns) : (len(b.Rows)+1)*len(PlayColumns)]
				b.Rows = append(b.Rows, fillPlayRow(row, bx, g.GameID, g.Provider, &g.Events[i]))
				if len(b.Rows) == chunk {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return flush()
	})
	if err != nil {
		return 0, fmt.Errorf("store: replace plays of %d game(s): %w", len(games), err)
	}
	return written, nil
}

// LoadPlays reads the plays of gameID from provider in order, as events
// (Event.GameID is gameID): from the game's play pack when it has one of
// this build's format (one read and a decode), else from the plays rows.
// An empty result is not an error.
func LoadPlays(ctx context.Context, q Querier, gameID, provider string) ([]model.Event, error) {
	if evs, ok, err := loadPlayPack(ctx, q, gameID, provider); ok || err != nil {
		return evs, err
	}
	return loadPlayRows(ctx, q, gameID, provider)
}

// loadPlayRows is LoadPlays from the plays rows.
func loadPlayRows(ctx context.Context, q Querier, gameID, provider string) ([]model.Event, error) {
	rows, err := q.Query(ctx, `SELECT `+strings.Join(PlayColumns[2:], ", ")+` FROM plays WHERE game_id = $1 AND provider = $2 ORDER BY ord`, gameID, provider)
	if err != nil {
		return nil, fmt.Errorf("store: plays of game %s from %s: %w", gameID, provider, err)
	}
	defer rows.Close()
	var out []model.Event
	for rows.Next() {
		var e model.Event
		if err := scanPlay(rows, &e); err != nil {
			return nil, fmt.Errorf("store: plays of game %s from %s: %w", gameID, provider, err)
		}
		e.GameID = gameID
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: plays of game %s from %s: %w", gameID, provider, err)
	}
	return out, nil
}

// scanPlay scans the columns PlayColumns[2:] of one plays row into e.
func scanPlay(r interface{ Scan(...any) error }, e *model.Event, lead ...any) error {
	var clock, elapsed, typ, side, team, made, points, three, ftKind, reb, foul, facts int64
	var subtype, player, assist, block, steal, fouled, subIn, subOut, jump2, jumpTo, desc *string
	dst := append(lead, &e.Order, &e.EventNum, &e.Period, &clock, &elapsed, &typ, &subtype, &side, &team, &made, &points, &three,
		&e.FTNum, &e.FTOf, &ftKind, &reb, &foul, &player, &assist, &block, &steal, &fouled, &subIn, &subOut, &jump2, &jumpTo,
		&e.ScoreHome, &e.ScoreAway, &desc, &facts)
	if err := r.Scan(dst...); err != nil {
		return err
	}
	e.Clock, e.Elapsed, e.Type, e.Subtype = model.Tenths(clock), model.Tenths(elapsed), model.EventType(typ), deref(subtype)
	e.Side, e.Team, e.Made, e.Points, e.Three = model.Side(side), team != 0, made != 0, int8(points), three != 0
	e.FTKind, e.Rebound, e.Foul = model.FreeThrowKind(ftKind), model.ReboundKind(reb), model.FoulKind(foul)
	e.Player, e.Assist, e.Block, e.Steal = model.PlayerID(deref(player)), model.PlayerID(deref(assist)), model.PlayerID(deref(block)), model.PlayerID(deref(steal))
	e.Fouled, e.SubIn, e.SubOut = model.PlayerID(deref(fouled)), model.PlayerID(deref(subIn)), model.PlayerID(deref(subOut))
	e.Jump2, e.JumpTo, e.Description = model.PlayerID(deref(jump2)), model.PlayerID(deref(jumpTo)), deref(desc)
	e.Facts = model.UnpackTextFacts(facts)
	return nil
}

// LoadPreferredPlays reads the plays of gameID from the provider choose
// picks among those PlayProviders lists (choose is called only when there
// is at least one), in order: what PlayProviders then LoadPlays read, in
// one read of the game's play packs when it has them (a game read for a
// cache miss: one query, not two), else from the plays rows. It returns
// the provider and its events; provider is "" when the game has no plays.
func LoadPreferredPlays(ctx context.Context, q Querier, gameID string, choose func(have []string) string) (string, []model.Event, error) {
	type pack struct {
		format int64
		data   []byte
	}
	var have []string
	var packs []pack
	rows, err := q.Query(ctx, `SELECT provider, format, pack FROM play_packs WHERE game_id = $1 ORDER BY provider`, gameID)
	if err == nil {
		for rows.Next() {
			var p string
			var k pack
			if err = rows.Scan(&p, &k.format, &k.data); err != nil {
				break
			}
			have, packs = append(have, p), append(packs, k)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if ctx.Err() != nil {
		return "", nil, ctx.Err()
	}
	if err != nil || len(have) == 0 {
		// no play_packs table (a database not migrated, read through a
		// read-only handle) or no pack: the rows
		if have, err = playRowProviders(ctx, q, gameID); err != nil {
			return "", nil, fmt.Errorf("store: play providers of game %s: %w", gameID, err)
		}
		if len(have) == 0 {
			return "", nil, nil
		}
		p := choose(have)
		evs, err := loadPlayRows(ctx, q, gameID, p)
		return p, evs, err
	}
	p := choose(have)
	for i, h := range have {
		if h == p {
			if evs, ok, err := decodeStoredPack(gameID, p, packs[i].format, packs[i].data); ok || err != nil {
				return p, evs, err
			}
		}
	}
	evs, err := loadPlayRows(ctx, q, gameID, p)
	return p, evs, err
}

// PlayProviders lists the providers that have plays for gameID: from the
// game's play packs (a pack is written with every provider's plays, of any
// format), else from the plays rows.
func PlayProviders(ctx context.Context, q Querier, gameID string) ([]string, error) {
	if have, err := queryStrings(ctx, q, `SELECT provider FROM play_packs WHERE game_id = $1 ORDER BY provider`, gameID); err == nil && len(have) > 0 {
		return have, nil
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return playRowProviders(ctx, q, gameID)
}

// BoxScope returns the scope column of a box: "game" for a full-game box,
// "range:<from>-<to>" (tenths of elapsed game time) for a window.
func BoxScope(b model.Box) string {
	if b.From == 0 && b.To == 0 {
		return "game"
	}
	return fmt.Sprintf("range:%d-%d", b.From, b.To)
}

// ParseBoxScope is the inverse of BoxScope.
func ParseBoxScope(scope string) (from, to model.Tenths, err error) {
	if scope == "game" {
		return 0, 0, nil
	}
	rest, ok := strings.CutPrefix(scope, "range:")
	a, z, ok2 := strings.Cut(rest, "-")
	f, err1 := strconv.Atoi(a)
	t, err2 := strconv.Atoi(z)
	if !ok || !ok2 || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("store: bad box scope %q (want game or range:<from>-<to>)", scope)
	}
	return model.Tenths(f), model.Tenths(t), nil
}

var statCols = []string{"seconds", "pts", "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov", "pf", "plus_minus"}

func statVals(s model.Stats) []any {
	return []any{int64(s.Seconds), int64(s.PTS), int64(s.FGM), int64(s.FGA), int64(s.FG3M), int64(s.FG3A), int64(s.FTM), int64(s.FTA),
		int64(s.OREB), int64(s.DREB), int64(s.REB), int64(s.AST), int64(s.STL), int64(s.BLK), int64(s.TOV), int64(s.PF), int64(s.PlusMinus)}
}

func statDest(s *model.Stats) []any {
	return []any{(*int32)(&s.Seconds), &s.PTS, &s.FGM, &s.FGA, &s.FG3M, &s.FG3A, &s.FTM, &s.FTA, &s.OREB, &s.DREB, &s.REB, &s.AST, &s.STL, &s.BLK, &s.TOV, &s.PF, &s.PlusMinus}
}

// teamKey is the team_box.team_id of a line: the NBA team id, else the
// code, else the side ("home"/"away").
func teamKey(t model.TeamLine, side model.Side) string {
	switch {
	case t.TeamID != "":
		return t.TeamID
	case t.Code != "":
		return t.Code
	}
	return side.String()
}

// UpsertBox writes box as the (game, source, scope) box: it replaces that
// box's player and team lines (so a player dropped from a corrected box
// does not linger), in one transaction, and refreshes the game's rows of
// game_box_sources, team_game_lines and player_game_lines
// (RefreshBoxSources). A box without lines deletes the stored one.
func UpsertBox(ctx context.Context, q Querier, box model.Box) (int64, error) {
	return UpsertBoxes(ctx, q, []model.Box{box})
}

// UpsertBoxes writes many boxes in one transaction (see UpsertBox).
func UpsertBoxes(ctx context.Context, q Querier, boxes []model.Box) (int64, error) {
	pb := Batch{Table: "player_box", Columns: append([]string{"game_id", "source", "scope", "player_id", "team_id", "side", "name", "starter", "dnp"}, statCols...),
		Key: []string{"game_id", "source", "scope", "player_id"}}
	tb := Batch{Table: "team_box", Columns: append([]string{"game_id", "source", "scope", "team_id", "code", "side"}, statCols...),
		Key: []string{"game_id", "source", "scope", "team_id"}}
	type bk struct{ game, source, scope string }
	var keys []bk
	for _, box := range boxes {
		if box.GameID == "" || box.Source == "" {
			return 0, fmt.Errorf("store: box with empty game id or source (%q, %q)", box.GameID, box.Source)
		}
		scope := BoxScope(box)
		keys = append(keys, bk{box.GameID, box.Source, scope})
		for i, p := range box.Players {
			if p.PlayerID == "" {
				return 0, fmt.Errorf("store: box of game %s from %s: player line %d (%q) has no player id", box.GameID, box.Source, i, p.Name)
			}
			pb.Rows = append(pb.Rows, append([]any{box.GameID, box.Source, scope, string(p.PlayerID), nullStr(p.TeamID), int64(p.Side),
				nullStr(p.Name), b2i(p.Starter), b2i(p.DNP)}, statVals(p.Stats)...))
		}
		for _, t := range []struct {
			l    model.TeamLine
			side model.Side
		}{{box.Home, model.Home}, {box.Away, model.Away}} {
			if t.l.TeamID == "" && t.l.Code == "" && t.l.Stats == (model.Stats{}) {
				continue // no team line
			}
			side := t.l.Side
			if side == model.NoSide {
				side = t.side
			}
			tb.Rows = append(tb.Rows, append([]any{box.GameID, box.Source, scope, teamKey(t.l, side), nullStr(t.l.Code), int64(side)}, statVals(t.l.Stats)...))
		}
	}
	var n int64
	err := RunInTx(ctx, q, func(tx Tx) error {
		groups := newGameGroups()
		for _, k := range keys {
			groups.add(k.game, k.source, k.scope)
		}
		for _, table := range []string{"player_box", "team_box"} {
			if err := groups.delete(ctx, tx, table, "source", "scope"); err != nil {
				return fmt.Errorf("delete old %s: %w", table, err)
			}
		}
		for _, b := range []Batch{pb, tb} {
			if len(b.Rows) == 0 {
				continue
			}
			w, err := tx.Upsert(ctx, b)
			if err != nil {
				return err
			}
			n += w
		}
		// the canonical views read each game's chosen sources and lines
		// from game_box_sources, team_game_lines and player_game_lines
		var games []string
		for _, k := range keys {
			if k.scope == "game" {
				games = append(games, k.game)
			}
		}
		return RefreshBoxSources(ctx, tx, games...)
	})
	if err != nil {
		return 0, fmt.Errorf("store: write %d box(es): %w", len(boxes), err)
	}
	return n, nil
}

// LoadBox reads the (game, source, scope) box back; ErrNoRows when it has
// no lines. Team lines are matched to Home/Away by their side column.
func LoadBox(ctx context.Context, q Querier, gameID, source, scope string) (model.Box, error) {
	box := model.Box{GameID: gameID, Source: source}
	var err error
	if box.From, box.To, err = ParseBoxScope(scope); err != nil {
		return box, err
	}
	found := false
	rows, err := q.Query(ctx, `SELECT player_id, team_id, side, name, starter, dnp, `+strings.Join(statCols, ", ")+
		` FROM player_box WHERE game_id = $1 AND source = $2 AND scope = $3 ORDER BY side, starter DESC, player_id`, gameID, source, scope)
	if err != nil {
		return box, fmt.Errorf("store: box of game %s from %s: %w", gameID, source, err)
	}
	for rows.Next() {
		var p model.PlayerLine
		var id string
		var team, name *string
		var side, starter, dnp int64
		if err := rows.Scan(append([]any{&id, &team, &side, &name, &starter, &dnp}, statDest(&p.Stats)...)...); err != nil {
			rows.Close()
			return box, fmt.Errorf("store: box of game %s from %s: %w", gameID, source, err)
		}
		p.PlayerID, p.TeamID, p.Side, p.Name, p.Starter, p.DNP = model.PlayerID(id), deref(team), model.Side(side), deref(name), starter != 0, dnp != 0
		box.Players = append(box.Players, p)
		found = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return box, err
	}
	rows, err = q.Query(ctx, `SELECT team_id, code, side, `+strings.Join(statCols, ", ")+
		` FROM team_box WHERE game_id = $1 AND source = $2 AND scope = $3 ORDER BY side`, gameID, source, scope)
	if err != nil {
		return box, fmt.Errorf("store: box of game %s from %s: %w", gameID, source, err)
	}
	defer rows.Close()
	for rows.Next() {
		var t model.TeamLine
		var code *string
		var side int64
		if err := rows.Scan(append([]any{&t.TeamID, &code, &side}, statDest(&t.Stats)...)...); err != nil {
			return box, fmt.Errorf("store: box of game %s from %s: %w", gameID, source, err)
		}
		t.Code, t.Side = deref(code), model.Side(side)
		if t.TeamID == t.Code || t.TeamID == t.Side.String() {
			// teamKey filled the key from the code or side: no NBA id.
			t.TeamID = ""
		}
		switch t.Side {
		case model.Home:
			box.Home = t
		case model.Away:
			box.Away = t
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return box, err
	}
	if !found {
		return box, fmt.Errorf("store: box of game %s from %s scope %s: %w", gameID, source, scope, ErrNoRows)
	}
	return box, nil
}

// gameGroups collects game ids by the values of other key columns (the
// provider of plays, the source and scope of boxes) to delete them with a
// few IN lists instead of one statement per game.
type gameGroups struct {
	order []string
	vals  map[string][]string
	ids   map[string][]any
	seen  map[string]bool
}

func newGameGroups() *gameGroups {
	return &gameGroups{vals: map[string][]string{}, ids: map[string][]any{}, seen: map[string]bool{}}
}

func (g *gameGroups) add(gameID string, vals ...string) {
	k := strings.Join(vals, "\x00")
	if _, ok := g.vals[k]; !ok {
		g.order = append(g.order, k)
		g.vals[k] = vals
	}
	if id := k + "\x00" + gameID; !g.seen[id] {
		g.seen[id] = true
		g.ids[k] = append(g.ids[k], gameID)
	}
}

// delete removes table's rows of every group: cols name the group's value
// columns, in add's order.
func (g *gameGroups) delete(ctx context.Context, tx Tx, table string, cols ...string) error {
	for _, k := range g.order {
		ids := g.ids[k]
		for start := 0; start < len(ids); start += 500 {
			part := ids[start:min(start+500, len(ids))]
			var where []string
			var args []any
			for i, c := range cols {
				args = append(args, g.vals[k][i])
				where = append(where, c+" = $"+strconv.Itoa(len(args)))
			}
			ph := make([]string, len(part))
			for i := range part {
				ph[i] = "$" + strconv.Itoa(len(args)+i+1)
			}
			args = append(args, part...)
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE `+strings.Join(where, " AND ")+` AND game_id IN (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
				return err
			}
		}
	}
	return nil
}
