// Package retry is nbasim's one retry and backoff implementation: the
// exponential backoff with jitter that the source client's pacer sleeps
// between attempts of a request, and a loop (Policy.Do) for everything else
// that retries a step: reconciliation steps, PostgreSQL connects, the run
// loop's job retries. Attempts, bases and caps come from the caller's
// configuration; this package holds no numbers of its own but the
// defaults of a zero Backoff.
package retry

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff: Base before the first retry, doubling
// for each retry after it, capped at Max. With Full the wait is uniform in
// [0, that) ("full jitter": the wait of many clients spreads over the whole
// window); otherwise it is that plus up to Spread times it.
type Backoff struct {
	Base   time.Duration // default 1 s
	Max    time.Duration // 0: no cap
	Full   bool
	Spread float64 // with !Full: extra random share, 0.1 = up to 10 % more
}

// Delay returns the wait before retry n (n = 1 before the second attempt).
func (b Backoff) Delay(n int) time.Duration {
	base := b.Base
	if base <= 0 {
		base = time.Second
	}
	d := base
	for i := 1; i < n; i++ {
		if b.Max > 0 && d >= b.Max || d > time.Duration(1<<62)/2 {
			break
		}
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	if b.Full {
		return rand.N(d)
	}
	if b.Spread > 0 {
		d += time.Duration(rand.Int64N(int64(float64(d)*b.Spread) + 1))
	}
	return d
}

// Policy is a retry loop: up to Attempts calls, Backoff between them.
type Policy struct {
	Attempts int // >= 1; 0 means 3
	Backoff  Backoff
	// Permanent, when set, stops the loop at an error it reports true for.
	Permanent func(error) bool
	// OnRetry, when set, is told of each failed attempt that will be
	// retried, and of the wait before the next one.
	OnRetry func(attempt int, err error, wait time.Duration)
	// Sleep waits d or until ctx ends (default: a timer); tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Do calls fn until it succeeds, fails permanently, or has been called
// Attempts times, and returns how many calls it made and fn's last error.
// When ctx ends during a wait the error wraps both ctx's error and fn's
// last one.
func (p Policy) Do(ctx context.Context, fn func(context.Context) error) (int, error) {
	attempts := p.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	sleep := p.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	for i := 1; ; i++ {
		err := fn(ctx)
		if err == nil || i >= attempts || p.Permanent != nil && p.Permanent(err) {
			return i, err
		}
		if ctx.Err() != nil {
			return i, fmt.Errorf("%w; last attempt: %w", ctx.Err(), err)
		}
		d := p.Backoff.Delay(i)
		if p.OnRetry != nil {
			p.OnRetry(i, err, d)
		}
		if serr := sleep(ctx, d); serr != nil {
			return i, fmt.Errorf("%w; last attempt: %w", serr, err)
		}
	}
}

// Sleep waits d, or until ctx ends (then it returns ctx's error).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
