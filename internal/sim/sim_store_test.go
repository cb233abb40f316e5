package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// storeUntil is the first date the test stores leave out: about 330 games
// of 2018-19 (the whole season with NBASIM_SIM_FULL=1).
func storeUntil() string {
	if fullSize() {
		return "2019-05-01"
	}
	return "2018-12-08"
}

func runJSON(t *testing.T, q store.Querier, req Request) []byte {
	t.Helper()
	res, err := Run(context.Background(), q, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// target is a game late in the test store, predicted from the games before it.
func target(rows []string) string { return rows[len(rows)-5] }

func gameIDs(t *testing.T, q store.Querier) []string {
	t.Helper()
	gs, err := store.ListGames(context.Background(), q, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range gs {
		ids = append(ids, g.GameID)
	}
	return ids
}

// TestLeakGuard: a pregame prediction must not change when the predicted
// game and every later game are altered or removed, and must change when
// an earlier game is (so the test can fail).
func TestLeakGuard(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	fillStore(t, st, storeUntil())
	id := target(gameIDs(t, st))
	g, err := store.GetGame(ctx, st, id)
	if err != nil {
		t.Fatal(err)
	}
	req := Request{GameID: id, N: 4000, Seed: 11}
	before := runJSON(t, st, req)

	// the future: flip every score and wipe the plays of the game and of
	// every game on or after its date (the game's own row keeps its teams)
	if _, err := st.Exec(ctx, `UPDATE games SET home_pts = away_pts + 50 WHERE game_date >= $1`, g.Date); err != nil {
		t.Fatal(err)
	}
	n, err := st.Exec(ctx, `DELETE FROM plays WHERE game_id IN (SELECT game_id FROM games WHERE game_date >= $1)`, g.Date)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no play of the predicted date deleted: the guard would check nothing")
	}
	after := runJSON(t, st, req)
	// the real final score is reported, not used: drop it from the comparison
	strip := func(b []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "final")
		out, _ := json.Marshal(m)
		return out
	}
	if !bytes.Equal(strip(before), strip(after)) {
		t.Fatalf("the prediction changed when games on or after %s changed: the model saw them\nbefore %s\nafter  %s", g.Date, before, after)
	}

	// the past: an earlier game with a different result must change it
	var early string
	if err := st.QueryRow(ctx, `SELECT game_id FROM games WHERE game_date < $1 AND (home_team_id = $2 OR away_team_id = $2) ORDER BY game_date DESC LIMIT 1`, g.Date, g.HomeTeamID).Scan(&early); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Exec(ctx, `DELETE FROM plays WHERE game_id = $1`, early); err != nil {
		t.Fatal(err)
	}
	if changed := runJSON(t, st, req); bytes.Equal(strip(changed), strip(after)) {
		t.Fatalf("removing game %s (before %s) did not change the prediction: the test cannot see what the model reads", early, g.Date)
	}
}

// TestEstimatorRefusesLaterGame: the estimator itself refuses to fold a
// game that is not strictly before its date.
func TestEstimatorRefusesLaterGame(t *testing.T) {
	c := &Corpus{Games: []Game{{ID: "g1", Date: "2019-01-02", HomeID: "1", AwayID: "2", HomePts: 100, AwayPts: 90, Seconds: 2880}}}
	e := NewEstimator(c, DefaultConfig)
	if err := e.fold(&c.Games[0], "2019-01-02"); err == nil {
		t.Fatal("a game of the model's own date was folded in")
	}
	if err := e.AdvanceTo("2019-01-02"); err != nil {
		t.Fatal(err)
	}
	if e.folded != 0 {
		t.Fatalf("AdvanceTo(2019-01-02) folded %d games of 2019-01-02", e.folded)
	}
	if err := e.AdvanceTo("2019-01-03"); err != nil || e.folded != 1 {
		t.Fatalf("AdvanceTo(2019-01-03): folded %d, err %v", e.folded, err)
	}
	if err := e.AdvanceTo("2019-01-01"); err == nil {
		t.Fatal("the estimator went back in time")
	}
}

// TestSameSeedSQLitePostgres: the same store content and seed give
// byte-identical output on both engines (pregame, from a moment, and the
// win probability of a game).
func TestSameSeedSQLitePostgres(t *testing.T) {
	ctx := context.Background()
	lite, pg := storetest.SQLite(t), storetest.Postgres(t)
	until := "2018-11-20"
	fillStore(t, lite, until)
	fillStore(t, pg, until)
	id := target(gameIDs(t, lite))
	for _, req := range []Request{
		{GameID: id, N: 3000, Seed: 5},
		{GameID: id, N: 3000, Seed: 5, At: "Q3 7:02"},
		{Home: "BOS", Away: "PHI", Date: "2018-11-20", N: 3000, Seed: 9},
	} {
		a, b := runJSON(t, lite, req), runJSON(t, pg, req)
		if !bytes.Equal(a, b) {
			t.Fatalf("%+v: SQLite and PostgreSQL differ\nsqlite   %s\npostgres %s", req, a, b)
		}
		if again := runJSON(t, lite, req); !bytes.Equal(a, again) {
			t.Fatalf("%+v: two runs with the same seed differ", req)
		}
		other := req
		other.Seed++
		if c := runJSON(t, lite, other); bytes.Equal(a, c) {
			t.Fatalf("%+v: another seed gives the same output", req)
		}
	}
	wa, err := RunWinProb(ctx, lite, id, 200, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := RunWinProb(ctx, pg, id, 200, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(wa)
	jb, _ := json.Marshal(wb)
	if !bytes.Equal(ja, jb) {
		t.Fatal("win probability differs between SQLite and PostgreSQL")
	}
	if len(wa.Points) < 300 {
		t.Fatalf("win probability of %s has %d points; a game has about 450 events", id, len(wa.Points))
	}
	last := wa.Points[len(wa.Points)-1]
	want := 0.0
	if wa.Final[0] > wa.Final[1] {
		want = 1
	}
	if last.HomeWin != want {
		t.Fatalf("after the last event (final %d-%d) the home win probability is %v, want %v", wa.Final[0], wa.Final[1], last.HomeWin, want)
	}
}

// TestBacktestFigures pins the backtest's figures on the test store (the
// first weeks of 2018-19; the whole season with NBASIM_SIM_FULL=1): every
// game predicted walk-forward from the games before its date, with 300
// simulations per prediction. A change of the model that moves a figure
// fails here; if the change is meant, rerun, check the figures in
// docs/sim.md and update them here.
func TestBacktestFigures(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	fillStore(t, st, storeUntil())
	c, err := LoadCorpus(ctx, st, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Backtest(ctx, c, BacktestOptions{Seasons: []string{"2018-19"}, N: 300, Seed: 1, Config: DefaultConfig})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	pre := o.Scores["pregame"]
	got := map[string]float64{
		"games":           float64(o.Games),
		"sim_brier":       pre[PredSim].Brier,
		"sim_log_loss":    pre[PredSim].LogLoss,
		"elo_brier":       pre[PredElo].Brier,
		"elo_log_loss":    pre[PredElo].LogLoss,
		"time_avg_brier":  o.TimeAveraged[PredSim],
		"logistic_brier":  o.TimeAveraged[PredLogistic],
		"pregame_cal_gap": o.Calibration["pregame"].MaxGapPP(30),
	}
	b, _ := json.Marshal(got)
	t.Logf("figures: %s", b)
	if fullSize() {
		return // the full-size figures are in docs/sim.md
	}
	// figures of 2018-19 before 2018-12-08 (2026-12-07, box-score prior,
	// stretch to the win spread, availability model, garbage time out of
	// the team ratings; before the last two: sim Brier 0.2321, time
	// average 0.1446, calibration gap 8.66): the first weeks of
	// a season have no earlier season in the test store, so Elo and the
	// simulator both start from scratch (no player has a rating, the blend
	// and its spread are at their priors for the first 200 games): the
	// simulator trails Elo here and leads it on whole seasons (docs/sim.md)
	want := map[string]float64{"games": 367, "sim_brier": 0.2323, "sim_log_loss": 0.657, "elo_brier": 0.2281, "elo_log_loss": 0.6475,
		"time_avg_brier": 0.1459, "logistic_brier": 0.1528, "pregame_cal_gap": 6.99}
	for k, w := range want {
		// rounded figures: allow one unit of the last digit
		if math.Abs(got[k]-w) > 1.5e-4*math.Max(1, w) {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
}
