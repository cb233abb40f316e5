package lake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"gocloud.dev/blob"
)

// WalkAll calls fn for every object of the lake, listing each top-level
// prefix with its own paginated lister, conc at a time (default 16): on a
// bucket whose prefixes are large and flat (an nba_simulator bucket) that is
// several times faster than one listing. fn is never called concurrently;
// the order of objects across prefixes is not defined.
func (l *Lake) WalkAll(ctx context.Context, conc int, fn func(Object) error) error {
	if conc <= 0 {
		conc = 16
	}
	it := l.b.List(&blob.ListOptions{Delimiter: "/"})
	var dirs []string
	var mu sync.Mutex
	for {
		o, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("lake: list: %w", err)
		}
		if o.IsDir {
			dirs = append(dirs, o.Key)
			continue
		}
		if err := fn(Object{Key: o.Key, Size: o.Size, ModTime: o.ModTime, ETag: hexMD5(o.MD5)}); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		sem   = make(chan struct{}, conc)
		first error
	)
	for _, d := range dirs {
		wg.Add(1)
		go func(d string) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			err := l.Walk(ctx, d, func(o Object) error {
				mu.Lock()
				defer mu.Unlock()
				if first != nil {
					return first
				}
				return fn(o)
			})
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				cancel()
			}
		}(d)
	}
	wg.Wait()
	return first
}
