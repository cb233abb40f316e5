package reconcile

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"time"
)

// cacheHeader opens every cache file; a different Schema means an older (or
// newer) nbasim wrote it.
type cacheHeader struct {
	Magic   string
	Schema  int
	Lake    string
	Written time.Time
}

const cacheMagic = "nbasim-scan-cache"

// CachePath is where the scan of lakeURL is cached in dir.
func CachePath(dir, lakeURL string) string {
	h := fnv.New64a()
	h.Write([]byte(lakeURL))
	return filepath.Join(dir, fmt.Sprintf("scan-%016x.gob.gz", h.Sum64()))
}

// CacheProblem says why a cache file was not used; the run goes on with a
// fresh scan.
type CacheProblem struct {
	Path   string
	Reason string // missing, expired, old schema, corrupt, other lake
}

func (p *CacheProblem) Error() string { return fmt.Sprintf("scan cache %s: %s", p.Path, p.Reason) }

// WriteCache stores r at path atomically.
func WriteCache(path string, r *ScanResult) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("reconcile: cache dir: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".scan-*.tmp")
	if err != nil {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	gz, _ := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	enc := gob.NewEncoder(gz)
	// The groups are encoded one at a time: gob buffers each value whole,
	// and a million-object scan in one value would double the memory.
	meta := *r
	meta.Groups = nil
	err = errors.Join(
		enc.Encode(cacheHeader{Magic: cacheMagic, Schema: ScanSchema, Lake: r.Lake, Written: time.Now().UTC()}),
		enc.Encode(&meta),
		enc.Encode(len(r.Groups)),
	)
	for _, g := range r.Groups {
		if err != nil {
			break
		}
		err = enc.Encode(g)
	}
	err = errors.Join(err, gz.Close(), bw.Flush(), tmp.Close())
	if err != nil {
		return fmt.Errorf("reconcile: write cache %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("reconcile: cache: %w", err)
	}
	return nil
}

// ReadCache reads the cached scan of lakeURL at path. A missing, expired,
// corrupt, foreign or older-schema file returns a *CacheProblem, never a
// panic; ttl <= 0 means no expiry.
func ReadCache(path, lakeURL string, ttl time.Duration, now time.Time) (r *ScanResult, err error) {
	defer func() { // gob is robust, but a cache must never crash a run
		if p := recover(); p != nil {
			r, err = nil, &CacheProblem{path, fmt.Sprintf("corrupt (%v)", p)}
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, &CacheProblem{path, "missing"}
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, &CacheProblem{path, "corrupt (" + err.Error() + ")"}
	}
	dec := gob.NewDecoder(gz)
	var h cacheHeader
	if err := dec.Decode(&h); err != nil || h.Magic != cacheMagic {
		return nil, &CacheProblem{path, "corrupt (not an nbasim scan cache)"}
	}
	if h.Schema != ScanSchema {
		return nil, &CacheProblem{path, fmt.Sprintf("old schema %d (this nbasim writes %d)", h.Schema, ScanSchema)}
	}
	if h.Lake != "" && lakeURL != "" && h.Lake != lakeURL {
		return nil, &CacheProblem{path, "written for another lake (" + h.Lake + ")"}
	}
	if ttl > 0 && now.Sub(h.Written) > ttl {
		return nil, &CacheProblem{path, fmt.Sprintf("expired (written %s ago, ttl %s)", now.Sub(h.Written).Round(time.Second), ttl)}
	}
	var res ScanResult
	var n int
	if err := errors.Join(dec.Decode(&res), dec.Decode(&n)); err != nil {
		return nil, &CacheProblem{path, "corrupt (" + err.Error() + ")"}
	}
	if n < 0 || n > 1<<24 {
		return nil, &CacheProblem{path, fmt.Sprintf("corrupt (%d groups)", n)}
	}
	res.Groups = make(map[string]*Group, n)
	for i := 0; i < n; i++ {
		var g Group
		if err := dec.Decode(&g); err != nil {
			return nil, &CacheProblem{path, "corrupt (" + err.Error() + ")"}
		}
		if g.Items == nil {
			g.Items = map[string]Entry{}
		}
		res.Groups[GroupKey(g.Source, g.Dataset, g.Season)] = &g
	}
	res.FromCache = true
	return &res, nil
}
