package web

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// playerIndex is the players table folded for accent- and case-insensitive
// search, refreshed at most once a minute.
type playerIndex struct {
	mu     sync.Mutex
	loaded time.Time
	rows   []indexedPlayer
}

type indexedPlayer struct {
	id, name, folded string
}

func (s *Server) playerRows(ctx context.Context) ([]indexedPlayer, error) {
	ix := s.players
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.rows != nil && s.now().Sub(ix.loaded) < time.Minute {
		return ix.rows, nil
	}
	rows, err := s.rowsOf(ctx, 200_000, `SELECT player_id, name FROM players ORDER BY name, player_id`)
	if err != nil {
		return nil, err
	}
	out := make([]indexedPlayer, 0, len(rows))
	for _, r := range rows {
		n := asString(r[1])
		out = append(out, indexedPlayer{id: asString(r[0]), name: n, folded: model.NameKey(n)})
	}
	ix.rows, ix.loaded = out, s.now()
	return out, nil
}

// PlayerHit is a search result.
type PlayerHit struct {
	PlayerID string   `json:"player_id"`
	Name     string   `json:"name"`
	Games    int      `json:"games"`
	Seasons  []string `json:"seasons"`
}

// PlayersOut is GET /api/v1/players.
type PlayersOut struct {
	Query   string      `json:"query"`
	Players []PlayerHit `json:"players"`
	Total   int         `json:"total"`
	Limit   int         `json:"limit"`
	Offset  int         `json:"offset"`
}

func (s *Server) apiPlayers(r *http.Request) (any, error) {
	p := newParams(r, "q", "limit", "offset", "pretty")
	q := p.str("q")
	limit, offset := p.page()
	if p.err != nil {
		return nil, p.err
	}
	if !p.has("q") {
		return nil, badParam("q", "required: part of a player's name (accents and case do not matter)")
	}
	fq := model.NameKey(q)
	if len([]rune(fq)) < 2 {
		return nil, badParam("q", "%q: give at least 2 letters of a name", q)
	}
	all, err := s.playerRows(r.Context())
	if err != nil {
		return nil, err
	}
	var hits []indexedPlayer
	for _, pl := range all {
		if strings.Contains(pl.folded, fq) || pl.id == q {
			hits = append(hits, pl)
		}
	}
	// names starting with the query first, then by name
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := strings.HasPrefix(hits[i].folded, fq), strings.HasPrefix(hits[j].folded, fq)
		if a != b {
			return a
		}
		return hits[i].folded < hits[j].folded
	})
	out := PlayersOut{Query: q, Players: []PlayerHit{}, Total: len(hits), Limit: limit, Offset: offset}
	if offset < len(hits) {
		hits = hits[offset:min(len(hits), offset+limit)]
	} else {
		hits = nil
	}
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]any, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	rows, err := s.rowsOf(r.Context(), 10*len(ids)+100, `SELECT pb.player_id, g.season, COUNT(DISTINCT pb.game_id)
FROM player_box pb JOIN games g ON g.game_id = pb.game_id
WHERE pb.scope = 'game' AND pb.dnp = 0 AND pb.player_id IN (`+placeholders(1, len(ids))+`)
GROUP BY pb.player_id, g.season ORDER BY pb.player_id, g.season`, ids...)
	if err != nil {
		return nil, err
	}
	type agg struct {
		games   int
		seasons []string
	}
	by := map[string]*agg{}
	for _, row := range rows {
		id := asString(row[0])
		a := by[id]
		if a == nil {
			a = &agg{}
			by[id] = a
		}
		a.games += int(asInt(row[2]))
		a.seasons = append(a.seasons, asString(row[1]))
	}
	for _, h := range hits {
		hit := PlayerHit{PlayerID: h.id, Name: h.name, Seasons: []string{}}
		if a := by[h.id]; a != nil {
			hit.Games, hit.Seasons = a.games, a.seasons
		}
		out.Players = append(out.Players, hit)
	}
	return out, nil
}

// PlayerGame is a row of a player's game log: the canonical line of the
// game (the preferred official source, else the derived box).
type PlayerGame struct {
	GameID   string `json:"game_id"`
	Season   string `json:"season"`
	Date     string `json:"date"`
	Team     string `json:"team"`
	Opponent string `json:"opponent"`
	Home     bool   `json:"home"`
	Source   string `json:"source"`
	Starter  bool   `json:"starter"`
	StatLine
}

// SeasonTotals are a player's sums over one season's games.
type SeasonTotals struct {
	Season string `json:"season"`
	Games  int    `json:"games"`
	StatLine
}

// PlayerOut is GET /api/v1/players/{player_id}.
type PlayerOut struct {
	PlayerID string         `json:"player_id"`
	Name     string         `json:"name"`
	Games    []PlayerGame   `json:"games"`
	Totals   []SeasonTotals `json:"totals"`
}

func sourceRank(src string) int {
	if src == pbp.SourceDerived {
		return len(derive.OfficialPreference) + 1
	}
	for i, s := range derive.OfficialPreference {
		if s == src {
			return i
		}
	}
	return len(derive.OfficialPreference)
}

func (s *Server) apiPlayer(r *http.Request) (any, error) {
	p := newParams(r, "season", "pretty")
	season := p.season("season")
	if p.err != nil {
		return nil, p.err
	}
	id := r.PathValue("player_id")
	if id == "" || len(id) > 80 || !isCode(id) {
		return nil, badParam("player_id", "%q is not a player id", id)
	}
	ctx := r.Context()
	out := PlayerOut{PlayerID: id, Games: []PlayerGame{}, Totals: []SeasonTotals{}}
	rows, err := s.rowsOf(ctx, 1, `SELECT name FROM players WHERE player_id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		out.Name = asString(rows[0][0])
	}
	q := `SELECT pb.game_id, g.season, g.game_date, pb.side, g.home_code, g.away_code, pb.source, pb.starter, pb.seconds,
 pb.pts, pb.fgm, pb.fga, pb.fg3m, pb.fg3a, pb.ftm, pb.fta, pb.oreb, pb.dreb, pb.reb, pb.ast, pb.stl, pb.blk, pb.tov, pb.pf, pb.plus_minus, pb.name, pb.dnp
FROM player_box pb JOIN games g ON g.game_id = pb.game_id
WHERE pb.player_id = $1 AND pb.scope = 'game'`
	args := []any{id}
	if season != "" {
		q += ` AND g.season = $2`
		args = append(args, season)
	}
	rows, err = s.rowsOf(ctx, 50_000, q+` ORDER BY g.game_date, pb.game_id`, args...)
	if err != nil {
		return nil, err
	}
	best := map[string]int{} // game -> index in out.Games
	bestRank := map[string]int{}
	for _, row := range rows {
		if asInt(row[26]) != 0 {
			continue // did not play
		}
		if out.Name == "" {
			out.Name = asString(row[25])
		}
		side := model.Side(asInt(row[3]))
		g := PlayerGame{GameID: asString(row[0]), Season: asString(row[1]), Date: asString(row[2]), Home: side == model.Home,
			Source: asString(row[6]), Starter: asInt(row[7]) != 0}
		if g.Home {
			g.Team, g.Opponent = asString(row[4]), asString(row[5])
		} else {
			g.Team, g.Opponent = asString(row[5]), asString(row[4])
		}
		v := make([]int, 16)
		for i := range v {
			v[i] = int(asInt(row[9+i]))
		}
		g.StatLine = StatLine{SecondsPlayed: model.Tenths(asInt(row[8])).Seconds(), PTS: v[0], FGM: v[1], FGA: v[2], FG3M: v[3], FG3A: v[4],
			FTM: v[5], FTA: v[6], OREB: v[7], DREB: v[8], REB: v[9], AST: v[10], STL: v[11], BLK: v[12], TOV: v[13], PF: v[14], PlusMinus: v[15]}
		rank := sourceRank(g.Source)
		if i, ok := best[g.GameID]; ok {
			if rank < bestRank[g.GameID] {
				out.Games[i], bestRank[g.GameID] = g, rank
			}
			continue
		}
		best[g.GameID], bestRank[g.GameID] = len(out.Games), rank
		out.Games = append(out.Games, g)
	}
	if out.Name == "" && len(out.Games) == 0 {
		return nil, notFound("player_id", "no player %s in the database", id)
	}
	tot := map[string]*SeasonTotals{}
	var seasons []string
	for _, g := range out.Games {
		t := tot[g.Season]
		if t == nil {
			t = &SeasonTotals{Season: g.Season}
			tot[g.Season] = t
			seasons = append(seasons, g.Season)
		}
		t.Games++
		a, b := &t.StatLine, g.StatLine
		a.SecondsPlayed += b.SecondsPlayed
		a.PTS += b.PTS
		a.FGM += b.FGM
		a.FGA += b.FGA
		a.FG3M += b.FG3M
		a.FG3A += b.FG3A
		a.FTM += b.FTM
		a.FTA += b.FTA
		a.OREB += b.OREB
		a.DREB += b.DREB
		a.REB += b.REB
		a.AST += b.AST
		a.STL += b.STL
		a.BLK += b.BLK
		a.TOV += b.TOV
		a.PF += b.PF
		a.PlusMinus += b.PlusMinus
	}
	sort.Strings(seasons)
	for _, se := range seasons {
		t := tot[se]
		t.SecondsPlayed = float64(int64(t.SecondsPlayed*10+0.5)) / 10
		out.Totals = append(out.Totals, *t)
	}
	return out, nil
}
