// Package nbalive is the cdn.nba.com live-data source: the league schedule
// (scheduleLeagueV2), and per game the live play-by-play and box score.
package nbalive

import (
	"github.com/nbasim/nbasim/internal/model"
	parsenbalive "github.com/nbasim/nbasim/internal/parse/nbalive"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/source"
)

// Name is the source name; Host the provider's host.
const (
	Name        = "nba_live"
	Host        = "cdn.nba.com"
	DefaultBase = "https://cdn.nba.com/"
)

// Source is the cdn.nba.com source.
type Source struct{ base string }

// New returns the source with base URL base ("" for the real one).
func New(base string) *Source {
	if base == "" {
		base = DefaultBase
	}
	return &Source{base: base}
}

// Name implements source.Source.
func (s *Source) Name() string { return Name }

// Host implements source.Source.
func (s *Source) Host() string { return Host }

// Policy implements source.Source: rates and limits are configuration's.
func (s *Source) Policy() source.Policy { return source.Configured(Name, source.Policy{}) }

// Datasets implements source.Source.
func (s *Source) Datasets() []string { return []string{"schedule", "playbyplay", "boxscore"} }

// GameDatasets implements source.Source.
func (s *Source) GameDatasets() []string { return []string{"playbyplay", "boxscore"} }

// Request implements source.Source. The schedule is only published for the
// current season: asking it for another season fails validation (permanent).
func (s *Source) Request(dataset, season, item string) (*source.Request, error) {
	if _, err := layout.Make(Name, dataset, season, item); err != nil {
		return nil, err
	}
	var path string
	switch dataset {
	case "schedule":
		path = "static/json/staticData/scheduleLeagueV2.json"
	case "playbyplay":
		path = "static/json/liveData/playbyplay/playbyplay_" + item + ".json"
	case "boxscore":
		path = "static/json/liveData/boxscore/boxscore_" + item + ".json"
	}
	u, err := source.JoinURL(s.base, path)
	if err != nil {
		return nil, err
	}
	req := &source.Request{Source: Name, Dataset: dataset, Season: season, Item: item, Host: Host, URL: u}
	req.Header = map[string][]string{"Accept": {"application/json"}, "User-Agent": {"nbasim (+https://github.com/nbasim/nbasim)"}}
	req.Validate = func(r *source.Response) error { return validate(r, dataset, season, item) }
	return req, nil
}

type payload struct {
	Game *struct {
		GameID string `json:"gameId"`
	} `json:"game"`
	LeagueSchedule *struct {
		SeasonYear string `json:"seasonYear"`
	} `json:"leagueSchedule"`
}

func validate(r *source.Response, dataset, season, item string) error {
	if err := source.CheckContentType(r, "json"); err != nil {
		return err
	}
	var p payload
	if err := source.DecodeJSON(r, &p); err != nil {
		return err
	}
	u := r.Request.URL
	if dataset == "schedule" {
		if p.LeagueSchedule == nil {
			return source.Invalid(u, "no leagueSchedule object")
		}
		if p.LeagueSchedule.SeasonYear != season {
			return source.WrongItem(u, "schedule is for season %s, asked %s", p.LeagueSchedule.SeasonYear, season)
		}
		return nil
	}
	if p.Game == nil {
		return source.Invalid(u, "no game object")
	}
	if p.Game.GameID != item {
		return source.WrongItem(u, "payload is for game %s, asked %s", p.Game.GameID, item)
	}
	return nil
}

// ScheduleRequests implements source.Source.
func (s *Source) ScheduleRequests(season layout.Season) ([]*source.Request, error) {
	r, err := s.Request("schedule", season.String(), "schedule")
	if err != nil {
		return nil, err
	}
	return []*source.Request{r}, nil
}

// Games implements source.Source for the schedule, with the parser of
// internal/parse/nbalive.
func (s *Source) Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	return source.ScheduleGames(Name, "schedule", parsenbalive.ParseSchedule, dataset, data, h)
}

// GameItem implements source.Source.
func (s *Source) GameItem(g model.GameRow) string { return g.GameID }
