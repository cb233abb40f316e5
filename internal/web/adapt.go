package web

// Adapter over the moment grammar and the game-id resolver. The strict
// whole-string moment grammar (internal/moment) and the resolver of every
// game-id kind (internal/gameref) belong to issue 12; until they are on
// main this file holds minimal equivalents with the same behaviour, and is
// the only place to change when they land.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

const momentSyntax = `"Q1".."Q4" or "OT1", "OT2".. then the clock remaining as M:SS or M:SS.t, e.g. "Q3 7:02.4", "OT1 2:00"`

// parseMoment reads "Q3 7:02.4" strictly into (period, clock remaining).
func parseMoment(s string) (period int, clock model.Tenths, err error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("moment %q: want %s", s, momentSyntax)
	}
	u := strings.ToUpper(f[0])
	var digits string
	switch {
	case strings.HasPrefix(u, "OT"):
		digits = u[2:]
	case strings.HasPrefix(u, "Q"):
		digits = u[1:]
	}
	if digits == "" || len(digits) > 2 || !allDigits(digits) || digits[0] == '0' {
		return 0, 0, fmt.Errorf("moment %q: bad period %q: want Q1-Q4 or OT1-OT%d", s, f[0], pbp.MaxPeriod-4)
	}
	n, _ := strconv.Atoi(digits)
	if u[0] == 'Q' {
		if n > 4 {
			return 0, 0, fmt.Errorf("moment %q: bad period %q: quarters are Q1-Q4, overtimes OT1-OT10", s, f[0])
		}
		period = n
	} else {
		if 4+n > pbp.MaxPeriod {
			return 0, 0, fmt.Errorf("moment %q: bad period %q: want Q1-Q4 or OT1-OT%d", s, f[0], pbp.MaxPeriod-4)
		}
		period = 4 + n
	}
	bad := fmt.Errorf("moment %q: bad clock %q: want M:SS or M:SS.t (7:02, 7:02.4)", s, f[1])
	mm, rest, ok := strings.Cut(f[1], ":")
	if !ok || len(mm) == 0 || len(mm) > 2 || !allDigits(mm) {
		return 0, 0, bad
	}
	ss, tt, hasTenth := strings.Cut(rest, ".")
	if len(ss) != 2 || !allDigits(ss) || (hasTenth && (len(tt) != 1 || !allDigits(tt))) {
		return 0, 0, bad
	}
	m, _ := strconv.Atoi(mm)
	sec, _ := strconv.Atoi(ss)
	if sec >= 60 {
		return 0, 0, bad
	}
	clock = model.Tenths(m*600 + sec*10)
	if hasTenth {
		clock += model.Tenths(tt[0] - '0')
	}
	if clock > model.PeriodLength(period) {
		return 0, 0, fmt.Errorf("moment %q: clock %s is longer than %s (%s)", s, f[1], periodName(period), clockString(model.PeriodLength(period)))
	}
	return period, clock, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// periodName names period p: Q1-Q4, OT1, OT2, ...
func periodName(p int) string {
	if p <= 4 {
		return fmt.Sprintf("Q%d", p)
	}
	return fmt.Sprintf("OT%d", p-4)
}

// clockString writes tenths as M:SS, or M:SS.t when the tenth is not zero.
func clockString(t model.Tenths) string {
	s := fmt.Sprintf("%d:%02d", int(t)/600, int(t)%600/10)
	if t%10 != 0 {
		s += fmt.Sprintf(".%d", int(t)%10)
	}
	return s
}

// momentOf is the (period, clock) of game time t in a game whose last
// period is last (the end of a period belongs to it: 2880 s is "Q4 0:00").
func momentOf(t model.Tenths, last int) (int, model.Tenths) {
	p := 1
	for p < last && t > model.PeriodStart(p)+model.PeriodLength(p) {
		p++
	}
	cl := model.PeriodStart(p) + model.PeriodLength(p) - t
	if cl < 0 {
		cl = 0
	}
	return p, cl
}

var errGameNotFound = errors.New("game not found")

// resolveGame finds the NBA game id of a typed id: an NBA id (0021800001),
// a short id (21800001), an ESPN id (401070213) or a basketball-reference
// id (201810160BOS). A malformed id is a parameter error; an unknown one
// wraps errGameNotFound.
func resolveGame(ctx context.Context, q store.Querier, s string) (string, error) {
	in := strings.TrimSpace(s)
	var col, id string
	switch {
	case len(in) == 10 && allDigits(in):
		col, id = "game_id", in
	case len(in) == 8 && allDigits(in):
		col, id = "game_id", "00"+in
	case len(in) == 9 && allDigits(in) && in[0] != '0':
		col, id = "espn_id", in
	case len(in) == 12 && allDigits(in[:9]) && isLetters(in[9:]):
		col, id = "bbref_id", strings.ToUpper(in)
	default:
		return "", badParam("game_id", "%q: want an NBA id (0021800001), a short id (21800001), an ESPN id (401070213) or a basketball-reference id (201810160BOS)", s)
	}
	var got string
	err := q.QueryRow(ctx, `SELECT game_id FROM games WHERE `+col+` = $1 ORDER BY game_id LIMIT 1`, id).Scan(&got)
	if errors.Is(err, store.ErrNoRows) {
		// plays may exist for a game the games table does not list yet
		if col == "game_id" {
			if provs, perr := store.PlayProviders(ctx, q, id); perr == nil && len(provs) > 0 {
				return id, nil
			}
		}
		return "", fmt.Errorf("game %q: %w (no games.%s = %s)", s, errGameNotFound, col, id)
	}
	if err != nil {
		return "", fmt.Errorf("game %q: %w", s, err)
	}
	return got, nil
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
