package sim

import (
	"math"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

// availGames feeds team games to r: every player of every game plays the
// whole of it (share 5), every other day from day dn (no back-to-backs);
// it returns the day after the last game's next.
func availGames(r *playerRatings, team, season string, dn int, lineups ...[]int32) int {
	for _, lu := range lineups {
		played := map[int32]bool{}
		secs := map[int32]float64{}
		for _, pl := range lu {
			played[pl] = true
			secs[pl] = 2880
		}
		r.addAvailability(team, season, played, secs, 2880, dn)
		dn += 2
	}
	return dn
}

func newAvailRatings(n int) *playerRatings {
	ids := make([]model.PlayerID, n)
	for i := range ids {
		ids[i] = model.PlayerID(string(rune('a' + i)))
	}
	r := newPlayerRatings(PlayerConfig{Availability: true, AvailDecay: 0.85}, ids)
	r.x = make([]float64, n)
	return r
}

// TestAvailabilityLearnsAbsences: a player who played the team's last
// game is expected nearly at his usual share; one who missed the last
// five is expected at a fraction of it, by the frequencies the earlier
// games show (a long absence goes on). Without the availability model
// both would count their usual share.
func TestAvailabilityLearnsAbsences(t *testing.T) {
	r := newAvailRatings(8)
	dn := 1000
	// players 0-4 play every game; 5 and 6 miss runs of 15 games
	// from time to time (long injuries: after a miss, more misses)
	for rep := 0; rep < 20; rep++ {
		for k := 0; k < 19; k++ {
			lu := []int32{0, 1, 2, 3, 4}
			if k < 4 {
				lu = append(lu, 5, 6)
			}
			dn = availGames(r, "T", "2018-19", dn, lu)
		}
	}
	// four games together, then 5 and 6 miss eight; 6 is back for the
	// next one, 5 is not (nine missed)
	dn = availGames(r, "T", "2018-19", dn, []int32{0, 1, 2, 3, 4, 5, 6}, []int32{0, 1, 2, 3, 4, 5, 6}, []int32{0, 1, 2, 3, 4, 5, 6}, []int32{0, 1, 2, 3, 4, 5, 6})
	for k := 0; k < 8; k++ {
		dn = availGames(r, "T", "2018-19", dn, []int32{0, 1, 2, 3, 4})
	}
	dn = availGames(r, "T", "2018-19", dn, []int32{0, 1, 2, 3, 4, 6})
	sh := r.expectedShares("T", dn)
	if p := sh[0] / 5; p < 0.95 {
		t.Errorf("a player who plays every game: expected %.3f of his share, want >= 0.95", p)
	}
	if p := sh[5] / 5; p > 0.2 {
		t.Errorf("a player out for 9 games: expected %.3f of his share, want <= 0.2 (the earlier runs went on)", p)
	}
	if sh[6] <= 3*sh[5] {
		t.Errorf("a player back from his absence (%.3f) is not expected much more than one still out (%.3f)", sh[6], sh[5])
	}
	// the probabilities are the decayed frequencies of the counts
	k := r.av["T"][5].key(false)
	if n := r.avail.n[k]; n <= 0 {
		t.Fatalf("no count in the cell of a 9-game absence")
	}
}

// TestAvailabilityNewSeason: at a team's first game of a new season every
// player on its list is "not seen this season" until he plays, and a
// player who did not play for it the whole last season leaves its list;
// a player who plays for another team leaves it at once.
func TestAvailabilityNewSeason(t *testing.T) {
	r := newAvailRatings(8)
	dn := availGames(r, "T", "2017-18", 1000, []int32{0, 1, 2, 3, 4, 5, 6}, []int32{0, 1, 2, 3, 4, 5, 6})
	// 2018-19: 6 never plays for T; 5 plays from the second game
	dn = availGames(r, "T", "2018-19", dn+150, []int32{0, 1, 2, 3, 4}, []int32{0, 1, 2, 3, 4, 5})
	if e := r.av["T"][6]; e == nil || e.seen || e.miss != 2 {
		t.Fatalf("player 6 after two games of a season he did not play: %+v, want on the list, not seen, 2 missed", e)
	}
	if e := r.av["T"][5]; e == nil || !e.seen {
		t.Fatalf("player 5 played this season: %+v", e)
	}
	dn = availGames(r, "T", "2019-20", dn+150, []int32{0, 1, 2, 3, 4, 5})
	if e := r.av["T"][6]; e != nil {
		t.Errorf("player 6 did not play the whole 2018-19 season and is still on the list in 2019-20: %+v", e)
	}
	availGames(r, "U", "2019-20", dn, []int32{5})
	if e := r.av["T"][5]; e != nil {
		t.Errorf("player 5 played for U and is still on T's list: %+v", e)
	}
	if e := r.av["U"][5]; e == nil || e.play != 5 {
		t.Errorf("player 5 on U's list: %+v, want his share of his first game there (5)", e)
	}
}

// TestReplacementFill: the minutes the expected shares leave empty are
// played at the replacement level, not spread over the listed players
// (who would then count more than a whole game each).
func TestReplacementFill(t *testing.T) {
	r := newAvailRatings(8)
	dn := 1000
	for i := 0; i < 30; i++ {
		dn = availGames(r, "T", "2018-19", dn, []int32{0, 1, 2, 3, 4})
	}
	for pl := range r.av["T"] {
		r.av["T"][pl].play = 5.0 // 5 players x 5 = the whole game
	}
	r.x[0], r.x[1], r.x[2], r.x[3], r.x[4] = 6, 2, 2, 2, 2
	// the star (player 0) has missed four games
	r.av["T"][0].miss = 4
	p := r.avail.prob(r.av["T"][0].key(false))
	q := r.avail.prob(r.av["T"][1].key(false)) // the others
	for _, tc := range []struct {
		fill bool
		want float64
	}{
		{true, 5 * (p*5*6 + q*4*5*2 + (25-p*5-q*20)*-1) / 25},
		{false, 5 * (p*5*6 + q*4*5*2) / (p*5 + q*20)},
	} {
		r.cfg.ReplacementFill, r.cfg.Replacement = tc.fill, -1
		v, _ := r.teamValue("T", dn)
		if math.Abs(v-tc.want) > 1e-9 {
			t.Errorf("fill=%v: team value %.6f, want %.6f", tc.fill, v, tc.want)
		}
	}
}

// TestNeutralSite: the Orlando restart of 2019-20 is played without a
// home team: its games' home feature is 0 and a matchup there has no
// home edge; the rule is off without Config.Neutral.
func TestNeutralSite(t *testing.T) {
	for _, tc := range []struct {
		date string
		on   bool
		want bool
	}{
		{"2020-03-11", true, false},
		{"2020-07-30", true, true},
		{"2020-10-11", true, true},
		{"2020-12-22", true, false},
		{"2020-08-15", false, false},
	} {
		c := DefaultConfig
		c.Neutral = tc.on
		if got := c.neutral(tc.date); got != tc.want {
			t.Errorf("%s (Neutral %v): neutral %v, want %v", tc.date, tc.on, got, tc.want)
		}
	}
	m, err := ModelAt(&Corpus{}, "2020-08-15", DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	home, neutral := m.NewMatchup("A", "B", false), m.NewMatchup("A", "B", true)
	if home.Features["home"] != 1 || neutral.Features["home"] != 0 {
		t.Errorf("home feature: %v at home, %v at a neutral site", home.Features["home"], neutral.Features["home"])
	}
	if !(home.ExpectedMargin > neutral.ExpectedMargin) {
		t.Errorf("expected margin %v at home, %v at a neutral site: want a home edge only at home", home.ExpectedMargin, neutral.ExpectedMargin)
	}
}

// TestTeamRatingsDropGarbage: the points of garbage time (benches) do not
// count in the team efficiencies with DropGarbage.
func TestTeamRatingsDropGarbage(t *testing.T) {
	// home and away score alike until the 4th quarter's last 7 minutes of
	// a blowout, where the home team scores on every possession
	var poss []Poss
	for i := 0; i < 200; i++ {
		p := Poss{Off: model.Side(1 + i%2), Period: 2, Clock: 3000, Pts: 1}
		if i >= 160 {
			p = Poss{Off: model.Side(1 + i%2), Period: 4, Clock: 3000, Margin: 20}
			if p.Off == model.Home {
				p.Pts = 3
			} else {
				p.Margin = -20
			}
		}
		poss = append(poss, p)
	}
	g := Game{HomeID: "H", AwayID: "A", Poss: poss, PossHome: 100, PossAway: 100, Seconds: 2880}
	for _, p := range poss {
		if p.Off == model.Home {
			g.HomePts += int(p.Pts)
		} else {
			g.AwayPts += int(p.Pts)
		}
	}
	for _, tc := range []struct {
		drop bool
		net  func(float64) bool
	}{
		{true, func(d float64) bool { return math.Abs(d) < 1e-6 }},
		{false, func(d float64) bool { return d > 10 }},
	} {
		tr := newTeamRatings(RatingConfig{HalfLifeDays: 75, Prior: 6, DropGarbage: tc.drop})
		for day := 0; day < 5; day++ {
			tr.add(&g, 1000+day, true)
		}
		r, err := tr.snapshot()
		if err != nil {
			t.Fatal(err)
		}
		h, a := r.Teams["H"], r.Teams["A"]
		if d := (h.Offense - h.Defense) - (a.Offense - a.Defense); !tc.net(d) {
			t.Errorf("DropGarbage %v: home minus away net rating %.3f", tc.drop, d)
		}
	}
}
