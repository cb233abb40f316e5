package mcpserver

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/nbasim/nbasim/internal/readonly"
)

// Lake read limits.
const (
	DefaultReadBytes = 64 << 10
	MaxReadBytes     = 1 << 20
	DefaultListKeys  = 100
	MaxListKeys      = 1000
)

func readOnlyTool(name, title, desc string) *mcp.Tool {
	f := false
	return &mcp.Tool{Name: name, Title: title, Description: desc,
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: &f}}
}

func (s *Server) addTools() {
	mcp.AddTool(s.srv, readOnlyTool("query", "SQL query",
		"Run ONE read-only SQL statement (SELECT/WITH/VALUES/EXPLAIN; "+string(s.opts.DB.Dialect())+
			" dialect). Returns columns once and rows as arrays; capped by max_rows (default 100, max 1000), bytes and a timeout; truncation is stated."), s.query)
	mcp.AddTool(s.srv, readOnlyTool("list_tables", "List tables", "List tables and views with row counts (exact on SQLite, estimated on PostgreSQL)."), s.listTables)
	mcp.AddTool(s.srv, readOnlyTool("describe_table", "Describe table", "Columns, types, primary key, indexes, foreign keys and row count of one table."), s.describeTable)
	mcp.AddTool(s.srv, readOnlyTool("lake_list", "List lake objects", "List raw objects in the data lake under a prefix ({source}/{dataset}/{season}/), one page at a time."), s.lakeList)
	mcp.AddTool(s.srv, readOnlyTool("lake_read", "Read lake object", "Read a byte range of one lake object: text, or base64 for binary; at most 1 MiB per call."), s.lakeRead)
	mcp.AddTool(s.srv, readOnlyTool("health", "Health", "Health checks, lake and database counts, latest reconciliation summary and gaps by priority."), s.health)
	s.box = addJSONTool[BoxIn, BoxOut](s.srv, readOnlyTool("box_score", "Box score", "Box score of a game: stored official/derived box, or computed from play-by-play at a moment (period+clock or elapsed seconds)."), s.boxScoreJSON)
	mcp.AddTool(s.srv, readOnlyTool("coverage", "Coverage", "Latest lake completeness by source x dataset x season, from the last reconciliation."), s.coverage)
	s.addSimulateTool()
	s.addLineupsTool()
}

// ---- query

// QueryIn is the query tool's input.
type QueryIn struct {
	SQL            string `json:"sql" jsonschema:"one read-only SQL statement"`
	MaxRows        int    `json:"max_rows,omitempty" jsonschema:"row cap (default 100, max 1000)"`
	TimeoutSeconds int    `json:"timeout_seconds,omitempty" jsonschema:"timeout (default and max 30)"`
}

// QueryOut is the query tool's output.
type QueryOut struct {
	Columns     []string `json:"columns"`
	Types       []string `json:"types"`
	Rows        [][]any  `json:"rows"`
	RowCount    int      `json:"row_count"`
	Truncated   bool     `json:"truncated"`
	TruncatedBy string   `json:"truncated_by,omitempty" jsonschema:"row_cap or byte_cap"`
	Note        string   `json:"note,omitempty"`
	ElapsedMS   int64    `json:"elapsed_ms"`
}

func (s *Server) query(ctx context.Context, _ *mcp.CallToolRequest, in QueryIn) (*mcp.CallToolResult, QueryOut, error) {
	stmt, err := readonly.Check(in.SQL, s.opts.DB.Flavor())
	if err != nil {
		return nil, QueryOut{}, err
	}
	start := time.Now()
	res, err := s.opts.DB.Query(ctx, stmt, readonly.Limits{Rows: in.MaxRows, Timeout: time.Duration(in.TimeoutSeconds) * time.Second})
	if err != nil {
		return nil, QueryOut{}, err
	}
	out := QueryOut{Columns: []string{}, Types: []string{}, Rows: res.Rows, RowCount: len(res.Rows),
		Truncated: res.Truncated, TruncatedBy: res.TruncatedBy, ElapsedMS: time.Since(start).Milliseconds()}
	if out.Rows == nil {
		out.Rows = [][]any{}
	}
	for _, c := range res.Columns {
		out.Columns = append(out.Columns, c.Name)
		out.Types = append(out.Types, c.Type)
	}
	switch res.TruncatedBy {
	case "row_cap":
		out.Note = fmt.Sprintf("truncated at %d rows: add LIMIT/aggregate, or raise max_rows (max %d)", len(res.Rows), readonly.MaxRowCap)
	case "byte_cap":
		out.Note = fmt.Sprintf("truncated at %d bytes after %d rows: select fewer columns", res.Bytes, len(res.Rows))
	}
	st := statsFrom(ctx)
	st.rows, st.truncated = len(res.Rows), res.Truncated
	return nil, out, nil
}

// ---- list_tables / describe_table

// ListTablesIn is empty.
type ListTablesIn struct{}

// ListTablesOut lists tables.
type ListTablesOut struct {
	Dialect string           `json:"dialect"`
	Tables  []readonly.Table `json:"tables"`
}

func (s *Server) listTables(ctx context.Context, _ *mcp.CallToolRequest, _ ListTablesIn) (*mcp.CallToolResult, ListTablesOut, error) {
	ts, err := s.opts.DB.Tables(ctx)
	if err != nil {
		return nil, ListTablesOut{}, err
	}
	if ts == nil {
		ts = []readonly.Table{}
	}
	statsFrom(ctx).rows = len(ts)
	return nil, ListTablesOut{Dialect: string(s.opts.DB.Dialect()), Tables: ts}, nil
}

// DescribeIn names a table.
type DescribeIn struct {
	Table string `json:"table" jsonschema:"table name (see list_tables)"`
}

func (s *Server) describeTable(ctx context.Context, _ *mcp.CallToolRequest, in DescribeIn) (*mcp.CallToolResult, readonly.TableInfo, error) {
	if in.Table == "" {
		return nil, readonly.TableInfo{}, errors.New("table is required")
	}
	ti, err := s.opts.DB.Describe(ctx, in.Table)
	if err != nil {
		return nil, readonly.TableInfo{}, err
	}
	statsFrom(ctx).rows = len(ti.Columns)
	return nil, *ti, nil
}

// ---- lake

// LakeListIn pages through lake keys.
type LakeListIn struct {
	Prefix    string `json:"prefix,omitempty" jsonschema:"key prefix, e.g. nba_stats/playbyplayv2/2023-24/"`
	PageToken string `json:"page_token,omitempty" jsonschema:"next_page_token of the previous call"`
	MaxKeys   int    `json:"max_keys,omitempty" jsonschema:"page size (default 100, max 1000)"`
}

// LakeObject is a listed object.
type LakeObject struct {
	Key      string `json:"key"`
	Size     int64  `json:"size"`
	Modified string `json:"modified,omitempty"`
}

// LakeListOut is one page.
type LakeListOut struct {
	Objects       []LakeObject `json:"objects"`
	NextPageToken string       `json:"next_page_token,omitempty"`
	Hidden        int          `json:"hidden,omitempty" jsonschema:"objects left out because they resolve outside the lake"`
}

func (s *Server) lakeList(ctx context.Context, _ *mcp.CallToolRequest, in LakeListIn) (*mcp.CallToolResult, LakeListOut, error) {
	if s.opts.Lake == nil {
		return nil, LakeListOut{}, errors.New("no lake is configured")
	}
	if err := CheckPrefix(in.Prefix); err != nil {
		return nil, LakeListOut{}, err
	}
	n := in.MaxKeys
	if n <= 0 {
		n = DefaultListKeys
	}
	n = min(n, MaxListKeys)
	p, err := s.opts.Lake.List(ctx, in.Prefix, in.PageToken, n)
	if err != nil {
		return nil, LakeListOut{}, err
	}
	out := LakeListOut{Objects: []LakeObject{}, NextPageToken: p.Next}
	for _, o := range p.Objects {
		if CheckKey(o.Key) != nil || s.checkRealPath(o.Key) != nil {
			out.Hidden++
			continue
		}
		lo := LakeObject{Key: o.Key, Size: o.Size}
		if !o.ModTime.IsZero() {
			lo.Modified = o.ModTime.UTC().Format(time.RFC3339)
		}
		out.Objects = append(out.Objects, lo)
	}
	statsFrom(ctx).rows = len(out.Objects)
	return nil, out, nil
}

// LakeReadIn reads a byte range.
type LakeReadIn struct {
	Key    string `json:"key" jsonschema:"object key from lake_list"`
	Offset int64  `json:"offset,omitempty" jsonschema:"first byte (default 0)"`
	Length int64  `json:"length,omitempty" jsonschema:"bytes to read (default 65536, max 1048576)"`
}

// LakeReadOut is the bytes read.
type LakeReadOut struct {
	Key         string `json:"key"`
	Size        int64  `json:"size"`
	Offset      int64  `json:"offset"`
	Length      int    `json:"length"`
	Encoding    string `json:"encoding" jsonschema:"text or base64"`
	Content     string `json:"content"`
	Truncated   bool   `json:"truncated" jsonschema:"more bytes follow"`
	ContentType string `json:"content_type,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	Source      string `json:"source,omitempty"`
	FetchedAt   string `json:"fetched_at,omitempty"`
}

func (s *Server) lakeRead(ctx context.Context, _ *mcp.CallToolRequest, in LakeReadIn) (*mcp.CallToolResult, LakeReadOut, error) {
	if s.opts.Lake == nil {
		return nil, LakeReadOut{}, errors.New("no lake is configured")
	}
	if err := CheckKey(in.Key); err != nil {
		return nil, LakeReadOut{}, err
	}
	if err := s.checkRealPath(in.Key); err != nil {
		return nil, LakeReadOut{}, err
	}
	if in.Offset < 0 || in.Length < 0 {
		return nil, LakeReadOut{}, errors.New("offset and length must not be negative")
	}
	n := in.Length
	if n == 0 {
		n = DefaultReadBytes
	}
	n = min(n, MaxReadBytes)
	obj, err := s.opts.Lake.Stat(ctx, in.Key)
	if err != nil {
		return nil, LakeReadOut{}, err
	}
	out := LakeReadOut{Key: in.Key, Size: obj.Size, Offset: in.Offset, ContentType: obj.Meta.ContentType, SHA256: obj.Meta.SHA256, Source: obj.Meta.Source}
	if !obj.Meta.FetchedAt.IsZero() {
		out.FetchedAt = obj.Meta.FetchedAt.UTC().Format(time.RFC3339)
	}
	var data []byte
	if in.Offset < obj.Size {
		data, err = s.opts.Lake.ReadRange(ctx, in.Key, in.Offset, n)
		if err != nil {
			return nil, LakeReadOut{}, err
		}
	}
	cut := in.Offset+int64(len(data)) < obj.Size
	if k, ok := textual(data, cut); ok {
		data = data[:len(data)-k] // a range that split a character ends before it
		out.Encoding, out.Content = "text", string(data)
	} else {
		out.Encoding, out.Content = "base64", base64.StdEncoding.EncodeToString(data)
	}
	out.Length = len(data)
	out.Truncated = in.Offset+int64(len(data)) < obj.Size
	statsFrom(ctx).rows = 1
	return nil, out, nil
}

// textual reports whether data is UTF-8 text without NUL bytes. When the
// range was cut (more bytes follow), up to 3 trailing bytes of a split
// character are forgiven: k says how many to drop.
func textual(data []byte, cut bool) (k int, ok bool) {
	for i := 0; i < len(data) && i < 8192; i++ {
		if data[i] == 0 {
			return 0, false
		}
	}
	if utf8.Valid(data) {
		return 0, true
	}
	if cut {
		for k := 1; k <= 3 && k < len(data); k++ {
			if utf8.Valid(data[:len(data)-k]) {
				return k, true
			}
		}
	}
	return 0, false
}
