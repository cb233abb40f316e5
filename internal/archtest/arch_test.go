package archtest

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/testutil"
)

const module = "github.com/nbasim/nbasim/"

// imports returns every package of the module (path relative to the module,
// "internal/lake") with its non-test imports inside the module, the way
// `go list -f '{{.Imports}}' ./...` reports them.
func imports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		pkg, err := build.Default.ImportDir(p, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !strings.HasPrefix(rel, "internal/") && !strings.HasPrefix(rel, "cmd/") {
			return nil // the map covers the product: cmd/ and internal/ (not scripts/, .ci/)
		}
		var deps []string
		for _, imp := range pkg.Imports {
			if s, ok := strings.CutPrefix(imp, module); ok {
				deps = append(deps, s)
			}
		}
		slices.Sort(deps)
		out[rel] = deps
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var rowRe = regexp.MustCompile("^\\| `([^`]+)` \\|.*\\| ([^|]*) \\|$")

// docMap reads the package map of docs/architecture.md: package -> the
// imports its "depends on" cell lists (relative to internal/, or cmd/...).
func docMap(t *testing.T, root string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, l := range strings.Split(string(data), "\n") {
		m := rowRe.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil || !strings.HasPrefix(m[1], "internal/") && !strings.HasPrefix(m[1], "cmd/") {
			continue
		}
		var deps []string
		for _, d := range strings.Split(m[2], ",") {
			d = strings.TrimSpace(d)
			if d == "" || d == "—" {
				continue
			}
			if !strings.HasPrefix(d, "cmd/") {
				d = "internal/" + d
			}
			deps = append(deps, d)
		}
		slices.Sort(deps)
		out[m[1]] = deps
	}
	if len(out) == 0 {
		t.Fatal("docs/architecture.md: no package map rows found")
	}
	return out
}

// cell renders deps the way the map writes them.
func cell(deps []string) string {
	if len(deps) == 0 {
		return "—"
	}
	s := make([]string, len(deps))
	for i, d := range deps {
		s[i] = strings.TrimPrefix(d, "internal/")
	}
	return strings.Join(s, ", ")
}

// TestPackageMapIsTheImportGraph fails when docs/architecture.md's package
// map and the code's import graph disagree: a package missing from the map,
// a map row for a package that does not exist, or a "depends on" cell that
// is not exactly what the package imports.
func TestPackageMapIsTheImportGraph(t *testing.T) {
	root := testutil.ModuleRoot(t)
	code, doc := imports(t, root), docMap(t, root)
	for pkg, deps := range code {
		want, ok := doc[pkg]
		if !ok {
			t.Errorf("%s is not in docs/architecture.md's package map; its depends-on cell is: %s", pkg, cell(deps))
			continue
		}
		if !slices.Equal(deps, want) {
			t.Errorf("%s: the map says it depends on %s; it imports %s", pkg, cell(want), cell(deps))
		}
	}
	for pkg := range doc {
		if _, ok := code[pkg]; !ok {
			t.Errorf("docs/architecture.md maps %s, which does not exist", pkg)
		}
	}
}

// The layering: data flows source -> lake -> store -> derive -> served, and
// a package never reaches back up. Each rule names packages (a trailing
// "/..." includes those below) that must not import the listed ones.
var forbidden = []struct {
	from, why string
	not       []string
}{
	{"internal/model", "the shared types import nothing of nbasim", []string{"internal/..."}},
	{"internal/pbp", "the engine folds model events and knows no provider, store or lake", []string{"internal/parse/...", "internal/store/...", "internal/lake", "internal/source/...", "internal/derive"}},
	{"internal/parse/...", "parsers are pure: bytes in, rows out", []string{"internal/store/...", "internal/lake", "internal/source/...", "internal/load/...", "internal/derive", "internal/pbp", "internal/collect"}},
	{"internal/store/...", "the store persists model rows and knows no parser or engine", []string{"internal/parse/...", "internal/pbp", "internal/derive", "internal/load/...", "internal/lake", "internal/source/...", "internal/collect"}},
	{"internal/lake", "the lake is raw bytes with provenance", []string{"internal/..."}},
	{"internal/layout", "the key layout is a leaf", []string{"internal/..."}},
	{"internal/derive", "derive reads the store or raw files and never writes to the lake or fetches", []string{"internal/lake", "internal/source/...", "internal/collect", "internal/load/..."}},
	{"internal/source/...", "collectors fetch and archive; they never load or derive", []string{"internal/store/...", "internal/load/...", "internal/derive", "internal/pbp"}},
	{"internal/...", "nothing reaches back into the command", []string{"cmd/..."}},
}

func matches(pattern, pkg string) bool {
	if p, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == p || strings.HasPrefix(pkg, p+"/")
	}
	return pkg == pattern
}

// TestLayering fails when a package imports one the layering forbids.
func TestLayering(t *testing.T) {
	code := imports(t, testutil.ModuleRoot(t))
	for pkg, deps := range code {
		for _, r := range forbidden {
			if !matches(r.from, pkg) {
				continue
			}
			for _, d := range deps {
				for _, n := range r.not {
					if matches(n, d) {
						t.Errorf("%s imports %s: %s", pkg, d, r.why)
					}
				}
			}
		}
	}
}

// TestLayeringCatchesABadImport checks the check: a graph with a store
// package importing the engine is reported.
func TestLayeringCatchesABadImport(t *testing.T) {
	bad := 0
	for _, r := range forbidden {
		if matches(r.from, "internal/store") {
			for _, n := range r.not {
				if matches(n, "internal/pbp") {
					bad++
				}
			}
		}
	}
	if bad == 0 {
		t.Fatal("store importing pbp is not forbidden")
	}
}
