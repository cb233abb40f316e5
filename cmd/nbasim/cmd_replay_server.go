package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/replay"
)

func newReplayServerCmd(a *app) *cobra.Command {
	var (
		addr       string
		archives   bool
		faultRate  float64
		faultKinds string
		retryAfter time.Duration
		hangFor    time.Duration
		slowFor    time.Duration
		logFile    string
		seed       uint64
		until      string
		stick      []string
	)
	cmd := &cobra.Command{
		Use:   "replay-server DIR",
		Short: "Serve recorded responses at their real URLs",
		Long: `Serve the recorded provider responses of DIR (laid out like ../shared/data:
nba_stats/index.tsv and URLS.tsv give the URL of each file) at their real URL
paths and query strings, for tests and demos. One server answers for every
host, named by a path prefix (http://ADDR/stats.nba.com/stats/...) or by the
Host header. Point the collectors at it with the printed environment.

Every request is logged with its time (GET /_replay/log, and --log FILE).
Faults: --fault-rate 0.2 --faults all (429,500,403,hang,slow,truncate,errorpage,reset),
or on demand: POST /_replay/fault?kind=429&count=3&host=stats.nba.com.
Every request to some URLs: --fault-path GameID=0021800004=hang (an endpoint
that never answers), --fault-path GameID=0021800003=garble (a poison object:
a 200 answer that passes the collector's checks and fails to parse, the same
bytes each time); POST /_replay/fault?kind=hang&path=GameID=0021800004.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := replay.Options{Archives: archives, ScheduleUntil: until}
			if logFile != "" {
				f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
				if err != nil {
					return err
				}
				defer f.Close()
				opts.LogFile = f
			}
			rs, err := replay.Load(args[0], opts)
			if err != nil {
				return err
			}
			kinds, err := replay.ParseFaults(faultKinds)
			if err != nil {
				return err
			}
			rs.SetFaults(replay.Faults{Rate: faultRate, Kinds: kinds, RetryAfter: retryAfter, HangFor: hangFor, SlowFor: slowFor, Seed: seed})
			for _, sp := range stick {
				i := strings.LastIndex(sp, "=")
				if i <= 0 {
					return fmt.Errorf("--fault-path %q: want SUBSTRING=KIND", sp)
				}
				k, err := replay.ParseFaults(sp[i+1:])
				if err != nil || len(k) != 1 {
					return fmt.Errorf("--fault-path %q: want one fault kind after the last '=': %v", sp, err)
				}
				rs.Stick(sp[:i], k[0])
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			root := "http://" + ln.Addr().String()
			fmt.Printf("replay server: %d recordings from %s at %s\n", len(rs.Entries()), args[0], root)
			bases := replay.BaseURLs(root)
			names := make([]string, 0, len(bases))
			for n := range bases {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Printf("export %s=%s\n", config.EnvName("sources."+n+".base_url"), bases[n])
			}
			srv := &http.Server{Handler: rs, ReadHeaderTimeout: 10 * time.Second}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			go func() {
				<-ctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_ = srv.Shutdown(sctx)
			}()
			a.Logger().Info("replay server listening", "addr", ln.Addr().String(), "fault_rate", faultRate, "faults", strings.Trim(fmt.Sprint(kinds), "[]"))
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8089", "listen address (port 0: any free port)")
	f.BoolVar(&archives, "archives", false, "also serve seasons/*/playbyplayv2.tar.gz members as stats.nba.com playbyplayv2")
	f.Float64Var(&faultRate, "fault-rate", 0, "probability of an injected fault per request (0..1)")
	f.StringVar(&faultKinds, "faults", "all", "comma-separated fault kinds to draw from")
	f.DurationVar(&retryAfter, "retry-after", 2*time.Second, "Retry-After sent with injected 429s")
	f.DurationVar(&hangFor, "hang-for", 2*time.Minute, "how long an injected hang lasts at most")
	f.DurationVar(&slowFor, "slow-for", 2*time.Second, "how long an injected slow body takes")
	f.StringVar(&logFile, "log", "", "append every request as a JSON line to this file")
	f.Uint64Var(&seed, "seed", 0, "random seed of fault injection")
	f.StringArrayVar(&stick, "fault-path", nil, "SUBSTRING=KIND: every request whose host, path and query contain SUBSTRING gets fault KIND (repeatable; garble: a poison object)")
	f.StringVar(&until, "schedule-until", "", "serve schedules (stats.nba.com leaguegamelog) cut to the games played up to this date (YYYY-MM-DD), for runs at a reduced size")
	return cmd
}
