package gamecache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/pbp"
)

func compiled(seed uint64) Loader {
	return func(context.Context) (*pbp.Compiled, error) {
		g, _ := pbp.SyntheticGame(seed)
		return pbp.Compile(g, nil), nil
	}
}

func TestLRUOrderAndEviction(t *testing.T) {
	ctx := context.Background()
	c := New(2)
	k := func(id string) Key { return Key{GameID: id, Provider: "p", Overrides: "v1"} }
	for _, id := range []string{"a", "b"} {
		if _, err := c.Get(ctx, k(id), compiled(1)); err != nil {
			t.Fatal(err)
		}
	}
	// touch a: b becomes the least recently used
	if _, err := c.Get(ctx, k("a"), func(context.Context) (*pbp.Compiled, error) { return nil, errors.New("must be a hit") }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, k("c"), compiled(2)); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Peek(k("b")); ok {
		t.Error("b should have been evicted (least recently used)")
	}
	for _, id := range []string{"a", "c"} {
		if _, ok := c.Peek(k(id)); !ok {
			t.Errorf("%s should be cached", id)
		}
	}
	st := c.Stats()
	want := Stats{Hits: 1, Misses: 3, Loads: 3, Evictions: 1, Size: 2, Capacity: 2}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
}

func TestKeyPartsAreDistinct(t *testing.T) {
	ctx := context.Background()
	c := New(10)
	var loads atomic.Int64
	load := func(ctx context.Context) (*pbp.Compiled, error) {
		loads.Add(1)
		return compiled(3)(ctx)
	}
	keys := []Key{
		{GameID: "g", Provider: "nba_stats/playbyplayv2", Overrides: "v1"},
		{GameID: "g", Provider: "espn/summary", Overrides: "v1"},
		{GameID: "g", Provider: "nba_stats/playbyplayv2", Overrides: "v2"},
		{GameID: "h", Provider: "nba_stats/playbyplayv2", Overrides: "v1"},
	}
	for _, k := range keys {
		if _, err := c.Get(ctx, k, load); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range keys { // all hits now
		if _, err := c.Get(ctx, k, load); err != nil {
			t.Fatal(err)
		}
	}
	if got := loads.Load(); got != int64(len(keys)) {
		t.Errorf("loads = %d, want %d (one per distinct key)", got, len(keys))
	}
	if n := c.Remove("g"); n != 3 {
		t.Errorf("Remove(g) dropped %d, want 3", n)
	}
	if c.Len() != 1 {
		t.Errorf("len after Remove = %d, want 1", c.Len())
	}
	c.Purge()
	if c.Len() != 0 {
		t.Errorf("len after Purge = %d", c.Len())
	}
}

func TestConcurrentMissesShareOneLoad(t *testing.T) {
	ctx := context.Background()
	c := New(4)
	var loads atomic.Int64
	release := make(chan struct{})
	load := func(ctx context.Context) (*pbp.Compiled, error) {
		loads.Add(1)
		<-release
		return compiled(4)(ctx)
	}
	key := Key{GameID: "g", Provider: "p"}
	const n = 32
	var wg sync.WaitGroup
	got := make([]*pbp.Compiled, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(ctx, key, load)
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		}()
	}
	// let every goroutine reach the cache before the load finishes
	for c.Stats().Misses < n {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if loads.Load() != 1 {
		t.Errorf("loads = %d, want 1", loads.Load())
	}
	for i := range got {
		if got[i] == nil || got[i] != got[0] {
			t.Fatalf("caller %d got another value", i)
		}
	}
	// and the shared value folds concurrently to the same box
	want := got[0].BoxAt(pbp.AtElapsed(1500))
	var wg2 sync.WaitGroup
	for range 8 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			b := got[0].BoxAt(pbp.AtElapsed(1500))
			if b.Home.PTS != want.Home.PTS || b.Away.PTS != want.Away.PTS || len(b.Players) != len(want.Players) {
				t.Error("concurrent folds disagree")
			}
		}()
	}
	wg2.Wait()
}

func TestErrorsAndPanicsAreNotCached(t *testing.T) {
	ctx := context.Background()
	c := New(4)
	key := Key{GameID: "0021800001", Provider: "p"}
	tests := []struct {
		name string
		load Loader
		want string
	}{
		{"error", func(context.Context) (*pbp.Compiled, error) { return nil, errors.New("no plays") }, "no plays"},
		{"panic", func(context.Context) (*pbp.Compiled, error) { panic("index out of range") }, "game 0021800001 (p): compile failed: index out of range"},
		{"nil", func(context.Context) (*pbp.Compiled, error) { return nil, nil }, "loader returned nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Get(ctx, key, tc.load)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if c.Len() != 0 {
				t.Fatal("a failed load was cached")
			}
		})
	}
	if _, err := c.Get(ctx, key, compiled(5)); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Errors != 3 || st.Size != 1 {
		t.Errorf("stats = %+v, want 3 errors and 1 entry", st)
	}
}

func TestWaiterContextEnds(t *testing.T) {
	c := New(4)
	key := Key{GameID: "g"}
	release := make(chan struct{})
	go func() {
		_, _ = c.Get(context.Background(), key, func(ctx context.Context) (*pbp.Compiled, error) {
			<-release
			return compiled(6)(ctx)
		})
	}()
	for c.Stats().Loads < 1 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Get(ctx, key, compiled(6))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	close(release)
}

func TestVersion(t *testing.T) {
	def, err := pbp.DefaultOverrides()
	if err != nil {
		t.Fatal(err)
	}
	v1, err := Version(def)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := pbp.DefaultOverrides()
	if v2, _ := Version(again); v2 != v1 {
		t.Errorf("same overrides, versions %s and %s", v1, v2)
	}
	changed, _ := pbp.DefaultOverrides()
	changed.Games["0029999999"] = &pbp.GameOverrides{Note: "x"}
	if v3, _ := Version(changed); v3 == v1 {
		t.Error("changed overrides keep the version")
	}
	if v, _ := Version(nil); v != "none" {
		t.Errorf("Version(nil) = %q", v)
	}
	if len(v1) != 12 {
		t.Errorf("version %q: want 12 hex digits", v1)
	}
}

func ExampleCache() {
	c := New(100)
	key := Key{GameID: "0021800001", Provider: "synthetic", Overrides: "none"}
	load := func(context.Context) (*pbp.Compiled, error) {
		g, _ := pbp.SyntheticGame(7)
		return pbp.Compile(g, nil), nil
	}
	for range 3 {
		if _, err := c.Get(context.Background(), key, load); err != nil {
			fmt.Println(err)
		}
	}
	st := c.Stats()
	fmt.Println(st.Loads, st.Hits)
	// Output: 1 2
}

func TestLookupAndLoadOutlivesCaller(t *testing.T) {
	c := New(4)
	key := Key{GameID: "g"}
	if _, ok := c.Lookup(key); ok {
		t.Fatal("Lookup found a game never loaded")
	}
	// the first caller gives up; the load it started still completes for
	// the caller waiting behind it
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	var loadErr error
	done := make(chan struct{})
	go func() {
		_, _ = c.Get(ctx, key, func(lctx context.Context) (*pbp.Compiled, error) {
			<-release
			loadErr = lctx.Err()
			return compiled(8)(lctx)
		})
		close(done)
	}()
	for c.Stats().Loads < 1 {
		time.Sleep(time.Millisecond)
	}
	got := make(chan error, 1)
	go func() {
		_, err := c.Get(context.Background(), key, compiled(8))
		got <- err
	}()
	for c.Stats().Shared < 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(release)
	<-done
	if err := <-got; err != nil {
		t.Fatalf("the waiting caller failed: %v", err)
	}
	if loadErr != nil {
		t.Errorf("the load saw the first caller's cancellation: %v", loadErr)
	}
	if _, ok := c.Lookup(key); !ok {
		t.Error("Lookup misses a loaded game")
	}
	if st := c.Stats(); st.Hits != 1 || st.Errors != 0 {
		t.Errorf("stats %+v: want 1 hit (the Lookup), no error", st)
	}
}
