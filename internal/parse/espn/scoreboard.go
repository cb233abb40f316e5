package espn

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sync"

	"github.com/nbasim/nbasim/internal/parse"
)

var dateItemRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`) })

type scoreboardDoc struct {
	Events *[]json.RawMessage `json:"events"`
}

type scoreboardEvent struct {
	ID     flexString `json:"id"`
	Date   string     `json:"date"`
	Season struct {
		Year flexInt `json:"year"`
		Type flexInt `json:"type"`
	} `json:"season"`
	Competitions []competition `json:"competitions"`
}

// ParseScoreboard parses an ESPN scoreboard (the games of one date): one
// game row per event with the ESPN event id, US Eastern date, season and
// season type, NBA team codes and ids, the score and whether it is final
// (games not started have scores -1), plus the teams. An event that does
// not decode becomes an issue. When the hint names a date (YYYYMMDD) and no
// event is on that date, the payload is for another date: an error.
func ParseScoreboard(data []byte, h parse.Hint) (*parse.Result, error) {
	var doc scoreboardDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(h, "scoreboard", err)
	}
	if doc.Events == nil {
		return nil, parse.Errorf(h, "events", "missing: not an ESPN scoreboard")
	}
	res := &parse.Result{}
	seenTeam := map[string]bool{}
	onDate := 0
	want := ""
	if m := dateItemRe().FindStringSubmatch(h.Item); m != nil {
		want = m[1] + "-" + m[2] + "-" + m[3]
	}
	for i, raw := range *doc.Events {
		pos := fmt.Sprintf("events[%d]", i)
		var e scoreboardEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		if len(e.Competitions) == 0 {
			res.Issues = append(res.Issues, parse.Issue{Position: pos + ".competitions", Reason: "empty"})
			continue
		}
		c := e.Competitions[0]
		if c.Date == "" {
			c.Date = e.Date
		}
		g, home, away, err := gameOf(c, h, pos+".competitions[0]")
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		g.ESPNID = string(e.ID)
		if g.ESPNID == "" {
			g.ESPNID = string(c.ID)
		}
		g.Season = seasonOf(int(e.Season.Year))
		g.SeasonType = seasonType(int(e.Season.Type))
		if g.Date == want {
			onDate++
		}
		res.Games = append(res.Games, g)
		for _, x := range []competitor{away, home} {
			if !seenTeam[string(x.Team.ID)] {
				seenTeam[string(x.Team.ID)] = true
				res.Teams = append(res.Teams, teamRowOf(x))
			}
		}
	}
	if want != "" && len(res.Games) > 0 && onDate == 0 {
		return nil, parse.Errorf(h, "events[].date", "no game on %s: scoreboard of another date", want)
	}
	return res, nil
}
