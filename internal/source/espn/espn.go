// Package espn is the ESPN site API source: the scoreboard of a day (the
// schedule) and the summary of a game (play-by-play and box score in one).
package espn

import (
	"net/url"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	parseespn "github.com/nbasim/nbasim/internal/parse/espn"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/source"
)

// Name is the source name; Host the provider's host.
const (
	Name        = "espn"
	Host        = "site.api.espn.com"
	DefaultBase = "https://site.api.espn.com/apis/site/v2/sports/basketball/nba/"
)

// Source is the ESPN source.
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
func (s *Source) Datasets() []string { return []string{"scoreboard", "summary"} }

// GameDatasets implements source.Source.
func (s *Source) GameDatasets() []string { return []string{"summary"} }

// Request implements source.Source.
func (s *Source) Request(dataset, season, item string) (*source.Request, error) {
	if _, err := layout.Make(Name, dataset, season, item); err != nil {
		return nil, err
	}
	q := url.Values{}
	switch dataset {
	case "scoreboard":
		q.Set("dates", item)
	case "summary":
		q.Set("event", item)
	}
	u, err := source.JoinURL(s.base, dataset+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	req := &source.Request{Source: Name, Dataset: dataset, Season: season, Item: item, Host: Host, URL: u}
	req.Header = map[string][]string{"Accept": {"application/json"}, "User-Agent": {"nbasim (+https://github.com/nbasim/nbasim)"}}
	req.Validate = func(r *source.Response) error { return validate(r, dataset, item) }
	return req, nil
}

type payload struct {
	Code    any    `json:"code"`
	Message string `json:"message"`
	Header  *struct {
		ID string `json:"id"`
	} `json:"header"`
	Events *[]struct {
		ID   string `json:"id"`
		Date string `json:"date"`
	} `json:"events"`
	Day *struct {
		Date string `json:"date"`
	} `json:"day"`
}

func validate(r *source.Response, dataset, item string) error {
	if err := source.CheckContentType(r, "json"); err != nil {
		return err
	}
	var p payload
	if err := source.DecodeJSON(r, &p); err != nil {
		return err
	}
	u := r.Request.URL
	if p.Code != nil && p.Message != "" {
		return source.Invalid(u, "error object: %v %s", p.Code, p.Message)
	}
	switch dataset {
	case "summary":
		if p.Header == nil {
			return source.Invalid(u, "no header object")
		}
		if p.Header.ID != item {
			return source.WrongItem(u, "summary is for event %s, asked %s", p.Header.ID, item)
		}
	case "scoreboard":
		if p.Events == nil {
			return source.Invalid(u, "no events array")
		}
		if p.Day != nil && p.Day.Date != "" {
			if d, err := time.Parse("2006-01-02", p.Day.Date); err == nil && d.Format("20060102") != item {
				return source.WrongItem(u, "scoreboard is for %s, asked %s", p.Day.Date, item)
			}
		}
	}
	return nil
}

// ScheduleRequests implements source.Source: one scoreboard per day from
// October 1 to June 30 (the 2019-20 season to October 15, 2020; the
// 2020-21 season from December 1, 2020 to July 31, 2021).
func (s *Source) ScheduleRequests(season layout.Season) ([]*source.Request, error) {
	from := time.Date(int(season), time.October, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(season.EndYear(), time.June, 30, 0, 0, 0, 0, time.UTC)
	switch season {
	case 2019:
		to = time.Date(2020, time.October, 15, 0, 0, 0, 0, time.UTC)
	case 2020:
		from = time.Date(2020, time.December, 1, 0, 0, 0, 0, time.UTC)
		to = time.Date(2021, time.July, 31, 0, 0, 0, 0, time.UTC)
	}
	var days []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format("20060102"))
	}
	return source.Requests(s, "scoreboard", season, days)
}

// Games implements source.Source for a scoreboard, with the parser of
// internal/parse/espn.
func (s *Source) Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	return source.ScheduleGames(Name, "scoreboard", parseespn.ParseScoreboard, dataset, data, h)
}

// GameItem implements source.Source.
func (s *Source) GameItem(g model.GameRow) string { return g.ESPNID }
