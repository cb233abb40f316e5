package nbastats

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// ProviderPBPV2 names the playbyplayv2 stream in model.Game.Provider.
const ProviderPBPV2 = "nba_stats/playbyplayv2"

var v2Required = []string{
	"GAME_ID", "EVENTNUM", "EVENTMSGTYPE", "EVENTMSGACTIONTYPE", "PERIOD", "PCTIMESTRING",
	"HOMEDESCRIPTION", "NEUTRALDESCRIPTION", "VISITORDESCRIPTION", "SCORE",
	"PERSON1TYPE", "PLAYER1_ID", "PLAYER1_TEAM_ID",
	"PERSON2TYPE", "PLAYER2_ID", "PLAYER2_TEAM_ID",
	"PERSON3TYPE", "PLAYER3_ID", "PLAYER3_TEAM_ID",
}

// v2 PERSONnTYPE values.
const (
	personNone      = 0
	personHomeTeam  = 2
	personAwayTeam  = 3
	personHome      = 4
	personAway      = 5
	personHomeCoach = 6
	personAwayCoach = 7
)

type v2Person struct {
	typ    int
	hasTyp bool
	id     string
	name   string
	teamID string
	abbr   string
	city   string
	nick   string
}

type v2Row struct {
	pos              string
	eventNum         int
	msgType          int
	actionType       int
	period           int
	clock            model.Tenths
	home, neut, away string
	score            string
	p                [3]v2Person
}

// ParsePlayByPlayV2 parses a stats.nba.com playbyplayv2 response into a
// normalized model.Game (docs/pbp-model.md). Exact duplicate rows (same
// EVENTNUM, identical content) are dropped with a warning; rows keep the API
// order. A row that cannot be read is reported as an Issue and skipped.
func ParsePlayByPlayV2(data []byte, h parse.Hint) (*parse.Result, error) {
	_, sets, err := decodeResultSets(data, h)
	if err != nil {
		return nil, err
	}
	rs, si := find(sets, "PlayByPlay")
	if rs == nil {
		if len(sets) == 0 {
			return nil, parse.Errorf(h, "resultSets", "no result set")
		}
		rs, si = &sets[0], 0
	}
	return parseV2Set(rs, si, h, func(i int) string { return rowPos(si, i) })
}

// parseV2Set parses the PlayByPlay result set rs (index si of its
// response); pos names row i in issues and warnings.
func parseV2Set(rs *resultSet, si int, h parse.Hint, posOf func(i int) string) (*parse.Result, error) {
	data := rs.data
	t, err := newTable(rs, si, h, v2Required...)
	if err != nil {
		return nil, err
	}
	cols := newV2Cols(t)
	res := &parse.Result{}
	g := &model.Game{Provider: ProviderPBPV2, Players: map[model.PlayerID]model.PlayerInfo{}}
	rows := make([]v2Row, 0, len(rs.RowSet))
	seen := make(map[int][][]byte, len(rs.RowSet))
	for i, raw := range rs.RowSet {
		pos := posOf(i)
		r, err := t.decode(raw)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		vr, gid, err := readV2Row(r, &cols, pos)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		if g.GameID == "" {
			g.GameID = gid
			if err := checkGame(h, gid); err != nil {
				return nil, err
			}
		} else if gid != g.GameID {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("GAME_ID %s in a response for %s", gid, g.GameID)})
			continue
		}
		dup := false
		for _, prev := range seen[vr.eventNum] {
			if bytes.Equal(prev, raw.raw(data)) {
				dup = true
				break
			}
		}
		if dup {
			g.Warnings = append(g.Warnings, fmt.Sprintf("%s: exact duplicate of EVENTNUM %d dropped", pos, vr.eventNum))
			continue
		}
		seen[vr.eventNum] = append(seen[vr.eventNum], raw.raw(data))
		rows = append(rows, vr)
	}
	if g.GameID == "" {
		g.GameID = h.Item
	}
	v2Teams(g, rows)
	v2Events(g, rows)
	parse.SetTextFacts(g)
	res.PBP = g
	res.Teams = append(res.Teams, teamRow(g.Home), teamRow(g.Away))
	for _, id := range sortedPlayers(g.Players) {
		res.Players = append(res.Players, model.PlayerRow{PlayerID: string(id), Name: g.Players[id].Name})
	}
	res.Teams = nonEmptyTeams(res.Teams)
	return res, nil
}

// v2Cols are the column positions of a playbyplayv2 table.
type v2Cols struct {
	gameID, eventNum, msgType, actionType, period, clock, home, neut, away, score int
	ptype, pid, pname, pteam, pcity, pnick, pabbr                                 [3]int
}

func newV2Cols(t *table) v2Cols {
	col := func(name string) int {
		if i, ok := t.idx[name]; ok {
			return i
		}
		return -1
	}
	c := v2Cols{
		gameID: col("GAME_ID"), eventNum: col("EVENTNUM"), msgType: col("EVENTMSGTYPE"),
		actionType: col("EVENTMSGACTIONTYPE"), period: col("PERIOD"), clock: col("PCTIMESTRING"),
		home: col("HOMEDESCRIPTION"), neut: col("NEUTRALDESCRIPTION"), away: col("VISITORDESCRIPTION"), score: col("SCORE"),
	}
	for i := range 3 {
		n := strconv.Itoa(i + 1)
		c.ptype[i] = col("PERSON" + n + "TYPE")
		c.pid[i] = col("PLAYER" + n + "_ID")
		c.pname[i] = col("PLAYER" + n + "_NAME")
		c.pteam[i] = col("PLAYER" + n + "_TEAM_ID")
		c.pcity[i] = col("PLAYER" + n + "_TEAM_CITY")
		c.pnick[i] = col("PLAYER" + n + "_TEAM_NICKNAME")
		c.pabbr[i] = col("PLAYER" + n + "_TEAM_ABBREVIATION")
	}
	return c
}

func readV2Row(r row, c *v2Cols, pos string) (v2Row, string, error) {
	var v v2Row
	v.pos = pos
	gid := r.stri(c.gameID)
	var ok bool
	var err error
	if v.eventNum, ok, err = r.inti(c.eventNum); err != nil || !ok {
		return v, gid, firstErr(err, "EVENTNUM is null")
	}
	if v.msgType, ok, err = r.inti(c.msgType); err != nil || !ok {
		return v, gid, firstErr(err, "EVENTMSGTYPE is null")
	}
	if v.actionType, _, err = r.inti(c.actionType); err != nil {
		return v, gid, err
	}
	if v.period, ok, err = r.inti(c.period); err != nil || !ok {
		return v, gid, firstErr(err, "PERIOD is null")
	}
	if v.period < 1 || v.period > 20 {
		return v, gid, fmt.Errorf("PERIOD %d out of range", v.period)
	}
	clock := r.stri(c.clock)
	ck, err := model.ParseClock(clock)
	if err != nil {
		return v, gid, fmt.Errorf("PCTIMESTRING: %w", err)
	}
	if ck > model.PeriodLength(v.period) {
		return v, gid, fmt.Errorf("PCTIMESTRING %q longer than period %d", clock, v.period)
	}
	v.clock = ck
	v.home = r.stri(c.home)
	v.neut = r.stri(c.neut)
	v.away = r.stri(c.away)
	v.score = r.stri(c.score)
	for i := range 3 {
		p := &v.p[i]
		if p.typ, p.hasTyp, err = r.inti(c.ptype[i]); err != nil {
			return v, gid, err
		}
		if p.id, err = r.idi(c.pid[i]); err != nil {
			return v, gid, err
		}
		if p.teamID, err = r.idi(c.pteam[i]); err != nil {
			return v, gid, err
		}
		p.name = r.stri(c.pname[i])
		p.abbr = r.stri(c.pabbr[i])
		p.city = r.stri(c.pcity[i])
		p.nick = r.stri(c.pnick[i])
	}
	return v, gid, nil
}

func firstErr(err error, msg string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s", msg)
}

// v2Teams finds the home and away teams: PERSONnTYPE 4/5 rows name them;
// the description column (HOMEDESCRIPTION/VISITORDESCRIPTION) backs it up.
func v2Teams(g *model.Game, rows []v2Row) {
	set := func(t *model.Team, p v2Person) {
		if t.ID == "" && p.teamID != "" {
			t.ID = p.teamID
		}
		if t.ID == p.teamID {
			if t.Code == "" {
				t.Code = p.abbr
			}
			if t.Name == "" && p.nick != "" {
				t.Name = strings.TrimSpace(p.city + " " + p.nick)
			}
		}
	}
	for _, r := range rows {
		for _, p := range r.p {
			switch p.typ {
			case personHome:
				set(&g.Home, p)
			case personAway:
				set(&g.Away, p)
			case personHomeTeam:
				if g.Home.ID == "" {
					g.Home.ID = p.id
				}
			case personAwayTeam:
				if g.Away.ID == "" {
					g.Away.ID = p.id
				}
			}
		}
	}
	// Fallback: the description column of primary players.
	if g.Home.ID == "" || g.Away.ID == "" {
		for _, r := range rows {
			p := r.p[0]
			if p.teamID == "" {
				continue
			}
			switch {
			case r.home != "" && r.away == "" && g.Home.ID == "" && p.teamID != g.Away.ID:
				set(&g.Home, p)
			case r.away != "" && r.home == "" && g.Away.ID == "" && p.teamID != g.Home.ID:
				set(&g.Away, p)
			}
		}
	}
}

// side returns the side of person p of a row.
func (p v2Person) side(g *model.Game) (model.Side, bool) {
	switch p.typ {
	case personHome:
		return model.Home, false
	case personAway:
		return model.Away, false
	case personHomeTeam:
		return model.Home, true
	case personAwayTeam:
		return model.Away, true
	}
	if p.teamID != "" {
		switch p.teamID {
		case g.Home.ID:
			return model.Home, false
		case g.Away.ID:
			return model.Away, false
		}
	}
	if p.id != "" {
		switch p.id {
		case g.Home.ID:
			return model.Home, true
		case g.Away.ID:
			return model.Away, true
		}
	}
	switch p.typ {
	case personHomeCoach:
		return model.Home, false
	case personAwayCoach:
		return model.Away, false
	}
	return model.NoSide, false
}

// player returns the player id of person p when p is a player (not a team,
// a coach or an official).
func (p v2Person) player(g *model.Game) model.PlayerID {
	if p.id == "" {
		return ""
	}
	switch p.typ {
	case personHome, personAway:
		return model.PlayerID(p.id)
	case personHomeTeam, personAwayTeam:
		return ""
	}
	if p.id == g.Home.ID || p.id == g.Away.ID || p.teamID == "" {
		return ""
	}
	return model.PlayerID(p.id)
}

var (
	reKofN  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(\d+) of (\d+)`) })
	reScore = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(\d+)\s*-\s*(\d+)\s*$`) })
	// reMiss finds the MISS marker of a missed free throw; case-sensitive
	// so that a name such as "Missi" does not match.
	reMiss = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[\s|])MISS\s`) })
)

func v2Events(g *model.Game, rows []v2Row) {
	g.Events = make([]model.Event, 0, len(rows))
	scoreHome, scoreAway := 0, 0
	var lastMiss model.Side // side of the last missed shot or free throw
	for _, r := range rows {
		e := model.Event{
			GameID:   g.GameID,
			Order:    len(g.Events),
			EventNum: r.eventNum,
			Period:   r.period,
			Clock:    r.clock,
			Elapsed:  model.Elapsed(r.period, r.clock),
		}
		e.Description = joinDesc(r.home, r.neut, r.away)
		p1, p2, p3 := r.p[0], r.p[1], r.p[2]
		side, team := p1.side(g)
		if side == model.NoSide {
			switch {
			case r.home != "" && r.away == "":
				side = model.Home
			case r.away != "" && r.home == "":
				side = model.Away
			}
		}
		e.Side, e.Team = side, team
		e.Player = p1.player(g)
		for _, p := range r.p {
			if id := p.player(g); id != "" {
				s, _ := p.side(g)
				if _, ok := g.Players[id]; !ok {
					g.Players[id] = model.PlayerInfo{ID: id, Name: p.name, Side: s}
				}
			}
		}
		upper := strings.ToUpper(e.Description)
		switch r.msgType {
		case 1, 2:
			if r.msgType == 1 {
				e.Type, e.Made = model.ShotMade, true
			} else {
				e.Type = model.ShotMissed
			}
			e.Three = strings.Contains(upper, "3PT")
			if e.Made {
				e.Points = 2
				if e.Three {
					e.Points = 3
				}
				e.Assist = p2.player(g)
			} else {
				e.Block = p3.player(g)
				lastMiss = e.Side
			}
			e.Subtype = shotSubtype(r, e.Description)
		case 3:
			e.Type = model.FreeThrow
			e.Made = !reMiss().MatchString(e.Description)
			if e.Made {
				e.Points = 1
			} else {
				lastMiss = e.Side
			}
			e.FTNum, e.FTOf, e.FTKind = ftDetail(r.actionType, upper)
			e.Subtype = ftSubtype(e.FTKind)
		case 4:
			e.Type = model.Rebound
			if e.Player == "" && e.Side != model.NoSide {
				e.Team = true
			}
			switch {
			case lastMiss == model.NoSide || e.Side == model.NoSide:
			case lastMiss == e.Side:
				e.Rebound = model.ReboundOffensive
			default:
				e.Rebound = model.ReboundDefensive
			}
			lastMiss = model.NoSide
		case 5:
			e.Type = model.Turnover
			if e.Player == "" && e.Side != model.NoSide {
				e.Team = true
			}
			e.Steal = p2.player(g)
			e.Subtype = turnoverSubtype(r.actionType)
		case 6:
			e.Type = model.Foul
			e.Foul = foulKind(r.actionType, upper)
			e.Fouled = p2.player(g)
			if e.Player == "" && e.Side != model.NoSide && p1.typ != personHomeCoach && p1.typ != personAwayCoach {
				e.Team = true
			}
			if p1.typ == personHomeCoach || p1.typ == personAwayCoach {
				e.Player = model.PlayerID(p1.id) // a coach; not added to Players
			}
			e.Subtype = foulSubtype(r.actionType)
		case 7:
			e.Type = model.Violation
			if e.Player == "" && e.Side != model.NoSide {
				e.Team = true
			}
			e.Subtype = violationSubtype(r.actionType)
		case 8:
			e.Type = model.Substitution
			e.SubOut = p1.player(g)
			e.SubIn = p2.player(g)
			e.Player = ""
		case 9:
			e.Type = model.Timeout
			e.Team = true
			e.Player = ""
			e.Subtype = timeoutSubtype(r.actionType)
		case 10:
			e.Type = model.JumpBall
			e.Jump2 = p2.player(g)
			e.JumpTo = p3.player(g)
			// PLAYER1 is the home jumper, PLAYER2 the away jumper; when the
			// feed has them the other way, swap so Player is the home one.
			if s1, _ := p1.side(g); s1 == model.Away {
				if s2, _ := p2.side(g); s2 == model.Home {
					e.Player, e.Jump2 = e.Jump2, e.Player
				}
			}
			if e.JumpTo != "" {
				e.Side, _ = p3.side(g)
			} else if s3, _ := p3.side(g); s3 != model.NoSide {
				e.Side = s3
			} else {
				e.Side = model.NoSide
			}
			e.Team = false
		case 11:
			e.Type = model.Ejection
			if p1.typ == personHomeCoach || p1.typ == personAwayCoach {
				e.Player = model.PlayerID(p1.id)
			}
		case 12:
			e.Type = model.PeriodBegin
			e.Side, e.Team, e.Player = model.NoSide, false, ""
		case 13:
			e.Type = model.PeriodEnd
			e.Side, e.Team, e.Player = model.NoSide, false, ""
		case 18:
			e.Type = model.Replay
			e.Side, e.Team, e.Player = model.NoSide, false, ""
			e.Subtype = replaySubtype(r.actionType)
		default:
			e.Type = model.Unknown
			e.Subtype = "eventmsgtype_" + strconv.Itoa(r.msgType)
		}
		if m := reScore().FindStringSubmatch(r.score); m != nil {
			a, _ := strconv.Atoi(m[1])
			h, _ := strconv.Atoi(m[2])
			// A made free throw worth 2 or 3 (the G League's one-shot
			// rule, game ids 20...) shows in the score change of its side.
			// NBA games never use it (and their rows are not always in
			// score order), so the rule is for other leagues only.
			if e.Type == model.FreeThrow && e.Made && !strings.HasPrefix(g.GameID, "00") {
				dh, da := h-scoreHome, a-scoreAway
				if e.Side == model.Home && da == 0 && (dh == 2 || dh == 3) {
					e.Points = int8(dh)
				} else if e.Side == model.Away && dh == 0 && (da == 2 || da == 3) {
					e.Points = int8(da)
				}
			}
			scoreAway, scoreHome = a, h
		}
		e.ScoreHome, e.ScoreAway = scoreHome, scoreAway
		g.Events = append(g.Events, e)
	}
	g.Home.Pts, g.Away.Pts = scoreHome, scoreAway
}

// joinDesc joins the description columns with " | ", collapsing runs of
// blanks.
func joinDesc(parts ...string) string {
	n := 0
	single := ""
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			n++
			single = p
		}
	}
	if n == 1 && !strings.Contains(single, "  ") && strings.TrimSpace(single) == single {
		return single
	}
	var b strings.Builder
	for _, p := range parts {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// ftDetail reads free throw k of n and its kind. The description is
// authoritative ("Free Throw Flagrant 1 of 2"); EVENTMSGACTIONTYPE backs it
// up: 10 1/1, 11-12 k/2, 13-15 k/3, 16 technical, 18-20 flagrant 1/2, 2/2,
// 1/1, 21-22 technical k/2, 25-26 clear path k/2, 27-29 flagrant k/3.
func ftDetail(action int, upper string) (k, n int, kind model.FreeThrowKind) {
	switch action {
	case 10:
		k, n = 1, 1
	case 11, 12:
		k, n = action-10, 2
	case 13, 14, 15:
		k, n = action-12, 3
	case 16:
		k, n, kind = 1, 1, model.FTTechnical
	case 18, 19:
		k, n, kind = action-17, 2, model.FTFlagrant
	case 20:
		k, n, kind = 1, 1, model.FTFlagrant
	case 21, 22:
		k, n, kind = action-20, 2, model.FTTechnical
	case 25, 26:
		k, n, kind = action-24, 2, model.FTClearPath
	case 27, 28, 29:
		k, n, kind = action-26, 3, model.FTFlagrant
	}
	switch {
	case strings.Contains(upper, "FLAGRANT"):
		kind = model.FTFlagrant
	case strings.Contains(upper, "CLEAR PATH"):
		kind = model.FTClearPath
	case strings.Contains(upper, "TECHNICAL"):
		kind = model.FTTechnical
	}
	if i := strings.Index(upper, "FREE THROW"); i >= 0 {
		if m := reKofN().FindStringSubmatch(upper[i:]); m != nil {
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			if a >= 1 && a <= b && b <= 3 {
				k, n = a, b
			}
		}
	}
	if kind == model.FTTechnical && n == 0 {
		k, n = 1, 1
	}
	return k, n, kind
}

func ftSubtype(k model.FreeThrowKind) string {
	switch k {
	case model.FTTechnical:
		return "technical"
	case model.FTFlagrant:
		return "flagrant"
	case model.FTClearPath:
		return "clear path"
	}
	return "regular"
}

// foulKind maps EVENTMSGACTIONTYPE of a foul (EVENTMSGTYPE 6).
func foulKind(action int, upper string) model.FoulKind {
	switch action {
	case 1, 27, 28:
		return model.FoulPersonal
	case 2, 29:
		return model.FoulShooting
	case 3:
		return model.FoulLooseBall
	case 4, 26:
		return model.FoulOffensive
	case 5:
		return model.FoulInbound
	case 6:
		return model.FoulAwayFromPlay
	case 9:
		return model.FoulClearPath
	case 10:
		return model.FoulDouble
	case 11, 12, 13, 18, 19, 25, 30:
		return model.FoulTechnical
	case 14:
		return model.FoulFlagrant1
	case 15:
		return model.FoulFlagrant2
	case 16:
		return model.FoulDoubleTechnical
	case 17:
		return model.FoulDefensive3Seconds
	case 31:
		return model.FoulTransitionTake
	}
	switch {
	case strings.Contains(upper, "FLAGRANT") && strings.Contains(upper, "2"):
		return model.FoulFlagrant2
	case strings.Contains(upper, "FLAGRANT"):
		return model.FoulFlagrant1
	case strings.Contains(upper, "DOUBLE.TECHNICAL"), strings.Contains(upper, "DOUBLE TECHNICAL"):
		return model.FoulDoubleTechnical
	case strings.Contains(upper, "T.FOUL"), strings.Contains(upper, "TECHNICAL"):
		return model.FoulTechnical
	}
	return model.FoulOther
}

var foulNames = map[int]string{
	1: "personal", 2: "shooting", 3: "loose ball", 4: "offensive", 5: "inbound",
	6: "away from play", 8: "punching", 9: "clear path", 10: "double personal",
	11: "technical", 12: "non-unsportsmanlike technical", 13: "hanging technical",
	14: "flagrant 1", 15: "flagrant 2", 16: "double technical", 17: "defensive 3 seconds",
	18: "delay technical", 19: "taunting technical", 25: "excess timeout technical",
	26: "offensive charge", 27: "personal block", 28: "personal take", 29: "shooting block",
	30: "too many players technical", 31: "transition take",
}

func foulSubtype(a int) string {
	if s, ok := foulNames[a]; ok {
		return s
	}
	return "foul_" + strconv.Itoa(a)
}

var turnoverNames = map[int]string{
	0: "no turnover", 1: "bad pass", 2: "lost ball", 3: "traveling", 4: "traveling", 5: "foul turnover",
	6: "double dribble", 7: "discontinued dribble", 8: "3 second violation", 9: "5 second violation",
	10: "8 second violation", 11: "shot clock", 12: "inbound", 13: "backcourt", 15: "offensive goaltending",
	17: "lane violation", 18: "jump ball violation", 19: "kicked ball", 20: "illegal assist",
	21: "palming", 33: "punched ball", 35: "basket from below", 36: "illegal screen", 37: "offensive foul",
	39: "step out of bounds", 40: "out of bounds lost ball", 41: "poss lost ball", 44: "too many players",
	45: "out of bounds bad pass",
}

func turnoverSubtype(a int) string {
	if s, ok := turnoverNames[a]; ok {
		return s
	}
	return "turnover_" + strconv.Itoa(a)
}

var violationNames = map[int]string{
	1: "delay of game", 2: "defensive goaltending", 3: "lane", 4: "jump ball", 5: "kicked ball", 6: "double lane",
}

func violationSubtype(a int) string {
	if s, ok := violationNames[a]; ok {
		return s
	}
	return "violation_" + strconv.Itoa(a)
}

func timeoutSubtype(a int) string {
	switch a {
	case 1:
		return "regular"
	case 2:
		return "short"
	case 3, 4:
		return "official"
	case 5, 6:
		return "no timeout"
	case 7:
		return "advance"
	}
	return "timeout_" + strconv.Itoa(a)
}

func replaySubtype(a int) string {
	switch a {
	case 0:
		return "replay"
	case 1:
		return "challenge"
	case 2:
		return "ruling"
	}
	return "replay_" + strconv.Itoa(a)
}

// shotSubtype returns the shot description without the player's name and
// the distance, lower-case: "jump shot", "running layup", ...
func shotSubtype(r v2Row, desc string) string {
	d := r.home
	if d == "" {
		d = r.away
	}
	if d == "" {
		d = desc
	}
	if i := strings.Index(d, "("); i >= 0 {
		d = d[:i]
	}
	d = strings.TrimPrefix(strings.TrimSpace(d), "MISS ")
	words := strings.Fields(d)
	// drop the name (words before the first that ends with ' or is "3PT"
	// or starts a shot kind): keep from the first word after a distance.
	cut := false
	for i, w := range words {
		if strings.HasSuffix(w, "'") {
			words, cut = words[i+1:], true
			break
		}
	}
	if !cut && len(words) > 1 { // no distance: drop the name
		words = words[1:]
		if len(words) > 1 && (words[0] == "Jr." || words[0] == "III" || words[0] == "II" || words[0] == "Sr.") {
			words = words[1:]
		}
	}
	if len(words) > 0 && words[0] == "3PT" {
		words = words[1:]
	}
	s := strings.ToLower(strings.Join(words, " "))
	if s == "" {
		s = "shot_" + strconv.Itoa(r.actionType)
	}
	return s
}

func teamRow(t model.Team) model.TeamRow {
	city, name := "", t.Name
	return model.TeamRow{TeamID: t.ID, Code: t.Code, City: city, Name: name}
}

func nonEmptyTeams(ts []model.TeamRow) []model.TeamRow {
	out := ts[:0]
	for _, t := range ts {
		if t.TeamID != "" && t.Code != "" {
			out = append(out, t)
		}
	}
	return out
}

func sortedPlayers(m map[model.PlayerID]model.PlayerInfo) []model.PlayerID {
	ids := make([]model.PlayerID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
