package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// TeamScore is one side of a game.
type TeamScore struct {
	TeamID string `json:"team_id"`
	Code   string `json:"code"`
	Pts    *int   `json:"pts"` // null until the game has a final score
}

// GameSummary is a row of the games list.
type GameSummary struct {
	GameID          string    `json:"game_id"`
	Season          string    `json:"season"`
	SeasonType      string    `json:"season_type"`
	Date            string    `json:"date"`
	Status          string    `json:"status"`
	Home            TeamScore `json:"home"`
	Away            TeamScore `json:"away"`
	Grade           string    `json:"grade"` // worst verification grade over the official sources, "" when not verified
	Providers       []string  `json:"providers"`
	OfficialSources []string  `json:"official_sources"`
	ESPNID          string    `json:"espn_id,omitempty"`
	BBRefID         string    `json:"bbref_id,omitempty"`
}

// GamesPage is GET /api/v1/games.
type GamesPage struct {
	Games  []GameSummary `json:"games"`
	Total  int           `json:"total"`
	Limit  int           `json:"limit"`
	Offset int           `json:"offset"`
}

var gameSorts = map[string]string{
	"date":    "g.game_date %s, g.game_id %s",
	"game_id": "g.game_id %s",
	"grade":   "COALESCE(v.grade, 'Z') %s, g.game_date, g.game_id",
	"home":    "g.home_code %s, g.game_date, g.game_id",
	"away":    "g.away_code %s, g.game_date, g.game_id",
	"points":  "COALESCE(g.home_pts, 0) + COALESCE(g.away_pts, 0) %s, g.game_id",
	"margin":  "ABS(COALESCE(g.home_pts, 0) - COALESCE(g.away_pts, 0)) %s, g.game_id",
}

const gameSelect = `SELECT g.game_id, g.season, g.season_type, g.game_date, g.status, g.home_team_id, g.home_code, g.home_pts,
 g.away_team_id, g.away_code, g.away_pts, g.espn_id, g.bbref_id, v.grade
FROM games g LEFT JOIN (SELECT game_id, MAX(grade) AS grade FROM verify_games GROUP BY game_id) v ON v.game_id = g.game_id`

func (s *Server) apiGames(r *http.Request) (any, error) {
	p := newParams(r, "season", "from", "to", "team", "status", "season_type", "grade", "q", "sort", "order", "limit", "offset", "pretty")
	season := p.season("season")
	from, to := p.date("from"), p.date("to")
	team := p.code("team")
	status := p.enum("status", "", "scheduled", "final")
	stype := p.enum("season_type", "", "regular", "playoffs", "play_in", "preseason", "cup_final", "allstar")
	grade := p.enum("grade", "", "A", "B", "C", "D", "F", "none")
	q := p.str("q")
	keys := make([]string, 0, len(gameSorts))
	for k := range gameSorts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	sortBy := p.enum("sort", "date", keys...)
	order := p.enum("order", "asc", "asc", "desc")
	limit, offset := p.page()
	if p.err != nil {
		return nil, p.err
	}
	if from != "" && to != "" && to < from {
		return nil, badParam("to", "%s is before from %s", to, from)
	}
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		for range vals {
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)+1), 1)
			args = append(args, vals[0])
			vals = vals[1:]
		}
		where = append(where, cond)
	}
	if season != "" {
		add("g.season = ?", season)
	}
	if from != "" {
		add("g.game_date >= ?", from)
	}
	if to != "" {
		add("g.game_date <= ?", to)
	}
	if team != "" {
		t := strings.ToUpper(team)
		add("(UPPER(g.home_code) = ? OR UPPER(g.away_code) = ? OR g.home_team_id = ? OR g.away_team_id = ?)", t, t, team, team)
	}
	if status != "" {
		add("g.status = ?", status)
	}
	if stype != "" {
		add("g.season_type = ?", stype)
	}
	switch grade {
	case "":
	case "none":
		where = append(where, "v.grade IS NULL")
	default:
		add("v.grade = ?", grade)
	}
	if q != "" {
		like := "%" + strings.ToUpper(q) + "%"
		add("(g.game_id LIKE ? OR UPPER(g.home_code) LIKE ? OR UPPER(g.away_code) LIKE ? OR g.game_date LIKE ? OR g.espn_id = ? OR UPPER(g.bbref_id) = ?)",
			like, like, like, like, q, strings.ToUpper(q))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	ctx := r.Context()
	var total int64
	if err := s.q.QueryRow(ctx, `SELECT COUNT(*) FROM games g LEFT JOIN (SELECT game_id, MAX(grade) AS grade FROM verify_games GROUP BY game_id) v ON v.game_id = g.game_id`+cond, args...).Scan(&total); err != nil {
		return nil, err
	}
	ob := gameSorts[sortBy]
	ob = strings.ReplaceAll(ob, "%s", strings.ToUpper(order))
	rows, err := s.rowsOf(ctx, limit, gameSelect+cond+" ORDER BY "+ob+fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset), args...)
	if err != nil {
		return nil, err
	}
	out := GamesPage{Games: make([]GameSummary, 0, len(rows)), Total: int(total), Limit: limit, Offset: offset}
	for _, row := range rows {
		out.Games = append(out.Games, gameSummaryRow(row))
	}
	if err := s.fillSources(ctx, out.Games); err != nil {
		return nil, err
	}
	return out, nil
}

func optInt(v any) *int {
	if v == nil {
		return nil
	}
	n := int(asInt(v))
	return &n
}

func gameSummaryRow(row []any) GameSummary {
	return GameSummary{GameID: asString(row[0]), Season: asString(row[1]), SeasonType: asString(row[2]), Date: asString(row[3]),
		Status: asString(row[4]), Home: TeamScore{TeamID: asString(row[5]), Code: asString(row[6]), Pts: optInt(row[7])},
		Away:   TeamScore{TeamID: asString(row[8]), Code: asString(row[9]), Pts: optInt(row[10])},
		ESPNID: asString(row[11]), BBRefID: asString(row[12]), Grade: asString(row[13]),
		Providers: []string{}, OfficialSources: []string{}}
}

// fillSources adds the play-by-play providers and official box sources of
// a page of games (two indexed queries for the whole page).
func (s *Server) fillSources(ctx context.Context, games []GameSummary) error {
	if len(games) == 0 {
		return nil
	}
	ids := make([]any, len(games))
	at := map[string]int{}
	for i, g := range games {
		ids[i] = g.GameID
		at[g.GameID] = i
	}
	in := placeholders(1, len(ids))
	rows, err := s.rowsOf(ctx, 100*len(ids), `SELECT DISTINCT game_id, provider FROM plays WHERE game_id IN (`+in+`) ORDER BY game_id, provider`, ids...)
	if err != nil {
		return err
	}
	for _, r := range rows {
		i := at[asString(r[0])]
		games[i].Providers = append(games[i].Providers, asString(r[1]))
	}
	rows, err = s.rowsOf(ctx, 100*len(ids), `SELECT DISTINCT game_id, source FROM team_box WHERE scope = 'game' AND source <> 'derived' AND game_id IN (`+in+`) ORDER BY game_id, source`, ids...)
	if err != nil {
		return err
	}
	for _, r := range rows {
		i := at[asString(r[0])]
		games[i].OfficialSources = append(games[i].OfficialSources, asString(r[1]))
	}
	return nil
}

// Period is one period of a game, for the timeline.
type Period struct {
	Period              int     `json:"period"`
	Label               string  `json:"label"`
	StartElapsedSeconds float64 `json:"start_elapsed_seconds"`
	EndElapsedSeconds   float64 `json:"end_elapsed_seconds"`
}

// GameDetail is GET /api/v1/games/{game_id}.
type GameDetail struct {
	GameSummary
	Provider            string        `json:"provider"` // the play-by-play the box is derived from ("" without plays)
	Periods             []Period      `json:"periods"`
	FinalElapsedSeconds float64       `json:"final_elapsed_seconds"`
	Events              int           `json:"events"`
	Degraded            bool          `json:"degraded"`
	DegradedReasons     []string      `json:"degraded_reasons"`
	Grades              []SourceGrade `json:"grades"`
	Note                string        `json:"note,omitempty"`
}

// SourceGrade is a game's verification against one official source.
type SourceGrade struct {
	Source string `json:"source"`
	Grade  string `json:"grade"`
}

func (s *Server) gameSummary(ctx context.Context, id string) (GameSummary, bool, error) {
	rows, err := s.rowsOf(ctx, 1, gameSelect+` WHERE g.game_id = $1`, id)
	if err != nil {
		return GameSummary{}, false, err
	}
	if len(rows) == 0 {
		return GameSummary{GameID: id, Providers: []string{}, OfficialSources: []string{}}, false, nil
	}
	g := gameSummaryRow(rows[0])
	gs := []GameSummary{g}
	if err := s.fillSources(ctx, gs); err != nil {
		return g, true, err
	}
	return gs[0], true, nil
}

func (s *Server) apiGame(r *http.Request) (any, error) {
	p := newParams(r, "provider", "pretty")
	prov := p.code("provider")
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, err := resolveGame(ctx, s.q, r.PathValue("game_id"))
	if err != nil {
		return nil, err
	}
	sum, _, err := s.gameSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	out := GameDetail{GameSummary: sum, Periods: []Period{}, DegradedReasons: []string{}, Grades: []SourceGrade{}}
	rows, err := s.rowsOf(ctx, 50, `SELECT source, grade FROM verify_games WHERE game_id = $1 ORDER BY source`, id)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Grades = append(out.Grades, SourceGrade{Source: asString(r[0]), Grade: asString(r[1])})
	}
	if len(sum.Providers) == 0 {
		out.Note = "no play-by-play in the database for this game: the box at a moment, stints and score flow need it (nbasim load)"
		return out, nil
	}
	c, err := s.compiled(ctx, id, prov)
	if err != nil {
		return nil, err
	}
	out.Provider = c.Game.Provider
	out.Events = len(c.Events)
	out.Degraded = c.Degraded
	out.DegradedReasons = append(out.DegradedReasons, c.Reasons...)
	out.FinalElapsedSeconds = c.FinalState().Elapsed.Seconds()
	for p := 1; p <= lastPeriod(c); p++ {
		out.Periods = append(out.Periods, Period{Period: p, Label: periodName(p), StartElapsedSeconds: model.PeriodStart(p).Seconds(),
			EndElapsedSeconds: (model.PeriodStart(p) + model.PeriodLength(p)).Seconds()})
	}
	return out, nil
}

// lastPeriod is the last period a compiled game reaches (at least Q4).
func lastPeriod(c *pbp.Compiled) int {
	// c.Periods has one entry per period up to the last one an event is in
	return max(4, len(c.Periods))
}
