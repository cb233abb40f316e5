// Package nbastats is the stats.nba.com source: every endpoint of the
// endpoint catalog (internal/layout/catalog.yaml: league game log, play-by-
// play v2 and v3, box scores, shot charts, dashboards, ...), requested and
// validated from the catalog's data, with no code per endpoint.
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
	"slices"
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

// Source is the stats.nba.com source: every endpoint of the catalog
// (layout.BuiltinCatalog, internal/layout/catalog.yaml).
type Source struct {
	base    string
	policy  source.Policy
	catalog *layout.Catalog
}

// New returns the source with base URL base ("" for the real one).
func New(base string) *Source {
	if base == "" {
		base = DefaultBase
	}
	return &Source{base: base, catalog: layout.BuiltinCatalog(), policy: source.Configured(Name, source.Policy{
		ThrottleOn403: true, TimeoutIsThrottle: true,
	})}
}

// Catalog returns the endpoint catalog the source fetches.
func (s *Source) Catalog() *layout.Catalog { return s.catalog }

// Name implements source.Source.
func (s *Source) Name() string { return Name }

// Host implements source.Source.
func (s *Source) Host() string { return Host }

// Policy implements source.Source.
func (s *Source) Policy() source.Policy { return s.policy }

// coreDatasets are the datasets collected first (the schedule first).
var coreDatasets = []string{"leaguegamelog", "playbyplayv3", "playbyplayv2", "boxscoretraditionalv3",
	"boxscoretraditionalv2", "gamerotation", "boxscoretraditionalv2_range"}

// Datasets implements source.Source: every catalog endpoint, the core
// datasets (the schedule, play-by-play, box scores) first.
func (s *Source) Datasets() []string {
	out := append([]string(nil), coreDatasets...)
	for _, e := range s.catalog.Endpoints {
		if !slices.Contains(coreDatasets, e.Name) {
			out = append(out, e.Name)
		}
	}
	return out
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

// Request implements source.Source: the catalog entry of dataset gives
// the path and the parameters, the item their values (the entity and the
// parameters that differ from the defaults).
func (s *Source) Request(dataset, season, item string) (*source.Request, error) {
	e, ok := s.catalog.Endpoint(dataset)
	if !ok {
		return nil, fmt.Errorf("nba_stats: %s is not an endpoint of the catalog", dataset)
	}
	pairs, err := e.Request(season, item)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range pairs {
		q.Set(p[0], p[1])
	}
	u, err := source.JoinURL(s.base, e.Path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	req := &source.Request{Source: Name, Dataset: dataset, Season: season, Item: item, Host: Host, URL: u, Header: Headers()}
	req.Validate = func(r *source.Response) error { return Validate(r, e, q) }
	return req, nil
}

// payload is what validation reads of any stats.nba.com response.
type payload struct {
	Parameters json.RawMessage `json:"parameters"` // an object; a list of objects on some endpoints
	ResultSets json.RawMessage `json:"resultSets"`
	ResultSet  json.RawMessage `json:"resultSet"`
	Message    string          `json:"Message"`
}

// Validate checks a response of catalog entry e asked with query q: a
// JSON object with the shape the catalog declares (result sets: each
// declared result set present, every row as wide as its headers; nested:
// each declared top-level object present), and for what was asked (the
// echoed GameID and Season, a nested object's gameId).
func Validate(r *source.Response, e *layout.Endpoint, q url.Values) error {
	if err := source.CheckContentType(r, "json"); err != nil {
		return err
	}
	var p payload
	if err := source.DecodeJSON(r, &p); err != nil {
		return err
	}
	u := r.Request.URL
	params := map[string]any{}
	_ = json.Unmarshal(p.Parameters, &params) // not an object: nothing echoed to check
	gameID := ""
	if d, _ := e.ParamDefault("GameID"); d == "{game_id}" {
		gameID = q.Get("GameID")
	}
	sets, err := parsenbastats.DecodeRowSets(r.Body, parse.Hint{})
	if e.Shape == "nested" {
		if err != nil {
			return source.Invalid(u, "%v", err)
		}
		var top map[string]json.RawMessage
		_ = json.Unmarshal(r.Body, &top)
		for _, rs := range e.ResultSets {
			k, _, _ := strings.Cut(rs.Name, ".")
			if k == "_root" || len(p.ResultSets) > 0 {
				continue
			}
			v, ok := top[k]
			if !ok {
				if p.Message != "" {
					return source.Invalid(u, "error message %q", p.Message)
				}
				return source.Invalid(u, "no %s object", k)
			}
			if gameID != "" {
				var g struct {
					GameID *string `json:"gameId"`
				}
				if json.Unmarshal(v, &g) == nil && g.GameID != nil && *g.GameID != gameID {
					return source.WrongItem(u, "payload is for game %s, asked %s", *g.GameID, gameID)
				}
			}
		}
		return nil
	}
	if len(p.ResultSets) == 0 && len(p.ResultSet) == 0 {
		if p.Message != "" {
			return source.Invalid(u, "error message %q", p.Message)
		}
		return source.Invalid(u, "no resultSets")
	}
	if err != nil {
		return source.Invalid(u, "%v", err)
	}
	if gameID != "" {
		if got, ok := params["GameID"].(string); ok && got != gameID {
			return source.WrongItem(u, "payload is for game %s, asked %s", got, gameID)
		}
	}
	if d, _ := e.ParamDefault("Season"); d == "{season}" && q.Get("Season") != "" {
		if got, ok := params["Season"].(string); ok && got != "" && got != q.Get("Season") {
			return source.WrongItem(u, "payload is for season %s, asked %s", got, q.Get("Season"))
		}
	}
	have := map[string]bool{}
	for _, s := range sets {
		have[s.Name] = true
	}
	for _, rs := range e.ResultSets {
		if !have[rs.Name] {
			return source.Invalid(u, "no result set %s", rs.Name)
		}
	}
	return nil
}

// ScheduleRequests implements source.Source: the team game log of the
// regular season and of the playoffs.
func (s *Source) ScheduleRequests(season layout.Season) ([]*source.Request, error) {
	return source.Requests(s, "leaguegamelog", season, []string{"regular_T", "playoffs_T"})
}

// Games implements source.Source for leaguegamelog, with the parser of
// internal/parse/nbastats: one row per game, home and away from MATCHUP.
func (s *Source) Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	return source.ScheduleGames(Name, "leaguegamelog", parsenbastats.ParseLeagueGameLog, dataset, data, h)
}

// GameItem implements source.Source.
func (s *Source) GameItem(g model.GameRow) string { return g.GameID }
