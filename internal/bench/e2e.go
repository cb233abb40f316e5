package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/load"
	"github.com/nbasim/nbasim/internal/storeopen"
)

// runBoxCLI is the end-to-end scenario: what a user waits for when asking
// `nbasim box GAME --at "Q3 5:12"` on a loaded store, a cold process each
// time (start, open the store, read one game's plays, compile, fold,
// print). Setup (untimed): the archive imported into a file:// lake and
// loaded into a SQLite file. Measured: Options.Processes processes of
// Options.Binary on random games and moments, one after the other.
func runBoxCLI(ctx context.Context, e *env) ([]Result, error) {
	if e.opt.Binary == "" {
		return []Result{{Scenario: "box-cli", Skipped: "no nbasim binary (Options.Binary; nbasim bench runs itself)"}}, nil
	}
	m := newMeter("box-cli", "")
	fail := func(err error) ([]Result, error) { return []Result{m.done()}, err }
	dir, lk, games, cleanLake, err := e.archiveLake(ctx, m, "box-cli")
	if err != nil {
		return fail(err)
	}
	defer cleanLake()
	db, lakeURL := filepath.Join(dir, "nbasim.db"), "file://"+filepath.Join(dir, "lake")
	var ids []string
	if err := m.setup("load into a SQLite store", func() error {
		st, err := storeopen.Open(ctx, config.Database{SQLitePath: db}, nil)
		if err != nil {
			return err
		}
		defer st.Close()
		sum, err := (&load.Loader{Lake: lk, Store: st, Log: e.opt.Log}).Run(ctx, load.Options{})
		if err != nil {
			return err
		}
		if sum.Parsed != games {
			return fmt.Errorf("bench: load parsed %d of %d games (statuses %v)", sum.Parsed, games, sum.ByStatus)
		}
		rows, err := st.Query(ctx, `SELECT DISTINCT game_id FROM plays ORDER BY game_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return fmt.Errorf("bench: no game with plays after the load")
		}
		return nil
	}); err != nil {
		return fail(err)
	}
	n := e.opt.Processes
	lat := make([]time.Duration, 0, n)
	var cpu time.Duration
	err = m.measure(fmt.Sprintf("%d nbasim box processes", n), func() (int64, error) {
		r := rand.New(rand.NewPCG(3, 5))
		e.opt.Progress.Begin("box-cli", int64(n))
		defer e.opt.Progress.End()
		for i := range n {
			g := ids[r.IntN(len(ids))]
			at := fmt.Sprintf("Q%d %d:%02d", r.IntN(4)+1, r.IntN(12), r.IntN(60))
			cmd := exec.CommandContext(ctx, e.opt.Binary, "--db", db, "--lake", lakeURL, "--log-level", "warn",
				"box", g, "--at", at, "--format", "json")
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr, cmd.Dir = &out, &errOut, dir
			t0 := time.Now()
			if err := cmd.Run(); err != nil {
				return int64(i), fmt.Errorf("bench: nbasim box %s --at %q: %w: %s", g, at, err, bytes.TrimSpace(errOut.Bytes()))
			}
			lat = append(lat, time.Since(t0))
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			if !json.Valid(out.Bytes()) {
				return int64(i), fmt.Errorf("bench: nbasim box %s --at %q printed no JSON: %.200s", g, at, out.String())
			}
			e.opt.Progress.Set(int64(i + 1))
		}
		return int64(n), nil
	})
	m.res.Unit, m.res.Target = "processes", "sqlite (temporary file)"
	m.res.Input = fmt.Sprintf("cold `nbasim box GAME --at \"Qn m:ss\" --format json` processes, random games and moments of %d games of the %s archive loaded into SQLite", len(ids), archiveSeason)
	if len(lat) > 0 {
		slices.Sort(lat)
		m.res.Latency = &Latency{N: len(lat), P50: lat[len(lat)/2], P99: lat[len(lat)*99/100], Max: lat[len(lat)-1]}
		m.metric("CPU per process (user + system of the child)", float64(cpu.Microseconds())/1e3/float64(len(lat)), "ms")
	}
	return []Result{m.done()}, err
}
