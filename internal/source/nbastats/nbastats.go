// Package nbastats is the stats.nba.com source: league game log (a season's
// games with official team totals), play-by-play v2 and v3, traditional box
// scores v2 and v3, game rotation, and v2 box scores of a time window.
//
// stats.nba.com answers only requests that look like they come from
// www.nba.com (browser headers below) and blocks by hanging rather than
// refusing, so its policy counts 403s and timeouts as throttling.
package nbastats

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	parsenbastats "github.com/nbasim/nbasim/internal/parse/nbastats"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/source"
)

// Name is the source name; Host the provider's host.
const (
	Name        = "nba_stats"
	Host        = "stats.nba.com"
	DefaultBase = "https://stats.nba.com/stats/"
)

// Source is the stats.nba.com source.
type Source struct {
	base   string
	policy source.Policy
}

// New returns the source with base URL base ("" for the real one).
func New(base string) *Source {
	if base == "" {
		base = DefaultBase
	}
	return &Source{base: base, policy: source.Policy{
		Rate: 0.5, Burst: 1, Concurrency: 1, Attempts: 3,
		ThrottleOn403: true, TimeoutIsThrottle: true,
	}}
}

// Name implements source.Source.
func (s *Source) Name() string { return Name }

// Host implements source.Source.
func (s *Source) Host() string { return Host }

// Policy implements source.Source.
func (s *Source) Policy() source.Policy { return s.policy }

// Datasets implements source.Source.
func (s *Source) Datasets() []string {
	return []string{"leaguegamelog", "playbyplayv3", "playbyplayv2", "boxscoretraditionalv3",
		"boxscoretraditionalv2", "gamerotation", "boxscoretraditionalv2_range"}
}

// GameDatasets implements source.Source.
func (s *Source) GameDatasets() []string {
	return []string{"playbyplayv3", "playbyplayv2", "boxscoretraditionalv3", "boxscoretraditionalv2", "gamerotation"}
}

// Headers are the browser-like headers stats.nba.com requires.
func Headers() http.Header {
	h := http.Header{}
	h.Set("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36")
	h.Set("Accept", "application/json, text/plain, */*")
	h.Set("Accept-Language", "en-US,en;q=0.9")
	h.Set("Referer", "https://www.nba.com/")
	h.Set("Origin", "https://www.nba.com")
	h.Set("x-nba-stats-origin", "stats")
	h.Set("x-nba-stats-token", "true")
	h.Set("Connection", "keep-alive")
	return h
}

var seasonTypes = map[string]string{
	"regular": "Regular Season", "playoffs": "Playoffs", "play_in": "PlayIn", "preseason": "Pre Season",
}

var rangeItem = regexp.MustCompile(`^(\d{10})_(\d+)-(\d+)$`)

// Request implements source.Source.
func (s *Source) Request(dataset, season, item string) (*source.Request, error) {
	if _, err := layout.Make(Name, dataset, season, item); err != nil {
		return nil, err
	}
	q := url.Values{}
	gameID := item
	switch dataset {
	case "leaguegamelog":
		st, pot, _ := strings.Cut(item, "_")
		q.Set("LeagueID", "00")
		q.Set("Season", season)
		q.Set("SeasonType", seasonTypes[st])
		q.Set("PlayerOrTeam", pot)
		q.Set("Counter", "1000")
		q.Set("Sorter", "DATE")
		q.Set("Direction", "DESC")
		q.Set("DateFrom", "")
		q.Set("DateTo", "")
		gameID = ""
	case "playbyplayv2":
		q.Set("GameID", item)
		q.Set("StartPeriod", "0")
		q.Set("EndPeriod", "10")
	case "playbyplayv3":
		q.Set("GameID", item)
		q.Set("StartPeriod", "0")
		q.Set("EndPeriod", "0")
	case "boxscoretraditionalv2", "boxscoretraditionalv3":
		q.Set("GameID", item)
		for _, k := range []string{"StartPeriod", "EndPeriod", "StartRange", "EndRange", "RangeType"} {
			q.Set(k, "0")
		}
	case "gamerotation":
		q.Set("GameID", item)
		q.Set("LeagueID", "00")
	case "boxscoretraditionalv2_range":
		m := rangeItem.FindStringSubmatch(item)
		gameID = m[1]
		q.Set("GameID", gameID)
		q.Set("StartPeriod", "0")
		q.Set("EndPeriod", "0")
		q.Set("StartRange", m[2])
		q.Set("EndRange", m[3])
		q.Set("RangeType", "2")
	}
	endpoint := strings.TrimSuffix(dataset, "_range")
	u, err := source.JoinURL(s.base, endpoint+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	req := &source.Request{Source: Name, Dataset: dataset, Season: season, Item: item, Host: Host, URL: u, Header: Headers()}
	req.Validate = func(r *source.Response) error { return validate(r, dataset, season, gameID) }
	return req, nil
}

// payload is what validation reads of any stats.nba.com response.
type payload struct {
	Resource   string          `json:"resource"`
	Parameters map[string]any  `json:"parameters"`
	ResultSets json.RawMessage `json:"resultSets"`
	ResultSet  json.RawMessage `json:"resultSet"`
	Message    string          `json:"Message"`
	Game       *struct {
		GameID string `json:"gameId"`
	} `json:"game"`
	Box *struct {
		GameID string `json:"gameId"`
	} `json:"boxScoreTraditional"`
}

func validate(r *source.Response, dataset, season, gameID string) error {
	if err := source.CheckContentType(r, "json"); err != nil {
		return err
	}
	var p payload
	if err := source.DecodeJSON(r, &p); err != nil {
		return err
	}
	u := r.Request.URL
	switch dataset {
	case "playbyplayv3":
		if p.Game == nil {
			return source.Invalid(u, "no game object")
		}
		if p.Game.GameID != gameID {
			return source.WrongItem(u, "payload is for game %s, asked %s", p.Game.GameID, gameID)
		}
		return nil
	case "boxscoretraditionalv3":
		if p.Box == nil {
			return source.Invalid(u, "no boxScoreTraditional object")
		}
		if p.Box.GameID != gameID {
			return source.WrongItem(u, "payload is for game %s, asked %s", p.Box.GameID, gameID)
		}
		return nil
	}
	if len(p.ResultSets) == 0 && len(p.ResultSet) == 0 {
		if p.Message != "" {
			return source.Invalid(u, "error message %q", p.Message)
		}
		return source.Invalid(u, "no resultSets")
	}
	if gameID != "" {
		if got, ok := p.Parameters["GameID"].(string); ok && got != gameID {
			return source.WrongItem(u, "payload is for game %s, asked %s", got, gameID)
		}
	}
	if dataset == "leaguegamelog" {
		if got, ok := p.Parameters["Season"].(string); ok && got != season {
			return source.WrongItem(u, "payload is for season %s, asked %s", got, season)
		}
	}
	return nil
}

// ScheduleRequests implements source.Source: the team game log of the
// regular season and of the playoffs.
func (s *Source) ScheduleRequests(season layout.Season) ([]*source.Request, error) {
	var out []*source.Request
	for _, item := range []string{"regular_T", "playoffs_T"} {
		r, err := s.Request("leaguegamelog", season.String(), item)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Games implements source.Source for leaguegamelog, with the parser of
// internal/parse/nbastats: one row per game, home and away from MATCHUP.
func (s *Source) Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	if dataset != "leaguegamelog" {
		return nil, fmt.Errorf("nba_stats: %s is not a schedule dataset", dataset)
	}
	res, err := parsenbastats.ParseLeagueGameLog(data, h)
	if err != nil {
		return nil, err
	}
	return res.Games, nil
}

// GameItem implements source.Source.
func (s *Source) GameItem(g model.GameRow) string { return g.GameID }
