package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/testutil"
)

// oneWay lists the jobs that have one implementation (issue 11), where it
// lives, and how a second one would show in the code: a function of that
// name, an import, or a regular expression that is the whole grammar.
var oneWay = []struct {
	job, home string
	funcName  *regexp.Regexp // a function declared with a matching name
	imports   []string       // an import of one of these
	regexp    *regexp.Regexp // a regexp.MustCompile/Compile literal matching
	allow     []string       // "pkg.Func" declarations that only delegate to home
}{
	{
		job: "clock parser (PT11M32.00S, 11:32, 0:32.4) and minutes played", home: "internal/model",
		funcName: regexp.MustCompile(`(?i)^(parse|scan|read)(typed)?(clock|minutes)$`),
	},
	{
		job: "name normaliser (x/text/unicode/norm)", home: "internal/model",
		funcName: regexp.MustCompile(`(?i)^(fold|normali[sz]e|strip|remove)(player)?(name|names|accents|diacritics)$|^namekey$`),
		imports:  []string{"golang.org/x/text/unicode/norm"},
	},
	{
		job: "game-id grammar", home: "internal/layout",
		funcName: regexp.MustCompile(`(?i)^((is|parse|valid)(nba|espn|bbref|short)?(game)?id|(nba|espn|bbref|short)(game)?id)$`),
		regexp:   regexp.MustCompile(`^\^?\(?(\\d\{10\}|00\[1-6\]\\d\{7\}|\\d\{9\}|\\d\{8\}0\[A-Z\]\{3\})\)?\$?$`),
		allow:    []string{"internal/archive.NBAGameID"}, // member names ("x/21800001.csv"): strips the path, then layout.NBAGameID
	},
	{
		job: "reader of season archives (tar, zip)", home: "internal/archive",
		imports: []string{"archive/tar", "archive/zip"},
	},
}

// TestOneWayToDoEachThing fails when a package outside a job's home
// declares a second implementation of it.
func TestOneWayToDoEachThing(t *testing.T) {
	root := testutil.ModuleRoot(t)
	for _, v := range violations(t, root) {
		t.Error(v)
	}
}

// TestOneWayCatchesASecondImplementation checks the check on a package
// written for it: each rule must report its sample.
func TestOneWayCatchesASecondImplementation(t *testing.T) {
	dir := t.TempDir()
	writeGo(t, filepath.Join(dir, "internal", "dup", "dup.go"), `package dup

import (
	"archive/tar"
	"regexp"

	_ "golang.org/x/text/unicode/norm"
)

var _ = tar.NewReader
var gid = regexp.MustCompile(`+"`^\\d{10}$`"+`)

func parseClock(s string) int   { return 0 }
func FoldName(s string) string  { return s }
func isNBAGameID(s string) bool { return gid.MatchString(s) }
`)
	got := strings.Join(violations(t, dir), "\n")
	for _, want := range []string{
		"declares parseClock: the clock parser",
		"declares FoldName: the name normaliser",
		"imports golang.org/x/text/unicode/norm: the name normaliser",
		"declares isNBAGameID: the game-id grammar",
		"compiles the regexp `^\\d{10}$`: the game-id grammar",
		"imports archive/tar: the reader of season archives",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("not reported: %q\ngot:\n%s", want, got)
		}
	}
}

func violations(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") ||
			!(strings.HasPrefix(rel, "internal/") || strings.HasPrefix(rel, "cmd/")) {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, r := range oneWay {
			if pkg == r.home || strings.HasPrefix(pkg, r.home+"/") {
				continue
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, x := range r.imports {
					if path == x {
						out = append(out, rel+" imports "+path+": the "+r.job+" is "+r.home+"'s")
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					name := n.Name.Name
					if r.funcName != nil && r.funcName.MatchString(name) && !slices.Contains(r.allow, pkg+"."+name) {
						out = append(out, rel+" declares "+name+": the "+r.job+" is "+r.home+"'s")
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok || r.regexp == nil || len(n.Args) != 1 {
						return true
					}
					if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "regexp" || (sel.Sel.Name != "MustCompile" && sel.Sel.Name != "Compile") {
						return true
					}
					if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil && r.regexp.MatchString(s) {
							out = append(out, rel+" compiles the regexp `"+s+"`: the "+r.job+" is "+r.home+"'s")
						}
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeGo(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
