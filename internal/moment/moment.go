// Package moment reads the moments of a game that users type ("Q3 7:02.4",
// "OT1 2:00") with one strict, whole-string grammar, and checks them
// against the game they point into.
//
// Grammar (case-insensitive, surrounding blanks ignored, one or more blanks
// between the two parts):
//
//	moment  = period blank clock
//	period  = "Q1" | "Q2" | "Q3" | "Q4" | "OT" digits   (OT1, OT2, ... OT10)
//	clock   = minutes ":" seconds [ "." tenth ]         (time remaining)
//	minutes = 1*2 digit, seconds = 2 digit (00-59), tenth = 1 digit
//
// "Q3 7:02:30", "Q3 7:2", "Q5 1:00", "OT 1:00", "Q3 12:00.1" and "OT1 5:01"
// are errors, never read as something close. Elapsed seconds since the
// opening tip ("1978.6") are a separate form (ParseElapsed).
package moment

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// Moment is a point of a game: a period and the time remaining in it.
type Moment struct {
	Period int          // 1-4 quarters, 5 = OT1, 6 = OT2, ...
	Clock  model.Tenths // time remaining in the period
}

// Syntax is the grammar in one line, for error messages and help texts.
const Syntax = `"Q1".."Q4" or "OT1", "OT2".. then the clock remaining as M:SS or M:SS.t, e.g. "Q3 7:02.4", "OT1 2:00"`

// Parse reads a moment with the whole-string grammar of the package doc.
func Parse(s string) (Moment, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return Moment{}, fmt.Errorf("moment %q: want %s", s, Syntax)
	}
	p, err := ParsePeriod(f[0])
	if err != nil {
		return Moment{}, fmt.Errorf("moment %q: %w", s, err)
	}
	cl, err := model.ParseTypedClock(f[1])
	if err != nil {
		return Moment{}, fmt.Errorf("moment %q: %w", s, err)
	}
	if cl > model.PeriodLength(p) {
		return Moment{}, fmt.Errorf("moment %q: clock %s is longer than %s (%s)", s, f[1], PeriodName(p), model.PeriodLength(p))
	}
	return Moment{Period: p, Clock: cl}, nil
}

// ParsePeriod reads "Q1".."Q4" or "OT1".."OT10" (case-insensitive).
func ParsePeriod(s string) (int, error) {
	u := strings.ToUpper(s)
	bad := fmt.Errorf("bad period %q: want Q1, Q2, Q3, Q4 or OT1, OT2, ... OT%d", s, pbp.MaxPeriod-4)
	var digits string
	switch {
	case strings.HasPrefix(u, "OT"):
		digits = u[2:]
	case strings.HasPrefix(u, "Q"):
		digits = u[1:]
	default:
		return 0, bad
	}
	if !allDigits(digits) || len(digits) > 2 || digits[0] == '0' {
		return 0, bad
	}
	n, _ := strconv.Atoi(digits)
	if u[0] == 'Q' {
		if n > 4 {
			return 0, fmt.Errorf("bad period %q: quarters are Q1-Q4, overtimes OT1, OT2 and on", s)
		}
		return n, nil
	}
	if 4+n > pbp.MaxPeriod {
		return 0, bad
	}
	return 4 + n, nil
}

// ParseElapsed reads game time since the opening tip in seconds: digits
// with at most one decimal ("1978", "1978.6"). No signs, exponents, NaN.
func ParseElapsed(s string) (model.Tenths, error) {
	s = strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 6 || !allDigits(whole) || (hasFrac && (len(frac) != 1 || !allDigits(frac))) {
		return 0, fmt.Errorf("elapsed %q: want seconds since the opening tip, e.g. 1978 or 1978.6", s)
	}
	n, _ := strconv.Atoi(whole)
	t := model.Tenths(n * 10)
	if hasFrac {
		t += model.Tenths(frac[0] - '0')
	}
	return t, nil
}

// ParseEnd reads a window end: a moment ("Q3 7:02.4") or elapsed seconds.
func ParseEnd(s string) (model.Tenths, error) {
	if t := strings.TrimSpace(s); t != "" && (t[0] >= '0' && t[0] <= '9') && !strings.ContainsAny(t, " :") {
		return ParseElapsed(t)
	}
	m, err := Parse(s)
	if err != nil {
		return 0, err
	}
	return m.Elapsed(), nil
}

// Elapsed is the game time of the moment since the opening tip.
func (m Moment) Elapsed() model.Tenths { return model.Elapsed(m.Period, m.Clock) }

// String writes the moment in the grammar it is read with ("Q3 7:02.4").
func (m Moment) String() string {
	return PeriodName(m.Period) + " " + ClockString(m.Clock)
}

// ClockString writes tenths as M:SS, or M:SS.t when the tenth is not zero.
func ClockString(t model.Tenths) string {
	s := fmt.Sprintf("%d:%02d", int(t)/600, int(t)%600/10)
	if t%10 != 0 {
		s += fmt.Sprintf(".%d", int(t)%10)
	}
	return s
}

// PeriodName names period p: Q1-Q4, OT1, OT2, ...
func PeriodName(p int) string {
	if p <= 4 {
		return fmt.Sprintf("Q%d", p)
	}
	return fmt.Sprintf("OT%d", p-4)
}

// FromElapsed is the moment of game time t in a game whose last period is
// lastPeriod (the end of a period belongs to it: 2880 is "Q4 0:00").
func FromElapsed(t model.Tenths, lastPeriod int) Moment {
	p := 1
	for p < lastPeriod && t > model.PeriodStart(p)+model.PeriodLength(p) {
		p++
	}
	cl := model.PeriodStart(p) + model.PeriodLength(p) - t
	if cl < 0 {
		cl = 0
	}
	return Moment{Period: p, Clock: cl}
}

// Check says whether the moment lies inside a game whose last period is
// lastPeriod: an overtime the game did not have is an error naming the
// game and its last period.
func (m Moment) Check(gameID string, lastPeriod int) error {
	if m.Period > lastPeriod {
		return fmt.Errorf("moment %s: game %s has no %s: its last period is %s", m, gameID, PeriodName(m.Period), PeriodName(lastPeriod))
	}
	return nil
}

// CheckElapsed says whether game time t lies inside a game whose last
// period is lastPeriod; past the end is an error naming the last period.
func CheckElapsed(gameID string, t model.Tenths, lastPeriod int) error {
	end := model.PeriodStart(lastPeriod) + model.PeriodLength(lastPeriod)
	if t > end {
		return fmt.Errorf("elapsed %.1f s: game %s ended at %.1f s, the end of its last period %s", t.Seconds(), gameID, end.Seconds(), PeriodName(lastPeriod))
	}
	return nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
