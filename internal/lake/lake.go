// Package lake is nbasim's raw-data lake: an object store reached through
// gocloud.dev/blob (file://, s3://, mem://) holding every provider response
// byte for byte, with provenance metadata on each object.
//
// Writes are atomic: fileblob writes a temporary file and renames it, S3 makes
// an object visible only when its upload completes, so no reader ever sees a
// half-written object. Store deduplicates identical payloads and keeps the
// earlier version of a changed one under HistoryPrefix.
package lake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets
	_ "gocloud.dev/blob/memblob"  // mem:// buckets
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets
	"gocloud.dev/gcerrors"
)

// ErrNotFound is returned (wrapped) when a key does not exist.
var ErrNotFound = errors.New("lake: object not found")

// HistoryPrefix holds earlier versions of objects whose payload changed.
const HistoryPrefix = "_history/"

// Metadata keys stored with every object (gocloud lower-cases keys).
const (
	MetaSource      = "source"
	MetaEndpoint    = "endpoint"
	MetaURL         = "request-url"
	MetaFetchedAt   = "fetched-at"
	MetaSHA256      = "sha256"
	MetaContentType = "content-type"
	MetaOrigin      = "origin" // original path of an imported file
	// A member of a bulk archive (internal/archive): the archive's base
	// name and sha256, and the member's name inside it.
	MetaArchive       = "archive"
	MetaArchiveSHA256 = "archive-sha256"
	MetaArchiveMember = "archive-member"
)

// Meta is the provenance of an object.
type Meta struct {
	Source      string
	Endpoint    string
	URL         string
	FetchedAt   time.Time
	SHA256      string // hex; computed by Put when empty
	ContentType string
	Origin      string
	// Archive, ArchiveSHA256 and Member are set for an object adopted from
	// a bulk archive: a third-party copy, not a fetch (URL is then empty).
	Archive       string
	ArchiveSHA256 string
	Member        string
}

func (m Meta) toMap() map[string]string {
	out := map[string]string{
		MetaSource:    m.Source,
		MetaEndpoint:  m.Endpoint,
		MetaURL:       m.URL,
		MetaSHA256:    m.SHA256,
		MetaFetchedAt: m.FetchedAt.UTC().Format(time.RFC3339Nano),
	}
	if m.ContentType != "" {
		out[MetaContentType] = m.ContentType
	}
	if m.Origin != "" {
		out[MetaOrigin] = m.Origin
	}
	out[MetaArchive], out[MetaArchiveSHA256], out[MetaArchiveMember] = m.Archive, m.ArchiveSHA256, m.Member
	for k, v := range out {
		if v == "" {
			delete(out, k)
		}
	}
	return out
}

func metaFromMap(md map[string]string, contentType string) Meta {
	m := Meta{
		Source:      md[MetaSource],
		Endpoint:    md[MetaEndpoint],
		URL:         md[MetaURL],
		SHA256:      md[MetaSHA256],
		ContentType: md[MetaContentType],
		Origin:      md[MetaOrigin],

		Archive:       md[MetaArchive],
		ArchiveSHA256: md[MetaArchiveSHA256],
		Member:        md[MetaArchiveMember],
	}
	if m.ContentType == "" {
		m.ContentType = contentType
	}
	if t, err := time.Parse(time.RFC3339Nano, md[MetaFetchedAt]); err == nil {
		m.FetchedAt = t
	}
	return m
}

// Object describes a stored object.
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time
	ETag    string
	Meta    Meta // filled by Stat, not by List
}

// Page is one page of a listing.
type Page struct {
	Objects []Object
	Next    string // token of the next page, "" at the end
}

// Lake is an opened object store.
type Lake struct {
	b      *blob.Bucket
	url    string
	file   bool   // fileblob: reads retry over a torn .attrs sidecar (see readRetry)
	prefix string // key prefix inside the bucket ("" or ending in "/")
	// dir is a folder lake's directory (with the prefix applied): Walk and
	// ListDirs read it directly instead of paging through fileblob.
	dir string
	// pageSize is the page of a listing through the bucket API; apiList
	// makes a folder lake list that way too (PagedBy).
	pageSize int
	apiList  bool
	// s3 names the bucket and its endpoint when the lake is on S3, so two
	// lakes on one endpoint can copy on the server (CopyFrom).
	s3Bucket, s3Endpoint string
}

// Open opens the lake at u: file:///abs/path or file://./rel/path (created
// if missing), s3://bucket?region=..&endpoint=..&use_path_style=true, or
// mem://. prefix, when not empty, confines the lake to that key prefix.
func Open(ctx context.Context, u, prefix string) (*Lake, error) {
	openURL, err := normalizeURL(u)
	if err != nil {
		return nil, err
	}
	b, err := blob.OpenBucket(ctx, openURL)
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", Redact(u), err)
	}
	l := &Lake{url: u, file: strings.HasPrefix(openURL, "file://"), pageSize: 1000}
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		l.prefix = prefix + "/"
		b = blob.PrefixedBucket(b, l.prefix)
	}
	if l.file {
		p, _, _ := strings.Cut(strings.TrimPrefix(openURL, "file://"), "?")
		l.dir = filepath.Join(filepath.FromSlash(p), filepath.FromSlash(strings.TrimSuffix(l.prefix, "/")))
	}
	l.b = b
	if pu, err := url.Parse(openURL); err == nil && pu.Scheme == "s3" {
		q := pu.Query()
		l.s3Bucket, l.s3Endpoint = pu.Host, q.Get("endpoint")+"|"+q.Get("region")
	}
	return l, nil
}

// normalizeURL turns file://./rel into an absolute file URL, creating the
// directory, and adds create_dir for fileblob.
func normalizeURL(u string) (string, error) {
	if !strings.HasPrefix(u, "file://") {
		if !strings.Contains(u, "://") {
			return "", fmt.Errorf("lake: url %q has no scheme (want file://, s3:// or mem://)", u)
		}
		return u, nil
	}
	rest := strings.TrimPrefix(u, "file://")
	path, query, _ := strings.Cut(rest, "?")
	abs, err := filepath.Abs(filepath.FromSlash(path))
	if err != nil {
		return "", fmt.Errorf("lake: %s: %w", u, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", fmt.Errorf("lake: create %s: %w", abs, err)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("lake: %s: %w", u, err)
	}
	out := "file://" + filepath.ToSlash(abs)
	if len(q) > 0 {
		out += "?" + q.Encode()
	}
	return out, nil
}

// Redact hides credentials that a URL may carry in its query.
func Redact(u string) string {
	base, query, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return base + "?REDACTED"
	}
	for k := range q {
		lk := strings.ToLower(k)
		if strings.Contains(lk, "secret") || strings.Contains(lk, "token") || strings.Contains(lk, "password") || strings.Contains(lk, "key") {
			q.Set(k, "REDACTED")
		}
	}
	return base + "?" + q.Encode()
}

// URL returns the URL the lake was opened with, credentials redacted.
func (l *Lake) URL() string { return Redact(l.url) }

// Bucket exposes the underlying bucket for callers that need gocloud
// features Lake does not wrap (as: S3 client access in health checks).
func (l *Lake) Bucket() *blob.Bucket { return l.b }

// Close releases the bucket.
func (l *Lake) Close() error { return l.b.Close() }

// SHA256 returns the hex sha256 of data.
func SHA256(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// ValidateKey rejects keys that could escape the lake or confuse listing.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return errors.New("lake: empty key")
	case strings.HasPrefix(key, "/"):
		return fmt.Errorf("lake: key %q is absolute", key)
	case strings.Contains(key, "\\"):
		return fmt.Errorf("lake: key %q contains a backslash", key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("lake: key %q has an empty, '.' or '..' segment", key)
		}
	}
	return nil
}

// Put writes data at key atomically with metadata m (sha256 computed when
// empty). It overwrites whatever is there; see Store for versioned writes.
func (l *Lake) Put(ctx context.Context, key string, data []byte, m Meta) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if m.SHA256 == "" {
		m.SHA256 = SHA256(data)
	}
	if m.FetchedAt.IsZero() {
		m.FetchedAt = time.Now()
	}
	opts := &blob.WriterOptions{ContentType: m.ContentType, Metadata: m.toMap()}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if err := l.b.WriteAll(ctx, key, data, opts); err != nil {
		return fmt.Errorf("lake: write %s: %w", key, err)
	}
	return nil
}

// StoreResult says what Store did.
type StoreResult struct {
	Written   bool   // a new payload was written at the key
	Unchanged bool   // identical bytes were already there; nothing written
	Archived  string // key the previous, different payload was copied to
}

// Store writes data at key unless identical bytes are already there. When a
// different payload exists, it is first copied to HistoryKey(key, oldSHA),
// so no version is ever lost.
func (l *Lake) Store(ctx context.Context, key string, data []byte, m Meta) (StoreResult, error) {
	if err := ValidateKey(key); err != nil {
		return StoreResult{}, err
	}
	m.SHA256 = SHA256(data)
	old, err := l.Stat(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return StoreResult{}, err
	default:
		oldSHA := old.Meta.SHA256
		if oldSHA == "" { // written without metadata: hash the bytes
			b, err := l.Read(ctx, key)
			if err != nil {
				return StoreResult{}, err
			}
			oldSHA = SHA256(b)
		}
		if oldSHA == m.SHA256 {
			return StoreResult{Unchanged: true}, nil
		}
		hk := HistoryKey(key, oldSHA)
		if err := l.b.Copy(ctx, hk, key, nil); err != nil {
			return StoreResult{}, fmt.Errorf("lake: archive %s to %s: %w", key, hk, err)
		}
		if err := l.Put(ctx, key, data, m); err != nil {
			return StoreResult{}, err
		}
		return StoreResult{Written: true, Archived: hk}, nil
	}
	if err := l.Put(ctx, key, data, m); err != nil {
		return StoreResult{}, err
	}
	return StoreResult{Written: true}, nil
}

// HistoryKey is where an earlier version of key with the given sha256 lives.
func HistoryKey(key, sha string) string {
	if len(sha) > 16 {
		sha = sha[:16]
	}
	return HistoryPrefix + key + "@" + sha
}

func wrapErr(op, key string, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("lake: %s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("lake: %s %s: %w", op, key, err)
}

// readRetry runs a read, retrying briefly on file:// lakes when it failed
// decoding the object's .attrs sidecar. fileblob renames the data file into
// place atomically but rewrites the sidecar in place (os.Create, then write)
// just before, so a reader racing an overwrite can find it empty or half
// written. The data itself is never torn; the retry hides the sidecar race.
func (l *Lake) readRetry(ctx context.Context, fn func() error) error {
	for i := 0; ; i++ {
		err := fn()
		if err == nil || !l.file || i >= 100 || !tornSidecar(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

func tornSidecar(err error) bool {
	var syn *json.SyntaxError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syn)
}

// Stat returns the object's attributes and metadata.
func (l *Lake) Stat(ctx context.Context, key string) (Object, error) {
	var a *blob.Attributes
	err := l.readRetry(ctx, func() (err error) {
		a, err = l.b.Attributes(ctx, key)
		return err
	})
	if err != nil {
		return Object{}, wrapErr("stat", key, err)
	}
	return Object{Key: key, Size: a.Size, ModTime: a.ModTime, ETag: a.ETag, Meta: metaFromMap(a.Metadata, a.ContentType)}, nil
}

// Exists reports whether key exists.
func (l *Lake) Exists(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := l.readRetry(ctx, func() (err error) {
		ok, err = l.b.Exists(ctx, key)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("lake: exists %s: %w", key, err)
	}
	return ok, nil
}

// Read returns the whole object.
func (l *Lake) Read(ctx context.Context, key string) ([]byte, error) {
	var b []byte
	err := l.readRetry(ctx, func() (err error) {
		b, err = l.b.ReadAll(ctx, key)
		return err
	})
	if err != nil {
		return nil, wrapErr("read", key, err)
	}
	return b, nil
}

// ReadRange returns up to length bytes from offset (length < 0: to the end).
func (l *Lake) ReadRange(ctx context.Context, key string, offset, length int64) ([]byte, error) {
	var r *blob.Reader
	err := l.readRetry(ctx, func() (err error) {
		r, err = l.b.NewRangeReader(ctx, key, offset, length, nil)
		return err
	})
	if err != nil {
		return nil, wrapErr("read", key, err)
	}
	defer r.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return nil, wrapErr("read", key, err)
	}
	return buf.Bytes(), nil
}

// Delete removes key.
func (l *Lake) Delete(ctx context.Context, key string) error {
	if err := l.b.Delete(ctx, key); err != nil {
		return wrapErr("delete", key, err)
	}
	return nil
}

// List returns one page of objects under prefix, in key order. pageSize <= 0
// means 1000. Pass the returned Next to get the following page.
func (l *Lake) List(ctx context.Context, prefix, pageToken string, pageSize int) (Page, error) {
	if pageSize <= 0 {
		pageSize = 1000
	}
	var tok []byte
	if pageToken != "" {
		t, err := decodeToken(pageToken)
		if err != nil {
			return Page{}, err
		}
		tok = t
	} else {
		tok = blob.FirstPageToken
	}
	objs, next, err := l.b.ListPage(ctx, tok, pageSize, &blob.ListOptions{Prefix: prefix})
	if err != nil {
		return Page{}, fmt.Errorf("lake: list %q: %w", prefix, err)
	}
	p := Page{Objects: make([]Object, 0, len(objs))}
	for _, o := range objs {
		if o.IsDir {
			continue
		}
		p.Objects = append(p.Objects, Object{Key: o.Key, Size: o.Size, ModTime: o.ModTime, ETag: hexMD5(o.MD5)})
	}
	if len(next) > 0 {
		p.Next = encodeToken(next)
	}
	return p, nil
}

// Lister lists a lake for reconciliation: *Lake implements it, over a
// folder (a directory walk) and over any bucket (the paged listing of
// S3, memory); tests wrap it to inject failures.
type Lister interface {
	// ListDirs returns the immediate sub-prefixes of prefix (ending in "/")
	// and the objects directly under it.
	ListDirs(ctx context.Context, prefix string) (dirs []string, objs []Object, err error)
	// Scan calls fn for every object under prefix, recursively.
	Scan(ctx context.Context, prefix string, fn func(Object) error) error
	// Describe names the listing and its target for reports.
	Describe() string
}

// Folder reports whether the lake is a folder (file://) listed by a
// directory walk.
func (l *Lake) Folder() bool { return l.dir != "" && !l.apiList }

// PagedBy returns the lake listing through the bucket API n objects a page,
// a folder lake included (layout detection samples a page; tests compare
// the two listings).
func (l *Lake) PagedBy(n int) *Lake {
	c := *l
	c.pageSize, c.apiList = n, true
	return &c
}

// Describe implements Lister.
func (l *Lake) Describe() string {
	if l.Folder() {
		return "directory walk of " + l.dir
	}
	return "lake listing of " + l.URL()
}

// Walk calls fn for every object under prefix, page by page through the
// bucket API (with ETags, on every kind of lake).
func (l *Lake) Walk(ctx context.Context, prefix string, fn func(Object) error) error {
	tok := ""
	for {
		p, err := l.List(ctx, prefix, tok, l.pageSize)
		if err != nil {
			return err
		}
		for _, o := range p.Objects {
			if err := fn(o); err != nil {
				return err
			}
		}
		if p.Next == "" {
			return nil
		}
		tok = p.Next
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// Scan calls fn for every object under prefix with its size and time, the
// fastest way the lake allows: a folder lake's directory tree read
// directly (one fstatat per file relative to its open directory on Linux,
// no .attrs sidecar read: fileblob re-walks the tree for every page and
// reads a sidecar per object, 4.3x the CPU at 173,000 objects; no ETag
// then), any other lake page by page (Walk). Reconciliation scans through
// it.
func (l *Lake) Scan(ctx context.Context, prefix string, fn func(Object) error) error {
	if l.Folder() {
		return l.walkDir(ctx, prefix, fn)
	}
	return l.Walk(ctx, prefix, fn)
}

// ListDirs returns the immediate "directories" under prefix (ending in "/")
// and the objects directly under it (a folder lake: read directly, no ETag).
func (l *Lake) ListDirs(ctx context.Context, prefix string) ([]string, []Object, error) {
	if l.Folder() {
		var objs []Object
		dirs, err := l.readDir(prefix, func(o Object) error { objs = append(objs, o); return nil })
		return dirs, objs, err
	}
	it := l.b.List(&blob.ListOptions{Prefix: prefix, Delimiter: "/"})
	var dirs []string
	var objs []Object
	for {
		o, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return dirs, objs, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("lake: list dirs %q: %w", prefix, err)
		}
		if o.IsDir {
			dirs = append(dirs, o.Key)
			continue
		}
		objs = append(objs, Object{Key: o.Key, Size: o.Size, ModTime: o.ModTime, ETag: hexMD5(o.MD5)})
	}
}

// skipFile leaves out what fileblob keeps beside objects: its ".attrs"
// sidecars and temporary files.
func skipFile(name string) bool {
	return strings.HasSuffix(name, ".attrs") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".tmp")
}

// readDir calls fn for each file directly under prefix of a folder lake and
// returns the sub-directories, sorted.
func (l *Lake) readDir(prefix string, fn func(Object) error) ([]string, error) {
	dir := filepath.Join(l.dir, filepath.FromSlash(prefix))
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lake: read dir %s: %w", dir, err)
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("lake: read dir %s: %w", dir, err)
	}
	var dirs []string
	st := newStatter(f)
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() {
			dirs = append(dirs, prefix+name+"/")
			continue
		}
		if skipFile(name) {
			continue
		}
		size, mt, ok := st.stat(e)
		if !ok {
			continue // removed while listing
		}
		if err := fn(Object{Key: prefix + name, Size: size, ModTime: mt}); err != nil {
			return nil, err
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

func (l *Lake) walkDir(ctx context.Context, prefix string, fn func(Object) error) error {
	dirs, err := l.readDir(prefix, fn)
	if err != nil {
		return err
	}
	for _, sub := range dirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.walkDir(ctx, sub, fn); err != nil {
			return err
		}
	}
	return nil
}

func hexMD5(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return hex.EncodeToString(b)
}

func encodeToken(b []byte) string { return hex.EncodeToString(b) }

func decodeToken(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("lake: bad page token: %w", err)
	}
	return b, nil
}
