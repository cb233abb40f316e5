package mcpserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The audit log is a JSONL file, not a table: the MCP server holds no
// writable database handle at all, and a log file keeps working when the
// database is the thing being investigated.

// AuditRecord is one line of the audit log.
type AuditRecord struct {
	Time       string  `json:"time"` // RFC 3339, UTC
	Tool       string  `json:"tool"`
	ArgsSHA256 string  `json:"args_sha256"` // of the raw JSON arguments
	ArgsBytes  int     `json:"args_bytes"`
	DurationMS float64 `json:"duration_ms"`
	Rows       int     `json:"rows"`
	Truncated  bool    `json:"truncated,omitempty"`
	Error      string  `json:"error,omitempty"`
	Client     string  `json:"client,omitempty"` // name/version the client gave at initialize
}

// Audit writes audit records as JSON lines.
type Audit struct {
	mu  sync.Mutex
	w   io.Writer
	err func(error)
}

// NewAudit writes records to w; onErr (optional) hears write failures.
func NewAudit(w io.Writer, onErr func(error)) *Audit { return &Audit{w: w, err: onErr} }

// Write appends one record.
func (a *Audit) Write(r AuditRecord) {
	if a == nil {
		return
	}
	b, err := json.Marshal(r)
	if err == nil {
		a.mu.Lock()
		_, err = a.w.Write(append(b, '\n'))
		a.mu.Unlock()
	}
	if err != nil && a.err != nil {
		a.err(fmt.Errorf("mcp audit log: %w", err))
	}
}

// callStats is filled by tool handlers for the audit record.
type callStats struct {
	rows      int
	truncated bool
}

type statsKey struct{}

func statsFrom(ctx context.Context) *callStats {
	if s, ok := ctx.Value(statsKey{}).(*callStats); ok {
		return s
	}
	return &callStats{}
}

// auditMiddleware records every tools/call, whatever its outcome
// (including arguments the schema rejected and unknown tools).
func (s *Server) auditMiddleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method != "tools/call" || s.opts.Audit == nil {
			return next(ctx, method, req)
		}
		ctx, a := startAudit(ctx)
		res, err := next(ctx, method, req)
		s.writeAudit(a, req, res, err)
		return res, err
	}
}

// auditCall is a tools/call being audited: when it started and the
// statistics its handler fills (statsFrom).
type auditCall struct {
	start time.Time
	st    *callStats
}

// startAudit starts the audit of a call: ctx carries the statistics for
// the handler to fill.
func startAudit(ctx context.Context) (context.Context, auditCall) {
	a := auditCall{start: time.Now(), st: &callStats{}}
	return context.WithValue(ctx, statsKey{}, a.st), a
}

// writeAudit writes the audit record of a call that returned res and err:
// the SDK's calls (auditMiddleware) and the stdio fast path's (fastpath.go).
func (s *Server) writeAudit(a auditCall, req mcp.Request, res mcp.Result, err error) {
	rec := AuditRecord{Time: a.start.UTC().Format(time.RFC3339Nano), DurationMS: float64(time.Since(a.start).Microseconds()) / 1000,
		Rows: a.st.rows, Truncated: a.st.truncated}
	if ctr, ok := req.(*mcp.CallToolRequest); ok && ctr.Params != nil {
		rec.Tool = ctr.Params.Name
		sum := sha256.Sum256(ctr.Params.Arguments)
		rec.ArgsSHA256, rec.ArgsBytes = hex.EncodeToString(sum[:]), len(ctr.Params.Arguments)
		if ss := ctr.Session; ss != nil {
			if ip := ss.InitializeParams(); ip != nil && ip.ClientInfo != nil {
				rec.Client = ip.ClientInfo.Name + "/" + ip.ClientInfo.Version
			}
		}
	}
	switch {
	case err != nil:
		rec.Error = err.Error()
	default:
		if r, ok := res.(*mcp.CallToolResult); ok && r.IsError {
			rec.Error = "tool error"
			for _, c := range r.Content {
				if t, ok := c.(*mcp.TextContent); ok {
					rec.Error = t.Text
					break
				}
			}
		}
	}
	if len(rec.Error) > 500 {
		rec.Error = rec.Error[:500] + "..."
	}
	s.opts.Audit.Write(rec)
}
