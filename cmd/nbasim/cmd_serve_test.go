package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
)

// `nbasim run --http` serves the loop's probes and, on the same address,
// the dashboard and API; off loopback without NBASIM_WEB_TOKEN, the probes
// only.
func TestServeRunHTTP(t *testing.T) {
	f := readonlytest.SQLite(t)
	cfg := config.Default()
	cfg.Database.URL = ""
	cfg.Database.SQLitePath = f.SQLitePath
	var logs strings.Builder
	a := &app{cfg: cfg, log: slog.New(slog.NewTextHandler(&logs, nil))}
	probes := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "probe "+r.URL.Path) })
	get := func(base, path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	addrRe := regexp.MustCompile(`url=http://(\S+)/`)
	tests := []struct {
		name, addr, token string
		dashboard         bool
	}{
		{"loopback", "127.0.0.1:0", "", true},
		{"any address with a token", "0.0.0.0:0", "tok", true},
		{"any address without a token", "0.0.0.0:0", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("NBASIM_WEB_TOKEN", tc.token)
			logs.Reset()
			stop, err := serveRunHTTP(context.Background(), a, tc.addr, probes)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			m := addrRe.FindStringSubmatch(logs.String())
			if m == nil {
				t.Fatalf("no address logged: %s", logs.String())
			}
			base := "http://" + strings.NewReplacer("0.0.0.0", "127.0.0.1", "[::]", "127.0.0.1").Replace(m[1])
			for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
				if code, body := get(base, p); code != 200 || body != "probe "+p {
					t.Errorf("%s: %d %q", p, code, body)
				}
			}
			code, _ := get(base, "/api/v1/status")
			switch {
			case tc.dashboard && tc.token == "" && code != 200:
				t.Errorf("dashboard API: %d, want 200", code)
			case tc.dashboard && tc.token != "" && code != 401:
				t.Errorf("dashboard API without the token: %d, want 401", code)
			case !tc.dashboard && code != 404:
				t.Errorf("no dashboard off loopback without a token: %d, want 404", code)
			}
		})
	}
}
