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
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	stop()
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
