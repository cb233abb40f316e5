package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Parse statuses of raw_objects.
const (
	ParsePending = "pending"
	ParseOK      = "ok"
	ParseFailed  = "failed"
	ParseSkipped = "skipped"
)

// RawObject is one row of raw_objects: a lake object and its parse status.
type RawObject struct {
	Key           string // lake key
	Source        string
	Endpoint      string
	Season        string
	Item          string
	Size          int64
	SHA256        string
	FetchedAt     string
	ContentType   string
	ParseStatus   string // pending (default), ok, failed, skipped
	ParserVersion int
	ParsedAt      string
	RowsLoaded    int64
	Error         string
}

var rawCols = []string{"key", "source", "endpoint", "season", "item", "size", "sha256", "fetched_at", "content_type",
	"parse_status", "parser_version", "parsed_at", "rows_loaded", "error"}

// rawParseCols are the columns a catalogue refresh of an unchanged object
// does not reset.
var rawParseCols = []string{"parse_status", "parser_version", "parsed_at", "rows_loaded", "error"}

// UpsertRawObjects catalogues lake objects. A row whose ParseStatus is
// pending (or empty) for an object whose sha256 did not change keeps the
// stored parse status, parser version, parsed-at, rows loaded and error:
// re-scanning the lake never forgets what was parsed. A changed sha256, or
// an explicit status, replaces them.
func UpsertRawObjects(ctx context.Context, q Querier, objs []RawObject) (int64, error) {
	b := Batch{Table: "raw_objects", Columns: rawCols, Key: []string{"key"}, Update: map[string]string{}}
	for _, c := range rawParseCols {
		b.Update[c] = `CASE WHEN excluded.parse_status = 'pending' AND raw_objects.sha256 IS NOT DISTINCT FROM excluded.sha256 ` +
			`THEN raw_objects.` + c + ` ELSE excluded.` + c + ` END`
	}
	for i, o := range objs {
		if o.Key == "" || o.Source == "" || o.Endpoint == "" {
			return 0, fmt.Errorf("store: raw_objects row %d: key, source and endpoint are required (%q, %q, %q)", i, o.Key, o.Source, o.Endpoint)
		}
		st := o.ParseStatus
		if st == "" {
			st = ParsePending
		}
		b.Rows = append(b.Rows, []any{o.Key, o.Source, o.Endpoint, nullStr(o.Season), nullStr(o.Item), o.Size, nullStr(o.SHA256),
			nullStr(o.FetchedAt), nullStr(o.ContentType), st, int64(o.ParserVersion), nullStr(o.ParsedAt), o.RowsLoaded, nullStr(o.Error)})
	}
	return q.Upsert(ctx, b)
}

// SetParseStatus records the outcome of parsing the object at key (parsed
// at now). errMsg is stored for failed and skipped objects.
func SetParseStatus(ctx context.Context, q Querier, key, status string, parserVersion int, rowsLoaded int64, errMsg string) error {
	n, err := q.Exec(ctx, `UPDATE raw_objects SET parse_status = $1, parser_version = $2, parsed_at = $3, rows_loaded = $4, error = $5 WHERE key = $6`,
		status, int64(parserVersion), Now(), rowsLoaded, nullStr(errMsg), key)
	if err != nil {
		return fmt.Errorf("store: set parse status of %s: %w", key, err)
	}
	if n == 0 {
		return fmt.Errorf("store: set parse status of %s: not catalogued: %w", key, ErrNoRows)
	}
	return nil
}

func scanRaw(r interface{ Scan(...any) error }) (RawObject, error) {
	var o RawObject
	var season, item, sha, fetched, ct, parsed, errMsg *string
	if err := r.Scan(&o.Key, &o.Source, &o.Endpoint, &season, &item, &o.Size, &sha, &fetched, &ct, &o.ParseStatus,
		&o.ParserVersion, &parsed, &o.RowsLoaded, &errMsg); err != nil {
		return o, err
	}
	o.Season, o.Item, o.SHA256, o.FetchedAt, o.ContentType = deref(season), deref(item), deref(sha), deref(fetched), deref(ct)
	o.ParsedAt, o.Error = deref(parsed), deref(errMsg)
	return o, nil
}

// GetRawObject reads the catalogue entry of key (ErrNoRows when absent).
func GetRawObject(ctx context.Context, q Querier, key string) (RawObject, error) {
	o, err := scanRaw(q.QueryRow(ctx, `SELECT `+strings.Join(rawCols, ", ")+` FROM raw_objects WHERE key = $1`, key))
	if err != nil {
		return o, fmt.Errorf("store: raw object %s: %w", key, err)
	}
	return o, nil
}

// RawFilter selects raw objects; empty fields match everything.
type RawFilter struct {
	Status   string // parse status
	Source   string
	Endpoint string
	Season   string
	After    string // keys greater than this (pagination)
	Limit    int    // 0: no limit
}

// ListRawObjects lists catalogue entries matching f, by key.
func ListRawObjects(ctx context.Context, q Querier, f RawFilter) ([]RawObject, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" $"+strconv.Itoa(len(args)))
	}
	if f.Status != "" {
		add("parse_status =", f.Status)
	}
	if f.Source != "" {
		add("source =", f.Source)
	}
	if f.Endpoint != "" {
		add("endpoint =", f.Endpoint)
	}
	if f.Season != "" {
		add("season =", f.Season)
	}
	if f.After != "" {
		add("key >", f.After)
	}
	query := `SELECT ` + strings.Join(rawCols, ", ") + ` FROM raw_objects`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	// COLLATE "C" gives both engines the same (byte) order of keys.
	query += ` ORDER BY key` + byteCollation(q.Dialect())
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list raw objects: %w", err)
	}
	defer rows.Close()
	var out []RawObject
	for rows.Next() {
		o, err := scanRaw(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list raw objects: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CountRawObjects counts catalogue entries by parse status.
func CountRawObjects(ctx context.Context, q Querier) (map[string]int64, error) {
	rows, err := q.Query(ctx, `SELECT parse_status, count(*) FROM raw_objects GROUP BY parse_status`)
	if err != nil {
		return nil, fmt.Errorf("store: count raw objects: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var s string
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

func byteCollation(d Dialect) string {
	if d == Postgres {
		return ` COLLATE "C"`
	}
	return "" // SQLite's default BINARY collation is byte order
}

// QuarantineItem is one bad input (or one bad part of an input) set aside
// with the reason.
type QuarantineItem struct {
	Key           string // lake key or file path
	Position      string // row, event, JSON path within it; "" for the whole input
	Source        string
	GameID        string
	Reason        string
	ParserVersion int
	CreatedAt     string // set to now when empty
}

// AddQuarantine records bad inputs; the same (key, position) is replaced
// (the latest reason wins), and recording the same item again changes
// nothing (created_at stays the first time it was seen).
func AddQuarantine(ctx context.Context, q Querier, items ...QuarantineItem) (int64, error) {
	now := Now()
	b := Batch{Table: "quarantine", Columns: []string{"key", "position", "source", "game_id", "reason", "parser_version", "created_at"},
		Key: []string{"key", "position"}, Stamp: "created_at"}
	for i, it := range items {
		if it.Key == "" || it.Reason == "" {
			return 0, fmt.Errorf("store: quarantine item %d: key and reason are required (%q, %q)", i, it.Key, it.Reason)
		}
		at := it.CreatedAt
		if at == "" {
			at = now
		}
		b.Rows = append(b.Rows, []any{it.Key, it.Position, nullStr(it.Source), nullStr(it.GameID), it.Reason, int64(it.ParserVersion), at})
	}
	return q.Upsert(ctx, b)
}

// ClearQuarantine removes the items recorded for key (after it parsed
// cleanly) and returns how many there were.
func ClearQuarantine(ctx context.Context, q Querier, key string) (int64, error) {
	n, err := q.Exec(ctx, `DELETE FROM quarantine WHERE key = $1`, key)
	if err != nil {
		return 0, fmt.Errorf("store: clear quarantine of %s: %w", key, err)
	}
	return n, nil
}

// QuarantineFilter selects quarantine items; empty fields match everything.
type QuarantineFilter struct {
	Key    string
	Source string
	GameID string
	Limit  int
}

// ListQuarantine lists quarantine items matching f, by key and position.
func ListQuarantine(ctx context.Context, q Querier, f QuarantineFilter) ([]QuarantineItem, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"key", f.Key}, {"source", f.Source}, {"game_id", f.GameID}} {
		if c.v != "" {
			args = append(args, c.v)
			where = append(where, c.col+" = $"+strconv.Itoa(len(args)))
		}
	}
	query := `SELECT key, position, source, game_id, reason, parser_version, created_at FROM quarantine`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	coll := byteCollation(q.Dialect())
	query += ` ORDER BY key` + coll + `, position` + coll
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list quarantine: %w", err)
	}
	defer rows.Close()
	var out []QuarantineItem
	for rows.Next() {
		var it QuarantineItem
		var src, game *string
		if err := rows.Scan(&it.Key, &it.Position, &src, &game, &it.Reason, &it.ParserVersion, &it.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: list quarantine: %w", err)
		}
		it.Source, it.GameID = deref(src), deref(game)
		out = append(out, it)
	}
	return out, rows.Err()
}
