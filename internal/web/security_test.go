package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
)

func sqliteServer(t *testing.T, auth *Auth) *httptest.Server {
	t.Helper()
	f := readonlytest.SQLite(t)
	db, err := readonly.OpenSQLite(context.Background(), f.SQLitePath, readonly.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := New(Options{DB: db, Auth: auth})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestSecurityHeadersAndNoCORS(t *testing.T) {
	ts := sqliteServer(t, nil)
	for _, path := range []string{"/", "/games", "/games/0022300001", "/quality", "/api/v1/status", "/api/v1/games", "/static/app.js", "/api/v1/nope"} {
		t.Run(path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+path, nil)
			req.Header.Set("Origin", "https://evil.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows inline code: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", h.Get("X-Content-Type-Options"))
			}
			for k := range h {
				if strings.HasPrefix(strings.ToLower(k), "access-control-") {
					t.Errorf("CORS header %s: %q for a foreign Origin", k, h.Get(k))
				}
			}
		})
	}
	// a CORS preflight is refused
	req, _ := http.NewRequest("OPTIONS", ts.URL+"/api/v1/games", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight: %d, ACAO %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// no write path
	for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		req, _ := http.NewRequest(m, ts.URL+"/api/v1/games", strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s, want 405 problem", m, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	// unknown API path: a problem, not a page
	var p Problem
	if code, _ := getJSON(t, ts.URL, "/api/v1/nope", &p); code != 404 || p.Status != 404 {
		t.Errorf("unknown endpoint: %d %+v", code, p)
	}
}

func TestAuth(t *testing.T) {
	auth := NewAuth("s3cret", time.Hour, false)
	ts := sqliteServer(t, auth)
	get := func(c *http.Client, path, bearer string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	plain := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		name, path, bearer string
		want               int
	}{
		{"api without token", "/api/v1/status", "", 401},
		{"page without token", "/", "", 401},
		{"static without token", "/static/app.js", "", 401},
		{"wrong token", "/api/v1/status", "guess", 401},
		{"bearer", "/api/v1/status", "s3cret", 200},
		{"bearer page", "/games", "s3cret", 200},
		{"health stays open", "/healthz", "", 200},
		{"login without code", "/login", "", 401},
		{"login with a made-up code", "/login?code=0123456789abcdef", "", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := get(plain, tc.path, tc.bearer)
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.want)
			}
			if tc.want == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// the one-time login URL sets a session cookie, once
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	login := auth.LoginPath()
	resp := get(browser, login, "")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/" {
		t.Fatalf("login: %d at %s, want the overview", resp.StatusCode, resp.Request.URL)
	}
	if resp := get(browser, "/api/v1/status", ""); resp.StatusCode != 200 {
		t.Errorf("with the session cookie: %d", resp.StatusCode)
	}
	other, _ := cookiejar.New(nil)
	if resp := get(&http.Client{Jar: other, CheckRedirect: plain.CheckRedirect}, login, ""); resp.StatusCode != 401 {
		t.Errorf("login URL reused: %d, want 401", resp.StatusCode)
	}
	var p Problem
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/games", nil)
	r2, err := plain.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = json.NewDecoder(r2.Body).Decode(&p)
	r2.Body.Close()
	if r2.Header.Get("Content-Type") != "application/problem+json" || p.Status != 401 {
		t.Errorf("401 body %+v (%s)", p, r2.Header.Get("Content-Type"))
	}
}

func TestCheckListenAddr(t *testing.T) {
	tests := []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"[::1]:8080", "", true},
		{"localhost:8080", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"192.0.2.10:8080", "", false},
		{"0.0.0.0:8080", "tok", true},
		{"nonsense", "", false},
	}
	for _, tc := range tests {
		err := CheckListenAddr(tc.addr, tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("CheckListenAddr(%q, %q) = %v, want ok=%v", tc.addr, tc.token, err, tc.ok)
		}
	}
}
