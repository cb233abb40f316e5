package model

import (
	"fmt"
	"strings"
)

// ParseClock is the one reader of the clocks and durations that providers
// write, into tenths of a second:
//
//	ISO-8601   "PT11M32.00S", "PT32.4S", "PT11M", "PT240M00.00S"
//	minutes    "11:32", "0:32.4", "12:00", "240:00" (a team's minutes)
//	seconds    "52.1", "0.0", "7"
//
// Seconds after minutes are below 60; a fraction rounds to the nearest
// tenth (a provider's "0:05.35" is 5.4 s, "PT00M05.30S" 5.3 s). Signs,
// exponents, blanks inside and empty parts are errors. Checking a clock
// against its period's length is the caller's: the same forms are
// durations (minutes played) too.
func ParseClock(s string) (Tenths, error) {
	c, err := scanClock(s)
	if err != nil {
		return 0, err
	}
	return c.tenths, nil
}

// ParseTypedClock reads a clock as users type it, with the one strict
// grammar of moments: "M:SS" or "M:SS.t" (minutes 1-2 digits, seconds
// exactly 2 digits below 60, at most one digit of tenths). "7:2", "7:02:30",
// "7:02.45" and "42.5" are errors, never read as something close.
func ParseTypedClock(s string) (Tenths, error) {
	c, err := scanClock(s)
	if err != nil || c.iso || c.minDigits < 1 || c.minDigits > 2 || c.secDigits != 2 || c.fracDigits > 1 || c.s != s {
		return 0, fmt.Errorf("bad clock %q: want M:SS or M:SS.t (7:02, 7:02.4, 0:00.5)", s)
	}
	return c.tenths, nil
}

// clock is a scanned clock and the shape it was written in.
type clock struct {
	s                                string // the input without surrounding blanks
	iso                              bool
	minDigits, secDigits, fracDigits int // 0 minDigits: no minutes part
	tenths                           Tenths
}

// maxClockMinutes bounds the minutes of a clock or duration (a team's
// minutes in a long overtime game are below 400).
const maxClockMinutes = 10000

func scanClock(in string) (clock, error) {
	s := strings.TrimSpace(in)
	c := clock{s: s}
	bad := func(why string) (clock, error) { return clock{}, fmt.Errorf("clock %q: %s", in, why) }
	if s == "" {
		return bad("empty")
	}
	var mins, secs string
	if rest, ok := strings.CutPrefix(s, "PT"); ok {
		c.iso = true
		if m, r, ok := strings.Cut(rest, "M"); ok {
			mins, rest = m, r
			if mins == "" {
				return bad("no minutes before M")
			}
		}
		if rest != "" {
			var ok bool
			if secs, ok = strings.CutSuffix(rest, "S"); !ok || secs == "" {
				return bad("want PT<minutes>M<seconds>S")
			}
		}
		if mins == "" && secs == "" {
			return bad("no time after PT")
		}
	} else if m, r, ok := strings.Cut(s, ":"); ok {
		mins, secs = m, r
		if mins == "" || secs == "" {
			return bad("want M:SS")
		}
	} else {
		secs = s
	}
	var m int
	if mins != "" {
		if !digitsOnly(mins) || len(mins) > 5 {
			return bad("bad minutes")
		}
		m = atoi(mins)
		if m > maxClockMinutes {
			return bad("too many minutes")
		}
		c.minDigits = len(mins)
	}
	whole, frac, hasFrac := strings.Cut(secs, ".")
	if secs != "" && (whole == "" || !digitsOnly(whole) || len(whole) > 6 || hasFrac && (frac == "" || !digitsOnly(frac))) {
		return bad("bad seconds")
	}
	sec := atoi(whole)
	if mins != "" && sec >= 60 {
		return bad("seconds must be below 60")
	}
	if mins == "" && sec > maxClockMinutes*60 {
		return bad("too many seconds")
	}
	c.secDigits, c.fracDigits = len(whole), len(frac)
	t := Tenths(m*600 + sec*10)
	if hasFrac {
		t += Tenths(frac[0] - '0')
		if len(frac) > 1 && frac[1] >= '5' {
			t++
		}
	}
	c.tenths = t
	return c, nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ParseMinutes reads minutes played: a clock form of ParseClock with
// minutes ("34:12", "PT34M12.00S"), or a bare number of minutes ("240",
// "34.5", as team totals and some feeds write them). It returns tenths of a
// second.
func ParseMinutes(s string) (Tenths, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "PT") || strings.Contains(t, ":") {
		return ParseClock(t)
	}
	whole, frac, hasFrac := strings.Cut(t, ".")
	if !digitsOnly(whole) || len(whole) > 5 || hasFrac && !digitsOnly(frac) || atoi(whole) > maxClockMinutes {
		return 0, fmt.Errorf("minutes %q: want M:SS, PT<m>M<s>S or a number of minutes", s)
	}
	// tenths of a second in x.yyy minutes: 600 per minute, the fraction
	// rounded to the nearest tenth of a second.
	num, den := 0, 1
	for i := 0; i < len(frac) && i < 6; i++ {
		num, den = num*10+int(frac[i]-'0'), den*10
	}
	return Tenths(atoi(whole)*600 + (num*600*2+den)/(2*den)), nil
}
