package bbref

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/model"
)

// The play texts of basketball-reference play-by-play, shared by the page
// parser and the scraper-output parser (docs/pbp-model-espn-bbref.md).
var (
	shotRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.+?) (makes|misses) ([23])-pt (.+?)(?: from (\d+) ft| at rim)?(?: \((assist|block) by (.+?)\))?$`)
	})
	ftRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.+?) (makes|misses) (technical |flagrant |clear path )?free throw(?: (\d+) of (\d+))?$`)
	})
	rebRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(Offensive|Defensive) rebound by (.+)$`) })
	tovRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^Turnover by ?(.*?) ?(?:\((.+?)(?:; steal by (.+?))?\))?$`)
	})
	subRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+?) enters the game for (.+)$`) })
	jumpRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^Jump ball: ?(.*?) vs\.(?: (.*?))?(?: \((.+?) gains possession\))?$`)
	})
	violRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^Violation by (.+?)(?: \((.+)\))?$`) })
	ejectRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:(.+?) )?ejected from game`) })
	periodRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(Start|End) of (\d+)(?:st|nd|rd|th) (quarter|overtime)`)
	})
	drawnRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+?) \(drawn by (.+?)\)$`) })
)

// playerFunc maps a player name as written in a play text ("J. Tatum",
// "Team") to the provider's player id; "" for a team.
type playerFunc func(name string) model.PlayerID

// describe sets ev's type, qualifiers and players from a bbref play text.
// side is the team column the text was in (NoSide for a neutral row). It
// returns false when the text is not a known form (ev.Type stays Unknown).
func describe(ev *model.Event, text string, id playerFunc) bool {
	isTeam := func(name string) bool { return strings.EqualFold(name, "Team") }
	who := func(name string) model.PlayerID {
		if name == "" || isTeam(name) {
			return ""
		}
		return id(name)
	}
	if m := shotRe().FindStringSubmatch(text); m != nil {
		ev.Player = who(m[1])
		ev.Made = m[2] == "makes"
		ev.Three = m[3] == "3"
		ev.Subtype = m[4]
		if ev.Made {
			ev.Type = model.ShotMade
			ev.Points = 2
			if ev.Three {
				ev.Points = 3
			}
		} else {
			ev.Type = model.ShotMissed
		}
		switch m[6] {
		case "assist":
			ev.Assist = who(m[7])
		case "block":
			ev.Block = who(m[7])
		}
		return true
	}
	if m := ftRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.FreeThrow
		ev.Player = who(m[1])
		ev.Made = m[2] == "makes"
		if ev.Made {
			ev.Points = 1
		}
		ev.Subtype = strings.TrimSpace(m[3] + "free throw")
		switch strings.TrimSpace(m[3]) {
		case "technical":
			ev.FTKind = model.FTTechnical
			ev.FTNum, ev.FTOf = 1, 1
		case "flagrant":
			ev.FTKind = model.FTFlagrant
		case "clear path":
			ev.FTKind = model.FTClearPath
		}
		if m[4] != "" {
			ev.FTNum, _ = strconv.Atoi(m[4])
			ev.FTOf, _ = strconv.Atoi(m[5])
		}
		return true
	}
	if m := rebRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.Rebound
		ev.Player = who(m[2])
		ev.Team = isTeam(m[2])
		ev.Rebound = model.ReboundDefensive
		if m[1] == "Offensive" {
			ev.Rebound = model.ReboundOffensive
		}
		ev.Subtype = strings.ToLower(m[1]) + " rebound"
		return true
	}
	if m := tovRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.Turnover
		ev.Player = who(m[1])
		ev.Team = m[1] == "" || isTeam(m[1]) // "Turnover by  (8 sec)": unnamed, the team's
		ev.Subtype = m[2]
		if m[3] != "" {
			ev.Steal = who(m[3])
		}
		return true
	}
	if m := subRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.Substitution
		ev.SubIn, ev.SubOut = who(m[1]), who(m[2])
		ev.Player = ev.SubIn
		return true
	}
	if m := jumpRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.JumpBall
		ev.Player, ev.Jump2 = who(m[1]), who(m[2])
		if m[3] != "" {
			ev.JumpTo = who(m[3])
		}
		return true
	}
	if m := violRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.Violation
		ev.Player = who(m[1])
		ev.Team = isTeam(m[1])
		ev.Subtype = m[2]
		return true
	}
	if m := ejectRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.Ejection
		ev.Player = who(m[1])
		return true
	}
	if m := periodRe().FindStringSubmatch(text); m != nil {
		ev.Type = model.PeriodBegin
		if m[1] == "End" {
			ev.Type = model.PeriodEnd
		}
		ev.Side = model.NoSide
		return true
	}
	lower := strings.ToLower(text)
	if strings.HasSuffix(lower, "timeout") {
		ev.Type = model.Timeout
		ev.Subtype = lower
		if strings.HasPrefix(lower, "official") {
			ev.Side = model.NoSide
		}
		ev.Team = ev.Side != model.NoSide
		return true
	}
	if strings.Contains(lower, "instant replay") || strings.Contains(lower, "challenge") {
		ev.Type = model.Replay
		ev.Subtype = "instant replay"
		return true
	}
	// Fouls: "<kind> by <player>[ (drawn by <player>)]", kind one of
	// "Personal foul", "Shooting foul", "Offensive charge foul", "Flagrant
	// foul type 1", "Def 3 sec tech foul", "Defensive three seconds",
	// "Double personal foul" (by X and Y), ...
	if strings.HasSuffix(text, " by") { // "Technical foul by": nobody named
		text += " "
	}
	if kind, rest, ok := strings.Cut(text, " by "); ok {
		lk := strings.ToLower(kind)
		if strings.Contains(lk, "foul") || strings.Contains(lk, "three seconds") || strings.Contains(lk, "tech") {
			ev.Type = model.Foul
			ev.Subtype = lk
			ev.Foul = bbrefFoulKind(lk)
			if m := drawnRe().FindStringSubmatch(rest); m != nil {
				rest = m[1]
				ev.Fouled = who(m[2])
			}
			if strings.HasPrefix(lk, "double") {
				if a, b, ok := strings.Cut(rest, " and "); ok {
					rest = a
					ev.Fouled = who(b) // the second player charged
				}
			}
			ev.Player = who(rest)
			ev.Team = isTeam(rest)
			return true
		}
	}
	ev.Type = model.Unknown
	return false
}

// bbrefFoulKind maps the lower-case kind of a bbref foul text.
func bbrefFoulKind(k string) model.FoulKind {
	switch {
	case strings.HasPrefix(k, "double tech"):
		return model.FoulDoubleTechnical
	case strings.HasPrefix(k, "double"):
		return model.FoulDouble
	case strings.Contains(k, "3 sec") || strings.Contains(k, "three seconds"):
		return model.FoulDefensive3Seconds
	case strings.Contains(k, "flagrant") && strings.Contains(k, "2"):
		return model.FoulFlagrant2
	case strings.Contains(k, "flagrant"):
		return model.FoulFlagrant1
	case strings.Contains(k, "tech"):
		return model.FoulTechnical
	case strings.Contains(k, "clear path"):
		return model.FoulClearPath
	case strings.Contains(k, "away from play"):
		return model.FoulAwayFromPlay
	case strings.Contains(k, "inbound"):
		return model.FoulInbound
	case strings.Contains(k, "transition take"):
		return model.FoulTransitionTake
	case strings.Contains(k, "offensive"):
		return model.FoulOffensive
	case strings.Contains(k, "loose ball"):
		return model.FoulLooseBall
	case strings.Contains(k, "shooting"):
		return model.FoulShooting
	case strings.Contains(k, "personal"):
		return model.FoulPersonal
	}
	return model.FoulOther
}

// playerSides learns each player's side from the events (the actor of a
// team-column play is on that team, the assister too; the stealer, blocker
// and fouled player on the other) and fills g.Players. Jump balls of
// neutral rows then get the home jumper first.
func playerSides(g *model.Game, names map[model.PlayerID]string) {
	side := map[model.PlayerID]model.Side{}
	set := func(id model.PlayerID, s model.Side) {
		if id != "" && s != model.NoSide {
			if _, ok := side[id]; !ok {
				side[id] = s
			}
		}
	}
	for _, e := range g.Events {
		if e.Side == model.NoSide {
			continue
		}
		switch e.Type {
		case model.JumpBall:
			continue
		case model.Substitution:
			set(e.SubIn, e.Side)
			set(e.SubOut, e.Side)
		case model.Foul:
			set(e.Player, e.Side)
			if e.Foul != model.FoulDouble && e.Foul != model.FoulDoubleTechnical {
				set(e.Fouled, e.Side.Other())
			}
		default:
			set(e.Player, e.Side)
			set(e.Assist, e.Side)
			set(e.Block, e.Side.Other())
			set(e.Steal, e.Side.Other())
		}
	}
	for i := range g.Events {
		e := &g.Events[i]
		if e.Type == model.JumpBall && (side[e.Player] == model.Away || side[e.Jump2] == model.Home) {
			e.Player, e.Jump2 = e.Jump2, e.Player
		}
	}
	if g.Players == nil {
		g.Players = map[model.PlayerID]model.PlayerInfo{}
	}
	for id, name := range names {
		g.Players[id] = model.PlayerInfo{ID: id, Name: name, Side: side[id]}
	}
}
