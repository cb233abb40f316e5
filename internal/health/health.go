// Package health runs pre-flight checks: each Check reports ok, warn or
// fail with a message and its duration. A Runner bounds every check with a
// timeout (a database that does not answer fails its check instead of
// hanging the run), can stop at the first failure, and records each check
// as a step of a timing report.
package health

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/timing"
)

// Status is a check's outcome.
type Status string

// Outcomes, from best to worst. Skip marks checks not run after a failure
// with fail-fast on.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

func (s Status) rank() int {
	switch s {
	case OK:
		return 0
	case Skip:
		return 1
	case Warn:
		return 2
	}
	return 3
}

// Worse returns the worse of a and b.
func Worse(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Result is what a check found.
type Result struct {
	Status   Status
	Message  string
	Duration time.Duration // filled by the Runner
}

// Okf, Warnf and Failf build results.
func Okf(format string, args ...any) Result {
	return Result{Status: OK, Message: fmt.Sprintf(format, args...)}
}

// Warnf builds a warning.
func Warnf(format string, args ...any) Result {
	return Result{Status: Warn, Message: fmt.Sprintf(format, args...)}
}

// Failf builds a failure.
func Failf(format string, args ...any) Result {
	return Result{Status: Fail, Message: fmt.Sprintf(format, args...)}
}

// Check is one named health check. Run must honour ctx.
type Check struct {
	Name string
	Run  func(ctx context.Context) Result
}

// Runner runs checks in order.
type Runner struct {
	// Timeout bounds each check (default 10s). A check still running then
	// fails with a timeout message; its goroutine is left to finish.
	Timeout time.Duration
	// FailFast skips the remaining checks after the first failure.
	FailFast bool
	// Timer, when set, records each check as a step.
	Timer *timing.Timer
}

// CheckResult is one check's outcome in a report.
type CheckResult struct {
	Name string
	Result
}

// Report is the outcome of a run.
type Report struct {
	Status Status // the worst of the checks
	Checks []CheckResult
}

// Named returns the names of the checks with status s.
func (r Report) Named(s Status) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == s {
			out = append(out, c.Name)
		}
	}
	return out
}

// ExitCode is 0 when every check is ok, 1 for a warning, 2 for a failure.
func (r Report) ExitCode() int {
	switch r.Status {
	case OK:
		return 0
	case Warn, Skip:
		return 1
	}
	return 2
}

// Run runs checks one after another and returns the report.
func (r Runner) Run(ctx context.Context, checks []Check) Report {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	rep := Report{Status: OK}
	failed := false
	for _, c := range checks {
		if failed && r.FailFast {
			rep.Checks = append(rep.Checks, CheckResult{c.Name, Result{Status: Skip, Message: "not run (fail-fast after a failure)"}})
			continue
		}
		var span *timing.Span
		if r.Timer != nil {
			span = r.Timer.Start(c.Name)
		}
		res := runOne(ctx, c, timeout)
		if span != nil {
			if res.Status == Fail {
				span.StopErr(fmt.Errorf("%s", res.Message))
			} else {
				span.Stop()
			}
		}
		rep.Checks = append(rep.Checks, CheckResult{c.Name, res})
		rep.Status = Worse(rep.Status, res.Status)
		failed = failed || res.Status == Fail
	}
	return rep
}

// runOne runs c with a deadline, recovering a panic as a failure.
func runOne(ctx context.Context, c Check, timeout time.Duration) Result {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	done := make(chan Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- Failf("check panicked: %v", p)
			}
		}()
		done <- c.Run(cctx)
	}()
	var res Result
	select {
	case res = <-done:
		if res.Status == "" {
			res.Status = OK
		}
		if cctx.Err() == context.DeadlineExceeded && res.Status != OK {
			res.Message = fmt.Sprintf("timed out after %s: %s", timeout, res.Message)
		}
	case <-cctx.Done():
		// Give the check a moment to return its own error (which usually
		// says more than "timed out") before giving up on it.
		select {
		case res = <-done:
			if res.Status == OK {
				break
			}
			res.Status = Fail
			res.Message = fmt.Sprintf("timed out after %s: %s", timeout, res.Message)
		case <-time.After(500 * time.Millisecond):
			if ctx.Err() != nil {
				res = Failf("cancelled: %v", ctx.Err())
			} else {
				res = Failf("timed out after %s", timeout)
			}
		}
	}
	res.Duration = time.Since(start)
	res.Message = oneLine(res.Message)
	return res
}

// oneLine joins a multi-line message (pgx lists every dial error on its
// own line) so that tables stay tables.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	var parts []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, strings.TrimSuffix(l, ":"))
		}
	}
	return strings.Join(parts, "; ")
}
