package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/sim"
)

func newSimCmd(a *app) *cobra.Command {
	var (
		home, away, date, at string
		n                    int
		seed                 uint64
		asJSON               bool
	)
	cmd := &cobra.Command{
		Use:   "sim [GAME_ID]",
		Short: "Simulate a game possession by possession: win probability and score distribution",
		Long: `Simulate a game n times with the possession model (docs/sim.md), from the tip or
from the real state of a game at a moment (--at: score, clock, period, ball,
team fouls). The model is estimated from the store with only the games played
before the game's date. The same seed gives the same output.`,
		Example: `  nbasim sim 0021800500
  nbasim sim 0021800500 --at "Q3 7:02" --json
  nbasim sim --home BOS --away PHI --date 2019-03-20 --n 20000 --seed 7
  nbasim sim backtest --season 2018-19`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			req := sim.Request{Home: home, Away: away, Date: date, At: at, N: n, Seed: seed}
			if len(args) == 1 {
				req.GameID = args[0]
			}
			if req.GameID != "" && date != "" {
				return errors.New("sim: --date goes with --home/--away, not with a game id")
			}
			s, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("sim: %w", err)
			}
			res, err := sim.Run(ctx, s, req)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			printSim(cmd.OutOrStdout(), res)
			return nil
		},
	}
	cmd.Flags().StringVar(&home, "home", "", "home team (NBA code or team id), with --away and --date")
	cmd.Flags().StringVar(&away, "away", "", "away team (NBA code or team id)")
	cmd.Flags().StringVar(&date, "date", "", "game date YYYY-MM-DD: the model knows the games before it")
	cmd.Flags().StringVar(&at, "at", "", `start from the real state at a moment of the game ("Q3 7:02", "OT1 2:00")`)
	cmd.Flags().IntVar(&n, "n", 10000, "simulations")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed (same seed, same output)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(newSimBacktestCmd(a))
	return cmd
}

func printSim(w io.Writer, r *sim.Result) {
	title := r.Away.Code + " at " + r.Home.Code + " on " + r.Date
	if r.GameID != "" {
		title = r.GameID + "  " + title
	}
	fmt.Fprintln(w, title)
	if r.At != "tip" {
		ball := "jump ball"
		switch r.Start.Ball {
		case 1:
			ball = r.Home.Code + " ball"
		case 2:
			ball = r.Away.Code + " ball"
		}
		fmt.Fprintf(w, "from %s: %s %d - %s %d, period %d %s left, %s, team fouls %s %d %s %d\n", r.At, r.Home.Code, r.Start.Home, r.Away.Code, r.Start.Away,
			r.Start.Period, r.Start.Clock, ball, r.Home.Code, r.Start.Fouls[1], r.Away.Code, r.Start.Fouls[2])
	}
	fmt.Fprintf(w, "model as of %s: %d games (latest %s); expected pts/100 %s %.1f, %s %.1f; pace %.1f\n",
		r.Model.AsOf, r.Model.Games, r.Model.LatestGame, r.Home.Code, r.Matchup.HomePer100, r.Away.Code, r.Matchup.AwayPer100, r.Matchup.Pace)
	s := r.Summary
	fmt.Fprintf(w, "%d simulations (seed %d): %s wins %.1f%%, %s wins %.1f%%, overtime %.1f%%\n", s.Simulations, s.Seed,
		r.Home.Code, 100*s.HomeWinProb, r.Away.Code, 100*s.AwayWinProb, 100*s.OvertimeProb)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tmean\tp10\tp50\tp90\t")
	for _, row := range []struct {
		name string
		d    sim.Dist5
	}{{r.Home.Code + " points", s.Home}, {r.Away.Code + " points", s.Away}, {"margin (home)", s.Margin}, {"total", s.Total}} {
		fmt.Fprintf(tw, "%s\t%.1f\t%d\t%d\t%d\t\n", row.name, row.d.Mean, row.d.P10, row.d.P50, row.d.P90)
	}
	tw.Flush()
	if r.Final != nil {
		fmt.Fprintf(w, "real final: %s %d - %s %d\n", r.Home.Code, r.Final[0], r.Away.Code, r.Final[1])
	}
	for _, wmsg := range r.Warnings {
		fmt.Fprintln(w, "warning:", wmsg)
	}
}

func newSimBacktestCmd(a *app) *cobra.Command {
	var (
		seasons      []string
		n, pregameN  int
		seed         uint64
		asJSON       bool
		out, predOut string
		pregameOnly  bool
		cfg          = sim.DefaultConfig
	)
	cmd := &cobra.Command{
		Use:   "backtest",
		Short: "Predict every game of seasons walk-forward and score the predictions against baselines",
		Long: `Predict every game of the given seasons from the store, each from a model built
only from games played before its date: before the tip and at the start of
each later quarter, 5:00 and 1:00 left in the fourth. Prints accuracy, Brier
score and log loss per moment, next to the baselines computed in the same run
(home team at its historical rate, FiveThirtyEight-style Elo, and an in-game
logistic model of margin and time left), and a calibration table. --out DIR
writes report.json, calibration.svg and calibration.png.`,
		Example: `  nbasim sim backtest --season 2018-19
  nbasim sim backtest --season 2014-15 --season 2015-16 --n 1000 --out /tmp/bt --json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if len(seasons) == 0 {
				return errors.New("sim backtest: give at least one --season (2018-19)")
			}
			s, err := a.Store(ctx)
			if err != nil {
				return fmt.Errorf("sim backtest: %w", err)
			}
			stderr := cmd.ErrOrStderr()
			term := false
			if ef, ok := stderr.(*os.File); ok {
				term = isTerminal(ef)
			}
			prog := &benchProgress{w: stderr, term: term, log: a}
			t0 := time.Now()
			prog.Begin("reading games", -1)
			corpus, err := sim.LoadCorpus(ctx, s, sim.LoadOptions{Progress: func(d int) { prog.Set(int64(d)) }})
			prog.End()
			if err != nil {
				return err
			}
			readTime := time.Since(t0)
			t1 := time.Now()
			prog.Begin("predicting", 0)
			rep, err := sim.Backtest(ctx, corpus, sim.BacktestOptions{Seasons: seasons, N: n, PregameN: pregameN, Seed: seed, Config: cfg, PregameOnly: pregameOnly,
				Progress: func(d, t int) {
					if prog.total == 0 {
						prog.End()
						prog.Begin("predicting", int64(t))
					}
					prog.Set(int64(d))
				}})
			prog.End()
			if err != nil {
				return err
			}
			a.Logger().Info("sim backtest: done", "games_read", len(corpus.Games), "read_seconds", readTime.Seconds(), "predict_seconds", time.Since(t1).Seconds())
			if out != "" {
				if err := sim.WriteBacktestFiles(out, rep); err != nil {
					return err
				}
			}
			if predOut != "" {
				if err := sim.WritePredictionsCSV(predOut, rep); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			printBacktest(cmd.OutOrStdout(), rep)
			if out != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", strings.Join([]string{filepath.Join(out, "report.json"), filepath.Join(out, "calibration.svg"), filepath.Join(out, "calibration.png")}, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&seasons, "season", nil, "season to predict (repeat or comma-separate)")
	cmd.Flags().IntVar(&n, "n", 2000, "simulations per prediction")
	cmd.Flags().IntVar(&pregameN, "pregame-n", 0, "simulations per pregame prediction (0: --n)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().StringVar(&out, "out", "", "folder for report.json and the calibration plot (SVG and PNG)")
	cmd.Flags().Float64Var(&cfg.ScoreEffect, "score-effect", cfg.ScoreEffect, "points per possession an offense loses per point of lead (model setting)")
	cmd.Flags().Float64Var(&cfg.StrengthScale, "strength-scale", cfg.StrengthScale, "scale of team distances from the league at an even score (model setting)")
	cmd.Flags().Float64Var(&cfg.RatingNoise, "rating-noise", cfg.RatingNoise, "scale of the per-simulation draw of team strength (model setting)")
	cmd.Flags().Float64Var(&cfg.Ratings.HalfLifeDays, "half-life", cfg.Ratings.HalfLifeDays, "days for a game's weight in the team ratings to halve (model setting)")
	cmd.Flags().Float64Var(&cfg.Ratings.Prior, "prior-games", cfg.Ratings.Prior, "ridge prior of the team ratings, in games (model setting)")
	cmd.Flags().BoolVar(&pregameOnly, "pregame-only", false, "predict before the tip only (no in-game moments)")
	cmd.Flags().Float64Var(&cfg.Players.HalfLifeDays, "player-half-life", cfg.Players.HalfLifeDays, "days for a stint's weight in the player ratings to halve (model setting)")
	cmd.Flags().Float64Var(&cfg.Players.ShareDecay, "share-decay", cfg.Players.ShareDecay, "per team game, how much of a player's expected minutes share is kept (model setting)")
	cmd.Flags().StringVar(&predOut, "predictions", "", "CSV file of every prediction (game, moment, predictor, probability)")
	return cmd
}

func printBacktest(w io.Writer, rep *sim.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "season\tgames\tsim acc\tsim brier\tsim logloss\telo acc\telo brier\telo logloss\thome acc\thome brier\thome logloss\tin-game sim brier (time avg)\tlogistic (time avg)")
	rows := append([]*sim.SeasonReport{}, rep.Seasons...)
	rows = append(rows, rep.Overall)
	for _, r := range rows {
		pg := r.Scores["pregame"]
		get := func(p string) *sim.Score {
			if s := pg[p]; s != nil {
				return s
			}
			return &sim.Score{}
		}
		s, e, h := get(sim.PredSim), get(sim.PredElo), get(sim.PredHome)
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.4f\t%.4f\t%.3f\t%.4f\t%.4f\t%.3f\t%.4f\t%.4f\t%.4f\t%.4f\n", r.Season, r.Games,
			s.Accuracy, s.Brier, s.LogLoss, e.Accuracy, e.Brier, e.LogLoss, h.Accuracy, h.Brier, h.LogLoss,
			r.TimeAveraged[sim.PredSim], r.TimeAveraged[sim.PredLogistic])
	}
	tw.Flush()
	fmt.Fprintf(w, "seasons where sim beats elo on pregame Brier and log loss: %d of %d\n", rep.SeasonsBeatingElo, len(rep.Seasons))
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "moment (all seasons)\tn\tsim acc\tsim brier\tsim logloss\tlogistic brier\tlogistic logloss")
	for _, m := range sim.Moments {
		s, l := rep.Overall.Scores[m.Name][sim.PredSim], rep.Overall.Scores[m.Name][sim.PredLogistic]
		if s == nil || l == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.4f\t%.4f\t%.4f\t%.4f\n", m.Name, s.N, s.Accuracy, s.Brier, s.LogLoss, l.Brier, l.LogLoss)
	}
	tw.Flush()
	for _, k := range []string{"pregame", "in_game"} {
		fmt.Fprintf(w, "\ncalibration (sim, %s, all seasons)\n", k)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "predicted\tn\tmean predicted\tobserved\tgap pp")
		for _, b := range rep.Overall.Calibration[k] {
			fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.1f\n", b.Range, b.N, b.Predicted, b.Observed, b.GapPP)
		}
		tw.Flush()
	}
}
