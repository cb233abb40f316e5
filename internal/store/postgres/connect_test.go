package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/store/postgres"
)

func TestConnectFailureNamesAddress(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(context.Background(), "postgres://nbasim:s3cr3t-pw@127.0.0.1:1/nbasim?sslmode=disable", postgres.Options{})
	if err == nil {
		t.Fatal("connected to 127.0.0.1:1")
	}
	msg := err.Error()
	for _, want := range []string{"127.0.0.1:1", "3 attempt(s)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "s3cr3t-pw") {
		t.Errorf("error leaks the password: %q", msg)
	}
	// No wall-clock assertion (it would flake on a loaded machine): the
	// budget is bounded by construction, 3 attempts (asserted above) with
	// 200 ms and 400 ms backoff inside a 5 s overall timeout, which
	// TestConnectTimeoutBoundsAttempts checks stops the retries.
}

func TestConnectTimeoutBoundsAttempts(t *testing.T) {
	t.Parallel()
	// 10 attempts with a 1 s first backoff cannot fit in 300 ms: the
	// overall timeout stops the retries early.
	_, err := postgres.Open(context.Background(), "postgres://u@127.0.0.1:1/db", postgres.Options{ConnectRetries: 10, RetryBase: time.Second, ConnectTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "1 attempt(s)") {
		t.Fatalf("err = %v, want one attempt before the timeout", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"postgres://u:pw@h:5432/db?sslmode=disable": "postgres://u:xxxxx@h:5432/db?sslmode=disable",
		"postgres://u@h/db":                         "postgres://u@h/db",
		"postgresql://h/db":                         "postgresql://h/db",
	} {
		if got := postgres.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if _, err := postgres.Open(context.Background(), "postgres://u:pw@h:notaport/db", postgres.Options{}); err == nil || strings.Contains(err.Error(), ":pw@") {
		t.Errorf("bad URL error: %v", err)
	}
}
