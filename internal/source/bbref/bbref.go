// Package bbref is the basketball-reference.com source: monthly schedule
// pages, box score pages and play-by-play pages.
//
// basketball-reference allows at most 20 requests a minute and locks a
// client out for an hour after a 429, so its policy paces at one request
// per 3.5 s and turns a 429 into a lockout of the host, never a retry.
package bbref

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/model"
	parsebbref "github.com/nbasim/nbasim/internal/parse/bbref"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/source"
)

// Name is the source name; Host the provider's host.
const (
	Name        = "bbref"
	Host        = "www.basketball-reference.com"
	DefaultBase = "https://www.basketball-reference.com/"
)

// Source is the basketball-reference source.
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

// Policy implements source.Source: a 429 locks the host out for an hour
// instead of being retried; rates and limits are configuration's.
func (s *Source) Policy() source.Policy {
	return source.Configured(Name, source.Policy{LockoutOn429: time.Hour})
}

// Datasets implements source.Source.
func (s *Source) Datasets() []string { return []string{"schedule", "boxscores", "pbp"} }

// GameDatasets implements source.Source.
func (s *Source) GameDatasets() []string { return []string{"boxscores", "pbp"} }

// Request implements source.Source.
func (s *Source) Request(dataset, season, item string) (*source.Request, error) {
	if _, err := layout.Make(Name, dataset, season, item); err != nil {
		return nil, err
	}
	var path, table string
	switch dataset {
	case "schedule":
		se, _ := layout.ParseSeason(season)
		path = fmt.Sprintf("leagues/NBA_%d_games-%s.html", se.EndYear(), item)
		table = "schedule"
	case "boxscores":
		path = "boxscores/" + item + ".html"
		table = "box-" + item[9:] + "-game-basic"
	case "pbp":
		path = "boxscores/pbp/" + item + ".html"
		table = "pbp"
	}
	u, err := source.JoinURL(s.base, path)
	if err != nil {
		return nil, err
	}
	req := &source.Request{Source: Name, Dataset: dataset, Season: season, Item: item, Host: Host, URL: u}
	req.Header = map[string][]string{
		"Accept":     {"text/html,application/xhtml+xml"},
		"User-Agent": {"nbasim (+https://github.com/nbasim/nbasim)"},
	}
	req.Validate = func(r *source.Response) error { return validate(r, dataset, season, item, table) }
	return req, nil
}

var boxLinkRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/boxscores/(\d{8})0[A-Z]{3}\.html`) })

func validate(r *source.Response, dataset, season, item, table string) error {
	if err := source.CheckHTML(r, table); err != nil {
		return err
	}
	u := r.Request.URL
	switch dataset {
	case "boxscores", "pbp":
		if !bytes.Contains(r.Body, []byte(item)) {
			return source.WrongItem(u, "page never mentions game %s", item)
		}
	case "schedule":
		month := strings.ToUpper(item[:1]) + item[1:]
		if !bytes.Contains(r.Body, []byte(month+" Schedule")) {
			return source.WrongItem(u, "page is not the %s schedule", month)
		}
		if m := boxLinkRe().FindSubmatch(r.Body); m != nil {
			if d, err := time.Parse("20060102", string(m[1])); err == nil && layout.SeasonOfDate(d).String() != season {
				return source.WrongItem(u, "schedule lists games of %s, asked %s", layout.SeasonOfDate(d), season)
			}
		}
	}
	return nil
}

// Months of a season's schedule pages.
var months = []string{"october", "november", "december", "january", "february", "march", "april", "may", "june"}

// ScheduleRequests implements source.Source: one page per month (2019-20
// ran to October 2020, 2020-21 from December 2020 to July 2021).
func (s *Source) ScheduleRequests(season layout.Season) ([]*source.Request, error) {
	ms := months
	switch season {
	case 2019:
		ms = []string{"october", "november", "december", "january", "february", "march", "july", "august", "september", "october-2020"}
		ms = ms[:len(ms)-1]
	case 2020:
		ms = []string{"december", "january", "february", "march", "april", "may", "june", "july"}
	}
	return source.Requests(s, "schedule", season, ms)
}

// Games implements source.Source for a schedule page, with the parser of
// internal/parse/bbref.
func (s *Source) Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	return source.ScheduleGames(Name, "schedule", parsebbref.ParseSchedule, dataset, data, h)
}

// GameItem implements source.Source.
func (s *Source) GameItem(g model.GameRow) string { return g.BBRefID }
