package load

import (
	"context"
	"fmt"
	"github.com/nbasim/nbasim/internal/parse"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/teams"
)

// writer applies parsed chunks to the store. It keeps an index of the
// games it knows (from the store and from this run) to give ESPN and bbref
// games their NBA game id, and the NBA players of each game to give ESPN
// and bbref players their NBA person id.
type writer struct {
	st       store.Store
	log      *slog.Logger
	byKey    map[string]string // date|home|away (NBA codes) -> game id
	byESPN   map[string]string
	byBBRef  map[string]string
	home     map[string]string            // game id -> home team id
	names    map[string]map[string]string // game id -> folded name -> NBA person id
	namesErr map[string]bool              // game ids whose names were read from the store
	games    map[string]model.GameRow     // what the store holds of each game, merged
	pnames   map[string]bool              // players (store key) whose name is written
	byScore  map[string]string            // season|home|away|home pts|away pts of final games -> game id ("" ambiguous)
}

func newWriter(ctx context.Context, st store.Store, log *slog.Logger) (*writer, error) {
	w := &writer{st: st, log: log, byKey: map[string]string{}, byESPN: map[string]string{}, byBBRef: map[string]string{},
		home: map[string]string{}, names: map[string]map[string]string{}, namesErr: map[string]bool{}, games: map[string]model.GameRow{}, pnames: map[string]bool{}, byScore: map[string]string{}}
	rows, err := st.Query(ctx, `SELECT player_id FROM players WHERE name <> ''`)
	if err != nil {
		return nil, fmt.Errorf("load: read players: %w", err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load: read players: %w", err)
		}
		w.pnames[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load: read players: %w", err)
	}
	games, err := store.ListGames(ctx, st, "")
	if err != nil {
		return nil, err
	}
	for _, g := range games {
		r := model.GameRow{GameID: g.GameID, Season: g.Season, Date: g.Date, HomeCode: g.HomeCode, AwayCode: g.AwayCode,
			HomeTeamID: g.HomeTeamID, AwayTeamID: g.AwayTeamID, ESPNID: g.ESPNID, BBRefID: g.BBRefID, HomePts: -1, AwayPts: -1}
		if g.HasScore && g.Status == store.GameFinal {
			r.HomePts, r.AwayPts, r.Final = g.HomePts, g.AwayPts, true
		}
		w.index(r)
	}
	return w, nil
}

func matchKey(date, home, away string) string {
	return date + "|" + teams.Code(home) + "|" + teams.Code(away)
}

// index records g, merged with what is known of its game (stored values
// win, as in store.UpsertGames), so that matching in a first load sees what
// a later load would see.
func (w *writer) index(in model.GameRow) {
	if in.GameID == "" {
		return
	}
	g, ok := w.games[in.GameID]
	if !ok {
		g = in
	} else {
		fill := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		fill(&g.Date, in.Date)
		if in.Final && in.Date != "" { // a result's date beats a schedule's
			g.Date = in.Date
		}
		if in.Final && !g.Final {
			g.HomePts, g.AwayPts = in.HomePts, in.AwayPts
		}
		g.Final = g.Final || in.Final
		fill(&g.Season, in.Season)
		fill(&g.HomeCode, in.HomeCode)
		fill(&g.AwayCode, in.AwayCode)
		fill(&g.HomeTeamID, in.HomeTeamID)
		fill(&g.AwayTeamID, in.AwayTeamID)
		fill(&g.ESPNID, in.ESPNID)
		fill(&g.BBRefID, in.BBRefID)
	}
	w.games[g.GameID] = g
	home, away := g.HomeCode, g.AwayCode
	if home == "" {
		home = g.HomeTeamID
	}
	if away == "" {
		away = g.AwayTeamID
	}
	if g.Date != "" && teams.Code(home) != "" && teams.Code(away) != "" {
		w.byKey[matchKey(g.Date, home, away)] = g.GameID
	}
	if g.ESPNID != "" {
		w.byESPN[g.ESPNID] = g.GameID
	}
	if g.BBRefID != "" {
		w.byBBRef[g.BBRefID] = g.GameID
	}
	if k := scoreKey(g); k != "" {
		if prev, ok := w.byScore[k]; ok && prev != g.GameID {
			w.byScore[k] = "" // two games: no match by score
		} else {
			w.byScore[k] = g.GameID
		}
	}
	if g.HomeTeamID != "" {
		w.home[g.GameID] = g.HomeTeamID
	} else if t, ok := teams.Lookup(g.HomeCode); ok && g.HomeCode != "" {
		w.home[g.GameID] = t.NBAID
	}
}

// resolve finds the NBA game id of a row of ESPN or bbref.
func (w *writer) resolve(g model.GameRow) string {
	if g.GameID != "" {
		return g.GameID
	}
	if id := w.byESPN[g.ESPNID]; g.ESPNID != "" && id != "" {
		return id
	}
	if id := w.byBBRef[g.BBRefID]; g.BBRefID != "" && id != "" {
		return id
	}
	home, away := g.HomeCode, g.AwayCode
	if home == "" {
		home = g.HomeTeamID
	}
	if away == "" {
		away = g.AwayTeamID
	}
	if g.Date == "" || teams.Code(home) == "" || teams.Code(away) == "" {
		return ""
	}
	if id := w.byKey[matchKey(g.Date, home, away)]; id != "" {
		return id
	}
	// ESPN dates can be UTC dates: accept one day off, unless both rows
	// have a final score and it differs (the same teams can meet on two
	// consecutive days: SAC-DEN 2022-12-27 and 2022-12-28)
	for _, d := range []int{-1, 1} {
		if id := w.byKey[matchKey(shiftDate(g.Date, d), home, away)]; id != "" {
			if k := w.games[id]; g.Final && k.Final && k.HomePts > 0 && (k.HomePts != g.HomePts || k.AwayPts != g.AwayPts) {
				continue
			}
			return id
		}
	}
	// a game known only from NBA files without a date (play-by-play, a
	// box): the season, the teams and the final score name it
	if k := scoreKey(g); k != "" {
		if id := w.byScore[k]; id != "" {
			if known := w.games[id]; known.Date == "" || known.Date == g.Date || known.Date == shiftDate(g.Date, 1) || known.Date == shiftDate(g.Date, -1) {
				return id
			}
		}
	}
	return ""
}

// scoreKey is the season, teams and final score of a final game ("" when
// any is unknown).
func scoreKey(g model.GameRow) string {
	home, away := g.HomeCode, g.AwayCode
	if home == "" {
		home = g.HomeTeamID
	}
	if away == "" {
		away = g.AwayTeamID
	}
	h, a := teams.Code(home), teams.Code(away)
	if !g.Final || g.Season == "" || h == "" || a == "" || g.HomePts <= 0 || g.AwayPts <= 0 {
		return ""
	}
	return g.Season + "|" + h + "|" + a + "|" + strconv.Itoa(g.HomePts) + "|" + strconv.Itoa(g.AwayPts)
}

// learnNames records the NBA players of a game.
func (w *writer) learnNames(gameID string, id model.PlayerID, name string) {
	if gameID == "" || id == "" || name == "" {
		return
	}
	m := w.names[gameID]
	if m == nil {
		m = map[string]string{}
		w.names[gameID] = m
	}
	m[model.FoldName(name)] = string(id)
}

// nbaPlayer maps an ESPN or bbref player of gameID to an NBA person id by
// name (the full name, folded), reading the game's NBA players from the
// store when this run has not seen them.
func (w *writer) nbaPlayer(ctx context.Context, q store.Querier, gameID, name string) string {
	if _, ok := w.names[gameID]; !ok && !w.namesErr[gameID] {
		w.namesErr[gameID] = true
		if names, err := NBANames(ctx, q, gameID); err == nil && len(names) > 0 {
			m := w.names[gameID]
			if m == nil {
				m = map[string]string{}
				w.names[gameID] = m
			}
			for n, id := range names {
				m[n] = id
			}
		}
	}
	return w.names[gameID][model.FoldName(name)]
}

// NBANames returns the NBA players of a game in the store, by folded name:
// every player the game's NBA boxes and plays name, in any role (a player
// who only came in as a substitute is named by sub_in_id alone), as a load
// of the NBA objects in the same run would learn them. ESPN and bbref
// players of the game whose folded name is a key here get that NBA id.
func NBANames(ctx context.Context, q store.Querier, gameID string) (map[string]string, error) {
	var roles []string
	for _, c := range []string{"player_id", "assist_id", "block_id", "steal_id", "fouled_id", "sub_in_id", "sub_out_id", "jump2_id", "jump_to_id"} {
		roles = append(roles, `SELECT `+c+` FROM plays WHERE game_id = $1 AND provider LIKE 'nba%' AND `+c+` IS NOT NULL`)
	}
	rows, err := q.Query(ctx, `SELECT p.player_id, p.name FROM players p WHERE p.player_id IN (
		SELECT player_id FROM player_box WHERE game_id = $1 AND source LIKE 'nba%'
		UNION `+strings.Join(roles, " UNION ")+`)`, gameID)
	if err != nil {
		return nil, fmt.Errorf("load: NBA players of game %s: %w", gameID, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("load: NBA players of game %s: %w", gameID, err)
		}
		if n != "" {
			out[model.FoldName(n)] = id
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load: NBA players of game %s: %w", gameID, err)
	}
	return out, nil
}

// batch is what one chunk writes.
type batch struct {
	seasons map[string]store.SeasonRow
	teams   []model.TeamRow
	players []model.PlayerRow
	games   []model.GameRow
	plays   []store.GamePlays
	playIdx map[[2]string]int
	boxes   []model.Box
	// rows of catalog endpoints (stats_rows) and shots, replacing those of
	// the objects statKeys and shotKeys
	stats    []store.StatsRow
	statHead map[[2]string][]string
	statKeys []string
	shots    []store.ShotRow
	shotKeys []string
	// rows of typed tables of catalog endpoints, by table
	tables map[string]*tableBatch
	raws   []store.RawObject
	quar   []store.QuarantineItem
	keys   []string
	qpos   map[string]map[string]bool // key -> positions quarantined now
	// touched are the games whose plays or boxes this chunk rewrites from
	// new or changed input (store.TouchGames moves their version on)
	touched map[string]bool
}

// tableBatch is what a chunk writes to one typed table: the rows of the
// objects keys, keyOf[i] the object of row i.
type tableBatch struct {
	rows  model.TableRows
	keys  []string
	keyOf []string
}

// changed says whether p's object was never parsed before, or its bytes
// or its parser changed since: what it writes may differ from the rows in
// the store. A forced reparse of the same bytes by the same parser writes
// the same rows.
func (p *parsed) changed() bool {
	o := p.obj
	return !o.known || o.prevSHA != p.sha || o.prevVersion != o.entry.Version
}

func (b *batch) touch(p *parsed, gameID string) {
	if gameID != "" && p.changed() {
		b.touched[gameID] = true
	}
}

func (b *batch) quarantine(p *parsed, gameID, position, reason string) {
	m := b.qpos[p.obj.raw]
	if m == nil {
		m = map[string]bool{}
		b.qpos[p.obj.raw] = m
	}
	pos := position
	for n := 2; m[pos]; n++ {
		pos = position + "#" + strconv.Itoa(n)
	}
	m[pos] = true
	b.quar = append(b.quar, store.QuarantineItem{Key: p.obj.raw, Position: pos, Source: p.obj.key.Source + "/" + p.obj.key.Dataset,
		GameID: gameID, Reason: reason, ParserVersion: p.obj.entry.Version})
}

func (b *batch) addGame(g model.GameRow) {
	b.games = append(b.games, g)
	if g.Season != "" {
		if s, err := layout.ParseSeason(g.Season); err == nil {
			b.seasons[g.Season] = store.SeasonRow{Season: g.Season, StartYear: int(s)}
		}
	}
}

func (w *writer) write(ctx context.Context, chunk []parsed, sum *Summary) error {
	b := &batch{seasons: map[string]store.SeasonRow{}, playIdx: map[[2]string]int{}, qpos: map[string]map[string]bool{}, touched: map[string]bool{}}
	for i := range chunk {
		w.collect(ctx, &chunk[i], b, sum)
	}
	return w.st.InTx(ctx, func(tx store.Tx) error {
		if tx.Dialect() == store.Postgres {
			// The commit does not wait for the WAL to reach the disk: a
			// crash may lose the last chunks, which are then not in
			// raw_objects either (same transaction), so the next load
			// parses them again. Nothing is half-written.
			if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
				return fmt.Errorf("load: %w", err)
			}
		}
		var seasons []store.SeasonRow
		for _, s := range b.seasons {
			seasons = append(seasons, s)
		}
		add := func(table string, n int64, err error) error {
			if err != nil {
				return fmt.Errorf("load: write %s: %w", table, err)
			}
			sum.Rows[table] += n
			return nil
		}
		if len(seasons) > 0 {
			n, err := store.UpsertSeasons(ctx, tx, seasons)
			if err := add("seasons", n, err); err != nil {
				return err
			}
		}
		if len(b.teams) > 0 {
			n, err := store.UpsertTeams(ctx, tx, b.teams)
			if err := add("teams", n, err); err != nil {
				return err
			}
		}
		if len(b.players) > 0 {
			n, err := store.UpsertPlayers(ctx, tx, b.players)
			if err := add("players", n, err); err != nil {
				return err
			}
		}
		if len(b.games) > 0 {
			n, err := store.UpsertGames(ctx, tx, b.games)
			if err := add("games", n, err); err != nil {
				return err
			}
		}
		if len(b.plays) > 0 {
			n, err := store.ReplacePlaysBatch(ctx, tx, b.plays)
			if err := add("plays", n, err); err != nil {
				return err
			}
		}
		if len(b.boxes) > 0 {
			// each table counted by itself: the lines of the boxes written
			// (UpsertBoxes replaces each box's lines in both tables)
			_, err := store.UpsertBoxes(ctx, tx, b.boxes)
			var players int64
			for _, bx := range b.boxes {
				players += int64(len(bx.Players))
			}
			if err := add("player_box", players, err); err != nil {
				return err
			}
			if err := add("team_box", 2*int64(len(b.boxes)), nil); err != nil {
				return err
			}
		}
		if len(b.statKeys) > 0 {
			n, err := store.ReplaceStatsRows(ctx, tx, b.statKeys, b.stats, b.statHead)
			if err := add("stats_rows", n, err); err != nil {
				return err
			}
		}
		if len(b.shotKeys) > 0 {
			n, err := store.ReplaceShots(ctx, tx, b.shotKeys, b.shots)
			if err := add("shots", n, err); err != nil {
				return err
			}
		}
		names := make([]string, 0, len(b.tables))
		for name := range b.tables {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			tb := b.tables[name]
			n, err := store.ReplaceTableRows(ctx, tx, tb.rows, tb.keys, tb.keyOf)
			if err := add(name, n, err); err != nil {
				return err
			}
		}
		if len(b.touched) > 0 {
			ids := make([]string, 0, len(b.touched))
			for id := range b.touched {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			if _, err := store.TouchGames(ctx, tx, ids); err != nil {
				return fmt.Errorf("load: %w", err)
			}
		}
		if err := w.clearQuarantine(ctx, tx, b); err != nil {
			return err
		}
		if len(b.quar) > 0 {
			n, err := store.AddQuarantine(ctx, tx, b.quar...)
			if err := add("quarantine", n, err); err != nil {
				return err
			}
			sum.Quarantined += len(b.quar)
		}
		n, err := store.UpsertRawObjects(ctx, tx, b.raws)
		return add("raw_objects", n, err)
	})
}

// clearQuarantine removes the quarantine items of the chunk's keys that
// this parse did not report again (items reported again are upserted and
// keep their first created_at).
func (w *writer) clearQuarantine(ctx context.Context, tx store.Tx, b *batch) error {
	var clean []any
	for _, k := range b.keys {
		pos := b.qpos[k]
		if len(pos) == 0 {
			clean = append(clean, k)
			continue
		}
		args := []any{k}
		var ph []string
		for p := range pos {
			args = append(args, p)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM quarantine WHERE key = $1 AND position NOT IN (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("load: clear quarantine of %s: %w", k, err)
		}
	}
	for lo := 0; lo < len(clean); lo += 500 {
		part := clean[lo:min(lo+500, len(clean))]
		ph := make([]string, len(part))
		for i := range part {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM quarantine WHERE key IN (`+strings.Join(ph, ", ")+`)`, part...); err != nil {
			return fmt.Errorf("load: clear quarantine: %w", err)
		}
	}
	return nil
}

// collect turns one parsed object into rows of b.
func (w *writer) collect(ctx context.Context, p *parsed, b *batch, sum *Summary) {
	o := p.obj
	ct := "application/json"
	if o.key.Ext == "html" {
		ct = "text/html"
	}
	raw := store.RawObject{Key: o.raw, Source: o.key.Source, Endpoint: o.key.Dataset, Season: o.key.Season, Item: o.key.Item,
		Size: o.size, SHA256: p.sha, ContentType: ct, ParserVersion: o.entry.Version, ParsedAt: p.stamp}
	if !o.mod.IsZero() {
		raw.FetchedAt = o.mod.UTC().Format("2006-01-02T15:04:05Z")
	}
	b.keys = append(b.keys, o.raw)
	defer func() {
		sum.ByStatus[raw.ParseStatus]++
		b.raws = append(b.raws, raw)
	}()
	itemGame := ""
	if strings.HasPrefix(o.key.Item, "00") && len(o.key.Item) >= 10 {
		itemGame = o.key.Item[:10]
	}
	if p.err != nil {
		pos, reason := positionOf(p.err)
		raw.ParseStatus, raw.Error = store.ParseFailed, reason
		b.quarantine(p, itemGame, pos, reason)
		return
	}
	if o.entry.Parse == nil {
		raw.ParseStatus, raw.Error = store.ParseSkipped, "no parser: "+o.entry.Why
		return
	}
	res := p.res
	// NBA ids throughout: the NBA's own feeds, and bulk archives of them
	nba := strings.HasPrefix(o.key.Source, "nba_") || o.key.Source == "archive"
	var rows int64
	// games: NBA rows as they are; ESPN and bbref rows get their NBA id
	gameOf := map[string]string{} // provider game id -> NBA game id
	completes := o.key.Source == "archive" && o.key.Dataset == "game_info"
	for _, g := range res.Games {
		if completes && !w.complete(p, b, &g) {
			sum.Waiting++
			continue
		}
		if !nba {
			id := w.resolve(g)
			if id == "" {
				b.quarantine(p, "", "game "+firstNonEmpty(g.ESPNID, g.BBRefID, g.Date+" "+g.AwayCode+"@"+g.HomeCode),
					fmt.Sprintf("no NBA game id for %s %s@%s on %s (load the NBA schedule or game of that date first, then reload with --force)",
						o.key.Source, g.AwayCode, g.HomeCode, g.Date))
				continue
			}
			g.GameID = id
			if g.ESPNID != "" {
				gameOf[g.ESPNID] = id
			}
			if g.BBRefID != "" {
				gameOf[g.BBRefID] = id
			}
		}
		if known, ok := w.games[g.GameID]; ok && !g.Final && known.Date != "" && g.Date != known.Date {
			// a schedule's date of a game already dated (a rescheduled
			// game, a placeholder of a knockout game): the known date stays
			g.Date = ""
		}
		if g.Season == "" {
			if s, err := layout.SeasonOfGameID(g.GameID); err == nil {
				g.Season = s.String()
			}
		}
		if g.SeasonType == "" {
			g.SeasonType = layout.SeasonTypeOfGameID(g.GameID)
		}
		b.addGame(g)
		w.index(g)
		rows++
	}
	nbaGame := func(id string) string {
		if nba || id == "" {
			return id
		}
		if g, ok := gameOf[id]; ok {
			return g
		}
		if g := w.byESPN[id]; g != "" {
			return g
		}
		return w.byBBRef[id]
	}
	for _, t := range res.Teams {
		if t.TeamID == "" { // a team of another league, or unknown: the franchises are loaded
			continue
		}
		if _, ok := teams.ByNBAID(t.TeamID); ok {
			// a current franchise: its row (every provider's code, today's
			// name) was written at the start of the run; providers' names
			// ("Boston Celtics", "Celtics", historical names) would make
			// each load rewrite it
			continue
		}
		b.teams = append(b.teams, t)
		rows++
	}
	// players of ESPN and bbref get their NBA id per game, below
	if nba {
		for _, r := range res.Players {
			w.addPlayer(b, r)
			rows++
		}
	}
	mapped := map[string]string{} // provider player id -> NBA id
	mapPlayer := func(gameID string, id model.PlayerID, name string) model.PlayerID {
		if nba || id == "" {
			return id
		}
		if m, ok := mapped[string(id)]; ok {
			return model.PlayerID(m)
		}
		nbaID := w.nbaPlayer(ctx, w.st, gameID, name)
		key := "espn:" + string(id)
		if o.key.Source == "bbref" {
			key = "bbref:" + string(id)
		}
		if nbaID != "" {
			key = nbaID
		}
		mapped[string(id)] = key
		return model.PlayerID(key)
	}
	for _, bx := range res.Boxes {
		gid := nbaGame(bx.GameID)
		if gid == "" {
			b.quarantine(p, "", "box "+bx.GameID, fmt.Sprintf("box of %s game %s: no NBA game id", o.key.Source, bx.GameID))
			continue
		}
		bx.GameID = gid
		if o.key.Dataset == "boxscoretraditionalv2" || o.key.Dataset == "boxscoretraditionalv2_range" {
			orient(&bx, w.home[gid])
		}
		players := make([]model.PlayerLine, len(bx.Players))
		copy(players, bx.Players)
		for i := range players {
			if nba {
				w.learnNames(gid, players[i].PlayerID, players[i].Name)
			} else {
				players[i].PlayerID = mapPlayer(gid, players[i].PlayerID, players[i].Name)
			}
		}
		bx.Players = players
		b.boxes = append(b.boxes, bx)
		b.touch(p, gid)
		rows += int64(len(bx.Players)) + 2
	}
	if res.RowSets != nil {
		rows += w.collectRowSets(p, b, itemGame)
	}
	for _, t := range res.Tables {
		if b.tables == nil {
			b.tables = map[string]*tableBatch{}
		}
		tb := b.tables[t.Table]
		if tb == nil {
			tb = &tableBatch{rows: model.TableRows{Table: t.Table, Key: t.Key, Columns: t.Columns}}
			b.tables[t.Table] = tb
		}
		if !slices.Equal(tb.rows.Columns, t.Columns) {
			b.quarantine(p, itemGame, t.Table, fmt.Sprintf("table %s: columns %v, another object of this load gave %v", t.Table, t.Columns, tb.rows.Columns))
			continue
		}
		tb.keys = append(tb.keys, o.raw)
		for _, r := range t.Rows {
			tb.rows.Rows = append(tb.rows.Rows, r)
			tb.keyOf = append(tb.keyOf, o.raw)
		}
		rows += int64(len(t.Rows))
	}
	if !nba {
		for _, pr := range res.Players {
			r := pr
			// the game of this player: the object's single game when there is one
			// the game of this player: the object's single game
			if len(gameOf) > 0 {
				var gid string
				for _, g := range gameOf {
					gid = g
				}
				if id := w.nbaPlayer(ctx, w.st, gid, r.Name); id != "" {
					// an NBA player: link the provider id, keep the NBA name
					r.PlayerID, r.Name = id, ""
				}
			}
			w.addPlayer(b, r)
			rows++
		}
	}
	if g := res.PBP; g != nil {
		gid := nbaGame(g.GameID)
		if gid == "" && nba {
			gid = itemGame
		}
		if gid == "" {
			b.quarantine(p, "", "pbp "+g.GameID, fmt.Sprintf("play-by-play of %s game %s: no NBA game id", o.key.Source, g.GameID))
		} else {
			events := g.Events
			if !nba || len(g.Players) > 0 {
				for id, info := range g.Players {
					if nba {
						w.learnNames(gid, id, info.Name)
					}
				}
			}
			if !nba {
				events = make([]model.Event, len(g.Events))
				copy(events, g.Events)
				for i := range events {
					e := &events[i]
					for _, f := range []*model.PlayerID{&e.Player, &e.Assist, &e.Block, &e.Steal, &e.Fouled, &e.SubIn, &e.SubOut, &e.Jump2, &e.JumpTo} {
						if *f != "" {
							*f = mapPlayer(gid, *f, g.Players[*f].Name)
						}
					}
				}
			}
			b.touch(p, gid)
			k := [2]string{gid, g.Provider}
			if i, dup := b.playIdx[k]; dup {
				b.plays[i].Events = events
			} else {
				b.playIdx[k] = len(b.plays)
				b.plays = append(b.plays, store.GamePlays{GameID: gid, Provider: g.Provider, Events: events})
			}
			sum.Events += len(events)
			rows += int64(len(events))
			if nba && len(res.Games) == 0 {
				// the play-by-play names the teams and the score
				gr := model.GameRow{GameID: gid, HomeTeamID: g.Home.ID, AwayTeamID: g.Away.ID, HomeCode: g.Home.Code, AwayCode: g.Away.Code,
					HomePts: -1, AwayPts: -1, Date: g.Date}
				if s, err := layout.SeasonOfGameID(gid); err == nil {
					gr.Season = s.String()
				}
				gr.SeasonType = layout.SeasonTypeOfGameID(gid)
				if n := len(g.Events); n > 0 && g.Events[n-1].Period >= 4 && g.Home.Pts != g.Away.Pts {
					gr.HomePts, gr.AwayPts, gr.Final = g.Home.Pts, g.Away.Pts, true
				}
				b.addGame(gr)
				w.index(gr)
			}
		}
	}
	for _, is := range res.Issues {
		b.quarantine(p, itemGame, is.Position, is.Reason)
	}
	raw.ParseStatus, raw.RowsLoaded = store.ParseOK, rows
}

// complete checks a row of archive/game_info, which completes a game that
// other objects (the play-by-play) describe: false when the game is not
// known yet (Run applies the object again once the game is loaded). Teams
// that differ from the known game's are dropped with a quarantine item, and
// a date that differs from a known one too (the known date stays).
func (w *writer) complete(p *parsed, b *batch, g *model.GameRow) bool {
	known, ok := w.games[g.GameID]
	if !ok {
		return false
	}
	if known.HomeTeamID != "" && known.AwayTeamID != "" && (known.HomeTeamID != g.HomeTeamID || known.AwayTeamID != g.AwayTeamID) {
		b.quarantine(p, g.GameID, "homeTeam", fmt.Sprintf("game_info has %s@%s, the game is %s@%s: its teams are not taken",
			firstNonEmpty(g.AwayCode, g.AwayTeamID), firstNonEmpty(g.HomeCode, g.HomeTeamID), firstNonEmpty(known.AwayCode, known.AwayTeamID), firstNonEmpty(known.HomeCode, known.HomeTeamID)))
		g.HomeTeamID, g.AwayTeamID, g.HomeCode, g.AwayCode = "", "", "", ""
	}
	if known.Date != "" && g.Date != known.Date {
		b.quarantine(p, g.GameID, "date", fmt.Sprintf("game_info dates the game %s, the store %s: the store's date stays", g.Date, known.Date))
		g.Date = ""
	}
	return true
}

// addPlayer queues r. The first name written for a player stays: feeds
// spell names differently (diacritics, "Enes Kanter"/"Enes Freedom", suffixes)
// and a later spelling would make every load rewrite the row.
func (w *writer) addPlayer(b *batch, r model.PlayerRow) {
	k := store.PlayerKey(r)
	if k == "" {
		return
	}
	if w.pnames[k] {
		r.Name = ""
		if r.ESPNID == "" && r.BBRefID == "" {
			return // nothing new
		}
	} else if r.Name != "" {
		w.pnames[k] = true
	}
	b.players = append(b.players, r)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func shiftDate(d string, days int) string {
	if len(d) != 10 {
		return ""
	}
	y, e1 := strconv.Atoi(d[:4])
	m, e2 := strconv.Atoi(d[5:7])
	dd, e3 := strconv.Atoi(d[8:10])
	if e1 != nil || e2 != nil || e3 != nil {
		return ""
	}
	t := timeDate(y, m, dd).AddDate(0, 0, days)
	return t.Format("2006-01-02")
}

// collectRowSets adds the rows of a catalog object's result sets
// (stats_rows) and its shots, replacing what the object wrote before.
func (w *writer) collectRowSets(p *parsed, b *batch, itemGame string) int64 {
	o := p.obj
	res := p.res
	if b.statHead == nil {
		b.statHead = map[[2]string][]string{}
	}
	b.statKeys = append(b.statKeys, o.raw)
	var n int64
	for _, rs := range res.RowSets {
		b.statHead[[2]string{o.key.Dataset, rs.Name}] = rs.Headers
		col := func(names ...string) int {
			for _, nm := range names {
				for i, h := range rs.Headers {
					if h == nm {
						return i
					}
				}
			}
			return -1
		}
		gc, pc, tc := col("GAME_ID", "gameId", "Game_ID"), col("PLAYER_ID", "personId", "PERSON_ID", "Player_ID"), col("TEAM_ID", "teamId", "Team_ID")
		for i, r := range rs.Rows {
			js, err := store.RowJSON(rs.Headers, r)
			if err != nil {
				b.quarantine(p, itemGame, fmt.Sprintf("%s[%d]", rs.Name, i), err.Error())
				continue
			}
			row := store.StatsRow{Key: o.raw, Endpoint: o.key.Dataset, Season: o.key.Season, Item: o.key.Item, ResultSet: rs.Name, RowIndex: i,
				GameID: parse.CellText(r, gc), PlayerID: parse.CellText(r, pc), TeamID: parse.CellText(r, tc), JSON: js}
			if row.GameID == "" {
				row.GameID = itemGame
			}
			b.stats = append(b.stats, row)
			n++
		}
	}
	if res.Shots != nil || strings.HasPrefix(o.key.Dataset, "shotchartdetail") {
		b.shotKeys = append(b.shotKeys, o.raw)
		for _, s := range res.Shots {
			b.shots = append(b.shots, store.ShotRow{Shot: s, Key: o.raw})
			n++
		}
	}
	return n
}
