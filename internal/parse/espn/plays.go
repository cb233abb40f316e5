package espn

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

type play struct {
	ID             flexString `json:"id"`
	SequenceNumber flexString `json:"sequenceNumber"`
	Type           struct {
		ID   flexString `json:"id"`
		Text string     `json:"text"`
	} `json:"type"`
	Text      string  `json:"text"`
	AwayScore flexInt `json:"awayScore"`
	HomeScore flexInt `json:"homeScore"`
	Period    struct {
		Number flexInt `json:"number"`
	} `json:"period"`
	Clock struct {
		DisplayValue string `json:"displayValue"`
	} `json:"clock"`
	ScoringPlay     bool     `json:"scoringPlay"`
	ShootingPlay    *bool    `json:"shootingPlay"`
	ScoreValue      flexInt  `json:"scoreValue"`
	PointsAttempted *flexInt `json:"pointsAttempted"`
	Team            *struct {
		ID flexString `json:"id"`
	} `json:"team"`
	Participants []struct {
		Athlete struct {
			ID flexString `json:"id"`
		} `json:"athlete"`
	} `json:"participants"`
}

type playContext struct {
	sideOf  map[string]model.Side
	players map[model.PlayerID]model.PlayerInfo
	game    *model.Game
}

var (
	ftOfRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)free throw[^0-9]*(\d+) of (\d+)`) })
	enterRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.+?) enters the game for (.+?)$`) })
	jumpRe  = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.+?) vs\.? (.+?)(?: \((.+?) gains possession\))?$`)
	})
	threeRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)three point|3-pt|3pt`) })
	timeoutR = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)timeout`) })
)

// Play type ids of the ESPN NBA feed that the mapping relies on (the rest
// is told by type text; docs/pbp-model-espn-bbref.md lists them).
const (
	typeDefReb    = "155"
	typeOffReb    = "156"
	typeEndPeriod = "412"
	typeEndGame   = "402"
	typeSub       = "584"
	typeJumpBall  = "615"
)

// event maps one ESPN play to a normalized event.
func (c *playContext) event(p play) (model.Event, error) {
	ev := model.Event{
		Period:      int(p.Period.Number),
		Subtype:     strings.ToLower(trimText(p.Type.Text)),
		Description: trimText(p.Text),
		ScoreHome:   int(p.HomeScore),
		ScoreAway:   int(p.AwayScore),
	}
	if ev.Period < 1 || ev.Period > 20 {
		return ev, fmt.Errorf("period.number %d", ev.Period)
	}
	n, err := strconv.Atoi(string(p.SequenceNumber))
	if err == nil {
		ev.EventNum = n
	}
	clock, err := model.ParseClock(p.Clock.DisplayValue)
	if err != nil {
		return ev, fmt.Errorf("clock.displayValue: %v", err)
	}
	if clock > model.PeriodLength(ev.Period) {
		return ev, fmt.Errorf("clock.displayValue %q longer than period %d", p.Clock.DisplayValue, ev.Period)
	}
	ev.Clock = clock
	ev.Elapsed = model.Elapsed(ev.Period, clock)
	if p.Team != nil {
		ev.Side = c.sideOf[string(p.Team.ID)]
	}
	var parts []model.PlayerID
	for _, a := range p.Participants {
		parts = append(parts, model.PlayerID(a.Athlete.ID))
	}
	part := func(i int) model.PlayerID {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	typeID := string(p.Type.ID)
	tt := strings.ToLower(p.Type.Text)
	text := strings.ToLower(ev.Description)
	shooting := p.ShootingPlay != nil && *p.ShootingPlay

	switch {
	case strings.Contains(tt, "free throw") || (shooting && strings.Contains(text, "free throw")):
		ev.Type = model.FreeThrow
		ev.Player = part(0)
		ev.Made = strings.Contains(text, " makes ") || p.ScoringPlay
		if ev.Made {
			ev.Points = 1
		}
		ev.FTKind = parse.FreeThrowKindNamed(tt + " " + text)
		if m := ftOfRe().FindStringSubmatch(ev.Description); m != nil {
			ev.FTNum, _ = strconv.Atoi(m[1])
			ev.FTOf, _ = strconv.Atoi(m[2])
		} else if m := ftOfRe().FindStringSubmatch(p.Type.Text); m != nil {
			ev.FTNum, _ = strconv.Atoi(m[1])
			ev.FTOf, _ = strconv.Atoi(m[2])
		} else if ev.FTKind == model.FTTechnical {
			ev.FTNum, ev.FTOf = 1, 1
		}
	case shooting || strings.HasSuffix(tt, " shot") || strings.Contains(tt, "layup") || strings.Contains(tt, "dunk") || strings.Contains(tt, "jumper"):
		ev.Player = part(0)
		ev.Made = p.ScoringPlay || strings.Contains(text, " makes ")
		if ev.Made {
			ev.Type = model.ShotMade
			if p.ScoreValue == 2 || p.ScoreValue == 3 {
				ev.Points = int8(p.ScoreValue)
			} else if p.ScoreValue != 0 {
				c.warn("play %s: made shot with scoreValue %d", p.ID, int(p.ScoreValue))
			}
		} else {
			ev.Type = model.ShotMissed
		}
		switch {
		case p.PointsAttempted != nil && *p.PointsAttempted > 0:
			ev.Three = *p.PointsAttempted == 3
		case ev.Made:
			ev.Three = p.ScoreValue == 3
		default:
			ev.Three = threeRe().MatchString(text)
		}
		if ev.Made && ev.Points == 0 {
			ev.Points = 2
			if ev.Three {
				ev.Points = 3
			}
		}
		switch {
		case strings.Contains(text, " blocks "):
			ev.Block = part(1)
		case ev.Made && strings.Contains(text, "assist"):
			ev.Assist = part(1)
		}
	case typeID == typeDefReb || typeID == typeOffReb || strings.Contains(tt, "rebound"):
		ev.Type = model.Rebound
		ev.Player = part(0)
		switch {
		case typeID == typeOffReb || strings.Contains(tt, "offensive"):
			ev.Rebound = model.ReboundOffensive
		case typeID == typeDefReb || strings.Contains(tt, "defensive"):
			ev.Rebound = model.ReboundDefensive
		}
		ev.Team = ev.Player == "" || strings.Contains(text, "team rebound")
	case typeID == typeSub || strings.Contains(tt, "substitution"):
		ev.Type = model.Substitution
		ev.SubIn, ev.SubOut = part(0), part(1)
		// ESPN lists the entering player first; check it against the text
		// "X enters the game for Y" and swap when the names say otherwise.
		if m := enterRe().FindStringSubmatch(ev.Description); m != nil && ev.SubIn != "" && ev.SubOut != "" {
			in, out := c.players[ev.SubIn].Name, c.players[ev.SubOut].Name
			if in == m[2] && out == m[1] {
				ev.SubIn, ev.SubOut = ev.SubOut, ev.SubIn
				c.warn("play %s: participants in the order out, in; swapped by text", p.ID)
			}
		}
		ev.Player = ev.SubIn
		if ev.SubIn == "" || ev.SubOut == "" {
			c.warn("play %s: substitution %q without the player going in or out", p.ID, ev.Description)
		}
	case typeID == typeJumpBall || (strings.Contains(tt, "jump ball") || tt == "jumpball") && !strings.Contains(tt, "violation"):
		ev.Type = model.JumpBall
		// Participants are the two jumpers then the player who gains
		// possession; Player is the home jumper, Jump2 the away one.
		a, b := part(0), part(1)
		if c.players[a].Side == model.Away || c.players[b].Side == model.Home {
			a, b = b, a
		}
		ev.Player, ev.Jump2, ev.JumpTo = a, b, part(2)
		if m := jumpRe().FindStringSubmatch(ev.Description); m != nil && m[3] == "" {
			ev.JumpTo = ""
		}
	case strings.Contains(tt, "turnover") || isTurnoverType(typeID):
		ev.Type = model.Turnover
		ev.Player = part(0)
		ev.Team = ev.Player == ""
		if strings.Contains(text, "steal") {
			ev.Steal = part(1)
		}
	case strings.Contains(tt, "foul") || strings.Contains(tt, "technical") || strings.Contains(tt, "flagrant"):
		ev.Type = model.Foul
		ev.Player = part(0)
		ev.Fouled = part(1)
		ev.Foul = foulKind(tt + " " + text)
		ev.Team = ev.Player == ""
		// A double foul charges both players: the second is in Fouled.
	case strings.Contains(tt, "ejection") || strings.Contains(text, "ejected"):
		ev.Type = model.Ejection
		ev.Player = part(0)
	case timeoutR().MatchString(tt):
		ev.Type = model.Timeout
		if strings.Contains(tt, "official") {
			ev.Side = model.NoSide
		}
		ev.Team = ev.Side != model.NoSide
	case typeID == typeEndPeriod || strings.HasPrefix(tt, "end period"):
		ev.Type = model.PeriodEnd
		ev.Side = model.NoSide
	case typeID == typeEndGame || tt == "end game":
		// The end of the last period has its own End Period play; this
		// marker is kept for the description only.
		ev.Type = model.Unknown
		ev.Side = model.NoSide
	case strings.Contains(tt, "start") && (strings.Contains(tt, "period") || strings.Contains(tt, "quarter")):
		ev.Type = model.PeriodBegin
		ev.Side = model.NoSide
	case strings.Contains(tt, "challenge") || strings.Contains(tt, "review") || strings.Contains(tt, "replay"):
		ev.Type = model.Replay
	case strings.Contains(tt, "violation") || strings.Contains(tt, "goaltending") || strings.Contains(tt, "kicked ball") ||
		strings.Contains(tt, "lane") || strings.Contains(tt, "delay"):
		ev.Type = model.Violation
		ev.Player = part(0)
		ev.Team = ev.Player == ""
	default:
		ev.Type = model.Unknown
		ev.Player = part(0)
		c.warn("play %s: unknown type %s %q", p.ID, typeID, p.Type.Text)
	}
	return ev, nil
}

func (c *playContext) warn(format string, args ...any) {
	c.game.Warnings = append(c.game.Warnings, fmt.Sprintf(format, args...))
}

// isTurnoverType reports the ESPN turnover type ids whose text does not say
// "turnover" (62 Bad Pass, 63 Lost Ball, 64 Traveling, 65 Double Dribble,
// 66 Discontinued Dribble, 67-90 other turnovers).
func isTurnoverType(id string) bool {
	n, err := strconv.Atoi(id)
	return err == nil && n >= 62 && n <= 90
}

// foulKind reads the foul kind from the type text and play text.
func foulKind(s string) model.FoulKind {
	switch {
	case strings.Contains(s, "double technical"):
		return model.FoulDoubleTechnical
	case strings.Contains(s, "defensive 3-seconds") || strings.Contains(s, "defensive three seconds") || strings.Contains(s, "defensive 3 seconds"):
		return model.FoulDefensive3Seconds
	case strings.Contains(s, "flagrant") && (strings.Contains(s, "type 2") || strings.Contains(s, "flagrant 2")):
		return model.FoulFlagrant2
	case strings.Contains(s, "flagrant"):
		return model.FoulFlagrant1
	case strings.Contains(s, "technical"):
		return model.FoulTechnical
	case strings.Contains(s, "double"):
		return model.FoulDouble
	case strings.Contains(s, "clear path"):
		return model.FoulClearPath
	case strings.Contains(s, "away from play"):
		return model.FoulAwayFromPlay
	case strings.Contains(s, "inbound"):
		return model.FoulInbound
	case strings.Contains(s, "transition take"):
		return model.FoulTransitionTake
	case strings.Contains(s, "offensive") || strings.Contains(s, "charge"):
		return model.FoulOffensive
	case strings.Contains(s, "loose ball"):
		return model.FoulLooseBall
	case strings.Contains(s, "shooting"):
		return model.FoulShooting
	case strings.Contains(s, "personal"):
		return model.FoulPersonal
	}
	return model.FoulOther
}
