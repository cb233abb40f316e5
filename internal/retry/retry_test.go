package retry

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for n, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		if got := b.Delay(n); got != want {
			t.Errorf("Delay(%d) = %s, want %s", n, got, want)
		}
	}
	if got := (Backoff{}).Delay(1); got != time.Second {
		t.Errorf("zero Backoff: %s, want 1s", got)
	}
	full := Backoff{Base: 100 * time.Millisecond, Max: time.Second, Full: true}
	spread := Backoff{Base: 100 * time.Millisecond, Spread: 0.1}
	for range 200 {
		if d := full.Delay(3); d < 0 || d >= 400*time.Millisecond {
			t.Fatalf("full jitter Delay(3) = %s, want [0, 400ms)", d)
		}
		if d := spread.Delay(2); d < 200*time.Millisecond || d > 220*time.Millisecond {
			t.Fatalf("spread Delay(2) = %s, want [200ms, 220ms]", d)
		}
	}
}

func TestPolicyDo(t *testing.T) {
	ctx := context.Background()
	boom, fatal := errors.New("boom"), errors.New("fatal")
	var waits []time.Duration
	p := Policy{Attempts: 4, Backoff: Backoff{Base: time.Second},
		Permanent: func(err error) bool { return errors.Is(err, fatal) },
		Sleep:     func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	calls := 0
	n, err := p.Do(ctx, func(context.Context) error {
		calls++
		if calls < 3 {
			return boom
		}
		return nil
	})
	if n != 3 || err != nil || len(waits) != 2 || waits[0] != time.Second || waits[1] != 2*time.Second {
		t.Fatalf("succeeds on the third call: n %d err %v waits %v", n, err, waits)
	}
	n, err = p.Do(ctx, func(context.Context) error { return boom })
	if n != 4 || !errors.Is(err, boom) {
		t.Fatalf("always failing: n %d err %v", n, err)
	}
	n, err = p.Do(ctx, func(context.Context) error { return fatal })
	if n != 1 || !errors.Is(err, fatal) {
		t.Fatalf("permanent: n %d err %v", n, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	p.Sleep = nil
	p.Backoff.Base = time.Hour
	p.OnRetry = func(int, error, time.Duration) { cancel() }
	n, err = p.Do(cctx, func(context.Context) error { return boom })
	if n != 1 || !errors.Is(err, context.Canceled) || !errors.Is(err, boom) || !strings.Contains(err.Error(), "last attempt: boom") {
		t.Fatalf("cancelled while waiting: n %d err %v", n, err)
	}
}
