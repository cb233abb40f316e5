package reconcile

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/lake"
)

// TailReader reads the last n bytes of a lake object of the given size.
type TailReader func(ctx context.Context, key string, size, n int64) ([]byte, error)

// FileTail reads tails straight from a file:// lake's directory.
func FileTail(root string) TailReader {
	return func(_ context.Context, key string, size, n int64) ([]byte, error) {
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(key)))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		off := max(0, size-n)
		b := make([]byte, size-off)
		k, err := f.ReadAt(b, off)
		if err != nil && err != io.EOF {
			return nil, err
		}
		return b[:k], nil
	}
}

// LakeTail reads tails with ranged reads (one small GET per object on S3).
func LakeTail(l *lake.Lake) TailReader {
	return func(ctx context.Context, key string, size, n int64) ([]byte, error) {
		return l.ReadRange(ctx, key, max(0, size-n), n)
	}
}

// tailProblem says why an object's last bytes show it is cut short: a JSON
// document ends with } or ], an HTML page with >.
func tailProblem(ext string, tail []byte) string {
	t := bytes.TrimRight(tail, " \t\r\n")
	if len(t) == 0 {
		return "truncated: only whitespace at the end"
	}
	last := t[len(t)-1]
	switch ext {
	case "json":
		if last != '}' && last != ']' {
			return fmt.Sprintf("truncated JSON: ends with %q", string(t[max(0, len(t)-12):]))
		}
	case "html":
		if last != '>' {
			return fmt.Sprintf("truncated HTML: ends with %q", string(t[max(0, len(t)-12):]))
		}
	}
	return ""
}

// VerifyTails reads the end of every non-empty object of the expected
// datasets and returns those cut short (key -> reason). It is what
// `reconcile --verify` adds: truncated payloads are found without loading
// them. Read errors are reported as problems of the object, not failures.
func VerifyTails(ctx context.Context, scan *ScanResult, exp *Expectations, read TailReader, workers int) (map[string]string, int, error) {
	if workers <= 0 {
		workers = 16
	}
	type job struct {
		key, ext string
		size     int64
	}
	jobs := make(chan job, 1024)
	out := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	checked := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				tail, err := read(ctx, j.key, j.size, 64)
				reason := ""
				if err != nil {
					if ctx.Err() != nil {
						continue
					}
					reason = "unreadable: " + err.Error()
				} else {
					reason = tailProblem(j.ext, tail)
				}
				if reason != "" {
					mu.Lock()
					out[j.key] = reason
					mu.Unlock()
				}
			}
		}()
	}
	for _, g := range scan.Groups {
		x, ok := exp.Lookup(g.Source, g.Dataset)
		if !ok {
			continue
		}
		d := x.Layout()
		for it, e := range g.Items {
			if e.Size == 0 {
				continue
			}
			select {
			case jobs <- job{key: Key(d, g.Season, it), ext: strings.ToLower(d.Ext), size: e.Size}:
				checked++
			case <-ctx.Done():
			}
		}
	}
	close(jobs)
	wg.Wait()
	return out, checked, ctx.Err()
}
