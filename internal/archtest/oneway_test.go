package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
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
	// a composite literal of a type named literalType setting one of
	// literalKeys
	literalType string
	literalKeys []string
	allow       []string // "pkg.Func": declared in, or inside, these functions is fine
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
		job: "rates and limits of the providers (config, not code)", home: "internal/config",
		literalType: "source.Policy", literalKeys: []string{"Rate", "Burst", "Concurrency", "Attempts"},
		allow: []string{"internal/source.undeclaredPolicy"}, // a host no source declares: 1 request/s, not a provider's limit
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

	"github.com/nbasim/nbasim/internal/source"

	_ "golang.org/x/text/unicode/norm"
)

var _ = tar.NewReader
var gid = regexp.MustCompile(`+"`^\\d{10}$`"+`)

func parseClock(s string) int   { return 0 }
func FoldName(s string) string  { return s }
func isNBAGameID(s string) bool { return gid.MatchString(s) }

var bbref = source.Policy{Rate: 1 / 12.0}
`)
	got := strings.Join(violations(t, dir), "\n")
	for _, want := range []string{
		"declares parseClock: the clock parser",
		"declares FoldName: the name normaliser",
		"imports golang.org/x/text/unicode/norm: the name normaliser",
		"declares isNBAGameID: the game-id grammar",
		"compiles the regexp `^\\d{10}$`: the game-id grammar",
		"imports archive/tar: the reader of season archives",
		"sets source.Policy.Rate: the rates and limits of the providers",
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
			for _, decl := range f.Decls {
				fn := ""
				if d, ok := decl.(*ast.FuncDecl); ok {
					fn = d.Name.Name
					if r.funcName != nil && r.funcName.MatchString(fn) && !slices.Contains(r.allow, pkg+"."+fn) {
						out = append(out, rel+" declares "+fn+": the "+r.job+" is "+r.home+"'s")
					}
				}
				if fn != "" && slices.Contains(r.allow, pkg+"."+fn) {
					continue
				}
				ast.Inspect(decl, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CompositeLit:
						if r.literalType == "" || typeName(n.Type, pkg) != r.literalType {
							return true
						}
						for _, e := range n.Elts {
							if kv, ok := e.(*ast.KeyValueExpr); ok {
								if k, ok := kv.Key.(*ast.Ident); ok && slices.Contains(r.literalKeys, k.Name) {
									out = append(out, rel+" sets "+r.literalType+"."+k.Name+": the "+r.job+" is "+r.home+"'s")
								}
							}
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
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// typeName is the package-qualified name of a composite literal's type:
// "source.Policy" for source.Policy{...}, and for Policy{...} in package
// internal/source.
func typeName(e ast.Expr, pkg string) string {
	switch t := e.(type) {
	case *ast.Ident:
		return path.Base(pkg) + "." + t.Name
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			return x.Name + "." + t.Sel.Name
		}
	}
	return ""
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
