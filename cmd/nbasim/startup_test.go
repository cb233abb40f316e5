package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/testutil"
)

// Every package linked into nbasim runs its init before main, whatever the
// command: a table one package builds at init (a compiled pattern, a parsed
// template, a big map) is paid by every cold `nbasim box`. The bytes
// allocated during init are deterministic, unlike its time, so these
// budgets hold in CI on a loaded machine (docs/benchmarks.md, "Cold box").
const (
	// initBudgetTotal bounds the bytes all packages' init allocate: 1.43 MB
	// on 2026-12-07 (1.98 MB before nbasim's patterns, templates and tables
	// were built on first use); the rest is the dependencies' (aws-sdk
	// endpoints 0.43 MB, prometheus 0.2 MB, x/net/html's entities, ...).
	// A dependency that adds more fails here: decide, then raise it.
	initBudgetTotal = 1_500_000
	// initBudgetOwn bounds one nbasim package's init: small maps and
	// slices of literals, no compiled pattern (sync.OnceValue instead).
	initBudgetOwn = 8 << 10
)

var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, [0-9.]+ ms clock, ([0-9]+) bytes, ([0-9]+) allocs$`)

// TestStartupInitBudget runs the built binary with GODEBUG=inittrace=1 and
// sums what each package's init allocates.
func TestStartupInitBudget(t *testing.T) {
	bin := boxBinary(t)
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nbasim version: %v\n%s", err, stderr.String())
	}
	type pkgInit struct {
		pkg          string
		bytes, alloc int
	}
	var inits []pkgInit
	total := 0
	for line := range strings.Lines(stderr.String()) {
		m := initLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		b, _ := strconv.Atoi(m[2])
		a, _ := strconv.Atoi(m[3])
		inits = append(inits, pkgInit{m[1], b, a})
		total += b
	}
	if len(inits) < 100 {
		t.Fatalf("inittrace: %d init lines, want hundreds:\n%s", len(inits), stderr.String())
	}
	own := 0
	for _, p := range inits {
		if strings.HasPrefix(p.pkg, "github.com/nbasim/nbasim/") || p.pkg == "main" {
			own++
			if p.bytes > initBudgetOwn {
				t.Errorf("%s: init allocates %d bytes (%d allocs), budget %d: build its tables on first use (sync.OnceValue)", p.pkg, p.bytes, p.alloc, initBudgetOwn)
			}
		}
	}
	if own < 20 {
		t.Errorf("inittrace names %d nbasim packages, want the 20 or more the binary links", own)
	}
	if total > initBudgetTotal {
		sort.Slice(inits, func(i, j int) bool { return inits[i].bytes > inits[j].bytes })
		var top strings.Builder
		for _, p := range inits[:10] {
			fmt.Fprintf(&top, "\n  %8d bytes %s", p.bytes, p.pkg)
		}
		t.Errorf("package init allocates %d bytes in all, budget %d; the largest:%s", total, initBudgetTotal, top.String())
	}
	t.Logf("%d packages run init: %d bytes allocated", len(inits), total)
}

// TestLiteralPatternsCompile: nbasim's patterns compile on first use (in a
// sync.OnceValue), not at start-up, so a bad one would panic only in the
// code path that uses it. This compiles every regexp.MustCompile of a
// literal in the module's source.
func TestLiteralPatternsCompile(t *testing.T) {
	root := testutil.ModuleRoot(t)
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "MustCompile" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "regexp" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			expr, err := strconv.Unquote(lit.Value)
			if err == nil {
				_, err = regexp.Compile(expr)
			}
			if err != nil {
				t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
			}
			n++
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 70 {
		t.Errorf("%d literal patterns in the module, want at least 70 (the parsers', layout's, importer's)", n)
	}
}
