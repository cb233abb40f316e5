package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/time/rate"

	"github.com/nbasim/nbasim/internal/retry"
)

// Client sends every request of every source: one pacer (token bucket,
// concurrency cap, Retry-After pause, slow-down, circuit breaker) per host,
// retries with exponential backoff and full jitter, and validation of every
// response. It is safe for concurrent use.
type Client struct {
	http *http.Client

	mu       sync.Mutex
	policies map[string]Policy
	hosts    map[string]*host
	fleet    Fleet // nil: in-process pacing only

	// OnAttempt, when set, is called after every attempt (for logs and
	// metrics); err is nil on success.
	OnAttempt func(req *Request, attempt int, status int, err error)
}

// NewClient returns a client using hc (nil: a client with a dialer that
// times out connects after 10 s and no overall timeout; each request gets
// its policy's timeout).
func NewClient(hc *http.Client) *Client {
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		tr.MaxIdleConnsPerHost = 16
		tr.ResponseHeaderTimeout = 0
		hc = &http.Client{Transport: tr}
	}
	return &Client{http: hc, policies: map[string]Policy{}, hosts: map[string]*host{}}
}

// SetPolicy sets the policy of host (before its first request).
func (c *Client) SetPolicy(hostName string, p Policy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policies[hostName] = p.withDefaults()
	delete(c.hosts, hostName)
}

// Policy returns the policy the client paces host with: the one SetPolicy
// gave it (defaults filled), or, for a host no source declares, one
// request a second and one in flight (ok false).
func (c *Client) Policy(hostName string) (p Policy, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.policies[hostName]; ok {
		return p, true
	}
	return undeclaredPolicy(), false
}

// undeclaredPolicy paces a host no source declares (tests, ad-hoc
// requests): one request a second, not a provider's limit.
func undeclaredPolicy() Policy { return Policy{Rate: 1}.withDefaults() }

// HostStats is what a host's pacer did.
type HostStats struct {
	Host      string
	Requests  int64 // attempts sent
	Throttled int64 // throttled attempts
	Failures  int64 // failed attempts (any class)
	Opens     int64 // times the breaker opened
	State     string
	Rate      float64 // current rate (after slow-downs)
}

// Stats returns per-host statistics, sorted by host.
func (c *Client) Stats() []HostStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []HostStats
	for name, h := range c.hosts {
		h.mu.Lock()
		st := HostStats{Host: name, Requests: h.requests.Load(), Throttled: h.throttled, Failures: h.failures,
			Opens: h.opens, State: h.stateLocked(time.Now()), Rate: float64(h.lim.Limit())}
		if c.fleet != nil && h.base != rate.Inf {
			st.Rate = float64(h.base) * h.fleetFactor
		}
		h.mu.Unlock()
		out = append(out, st)
	}
	sortStats(out)
	return out
}

func sortStats(s []HostStats) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].Host < s[j-1].Host; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func (c *Client) host(name string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.hosts[name]
	if !ok {
		p, ok := c.policies[name]
		if !ok {
			p = undeclaredPolicy()
		}
		h = newHost(p)
		c.hosts[name] = h
	}
	return h
}

// host is the pacer of one host.
type host struct {
	pol  Policy
	lim  *rate.Limiter
	sem  chan struct{}
	base rate.Limit

	requests atomic.Int64

	mu          sync.Mutex
	pauseUntil  time.Time // Retry-After
	openUntil   time.Time // breaker open (or locked out) until
	lockedOut   bool      // open because of a lockout, not a breaker trip
	halfOpen    bool
	probing     bool
	consecutive int
	successes   int
	throttled   int64
	failures    int64
	opens       int64
	fleetFactor float64 // the fleet's shared slow-down, last seen
}

func newHost(p Policy) *host {
	lim := rate.NewLimiter(rate.Inf, p.Burst)
	if p.Rate > 0 {
		lim = rate.NewLimiter(rate.Limit(p.Rate), p.Burst)
	}
	return &host{pol: p, lim: lim, sem: make(chan struct{}, p.Concurrency), base: lim.Limit(), fleetFactor: 1}
}

func (h *host) stateLocked(now time.Time) string {
	switch {
	case h.lockedOut && now.Before(h.openUntil):
		return "locked-out"
	case now.Before(h.openUntil):
		return "open"
	case h.halfOpen:
		return "half-open"
	}
	return "closed"
}

// admit waits until the host may be sent a request: not paused, breaker not
// open (or this request is the half-open probe). It returns whether this
// request is the probe.
func (h *host) admit(ctx context.Context, req *Request) (probe bool, err error) {
	for {
		h.mu.Lock()
		now := time.Now()
		until := h.pauseUntil
		if h.openUntil.After(until) {
			until = h.openUntil
		}
		if until.After(now) {
			wait := until.Sub(now)
			locked := h.lockedOut && h.openUntil.After(now)
			open := h.openUntil.After(now)
			h.mu.Unlock()
			// A Retry-After pause is waited out; an open breaker only
			// up to MaxWait; a lockout never.
			if locked || (open && wait > h.pol.MaxWait) {
				reason := "circuit breaker open"
				if locked {
					reason = "host locked out after HTTP 429"
				}
				return false, &Error{Class: Throttled, Host: req.Host, URL: req.URL,
					Reason: fmt.Sprintf("%s for another %s", reason, wait.Round(time.Second)), Err: ErrBreakerOpen}
			}
			if err := retry.Sleep(ctx, wait); err != nil {
				return false, err
			}
			continue
		}
		if !h.openUntil.IsZero() && !h.halfOpen { // cooldown over: half-open
			h.halfOpen = true
			h.lockedOut = false
		}
		if h.halfOpen {
			if h.probing {
				h.mu.Unlock()
				if err := retry.Sleep(ctx, 20*time.Millisecond); err != nil {
					return false, err
				}
				continue
			}
			h.probing = true
			h.mu.Unlock()
			return true, nil
		}
		h.mu.Unlock()
		return false, nil
	}
}

// record updates the breaker and the rate after an attempt, and returns
// what a fleet should share of it (a Retry-After or an opened breaker
// pauses every process; throttling slows every process).
func (h *host) record(probe bool, class Class, retryAfter time.Duration) fleetNote {
	h.mu.Lock()
	defer h.mu.Unlock()
	var note fleetNote
	now := time.Now()
	if probe {
		h.probing = false
	}
	if retryAfter > 0 {
		if t := now.Add(retryAfter); t.After(h.pauseUntil) {
			h.pauseUntil = t
		}
		note.pauseUntil, note.reason = now.Add(retryAfter), PauseRetryAfter
	}
	switch class {
	case 0, Permanent: // the host answered
		h.consecutive = 0
		if h.halfOpen {
			h.halfOpen = false
			h.openUntil = time.Time{}
		}
		h.successes++
		if h.successes >= 10 && (h.lim.Limit() < h.base || h.fleetFactor < 1) { // recover slowly
			h.successes = 0
			l := h.lim.Limit() * 1.25
			if l > h.base {
				l = h.base
			}
			h.lim.SetLimit(l)
			if h.fleetFactor < 1 {
				note.scale = 1.25
			}
		}
		return note
	case Throttled:
		h.throttled++
		if h.base != rate.Inf {
			l := h.lim.Limit() / 2
			if min := h.base * rate.Limit(h.pol.MinRateFactor); l < min {
				l = min
			}
			h.lim.SetLimit(l)
			note.scale = 0.5
		}
		h.successes = 0
	}
	h.failures++
	h.consecutive++
	if h.halfOpen || h.consecutive >= h.pol.BreakerThreshold {
		h.halfOpen = false
		h.openUntil = now.Add(h.pol.BreakerCooldown)
		h.consecutive = 0
		h.opens++
		if h.openUntil.After(note.pauseUntil) {
			note.pauseUntil, note.reason = h.openUntil, PauseBreaker
		}
	}
	return note
}

// lockout stops the host for d (a 429 from basketball-reference).
func (h *host) lockout(d time.Duration) fleetNote {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.openUntil = time.Now().Add(d)
	h.lockedOut = true
	h.halfOpen, h.probing = false, false
	h.opens++
	h.throttled++
	h.failures++
	return fleetNote{pauseUntil: h.openUntil, reason: PauseLockout}
}

// Fetch sends req with retries and returns its validated response. A
// failure is an *Error (errors.As) unless ctx ended first.
func (c *Client) Fetch(ctx context.Context, req *Request) (*Response, error) {
	h := c.host(req.Host)
	var last *Error
	for attempt := 1; attempt <= h.pol.Attempts; attempt++ {
		if attempt > 1 {
			d := retry.Backoff{Base: h.pol.BackoffBase, Max: h.pol.BackoffMax, Full: true}.Delay(attempt - 1)
			if err := retry.Sleep(ctx, d); err != nil {
				return nil, err
			}
		}
		resp, ferr, err := c.once(ctx, h, req)
		if err != nil { // context ended
			return nil, err
		}
		if c.OnAttempt != nil {
			st := 0
			if resp != nil {
				st = resp.Status
			} else if ferr != nil {
				st = ferr.Status
			}
			var e error
			if ferr != nil {
				e = ferr
			}
			c.OnAttempt(req, attempt, st, e)
		}
		if ferr == nil {
			resp.Attempts = attempt
			return resp, nil
		}
		ferr.Attempts = attempt
		last = ferr
		if ferr.Class == Permanent || errors.Is(ferr, ErrBreakerOpen) || errors.Is(ferr, errLockout) {
			break
		}
	}
	return nil, last
}

var errLockout = errors.New("lockout")

// once makes one attempt. It returns a response, or a classified failure,
// or a context error (the caller's context ended: stop).
func (c *Client) once(ctx context.Context, h *host, req *Request) (*Response, *Error, error) {
	probe, err := h.admit(ctx, req)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, fe, nil
		}
		return nil, nil, err
	}
	done := false
	defer func() {
		if !done && probe { // context ended during the probe
			h.mu.Lock()
			h.probing = false
			h.mu.Unlock()
		}
	}()
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-h.sem }()
	fleet := c.getFleet()
	if fleet != nil {
		// The fleet's token bucket replaces the process's own: the rate
		// holds across every process sharing the fleet.
		fe, err := c.fleetWait(ctx, fleet, h, req)
		if err != nil {
			return nil, nil, err
		}
		if fe != nil {
			return nil, fe, nil
		}
	}
	for fleet == nil {
		if err := h.lim.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, err
		}
		// A Retry-After may have paused the host while this request
		// waited for its token: honour it before sending.
		h.mu.Lock()
		wait := time.Until(h.pauseUntil)
		h.mu.Unlock()
		if wait <= 0 {
			break
		}
		if err := retry.Sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
	h.requests.Add(1)
	resp, ferr := c.send(ctx, h, req)
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	done = true
	if ferr != nil {
		if ferr.Class == Throttled && ferr.Status == http.StatusTooManyRequests && h.pol.LockoutOn429 > 0 {
			d := h.pol.LockoutOn429
			if ferr.RetryAfter > d {
				d = ferr.RetryAfter
			}
			c.share(ctx, fleet, h, req.Host, h.lockout(d))
			ferr.Reason = fmt.Sprintf("HTTP 429: host locked out for %s, not retried", d)
			ferr.Err = errors.Join(ErrBreakerOpen, errLockout)
			if probe {
				h.mu.Lock()
				h.probing = false
				h.mu.Unlock()
			}
			return nil, ferr, nil
		}
		c.share(ctx, fleet, h, req.Host, h.record(probe, ferr.Class, ferr.RetryAfter))
		return nil, ferr, nil
	}
	c.share(ctx, fleet, h, req.Host, h.record(probe, 0, 0))
	return resp, nil, nil
}

func (c *Client) send(ctx context.Context, h *host, req *Request) (*Response, *Error) {
	actx, cancel := context.WithTimeout(ctx, h.pol.Timeout)
	defer cancel()
	fail := func(class Class, status int, reason string, err error) *Error {
		return &Error{Class: class, Host: req.Host, URL: req.URL, Status: status, Reason: reason, Err: err}
	}
	hr, err := http.NewRequestWithContext(actx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, fail(Permanent, 0, "bad request", err)
	}
	// A non-nil body without GetBody makes the request non-replayable, so
	// the transport never re-sends it by itself on a broken keep-alive
	// connection: every request on the wire is one the pacer allowed and
	// counted. (An empty body is sent without Content-Length or chunking.)
	hr.Body, hr.GetBody, hr.ContentLength = io.NopCloser(bytes.NewReader(nil)), nil, 0
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, c.netFail(h, req, err, actx, "request")
	}
	defer resp.Body.Close()
	body, rerr := io.ReadAll(resp.Body)
	fetchedAt := time.Now().UTC()
	status := resp.StatusCode
	if status != http.StatusOK {
		ra := retryAfter(resp.Header.Get("Retry-After"))
		switch {
		case status == http.StatusTooManyRequests:
			e := fail(Throttled, status, "too many requests", nil)
			e.RetryAfter = ra
			return nil, e
		case status == http.StatusForbidden && h.pol.ThrottleOn403:
			e := fail(Throttled, status, "forbidden (counted as throttling)", nil)
			e.RetryAfter = ra
			return nil, e
		case status >= 500 || status == http.StatusRequestTimeout:
			e := fail(Retriable, status, "server error", nil)
			e.RetryAfter = ra
			return nil, e
		default:
			return nil, fail(Permanent, status, http.StatusText(status), nil)
		}
	}
	if rerr != nil {
		return nil, c.netFail(h, req, rerr, actx, "read body (truncated)")
	}
	if resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength && !resp.Uncompressed {
		return nil, fail(Retriable, status, fmt.Sprintf("truncated body: %d of %d bytes", len(body), resp.ContentLength), nil)
	}
	out := &Response{Request: req, Status: status, Header: resp.Header, ContentType: resp.Header.Get("Content-Type"),
		Body: body, FetchedAt: fetchedAt}
	if req.Validate != nil {
		if err := req.Validate(out); err != nil {
			var ve *ValidationError
			class := Retriable
			if errors.As(err, &ve) && ve.Permanent {
				class = Permanent
			}
			return nil, fail(class, status, "validation failed", err)
		}
	}
	return out, nil
}

func (c *Client) netFail(h *host, req *Request, err error, actx context.Context, what string) *Error {
	e := &Error{Class: Retriable, Host: req.Host, URL: req.URL, Reason: what + " failed", Err: err}
	var ne net.Error
	timeout := errors.Is(actx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	switch {
	case timeout:
		e.Reason = what + " timed out"
		if h.pol.TimeoutIsThrottle {
			e.Class = Throttled
			e.Reason += " (counted as throttling)"
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Reason = "connection refused"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		e.Reason = what + ": connection reset or closed early"
	}
	return e
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}
