package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"
)

// SessionCookie is the name of the cookie a login URL sets.
const SessionCookie = "nbasim_session"

// Auth protects a server with a token: API clients send
// "Authorization: Bearer TOKEN"; a person opens a one-time login URL
// (LoginURL) that sets a session cookie (HttpOnly, SameSite=Strict) and
// redirects to the overview. /healthz and /login stay open.
type Auth struct {
	token  []byte
	ttl    time.Duration
	secure bool
	now    func() time.Time

	mu       sync.Mutex
	codes    map[string]time.Time // one-time login codes -> expiry
	sessions map[string]time.Time // session ids -> expiry
}

// NewAuth returns an Auth for token. Sessions last ttl (12 h when 0);
// secure marks the cookie Secure (serve over TLS, or behind a TLS proxy).
func NewAuth(token string, ttl time.Duration, secure bool) *Auth {
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	return &Auth{token: []byte(token), ttl: ttl, secure: secure, now: time.Now,
		codes: map[string]time.Time{}, sessions: map[string]time.Time{}}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on a broken system source)
	return hex.EncodeToString(b)
}

// LoginPath mints a one-time login code, valid for 10 minutes, and
// returns the path to open ("/login?code=...").
func (a *Auth) LoginPath() string {
	code := randomHex(16)
	a.mu.Lock()
	a.codes[code] = a.now().Add(10 * time.Minute)
	a.mu.Unlock()
	return "/login?code=" + code
}

func (a *Auth) consume(code string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.codes[code]
	if !ok {
		return false
	}
	delete(a.codes, code)
	return a.now().Before(exp)
}

func (a *Auth) newSession() string {
	id := randomHex(32)
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	for k, exp := range a.sessions { // drop expired sessions
		if !now.Before(exp) {
			delete(a.sessions, k)
		}
	}
	a.sessions[id] = now.Add(a.ttl)
	return id
}

func (a *Auth) validSession(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.sessions[id]
	return ok && a.now().Before(exp)
}

// Allowed says whether r carries the bearer token or a live session.
func (a *Auth) Allowed(r *http.Request) bool {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(tok), a.token) == 1
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return a.validSession(c.Value)
	}
	return false
}

func (a *Auth) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			next.ServeHTTP(w, r)
			return
		case "/login":
			a.login(w, r)
			return
		}
		if a.Allowed(r) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="nbasim"`)
		problem(w, r, http.StatusUnauthorized, "authentication required",
			"send Authorization: Bearer TOKEN, or open the one-time login URL `nbasim serve` printed", "")
	})
}

func (a *Auth) login(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if code == "" || !a.consume(code) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="nbasim"`)
		problem(w, r, http.StatusUnauthorized, "login link invalid or already used",
			"each login URL works once and for 10 minutes: ask `nbasim serve` for a new one (it prints one at start)", "code")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: a.newSession(), Path: "/", HttpOnly: true,
		Secure: a.secure, SameSite: http.SameSiteStrictMode, MaxAge: int(a.ttl.Seconds())})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
