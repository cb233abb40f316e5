package teams

import (
	"sort"
	"time"

	"github.com/nbasim/nbasim/internal/model"
)

// matchKey identifies a game by US local date and NBA team codes.
type matchKey struct{ date, home, away string }

func keyOf(g model.GameRow) (matchKey, bool) {
	h, a := Code(g.HomeCode), Code(g.AwayCode)
	if h == "" && g.HomeTeamID != "" {
		h = Code(g.HomeTeamID)
	}
	if a == "" && g.AwayTeamID != "" {
		a = Code(g.AwayTeamID)
	}
	if g.Date == "" || h == "" || a == "" {
		return matchKey{}, false
	}
	return matchKey{g.Date, h, a}, true
}

// sameResult reports whether two rows can be the same game by their
// results: when both are final, the scores must agree. This keeps apart the
// same two teams meeting on consecutive days (SAC at DEN on 2022-12-27 and
// 2022-12-28) when one provider's date is a UTC date.
func sameResult(a, b model.GameRow) bool {
	if !a.Final || !b.Final {
		return true
	}
	return a.HomePts == b.HomePts && a.AwayPts == b.AwayPts
}

func shiftDate(d string, days int) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, days).Format("2006-01-02")
}

// MatchGames merges the schedules of the three providers into one row per
// game carrying every provider's id. Games are matched by US local date and
// the two teams (home and away, codes of any provider); when no row has the
// same date, a row one day off is accepted (ESPN dates can be UTC dates) if
// that pairing is unique. Two final rows with different scores never
// match. Unmatched rows of any provider are kept, so a
// game only one provider lists is not lost. Team codes are normalized to NBA
// codes; NBA fields win over ESPN's, ESPN's over bbref's, and empty fields
// are filled from the other rows. The result is sorted by date, home code.
func MatchGames(nba, espn, bbref []model.GameRow) []model.GameRow {
	var out []model.GameRow
	byKey := map[matchKey]int{} // index into out
	add := func(rows []model.GameRow) {
		used := map[int]bool{}
		var pending []model.GameRow
		for _, g := range rows {
			k, ok := keyOf(g)
			if !ok {
				out = append(out, normalize(g))
				continue
			}
			if i, ok := byKey[k]; ok && !used[i] && sameResult(out[i], g) {
				used[i] = true
				out[i] = merge(out[i], g)
				continue
			}
			pending = append(pending, g)
		}
		for _, g := range pending {
			k, _ := keyOf(g)
			matched := -1
			for _, d := range []int{-1, 1} {
				kk := matchKey{shiftDate(k.date, d), k.home, k.away}
				if i, ok := byKey[kk]; ok && !used[i] && sameResult(out[i], g) {
					if matched >= 0 { // ambiguous: keep apart
						matched = -2
						break
					}
					matched = i
				}
			}
			if matched >= 0 {
				used[matched] = true
				out[matched] = merge(out[matched], g)
				continue
			}
			n := normalize(g)
			out = append(out, n)
			if _, dup := byKey[k]; !dup {
				byKey[k] = len(out) - 1
			}
			used[len(out)-1] = true
		}
	}
	add(nba)
	add(espn)
	add(bbref)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].HomeCode < out[j].HomeCode
	})
	return out
}

func normalize(g model.GameRow) model.GameRow {
	if c := Code(g.HomeCode); c != "" {
		g.HomeCode = c
	}
	if c := Code(g.AwayCode); c != "" {
		g.AwayCode = c
	}
	if g.HomeCode == "" && g.HomeTeamID != "" {
		g.HomeCode = Code(g.HomeTeamID)
	}
	if g.AwayCode == "" && g.AwayTeamID != "" {
		g.AwayCode = Code(g.AwayTeamID)
	}
	if g.HomeTeamID == "" {
		if t, ok := Lookup(g.HomeCode); ok {
			g.HomeTeamID = t.NBAID
		}
	}
	if g.AwayTeamID == "" {
		if t, ok := Lookup(g.AwayCode); ok {
			g.AwayTeamID = t.NBAID
		}
	}
	return g
}

// merge fills empty fields of a from b (a wins).
func merge(a, b model.GameRow) model.GameRow {
	b = normalize(b)
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&a.GameID, b.GameID)
	fill(&a.ESPNID, b.ESPNID)
	fill(&a.BBRefID, b.BBRefID)
	fill(&a.Season, b.Season)
	fill(&a.SeasonType, b.SeasonType)
	fill(&a.HomeTeamID, b.HomeTeamID)
	fill(&a.AwayTeamID, b.AwayTeamID)
	if !a.Final && b.Final {
		a.HomePts, a.AwayPts, a.Final = b.HomePts, b.AwayPts, true
	}
	return a
}
