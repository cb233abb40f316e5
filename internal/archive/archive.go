// Package archive streams bulk play-by-play archives without unpacking them
// to disk and yields one object per game:
//
//   - a tar archive compressed with zstd (*.tar.zst, *.tzst) or gzip
//     (*.tar.gz, *.tgz), or uncompressed (*.tar), of per-game files (the
//     gabriel1200/legacy_pbp layout: one playbyplayv2 CSV per game, members
//     named <game id without its leading "00">.csv);
//   - a zip archive (*.zip) of the same, or holding one CSV of many games;
//   - a single CSV of many games (*.csv, *.csv.gz, *.csv.zst), such as the
//     Kaggle "NBA Database" play_by_play.csv, split by its game id column;
//   - a bundle of JSON files, one line each (*.jsonl, *.jsonl.gz,
//     *.jsonl.zst: {"file": ..., "content": ...}), such as the legacy_pbp
//     archive's game_info_all.jsonl.gz.
//
// Every Member carries its provenance: the archive's base name and sha256,
// the member's name (for a split CSV: the file name and the line range),
// and the sha256 of the bytes handed over. The bytes are the archive's own:
// a member exactly as stored, or for a split CSV the header line followed
// by the game's lines, byte for byte. Nothing is converted here; callers
// (internal/importer) decide which lake dataset a member belongs to.
//
// The package knows nothing about the lake or the store, so any bulk source
// (playbyplayv2 CSVs, hoopR/Kaggle dumps with another game column) can use
// it: set Options.GameColumn and Options.GameID.
package archive

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nbasim/nbasim/internal/layout"
)

// Format is the container format of a bulk archive.
type Format int

// Container formats.
const (
	Unknown Format = iota
	TarZstd
	TarGzip
	Tar
	Zip
	CSV     // one CSV of many games
	CSVGzip // the same, gzip-compressed
	CSVZstd // the same, zstd-compressed
	// JSONL is a bundle of files, one JSON line per file:
	// {"file": "game_info/21300001.json", "content": {...}} (the
	// legacy_pbp archive's game_info_all.jsonl.gz).
	JSONL
	JSONLGzip // the same, gzip-compressed
	JSONLZstd // the same, zstd-compressed
)

func (f Format) String() string {
	switch f {
	case TarZstd:
		return "tar.zst"
	case TarGzip:
		return "tar.gz"
	case Tar:
		return "tar"
	case Zip:
		return "zip"
	case CSV:
		return "csv"
	case CSVGzip:
		return "csv.gz"
	case CSVZstd:
		return "csv.zst"
	case JSONL:
		return "jsonl"
	case JSONLGzip:
		return "jsonl.gz"
	case JSONLZstd:
		return "jsonl.zst"
	}
	return "unknown"
}

// Detect returns the format of a file from its name.
func Detect(name string) Format {
	n := strings.ToLower(path.Base(filepath.ToSlash(name)))
	switch {
	case strings.HasSuffix(n, ".tar.zst"), strings.HasSuffix(n, ".tzst"):
		return TarZstd
	case strings.HasSuffix(n, ".tar.gz"), strings.HasSuffix(n, ".tgz"):
		return TarGzip
	case strings.HasSuffix(n, ".tar"):
		return Tar
	case strings.HasSuffix(n, ".zip"):
		return Zip
	case strings.HasSuffix(n, ".csv.gz"):
		return CSVGzip
	case strings.HasSuffix(n, ".csv.zst"):
		return CSVZstd
	case strings.HasSuffix(n, ".csv"):
		return CSV
	case strings.HasSuffix(n, ".jsonl.gz"):
		return JSONLGzip
	case strings.HasSuffix(n, ".jsonl.zst"):
		return JSONLZstd
	case strings.HasSuffix(n, ".jsonl"):
		return JSONL
	}
	return Unknown
}

// Member is one object of a bulk archive: a file of a tar or zip archive,
// or the lines of one game of a many-games CSV.
type Member struct {
	Archive       string    // base name of the archive file: "2018-19.tar.zst"
	ArchiveSHA256 string    // hex sha256 of the whole archive file ("" when read from a stream)
	Name          string    // member path inside the archive; for a split CSV "play_by_play.csv:lines 2-471"
	GameID        string    // the game the member holds, by Options.GameID ("" when unknown)
	ModTime       time.Time // the member's time in the archive (zero for a split CSV)
	Data          []byte    // the member's bytes, exactly as archived
	SHA256        string    // hex sha256 of Data
	Split         bool      // Data was cut from a many-games CSV (header line + the game's lines)
}

// Origin renders the member's provenance: "2018-19.tar.zst:21800001.csv".
func (m *Member) Origin() string { return m.Archive + ":" + m.Name }

// Options tune a walk.
type Options struct {
	// GameColumn names the game id column of a many-games CSV (compared
	// case-insensitively); default "GAME_ID".
	GameColumn string
	// GameID maps a member name (tar/zip member) or a game column value
	// (split CSV) to a game id; "" means unknown. Default: NBAGameID.
	GameID func(s string) string
	// MaxMember caps the size of one member read into memory; default 64 MiB.
	MaxMember int64
}

func (o *Options) defaults() {
	if o.GameColumn == "" {
		o.GameColumn = "GAME_ID"
	}
	if o.GameID == nil {
		o.GameID = NBAGameID
	}
	if o.MaxMember <= 0 {
		o.MaxMember = 64 << 20
	}
}

// NBAGameID returns the 10-digit NBA game id named by s: a game id with or
// without its leading zeros ("0021800001", "21800001", "21800001.0"), or a
// member name such as "gameplaybyplay/21800001.csv" (the id grammar is
// layout.NBAGameID). It returns "" when s names no NBA game.
func NBAGameID(s string) string {
	s = path.Base(filepath.ToSlash(strings.TrimSpace(s)))
	for {
		ext := path.Ext(s)
		if ext == "" || len(ext) > 5 || !isAlpha(ext[1:]) {
			break
		}
		s = strings.TrimSuffix(s, ext)
	}
	return layout.NBAGameID(s)
}

func isAlpha(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// Walk streams the archive at file and calls fn with each member, in
// archive order. The archive's sha256 is computed first (one sequential
// read). An error from fn stops the walk and is returned.
func Walk(ctx context.Context, file string, opt Options, fn func(*Member) error) error {
	f := Detect(file)
	if f == Unknown {
		return fmt.Errorf("archive %s: unknown format (want .tar.zst, .tar.gz, .tar, .zip, .csv, .csv.gz, .csv.zst, .jsonl, .jsonl.gz or .jsonl.zst)", file)
	}
	sum, err := fileSHA256(ctx, file)
	if err != nil {
		return err
	}
	fh, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer fh.Close()
	if f == Zip {
		st, err := fh.Stat()
		if err != nil {
			return fmt.Errorf("archive %s: %w", file, err)
		}
		return walkZip(ctx, fh, st.Size(), filepath.Base(file), sum, opt, fn)
	}
	return walkReader(ctx, fh, f, filepath.Base(file), sum, opt, fn)
}

// WalkReader streams an archive of format f read from r (named name for
// provenance) and calls fn with each member. Zip needs random access: use
// Walk for it.
func WalkReader(ctx context.Context, r io.Reader, f Format, name string, opt Options, fn func(*Member) error) error {
	if f == Zip {
		return fmt.Errorf("archive %s: zip needs a file (random access): use Walk", name)
	}
	return walkReader(ctx, r, f, name, "", opt, fn)
}

func walkReader(ctx context.Context, r io.Reader, f Format, name, sum string, opt Options, fn func(*Member) error) error {
	opt.defaults()
	br := bufio.NewReaderSize(r, 1<<20)
	var (
		dec io.Reader
		err error
	)
	switch f {
	case TarZstd, CSVZstd, JSONLZstd:
		zr, zerr := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(false))
		if zerr != nil {
			return fmt.Errorf("archive %s: zstd: %w", name, zerr)
		}
		defer zr.Close()
		dec = zr
	case TarGzip, CSVGzip, JSONLGzip:
		gr, gerr := gzip.NewReader(br)
		if gerr != nil {
			return fmt.Errorf("archive %s: gzip: %w", name, gerr)
		}
		defer gr.Close()
		dec = gr
	case Tar, CSV, JSONL:
		dec = br
	default:
		return fmt.Errorf("archive %s: format %s cannot be streamed", name, f)
	}
	switch f {
	case TarZstd, TarGzip, Tar:
		err = walkTar(ctx, dec, name, sum, opt, fn)
	case JSONL, JSONLGzip, JSONLZstd:
		err = walkJSONL(ctx, dec, name, sum, opt, fn)
	default:
		err = splitCSV(ctx, dec, name, path.Base(strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".zst")), sum, opt, fn)
	}
	return err
}

func walkTar(ctx context.Context, r io.Reader, name, sum string, opt Options, fn func(*Member) error) error {
	tr := tar.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("archive %s: tar: %w", name, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue // directories, links: nothing to adopt
		}
		if h.Size > opt.MaxMember {
			return fmt.Errorf("archive %s: member %s is %d bytes, more than the %d-byte limit", name, h.Name, h.Size, opt.MaxMember)
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return fmt.Errorf("archive %s: member %s: %w", name, h.Name, err)
		}
		m := &Member{Archive: name, ArchiveSHA256: sum, Name: h.Name, GameID: opt.GameID(h.Name),
			ModTime: h.ModTime.UTC(), Data: data, SHA256: hexSHA(data)}
		if err := fn(m); err != nil {
			return err
		}
	}
}

func walkZip(ctx context.Context, r io.ReaderAt, size int64, name, sum string, opt Options, fn func(*Member) error) error {
	opt.defaults()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("archive %s: zip: %w", name, err)
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("archive %s: member %s: %w", name, f.Name, err)
		}
		inner := Detect(f.Name)
		if inner == CSV && !isGameName(f.Name, opt) {
			// one CSV of many games inside the zip (the Kaggle download)
			err = splitCSV(ctx, rc, name, f.Name, sum, opt, fn)
			rc.Close()
			if err != nil {
				return err
			}
			continue
		}
		if int64(f.UncompressedSize64) > opt.MaxMember {
			rc.Close()
			return fmt.Errorf("archive %s: member %s is %d bytes, more than the %d-byte limit", name, f.Name, f.UncompressedSize64, opt.MaxMember)
		}
		data, err := io.ReadAll(io.LimitReader(rc, opt.MaxMember+1))
		rc.Close()
		if err != nil {
			return fmt.Errorf("archive %s: member %s: %w", name, f.Name, err)
		}
		m := &Member{Archive: name, ArchiveSHA256: sum, Name: f.Name, GameID: opt.GameID(f.Name),
			ModTime: f.Modified.UTC(), Data: data, SHA256: hexSHA(data)}
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}

func isGameName(name string, opt Options) bool { return opt.GameID(name) != "" }

// splitCSV cuts a CSV of many games into one member per game: the header
// line plus the game's lines, byte for byte. A game's lines must be
// contiguous (the dumps are sorted by game); a game that comes back after
// another one is an error naming both lines.
func splitCSV(ctx context.Context, r io.Reader, archive, file, sum string, opt Options, fn func(*Member) error) error {
	// The csv.Reader reads from a tee that keeps the raw bytes, so that
	// each record's exact bytes (quotes, CRLF, embedded newlines) are kept.
	var raw bytes.Buffer
	cr := csv.NewReader(io.TeeReader(r, &raw))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("archive %s: %s: empty CSV (no header line)", archive, file)
	}
	if err != nil {
		return fmt.Errorf("archive %s: %s: header: %w", archive, file, err)
	}
	col := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), opt.GameColumn) {
			col = i
			break
		}
	}
	if col < 0 {
		return fmt.Errorf("archive %s: %s: no %s column in the header", archive, file, opt.GameColumn)
	}
	off := cr.InputOffset()
	headerBytes := append([]byte(nil), raw.Bytes()[:off]...)
	if !bytes.HasSuffix(headerBytes, []byte("\n")) {
		headerBytes = append(headerBytes, '\n')
	}
	base := off // stream offset of raw.Bytes()[0]
	raw.Next(int(off))

	var (
		cur       string // raw game column value of the current game
		curID     string
		startLine int
		line      = 1
		body      []byte
		seen      = map[string]int{} // game -> first line, of games already handed out
	)
	emit := func(endLine int) error {
		if cur == "" {
			return nil
		}
		data := make([]byte, 0, len(headerBytes)+len(body))
		data = append(append(data, headerBytes...), body...)
		m := &Member{Archive: archive, ArchiveSHA256: sum, Name: fmt.Sprintf("%s:lines %d-%d", file, startLine, endLine),
			GameID: curID, Data: data, SHA256: hexSHA(data), Split: true}
		body = body[:0]
		return fn(m)
	}
	for {
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return fmt.Errorf("archive %s: %s: line %d: %w", archive, file, line, err)
		}
		end := cr.InputOffset()
		rowBytes := raw.Next(int(end - base))
		base = end
		if col >= len(rec) {
			return fmt.Errorf("archive %s: %s: line %d: %d fields, no %s (field %d)", archive, file, line, len(rec), opt.GameColumn, col+1)
		}
		g := strings.TrimSpace(rec[col])
		if g != cur {
			if err := emit(line - 1); err != nil {
				return err
			}
			if first, ok := seen[g]; ok {
				return fmt.Errorf("archive %s: %s: line %d: game %s again (its lines began at line %d, other games came between): sort the file by %s",
					archive, file, line, g, first, opt.GameColumn)
			}
			seen[g] = line
			cur, curID, startLine = g, opt.GameID(g), line
		}
		body = append(body, rowBytes...)
		if !bytes.HasSuffix(rowBytes, []byte("\n")) {
			body = append(body, '\n')
		}
	}
	if cur == "" {
		return fmt.Errorf("archive %s: %s: no data lines after the header", archive, file)
	}
	return emit(line)
}

// walkJSONL reads a bundle of files written one per line as
// {"file": NAME, "content": JSON}: each line is a member named NAME whose
// bytes are the content value exactly as the line holds it. A line that is
// not such an object is an error naming its line number.
func walkJSONL(ctx context.Context, r io.Reader, name, sum string, opt Options, fn func(*Member) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), int(min(opt.MaxMember, 1<<30)))
	line := 0
	for sc.Scan() {
		line++
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			File    string          `json:"file"`
			Content json.RawMessage `json:"content"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return fmt.Errorf("archive %s: line %d: %w", name, line, err)
		}
		if rec.File == "" || len(rec.Content) == 0 {
			return fmt.Errorf("archive %s: line %d: want {\"file\": ..., \"content\": ...}", name, line)
		}
		data := append([]byte(nil), rec.Content...)
		m := &Member{Archive: name, ArchiveSHA256: sum, Name: rec.File, GameID: opt.GameID(rec.File), Data: data, SHA256: hexSHA(data)}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("archive %s: line %d: %w", name, line+1, err)
	}
	if line == 0 {
		return fmt.Errorf("archive %s: no lines", name)
	}
	return nil
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fileSHA256 hashes a file.
func fileSHA256(ctx context.Context, file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("archive %s: %w", file, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
