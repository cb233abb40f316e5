// Package testutil finds what tests need outside the repository: the real
// NBA data next to the project and the PostgreSQL and S3 servers that
// .ci/run provides. Absent parts skip the test with a clear message, except
// under CI=true where a missing service is a failure.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ModuleRoot returns the directory holding go.mod, or skips.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("project root (go.mod) not found; skipping")
		}
		dir = parent
	}
}

// RealDataDir returns <module root>/../shared/data or skips the test when
// the real NBA data is absent (a plain clone).
func RealDataDir(t testing.TB) string {
	t.Helper()
	data := filepath.Join(ModuleRoot(t), "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(data, "INDEX_games.csv")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real NBA data not found at %s and CI=true", data)
		}
		t.Skipf("real NBA data not found at %s (expected ../shared/data next to the project); skipping", data)
	}
	abs, err := filepath.Abs(data)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// PostgresURL returns NBASIM_TEST_POSTGRES_URL, or skips (fails under CI=true).
func PostgresURL(t testing.TB) string {
	t.Helper()
	return service(t, "NBASIM_TEST_POSTGRES_URL", "PostgreSQL")
}

// S3URL returns NBASIM_TEST_S3_URL (an s3:// bucket URL with endpoint and
// path-style options), or skips (fails under CI=true).
func S3URL(t testing.TB) string {
	t.Helper()
	return service(t, "NBASIM_TEST_S3_URL", "S3")
}

func service(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not set: CI=true requires the %s server that .ci/run starts", env, what)
		}
		t.Skipf("%s not set: no %s server for this test (run .ci/run to get one); skipping", env, what)
	}
	return v
}

// Chromium returns the path of a headless-capable Chromium (Debian's
// `chromium`, or NBASIM_TEST_CHROMIUM), or skips (fails under CI=true,
// where .ci/run.d/40-chromium.sh installs it).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("NBASIM_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium found: CI=true requires the browser that .ci/run.d/40-chromium.sh installs")
	}
	t.Skip("no chromium found (apt-get install chromium, or set NBASIM_TEST_CHROMIUM); skipping the browser test")
	return ""
}
