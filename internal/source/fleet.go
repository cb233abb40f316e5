package source

import (
	"context"
	"errors"
	"time"

	"github.com/nbasim/nbasim/internal/retry"
)

// Fleet shares the pacing state of each host among every process of a
// fleet (several `nbasim run` processes on one PostgreSQL), so that a
// provider sees the configured rate in total, not per process, and so that
// a Retry-After, a lockout or an open circuit breaker seen by one process
// stops them all. internal/fleet implements it on PostgreSQL; a Client
// without a Fleet paces in-process (one process, SQLite).
//
// Times cross the interface as local time.Time values; an implementation
// shared by several machines keeps its own clock (the database's) and
// converts, so that clock skew between machines does not break the rate.
type Fleet interface {
	// Take reserves the next request slot of host, for a fleet-wide token
	// bucket of rate requests per second (times the host's shared
	// RateFactor) holding burst tokens. rate <= 0 means unlimited: nothing
	// is reserved, only the pause is reported. While the host is paused it
	// reserves nothing and returns a Slot with a zero At and the pause.
	Take(ctx context.Context, host string, rate float64, burst int) (Slot, error)
	// Pause stops every process from sending to host until until. A pause
	// never shortens a longer one already in force.
	Pause(ctx context.Context, host string, until time.Time, reason PauseReason) error
	// PausedUntil returns the pause in force on host (a zero time when
	// there is none).
	PausedUntil(ctx context.Context, host string) (time.Time, PauseReason, error)
	// Scale multiplies the shared rate factor of host by factor, keeping it
	// in [minFactor, 1], and returns the new factor: 0.5 after a throttled
	// answer, 1.25 to recover.
	Scale(ctx context.Context, host string, factor, minFactor float64) (float64, error)
}

// Slot is the answer of Fleet.Take.
type Slot struct {
	// At is when the reserved request may be sent; zero when nothing was
	// reserved because the host is paused.
	At time.Time
	// PausedUntil and Reason describe the pause in force, if any.
	PausedUntil time.Time
	Reason      PauseReason
	// RateFactor is the host's fleet-wide slow-down (1: the full rate).
	RateFactor float64
}

// PauseReason says why a host is paused fleet-wide, which decides what a
// request does about it.
type PauseReason string

// Pause reasons.
const (
	// PauseRetryAfter: a server asked to wait (Retry-After); requests
	// wait it out.
	PauseRetryAfter PauseReason = "retry_after"
	// PauseBreaker: a process's circuit breaker opened; requests wait up to
	// the policy's MaxWait, then fail with ErrBreakerOpen.
	PauseBreaker PauseReason = "breaker_open"
	// PauseLockout: the host locked us out (a 429 from
	// basketball-reference); requests fail at once with ErrBreakerOpen.
	PauseLockout PauseReason = "locked_out"
)

// ErrFleet is wrapped by errors of requests that were not sent because the
// fleet limiter could not be reached.
var ErrFleet = errors.New("fleet limiter unavailable")

// SetFleet makes c pace every host through f (nil: in-process pacing).
// Call it before the first request.
func (c *Client) SetFleet(f Fleet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fleet = f
}

func (c *Client) getFleet() Fleet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fleet
}

// fleetWait waits for a fleet-wide slot of h. It returns a classified
// failure when the host is locked out, its breaker is open for longer than
// MaxWait, or the fleet cannot be reached; or the context's error.
func (c *Client) fleetWait(ctx context.Context, f Fleet, h *host, req *Request) (*Error, error) {
	rate := 0.0
	if h.pol.Rate > 0 {
		rate = h.pol.Rate
	}
	refuse := func(until time.Time, reason PauseReason) *Error {
		wait := time.Until(until)
		msg := "circuit breaker open (fleet-wide)"
		if reason == PauseLockout {
			msg = "host locked out after HTTP 429 (fleet-wide)"
		}
		return &Error{Class: Throttled, Host: req.Host, URL: req.URL,
			Reason: msg + " for another " + wait.Round(time.Second).String(), Err: ErrBreakerOpen}
	}
	// paused handles a pause in force: it fails the request or sleeps.
	paused := func(until time.Time, reason PauseReason) (*Error, error) {
		wait := time.Until(until)
		if reason == PauseLockout || (reason == PauseBreaker && wait > h.pol.MaxWait) {
			return refuse(until, reason), nil
		}
		return nil, retry.Sleep(ctx, wait)
	}
	unreachable := func(err error) (*Error, error) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return &Error{Class: Retriable, Host: req.Host, URL: req.URL, Reason: "not sent: fleet limiter unavailable",
			Err: errors.Join(ErrFleet, err)}, nil
	}
	retakes := 0
	for {
		slot, err := f.Take(ctx, req.Host, rate, h.pol.Burst)
		if err != nil {
			return unreachable(err)
		}
		h.setFleetFactor(slot.RateFactor)
		if slot.At.IsZero() {
			if fe, err := paused(slot.PausedUntil, slot.Reason); fe != nil || err != nil {
				return fe, err
			}
			continue
		}
		if wait := time.Until(slot.At); wait > 0 {
			if err := retry.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			// Another process may have paused the host while this
			// request waited for its slot: honour it before sending.
			until, reason, err := f.PausedUntil(ctx, req.Host)
			if err != nil {
				return unreachable(err)
			}
			if until.After(time.Now()) {
				if fe, err := paused(until, reason); fe != nil || err != nil {
					return fe, err
				}
				continue
			}
		}
		// A slot is only good near its time: a request sent much later
		// (this process was descheduled, the database answered slowly)
		// would bunch up with the next slots' requests and exceed the rate
		// in that second. Give it up and take another, a few times.
		if rate > 0 && retakes < maxRetakes {
			interval := time.Duration(float64(time.Second) / (rate * max(slot.RateFactor, 1e-3)))
			if time.Since(slot.At) > interval/2 {
				retakes++
				continue
			}
		}
		return nil, nil
	}
}

// maxRetakes bounds how many late slots a request gives up before it is
// sent anyway (so a starved process cannot burn the fleet's slots forever).
const maxRetakes = 5

// fleetNote is what an attempt's outcome asks the fleet to share.
type fleetNote struct {
	pauseUntil time.Time
	reason     PauseReason
	scale      float64 // 0: leave the rate factor
}

// share sends n to f (best effort: a failure only loses the sharing, the
// process's own pacer still holds it, and the next Take reports the fleet
// being unreachable).
func (c *Client) share(ctx context.Context, f Fleet, h *host, hostName string, n fleetNote) {
	if f == nil || (n.pauseUntil.IsZero() && n.scale == 0) {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if !n.pauseUntil.IsZero() {
		_ = f.Pause(ctx, hostName, n.pauseUntil, n.reason)
	}
	if n.scale != 0 {
		if fac, err := f.Scale(ctx, hostName, n.scale, h.pol.MinRateFactor); err == nil {
			h.setFleetFactor(fac)
		}
	}
}

func (h *host) setFleetFactor(f float64) {
	if f <= 0 {
		return
	}
	h.mu.Lock()
	h.fleetFactor = f
	h.mu.Unlock()
}
