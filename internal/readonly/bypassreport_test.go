package readonly_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nbasim/nbasim/internal/readonly"
)

// bypassReport gathers which layer refused each step of each attack on
// each engine (TestBypassBattery).
type bypassReport struct {
	mu      sync.Mutex
	engines map[string]bool
	steps   map[[2]string][]string // (engine, attack) -> outcome of each step
	skipped map[[2]string]bool
}

func newBypassReport() *bypassReport {
	return &bypassReport{engines: map[string]bool{}, steps: map[[2]string][]string{}, skipped: map[[2]string]bool{}}
}

// outcome names the layer that refused a step: the splitter wraps
// readonly.ErrNotReadOnly (DB.Query never runs the statement checker), any
// other error is the database's own.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ran"
	case errors.Is(err, readonly.ErrNotReadOnly):
		return "splitter"
	}
	return "database"
}

func (r *bypassReport) step(engine, attack string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.engines[engine] = true
	k := [2]string{engine, attack}
	r.steps[k] = append(r.steps[k], outcome(err))
}

func (r *bypassReport) skip(engine, attack string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.engines[engine] = true
	r.skipped[[2]string{engine, attack}] = true
}

// verdict sums an attack up on one engine: the layer that refused its
// last step (the harmful one: earlier steps only prepare the session),
// with the earlier steps' outcomes before an arrow.
func verdict(steps []string) string {
	return strings.Join(steps, " → ")
}

// guard is what the statement checker says of every step of a, in the
// flavor f: "refused" when it refuses each step, else the steps it lets
// through.
func guard(a attack, f readonly.Flavor) string {
	var out []string
	for _, s := range a.steps {
		if _, err := readonly.Check(s, f); err != nil {
			out = append(out, "refused")
		} else {
			out = append(out, "passed")
		}
	}
	return strings.Join(out, " → ")
}

// write logs the table and the counts per engine, writes the Markdown to
// $NBASIM_BYPASS_REPORT when set, and fails when an engine that ran has a
// case without a verdict (a report over nothing proves nothing).
func (r *bypassReport) write(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, e := range engines() {
		if r.engines[e.name] {
			names = append(names, e.name)
		}
	}
	if len(names) == 0 {
		return // every engine failed or was skipped: their own errors say why
	}
	as := attacks(os.TempDir())
	var b strings.Builder
	fmt.Fprintf(&b, "| case | checker (SQLite) | checker (PostgreSQL) | %s |\n|---|---|---|%s\n", strings.Join(names, " | "), strings.Repeat("---|", len(names)))
	type tally struct{ database, splitter, ran, mixed, skipped int }
	counts := map[string]*tally{}
	for _, e := range names {
		counts[e] = &tally{}
	}
	guardRefused := map[readonly.Flavor]int{}
	for _, a := range as {
		gs, gp := guard(a, readonly.FlavorSQLite), guard(a, readonly.FlavorPostgres)
		if !strings.Contains(gs, "passed") {
			guardRefused[readonly.FlavorSQLite]++
		}
		if !strings.Contains(gp, "passed") {
			guardRefused[readonly.FlavorPostgres]++
		}
		cells := []string{a.name, gs, gp}
		for _, e := range names {
			k := [2]string{e, a.name}
			c := counts[e]
			switch steps := r.steps[k]; {
			case r.skipped[k]:
				cells = append(cells, "skipped (server-side)")
				c.skipped++
			case len(steps) == 0:
				t.Errorf("bypass report: %s: case %s has no outcome", e, a.name)
				cells = append(cells, "?")
			default:
				cells = append(cells, verdict(steps))
				switch last := steps[len(steps)-1]; {
				case slices.Contains(steps, "splitter") && slices.Contains(steps, "database"):
					c.mixed++
				case last == "database":
					c.database++
				case last == "splitter":
					c.splitter++
				default:
					c.ran++
				}
			}
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintf(&b, "\n%d cases. The statement checker (MCP `query` tool) refuses %d on SQLite's flavor and %d on PostgreSQL's.\n\n",
		len(as), guardRefused[readonly.FlavorSQLite], guardRefused[readonly.FlavorPostgres])
	b.WriteString("| engine | refused by the database | refused by the splitter | ran (a read, or a change the rollback undid) | skipped |\n|---|---|---|---|---|\n")
	for _, e := range names {
		c := counts[e]
		if c.mixed > 0 {
			t.Errorf("bypass report: %s: %d cases refused by both layers in different steps; count them", e, c.mixed)
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", e, c.database, c.splitter, c.ran, c.skipped)
		if c.database+c.splitter+c.ran+c.skipped != len(as) {
			t.Errorf("bypass report: %s: %d+%d+%d+%d verdicts for %d cases", e, c.database, c.splitter, c.ran, c.skipped, len(as))
		}
	}
	t.Logf("bypass battery, which layer refused each step:\n%s", b.String())
	if p := os.Getenv("NBASIM_BYPASS_REPORT"); p != "" {
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Errorf("bypass report: %v", err)
		}
	}
}
