package queue_test

import (
	"context"
	"sync"
	"testing"

	"github.com/nbasim/nbasim/internal/queue"
	"github.com/nbasim/nbasim/internal/store/postgres"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// TestOpenConcurrentProcesses opens the queue of one fresh PostgreSQL
// schema from several stores at once, as the processes of a fleet started
// together do: River's migrations must run once, not fail on each other.
func TestOpenConcurrentProcesses(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresSchemaURL(t)
	ctx := context.Background()
	const procs = 4
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for i := range procs {
		st, err := postgres.Open(ctx, url, postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, err := queue.Open(ctx, st, nil)
			if err == nil {
				err = q.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
}
