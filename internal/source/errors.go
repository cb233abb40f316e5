package source

import (
	"errors"
	"fmt"
	"time"
)

// Class is how a failed request is handled.
type Class int

// Error classes.
const (
	// Retriable failures (5xx, connection resets, truncated or invalid
	// bodies) are retried with backoff.
	Retriable Class = iota + 1
	// Throttled failures (429, stats.nba.com 403 and hangs) are retried
	// after the host has been slowed down, honouring Retry-After; on hosts
	// with a lockout (basketball-reference) they stop the host instead.
	Throttled
	// Permanent failures (404, 400, a payload for another game) are
	// recorded and never retried.
	Permanent
)

func (c Class) String() string {
	switch c {
	case Retriable:
		return "retriable"
	case Throttled:
		return "throttled"
	case Permanent:
		return "permanent"
	}
	return "unknown"
}

// Error is a failed fetch. Use errors.As to get it from any error a Fetcher
// returns, or ClassOf for just the class.
type Error struct {
	Class      Class
	Host       string // pacing host (the provider's host name)
	URL        string
	Status     int           // HTTP status, 0 when none was received
	RetryAfter time.Duration // the server's Retry-After, when given
	Attempts   int           // attempts made
	Reason     string
	Err        error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Class, e.URL, e.Reason)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ErrBreakerOpen is wrapped by errors of requests refused because the
// host's circuit breaker is open (or the host is locked out).
var ErrBreakerOpen = errors.New("circuit breaker open")

// ValidationError says why a response was rejected before anything was
// written. Fetchers wrap it in an *Error of class Retriable (a damaged or
// disguised response) or Permanent (a payload for another item).
type ValidationError struct {
	URL       string
	Reason    string
	Permanent bool
}

func (e *ValidationError) Error() string { return "invalid response from " + e.URL + ": " + e.Reason }

// Invalid builds a retriable validation error.
func Invalid(url, format string, args ...any) *ValidationError {
	return &ValidationError{URL: url, Reason: fmt.Sprintf(format, args...)}
}

// WrongItem builds a permanent validation error (the payload is for
// another game or date than the one asked for).
func WrongItem(url, format string, args ...any) *ValidationError {
	return &ValidationError{URL: url, Reason: fmt.Sprintf(format, args...), Permanent: true}
}

// ClassOf returns the class of err, or 0 when err is nil or not a fetch
// error (a cancelled context, a lake failure, ...).
func ClassOf(err error) Class {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Class
	}
	return 0
}
