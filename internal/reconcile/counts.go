package reconcile

import (
	"strconv"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
)

// KnownCount is a season's game count when no schedule names its games.
type KnownCount struct {
	Regular     int // regular-season games (0: unknown)
	PlayoffsMin int // 60
	PlayoffsMax int // 105
	PlayIn      int // play-in tournament games
	CupFinal    int // NBA Cup final (not part of the regular season)
}

// Min is the smallest plausible number of games of the given season types.
func (k KnownCount) Min(types []string) int { return k.sum(types, k.PlayoffsMin) }

// Max is the largest plausible number.
func (k KnownCount) Max(types []string) int { return k.sum(types, k.PlayoffsMax) }

func (k KnownCount) sum(types []string, playoffs int) int {
	n := 0
	for _, t := range types {
		switch t {
		case "regular":
			n += k.Regular
		case "playoffs":
			n += playoffs
		case "play_in":
			n += k.PlayIn
		case "cup_final":
			n += k.CupFinal
		}
	}
	return n
}

// KnownGameCount returns the known game counts of season s: 1,230
// regular-season games a season since 2004-05 (30 teams), except 990 in
// 2011-12 (lockout), 1,229 in 2012-13 (a Boston game never played), 1,059 in
// 2019-20 (pandemic) and 1,080 in 2020-21 (72 games a team); 1,189 from
// 1995-96 to 2003-04 (29 teams), except 725 in 1998-99 (lockout). Playoffs
// range from 60 to 105 games; the play-in has 6 games since 2020-21 (and one
// seeding game in 2019-20); the NBA Cup final exists since 2023-24. ok is
// false for seasons before 1995-96, whose counts this table does not hold.
func KnownGameCount(s layout.Season) (KnownCount, bool) {
	k := KnownCount{PlayoffsMin: 60, PlayoffsMax: 105}
	switch {
	case s < 1995:
		return KnownCount{}, false
	case s == 1998:
		k.Regular = 725
	case s < 2004:
		k.Regular = 1189
	case s == 2011:
		k.Regular = 990
	case s == 2012:
		k.Regular = 1229
	case s == 2019:
		k.Regular = 1059
		k.PlayIn = 1
	case s == 2020:
		k.Regular = 1080
	default:
		k.Regular = 1230
	}
	if s >= 2020 {
		k.PlayIn = 6
	}
	if s >= 2023 {
		k.CupFinal = 1
	}
	return k, true
}

// seasonElapsed returns the fraction of season s's games played by now,
// estimated from the usual calendar (regular season from about October 22
// to April 13, playoffs to mid-June): 1 for past seasons, 0 before it starts.
func seasonElapsed(s layout.Season, now time.Time) float64 {
	start := time.Date(int(s), time.October, 22, 0, 0, 0, 0, time.UTC)
	end := time.Date(int(s)+1, time.June, 20, 0, 0, 0, 0, time.UTC)
	switch {
	case !now.After(start):
		return 0
	case !now.Before(end):
		return 1
	}
	return float64(now.Sub(start)) / float64(end.Sub(start))
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
