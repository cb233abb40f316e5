package reconcile

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// InventoryManifest is the manifest.json of an S3 Inventory report.
type InventoryManifest struct {
	SourceBucket      string `json:"sourceBucket"`
	DestinationBucket string `json:"destinationBucket"`
	Version           string `json:"version"`
	CreationTimestamp string `json:"creationTimestamp"`
	FileFormat        string `json:"fileFormat"` // CSV, ORC, Parquet
	FileSchema        string `json:"fileSchema"` // "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass"
	Files             []struct {
		Key         string `json:"key"`
		Size        int64  `json:"size"`
		MD5Checksum string `json:"MD5checksum"`
	} `json:"files"`
}

// ScanInventory builds a ScanResult from an S3 Inventory manifest on disk
// instead of listing the bucket. Data files are looked up next to the
// manifest (by their key relative to an ancestor directory, in data/, or by
// base name); CSV columns come from the manifest's fileSchema (real
// inventory CSVs have no header row); gzip data files are decompressed. Keys
// outside prefix are ignored and the prefix is stripped, like the lake does.
func ScanInventory(ctx context.Context, manifestPath, prefix string, opts ScanOptions) (*ScanResult, error) {
	start := time.Now()
	b, err := os.ReadFile(manifestPath)
	if err != nil {
		return nil, Permanent(fmt.Errorf("reconcile: inventory: %w", err))
	}
	var m InventoryManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, Permanent(fmt.Errorf("reconcile: inventory manifest %s: %w", manifestPath, err))
	}
	if !strings.EqualFold(m.FileFormat, "CSV") {
		return nil, Permanent(fmt.Errorf("reconcile: inventory manifest %s: fileFormat %q is not supported (CSV only; configure the inventory report as CSV)", manifestPath, m.FileFormat))
	}
	cols := map[string]int{}
	for i, c := range strings.Split(m.FileSchema, ",") {
		cols[strings.TrimSpace(c)] = i
	}
	keyCol, ok := cols["Key"]
	if !ok {
		return nil, Permanent(fmt.Errorf("reconcile: inventory manifest %s: fileSchema %q has no Key column", manifestPath, m.FileSchema))
	}
	sizeCol, hasSize := cols["Size"]
	modCol, hasMod := cols["LastModifiedDate"]
	etagCol, hasETag := cols["ETag"]
	if len(m.Files) == 0 {
		return nil, Permanent(fmt.Errorf("reconcile: inventory manifest %s lists no data files", manifestPath))
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	res := &ScanResult{
		Schema: ScanSchema, Lake: lake.Redact(opts.LakeURL), Mode: "inventory", SampleRate: 1,
		Lister: "S3 Inventory " + manifestPath, StartedAt: start.UTC(), Groups: map[string]*Group{},
	}
	if opts.SampleRate > 0 && opts.SampleRate < 1 {
		res.SampleRate = opts.SampleRate
	}
	c := newCollector(res.SampleRate, opts.Profile)
	if opts.Profile != nil {
		res.Layout = opts.Profile.Name()
	} else {
		res.Layout = layout.LayoutNBASim
	}
	dir := filepath.Dir(manifestPath)
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		path, err := findInventoryFile(dir, f.Key)
		if err != nil {
			return nil, Permanent(fmt.Errorf("reconcile: inventory manifest %s: %w", manifestPath, err))
		}
		if err := readInventoryCSV(path, func(line int, rec []string) error {
			if keyCol >= len(rec) {
				return fmt.Errorf("%s line %d: %d columns, fileSchema wants %d", path, line, len(rec), len(cols))
			}
			key, err := url.QueryUnescape(rec[keyCol])
			if err != nil {
				key = rec[keyCol]
			}
			if prefix != "" {
				if !strings.HasPrefix(key, prefix) {
					return nil
				}
				key = key[len(prefix):]
			}
			o := Object{Key: key}
			if hasSize && sizeCol < len(rec) && rec[sizeCol] != "" {
				n, err := strconv.ParseInt(rec[sizeCol], 10, 64)
				if err != nil {
					return fmt.Errorf("%s line %d: Size %q: %w", path, line, rec[sizeCol], err)
				}
				o.Size = n
			}
			if hasMod && modCol < len(rec) && rec[modCol] != "" {
				t, err := time.Parse(time.RFC3339Nano, rec[modCol])
				if err != nil {
					return fmt.Errorf("%s line %d: LastModifiedDate %q: %w", path, line, rec[modCol], err)
				}
				o.ModTime = t
			}
			if hasETag && etagCol < len(rec) {
				o.ETag = rec[etagCol]
			}
			c.add(o)
			return nil
		}); err != nil {
			return nil, Permanent(fmt.Errorf("reconcile: inventory: %w", err))
		}
	}
	c.merge(res)
	res.Prefixes = len(m.Files)
	res.finish()
	res.Duration = time.Since(start)
	return res, nil
}

func findInventoryFile(dir, key string) (string, error) {
	var cands []string
	// key relative to the manifest's directory or any ancestor of it
	for d := dir; ; d = filepath.Dir(d) {
		cands = append(cands, filepath.Join(d, filepath.FromSlash(key)))
		if filepath.Dir(d) == d {
			break
		}
	}
	base := filepath.Base(filepath.FromSlash(key))
	cands = append(cands, filepath.Join(dir, "data", base), filepath.Join(dir, base), filepath.Join(filepath.Dir(dir), "data", base))
	for _, c := range cands {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c, nil
		}
	}
	return "", fmt.Errorf("data file %q not found next to the manifest (looked in %s/data and by relative key)", key, dir)
}

func readInventoryCSV(path string, fn func(line int, rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	line := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line++
		if err != nil {
			return fmt.Errorf("%s line %d: %w", path, line, err)
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}
