package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// runNbasim executes nbasim with args in dir and returns stdout and the exit code
// main would use.
func runNbasim(t *testing.T, dir string, args ...string) (string, int, error) {
	t.Helper()
	t.Chdir(dir)
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs(append([]string{"--log-level", "error"}, args...))
	err := root.ExecuteContext(context.Background())
	code := 0
	if err != nil {
		code = 1
		var ec exitCoder
		if errors.As(err, &ec) {
			code = ec.ExitCode()
		}
	}
	return out.String(), code, err
}

// clearConfigEnv unsets the variables that would change the embedded defaults.
func clearConfigEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if (strings.HasPrefix(k, "NBASIM_") && !strings.HasPrefix(k, "NBASIM_TEST_")) ||
			k == "DATABASE_URL" || strings.HasPrefix(k, "DB_") || strings.HasPrefix(k, "RDS_") ||
			strings.HasPrefix(k, "POSTGRES_") || strings.HasPrefix(k, "S3_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

func TestDoctorOnEmbeddedDefaults(t *testing.T) {
	clearConfigEnv(t)
	dir := t.TempDir()
	out, code, err := runNbasim(t, dir, "doctor")
	if code != 0 {
		t.Fatalf("exit %d (%v):\n%s", code, err, out)
	}
	for _, check := range []string{"config", "lake", "database", "disk", "directories"} {
		if !strings.Contains(out, "\n"+check) || strings.Count(out, "OK") < 5 {
			t.Errorf("check %s not ok:\n%s", check, out)
		}
	}
	if !strings.Contains(out, "TOTAL") || !strings.Contains(out, "█") {
		t.Errorf("no timing breakdown:\n%s", out)
	}
	for _, p := range []string{"data/lake", "data/nbasim.db", "data/work", "data/cache"} {
		if _, err := os.Stat(dir + "/" + p); err != nil {
			t.Errorf("%s not created: %v", p, err)
		}
	}
	entries, _ := os.ReadDir(dir + "/data/lake/_health")
	if len(entries) != 0 {
		t.Errorf("probe objects left in the lake: %v", entries)
	}

	out, code, _ = runNbasim(t, dir, "doctor", "--json")
	var rep struct {
		Status string `json:"status"`
		Checks []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"checks"`
		Timing struct {
			Steps []struct{ Name string } `json:"steps"`
		} `json:"timing"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep.Status != "ok" || len(rep.Checks) != 5 || len(rep.Timing.Steps) != 5 {
		t.Errorf("doctor --json (exit %d, %v):\n%s", code, err, out)
	}
}

func TestDoctorUnreachableDatabase(t *testing.T) {
	clearConfigEnv(t)
	out, code, err := runNbasim(t, t.TempDir(), "doctor", "--db", "postgres://postgres@127.0.0.1:1/test")
	if code != 2 || err == nil || !strings.Contains(err.Error(), "database") {
		t.Fatalf("exit %d, err %v", code, err)
	}
	if !strings.Contains(out, "database     FAIL") || !strings.Contains(out, "127.0.0.1:1") {
		t.Errorf("table does not name the failed check:\n%s", out)
	}
	// fail-fast skips the checks after the failure and still exits 2.
	out, code, _ = runNbasim(t, t.TempDir(), "doctor", "--fail-fast", "--db", "postgres://postgres@127.0.0.1:1/test")
	if code != 2 || !strings.Contains(out, "disk         SKIP") {
		t.Errorf("fail-fast: exit %d:\n%s", code, out)
	}
}

func TestDoctorWarningExitsOne(t *testing.T) {
	clearConfigEnv(t)
	t.Setenv("NBASIM_HEALTH_DISK_WARN_MB", "1000000000")
	t.Setenv("NBASIM_HEALTH_DISK_FAIL_MB", "1")
	out, code, err := runNbasim(t, t.TempDir(), "doctor")
	if code != 1 || !strings.Contains(err.Error(), "disk") || !strings.Contains(out, "WARN") {
		t.Errorf("exit %d (%v):\n%s", code, err, out)
	}
}

func TestBadConfigExitsWithKeyAndSource(t *testing.T) {
	clearConfigEnv(t)
	tests := []struct {
		name, yaml string
		args       []string
		want       []string
	}{
		{"unknown key", "lake:\n  url: mem://\nseason: [2023-24]\n", nil, []string{"nbasim.yaml:3", "season", `did you mean "seasons"`}},
		{"wrong type", "database:\n  max_conns: lots\n", nil, []string{"nbasim.yaml:2", "database.max_conns"}},
		{"unreadable file", "", []string{"--config", "missing.yaml"}, []string{"missing.yaml", "cannot read"}},
		{"bad flag value", "", []string{"--log-format", "xml"}, []string{"flag --log-format", "log.format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.yaml != "" {
				if err := os.WriteFile(dir+"/nbasim.yaml", []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, code, err := runNbasim(t, dir, append(tt.args, "config", "show")...)
			if code != 2 || err == nil {
				t.Fatalf("exit %d, err %v", code, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

func TestConfigShowAndVersion(t *testing.T) {
	clearConfigEnv(t)
	t.Setenv("DB_HOST", "legacyhost")
	t.Setenv("DB_PASSWORD", "s3cret")
	dir := t.TempDir()
	out, code, err := runNbasim(t, dir, "config", "show")
	if code != 0 {
		t.Fatal(err)
	}
	if strings.Contains(out, "s3cret") || !strings.Contains(out, "postgres://:REDACTED@legacyhost:5432/nba_simulator") || !strings.Contains(out, "env DB_HOST, env DB_PASSWORD (legacy)") {
		t.Errorf("config show:\n%s", out)
	}
	out, _, _ = runNbasim(t, dir, "config", "show", "--json")
	var j struct {
		Keys []struct{ Key, Value, Origin string } `json:"keys"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Keys) < 40 {
		t.Errorf("config show --json: %v\n%s", err, out)
	}
	out, code, _ = runNbasim(t, dir, "version", "--json")
	var v buildInfo
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 || !strings.HasPrefix(v.Go, "go1.") {
		t.Errorf("version: %v %s", err, out)
	}
}

func TestDBMigrateAndStatus(t *testing.T) {
	clearConfigEnv(t)
	dir := t.TempDir()
	out, code, runErr := runNbasim(t, dir, "db", "status", "--json")
	var st struct {
		Dialect string `json:"dialect"`
		Version int    `json:"version"`
		Latest  int    `json:"latest"`
		Pending []int  `json:"pending"`
		Tables  []struct {
			Name string `json:"name"`
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || st.Dialect != "sqlite" || st.Version != 0 || len(st.Pending) == 0 {
		t.Fatalf("status before (exit %d, %v, %v):\n%s", code, err, runErr, out)
	}
	out, code, runErr = runNbasim(t, dir, "db", "migrate")
	if code != 0 || !strings.Contains(out, "applied 0001_core") {
		t.Fatalf("migrate (exit %d, %v):\n%s", code, runErr, out)
	}
	out, _, _ = runNbasim(t, dir, "db", "migrate")
	if !strings.Contains(out, "0 migration(s) applied") {
		t.Errorf("second migrate:\n%s", out)
	}
	out, _, _ = runNbasim(t, dir, "db", "status", "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Version != st.Latest || len(st.Pending) != 0 || len(st.Tables) < 9 {
		t.Errorf("status after: %v\n%s", err, out)
	}
}
