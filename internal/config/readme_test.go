package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update", false, "rewrite README.md's configuration reference")

// TestReadmeReference checks that README.md's configuration reference is
// exactly what ReferenceMarkdown generates from the defaults, so every key
// (every field of Config) is documented with its environment and legacy
// names. Regenerate with: go test ./internal/config -run TestReadmeReference -update
func TestReadmeReference(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	const start, end = "<!-- config-reference:start -->\n", "<!-- config-reference:end -->"
	s := string(b)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", start, end)
	}
	got := s[i+len(start) : j]
	if *updateReadme {
		s = s[:i+len(start)] + ReferenceMarkdown() + s[j:]
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := ReferenceMarkdown(); got != want {
		t.Errorf("README.md configuration reference is stale; regenerate it with\n  go test ./internal/config -run TestReadmeReference -update\nwant:\n%s", want)
	}
	for _, k := range Keys(Default()) {
		if !strings.Contains(got, "`"+k.Name+"`") || !strings.Contains(got, "`"+k.Env+"`") {
			t.Errorf("key %s (%s) missing from README.md", k.Name, k.Env)
		}
	}
}
