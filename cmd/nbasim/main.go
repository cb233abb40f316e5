// Command nbasim keeps an NBA data lake and database complete, verified and
// queryable. The CLI is wiring only: every command delegates to an internal
// package.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	stop()
	stopProfile()
	if err != nil {
		var ec exitCoder
		if errors.As(err, &ec) {
			if msg := err.Error(); msg != "" {
				fmt.Fprintln(os.Stderr, "nbasim:", msg)
			}
			os.Exit(ec.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "nbasim:", err)
		os.Exit(1)
	}
}

// startProfile writes a CPU profile of the whole command to the file named
// by NBASIM_CPUPROFILE, when set (`go tool pprof FILE`; docs/benchmarks.md),
// and a heap profile to NBASIM_MEMPROFILE at the end. It returns the
// function that stops them.
func startProfile() func() {
	cpu, mem := os.Getenv("NBASIM_CPUPROFILE"), os.Getenv("NBASIM_MEMPROFILE")
	var f *os.File
	if cpu != "" {
		var err error
		if f, err = os.Create(cpu); err != nil {
			fmt.Fprintln(os.Stderr, "nbasim: NBASIM_CPUPROFILE:", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "nbasim: NBASIM_CPUPROFILE:", err)
			f.Close()
			f = nil
		}
	}
	return func() {
		if f != nil {
			pprof.StopCPUProfile()
			f.Close()
		}
		if mem != "" {
			mf, err := os.Create(mem)
			if err == nil {
				err = pprof.WriteHeapProfile(mf)
				mf.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "nbasim: NBASIM_MEMPROFILE:", err)
			}
		}
	}
}

// exitCoder is an error that carries a process exit code.
type exitCoder interface {
	error
	ExitCode() int
}

// exitError wraps err with an exit code; a nil err prints nothing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }
func (e *exitError) ExitCode() int { return e.code }

// withExit returns an error that makes nbasim exit with code.
func withExit(code int, err error) error { return &exitError{code: code, err: err} }
