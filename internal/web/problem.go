package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Problem is an RFC 9457 problem detail. Parameter names the query or
// path parameter that was rejected, when one was.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	Parameter string `json:"parameter,omitempty"`
}

// problem writes a problem+json response.
func problem(w http.ResponseWriter, r *http.Request, status int, title, detail, param string) {
	p := Problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Instance: r.URL.Path, Parameter: param}
	if param != "" {
		p.Type = "/api/v1/problems/invalid-parameter"
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// paramError is a rejected parameter; handlers return it and serveAPI
// turns it into a 400 (or 404 with notFound) problem.
type paramError struct {
	param    string
	msg      string
	notFound bool
}

func (e *paramError) Error() string { return e.param + ": " + e.msg }

func badParam(name, format string, args ...any) error {
	return &paramError{param: name, msg: fmt.Sprintf(format, args...)}
}

func notFound(name, format string, args ...any) error {
	return &paramError{param: name, msg: fmt.Sprintf(format, args...), notFound: true}
}

// Bounds of list endpoints.
const (
	DefaultLimit = 50
	MaxLimit     = 500
	maxOffset    = 1_000_000
	maxParamLen  = 200
)

// params reads and validates query parameters. Every parameter a request
// carries must be declared by its endpoint (an unknown one is a 400 naming
// it, so that a typo never silently returns unfiltered data); a parameter
// given twice is an error too.
type params struct {
	v       url.Values
	allowed []string
	err     error
}

func newParams(r *http.Request, allowed ...string) *params {
	p := &params{v: r.URL.Query(), allowed: allowed}
	// the first rejected parameter in name order (the same one whatever
	// the map's order)
	bad := ""
	for k, vs := range p.v {
		if (!slices.Contains(allowed, k) || len(vs) > 1) && (bad == "" || k < bad) {
			bad = k
		}
	}
	switch {
	case bad == "":
	case !slices.Contains(allowed, bad):
		known := strings.Join(allowed, ", ")
		if known == "" {
			known = "none"
		}
		p.fail(badParam(bad, "unknown parameter (this endpoint takes: %s)", known))
	default:
		p.fail(badParam(bad, "given %d times; give it once", len(p.v[bad])))
	}
	return p
}

func (p *params) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *params) has(name string) bool { return p.v.Has(name) }

// str returns a trimmed string of at most maxParamLen bytes.
func (p *params) str(name string) string {
	s := strings.TrimSpace(p.v.Get(name))
	if len(s) > maxParamLen {
		p.fail(badParam(name, "longer than %d characters", maxParamLen))
		return ""
	}
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			p.fail(badParam(name, "contains a control character"))
			return ""
		}
	}
	return s
}

var seasonRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-(\d{2})$`) })

// isCode says whether s is 1 to 60 of A-Z a-z 0-9 _ : . / - (a loop, not
// the regexp `^[A-Za-z0-9_:./-]{1,60}$`, whose compile at start-up cost
// more than the rest of the package's initialisation).
func isCode(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.' || c == '/' || c == '-') {
			return false
		}
	}
	return true
}

// season returns a season "2018-19" (the second year must follow the first).
func (p *params) season(name string) string {
	s := p.str(name)
	if s == "" {
		return ""
	}
	m := seasonRe().FindStringSubmatch(s)
	if m == nil {
		p.fail(badParam(name, "%q is not a season: want YYYY-YY, e.g. 2018-19", s))
		return ""
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	if (y+1)%100 != n {
		p.fail(badParam(name, "%q is not a season: %d is followed by %02d", s, y, (y+1)%100))
		return ""
	}
	return s
}

// date returns a YYYY-MM-DD date.
func (p *params) date(name string) string {
	s := p.str(name)
	if s == "" {
		return ""
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		p.fail(badParam(name, "%q is not a date: want YYYY-MM-DD", s))
		return ""
	}
	return s
}

// code returns an identifier-like value (team code, source, dataset).
func (p *params) code(name string) string {
	s := p.str(name)
	if s != "" && !isCode(s) {
		p.fail(badParam(name, "%q: want letters, digits and _ : . / -", s))
		return ""
	}
	return s
}

// enum returns one of values (or def when absent).
func (p *params) enum(name, def string, values ...string) string {
	s := p.str(name)
	if s == "" {
		return def
	}
	for _, v := range values {
		if s == v {
			return s
		}
	}
	p.fail(badParam(name, "%q: want one of %s", s, strings.Join(values, ", ")))
	return def
}

// intIn returns an integer in [lo, hi] (def when absent).
func (p *params) intIn(name string, def, lo, hi int) int {
	s := p.str(name)
	if s == "" {
		if p.has(name) {
			p.fail(badParam(name, "empty: want an integer from %d to %d", lo, hi))
		}
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.fail(badParam(name, "%q: want an integer from %d to %d", s, lo, hi))
		return def
	}
	return n
}

// floatIn returns a finite decimal in [lo, hi]; ok is false when absent.
func (p *params) floatIn(name string, lo, hi float64) (v float64, ok bool) {
	s := p.str(name)
	if s == "" {
		if p.has(name) {
			p.fail(badParam(name, "empty: want a decimal number"))
		}
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < lo || f > hi {
		p.fail(badParam(name, "%q: want a decimal number from %g to %g", s, lo, hi))
		return 0, false
	}
	return f, true
}

// page returns limit and offset (bounded page sizes).
func (p *params) page() (limit, offset int) {
	return p.intIn("limit", DefaultLimit, 1, MaxLimit), p.intIn("offset", 0, 0, maxOffset)
}
