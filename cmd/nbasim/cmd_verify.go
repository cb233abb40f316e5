package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/store"
)

func newVerifyCmd(a *app) *cobra.Command {
	var (
		game, season, data, jsonPath, tablePath, overrides, format string
		all, save, asJSON                                          bool
		sources, scores                                            string
	)
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Compare derived box scores with the official ones",
		Long: `Derive the final box of every selected game from its play-by-play and compare
it with every official box, per player and per stat. Each game gets a grade
(A: every cell, team total and minute exact; B: team points exact and >= 99%
of cells; C: >= 97%; D: >= 90%; F: below, or the game failed). The report
gives the share of player-stat cells exact, of games fully exact, of team
totals exact, of minutes within 1 s, and every difference with its cause.

From the store (--game, --season, --all) verify only reads: the database is
opened read-only, so it works on a database or from a directory it may not
write. --save stores the derived boxes (source derived) and the results
(verify_runs, verify_games, verify_diffs). With --data DIR it reads a
recorded data folder directly (INDEX_games.csv; with --season 2018-19, the
season archive against the team game log), so the figures are reproducible
without the lake.

A check over nothing fails: an unknown game or season, or a store without
games, exits 1 with a message saying what was not found. --game takes an
NBA id (0021800001), a short id (21800001), an ESPN id or a
basketball-reference id.

--scores FILE also checks every selected game's derived final score against a
reference of final scores, for games (such as a bulk archive's) that have no
official box: the legacy_pbp game_info files (game_info_all.jsonl.gz or a
game_info/ folder; their home and away scores are swapped in the source and
swapped back here). Every game either derives a box or is listed as failed
with the reason; every miss is listed. With --save, the derived box of every
game without an official box is stored too, so the games of a bulk archive
get their rows in player_games and team_games:
nbasim verify --all --scores game_info_all.jsonl.gz --save.`,
		Example: `  nbasim verify --game 0021800001
  nbasim verify --game 401585607 --json
  nbasim verify --season 2018-19 --save --json-file verify.json
  nbasim verify --all --table-file verify.txt
  nbasim verify --data ../shared/data
  nbasim verify --data ../shared/data --season 2018-19
  nbasim verify --season 2014-15 --scores ../shared/data/legacy_pbp/game_info_all.jsonl.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			modes := 0
			for _, b := range []bool{game != "", season != "" && data == "", all, data != ""} {
				if b {
					modes++
				}
			}
			if modes != 1 {
				return errors.New("verify: choose one of --game ID, --season S, --all, --data DIR (with --data, --season 2018-19 checks the season archive)")
			}
			if sources != "primary" && sources != "all" {
				return fmt.Errorf("verify: --sources %q: want primary or all", sources)
			}
			if asJSON {
				format = "json"
			}
			if format != "table" && format != "json" {
				return fmt.Errorf("verify: --format %q: want table or json", format)
			}
			ov, err := pbp.LoadOverrides(overrides)
			if err != nil {
				return fmt.Errorf("verify: %w", err)
			}
			started := time.Now()
			var bar *progressbar.ProgressBar
			progress := func(done, total int) {
				if !isTerminal(os.Stderr) {
					if done == total || done%200 == 0 {
						a.Logger().Info("verify", "done", done, "total", total)
					}
					return
				}
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("verify"),
						progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
				}
				_ = bar.Set(done)
			}
			var rep *derive.Report
			var srep *derive.ScoreReport
			var scope string
			switch {
			case data != "" && season != "":
				scope = "data " + data + " season " + season
				bulk := filepath.Join(data, "archive", "legacy_pbp", season+".tar.zst")
				if _, serr := os.Stat(bulk); serr == nil {
					// the bulk archive's games against its game_info final scores
					if scores == "" {
						scores = filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz")
					}
					ref, rerr := derive.ReadGameInfoScores(scores)
					if rerr != nil {
						return fmt.Errorf("verify: --scores: %w", rerr)
					}
					if srep, err = derive.VerifyArchiveScores(ctx, bulk, ref, ov, nil); err != nil {
						return fmt.Errorf("verify: %w", err)
					}
				} else if season != "2018-19" {
					return fmt.Errorf("verify: --data with --season %s: no %s, and only 2018-19 has a JSON season archive", season, bulk)
				}
				if season == "2018-19" {
					rep, err = derive.VerifySeason(ctx, derive.DefaultSeason(data), derive.Options{Overrides: ov, Progress: progress})
				} else {
					rep = &derive.Report{Name: scope + ": no official boxes (final scores below)"}
				}
			case data != "":
				scope = "data " + data
				rep, err = derive.VerifyDir(ctx, data, derive.Options{Overrides: ov, Progress: progress})
			default:
				var q store.Querier
				if save {
					s, serr := a.Store(ctx)
					if serr != nil {
						return fmt.Errorf("verify: %w (or use --data DIR)", serr)
					}
					q = s
				} else {
					db, rerr := openReadOnly(ctx, a, "", readonly.Options{AllowPrivileged: true, Timeout: time.Hour})
					if rerr != nil {
						return fmt.Errorf("verify: %w (or use --data DIR)", rerr)
					}
					defer db.Close()
					q = readonly.Querier(db)
				}
				var ids []string
				switch {
				case game != "":
					r, gerr := gameref.Resolve(ctx, q, game)
					if gerr != nil {
						return fmt.Errorf("verify: %w", gerr)
					}
					if r.Kind != gameref.NBA {
						fmt.Fprintf(cmd.ErrOrStderr(), "verify: game %s\n", r.Describe())
					}
					scope, ids = "game "+r.GameID, []string{r.GameID}
				default:
					scope = "all"
					if season != "" {
						scope = "season " + season
					}
					games, lerr := store.ListGames(ctx, q, season)
					if lerr != nil {
						return fmt.Errorf("verify: %w", lerr)
					}
					if len(games) == 0 {
						if season != "" {
							return fmt.Errorf("verify: season %q: no games of this season in the store (seasons look like 2018-19; nbasim games --season %s lists what is loaded)", season, season)
						}
						return errors.New("verify: the store has no games: nothing to verify (nbasim import, then nbasim load)")
					}
					for _, g := range games {
						ids = append(ids, g.GameID)
					}
				}
				rep = &derive.Report{Name: scope}
				var ref map[string]derive.FinalScore
				if scores != "" {
					if ref, err = derive.ReadGameInfoScores(scores); err != nil {
						return fmt.Errorf("verify: --scores: %w", err)
					}
					srep = &derive.ScoreReport{Name: scope + " vs " + filepath.Base(scores)}
				}
				for i, id := range ids {
					if cerr := ctx.Err(); cerr != nil {
						return cerr
					}
					res, skip, verr := derive.VerifyGame(ctx, q, id, ov, sources == "all", save)
					if verr != nil {
						return fmt.Errorf("verify: game %s: %w", id, verr)
					}
					if skip != "" {
						rep.Skipped = append(rep.Skipped, id+": "+skip)
					}
					rep.Games = append(rep.Games, res...)
					if srep != nil {
						fs, ok := ref[id]
						// a game without an official box (a bulk archive's)
						// stores its derived box here; VerifyGame stored the
						// others'
						sr, serr := derive.VerifyScoreSave(ctx, q, id, ov, fs, ok, save && skip != "")
						if serr != nil {
							return fmt.Errorf("verify: %w", serr)
						}
						srep.Add(sr)
					}
					progress(i+1, len(ids))
				}
				rep.Summarize()
				if len(rep.Games) == 0 && srep == nil {
					reason := "no game had both play-by-play and an official box"
					if len(rep.Skipped) > 0 {
						reason = rep.Skipped[0]
					}
					return fmt.Errorf("verify: %s: nothing was verified (%s)", scope, reason)
				}
			}
			if err != nil {
				return fmt.Errorf("verify: %w", err)
			}
			if bar != nil {
				_ = bar.Finish()
			}
			if save {
				s, serr := a.Store(ctx)
				if serr != nil {
					return fmt.Errorf("verify: save: %w", serr)
				}
				if err := derive.SaveReport(ctx, s, a.RunID(), scope, started, rep); err != nil {
					return err
				}
			}
			if jsonPath != "" {
				if err := writeReportFile(jsonPath, rep.WriteJSON); err != nil {
					return fmt.Errorf("verify: %w", err)
				}
			}
			if tablePath != "" {
				if err := writeReportFile(tablePath, rep.WriteTable); err != nil {
					return fmt.Errorf("verify: %w", err)
				}
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				if srep != nil {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(struct {
						Official    *derive.Report      `json:"official"`
						FinalScores *derive.ScoreReport `json:"final_scores"`
					}{rep, srep})
				}
				return rep.WriteJSON(w)
			}
			if err := rep.WriteTable(w); err != nil {
				return err
			}
			if srep != nil {
				fmt.Fprintln(w)
				if err := srep.WriteTable(w); err != nil {
					return err
				}
			}
			fmt.Fprintf(w, "\n%d games in %s\n", rep.Summary.Games, time.Since(started).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&game, "game", "", "verify one game (from the store)")
	f.StringVar(&season, "season", "", "verify a season (from the store; with --data, the 2018-19 archive)")
	f.BoolVar(&all, "all", false, "verify every game in the store")
	f.StringVar(&data, "data", "", "verify a recorded data folder (INDEX_games.csv) instead of the store")
	f.StringVar(&jsonPath, "json-file", "", "also write the report as JSON to this file")
	f.StringVar(&tablePath, "table-file", "", "also write the readable report to this file")
	f.StringVar(&format, "format", "table", "stdout: table or json")
	f.BoolVar(&asJSON, "json", false, "print JSON (the same as --format json)")
	f.StringVar(&overrides, "overrides", "", "user overrides file (YAML), on top of the embedded one")
	f.BoolVar(&save, "save", false, "store the derived boxes and the results (verify_runs, verify_games, verify_diffs); without it verify only reads")
	f.StringVar(&scores, "scores", "", "also check derived final scores against this reference (legacy_pbp game_info_all.jsonl.gz or a game_info/ folder)")
	f.StringVar(&sources, "sources", "primary", "official boxes to compare with: primary (the preferred one a game has) or all")
	return cmd
}

func writeReportFile(path string, write func(w io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
