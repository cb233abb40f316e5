package pbp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// textFields are the model.Event fields that hold a provider's English
// (or its lower-cased action name): the engine may quote them in a note,
// never decide anything from them. What a rule needs from the text, the
// provider's parser reads into model.Event.Facts (internal/parse).
var textFields = map[string]bool{"Description": true, "Subtype": true}

// quoting says whether a call only renders its arguments into a message.
func quoting(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch sel.Sel.Name {
	case "note", "Sprintf", "Errorf", "Printf":
		return true
	}
	return false
}

// TestEngineReadsNoEnglish fails when a non-test Go file of the engine
// (internal/pbp) or of derive reads an event's text field anywhere but as
// an argument of a message (c.note, fmt.Sprintf, fmt.Errorf) or as the
// key of a composite literal: strings.Contains(e.Description, "tech
// foul"), d := e.Description, e.Subtype == "..." all fail it.
func TestEngineReadsNoEnglish(t *testing.T) {
	checked := 0
	for _, dir := range []string{".", filepath.Join("..", "derive")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, bad := range textReads(f) {
				t.Errorf("%s: reads event text .%s (move what the rule needs into the provider parser's model.Event.Facts)", fset.Position(bad.Pos()), bad.Sel.Name)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("checked %d files: the engine's sources were not found", checked)
	}
}

// textReads returns the selectors of a text field in f that are neither
// quoted into a message nor composite-literal keys.
func textReads(f *ast.File) []*ast.SelectorExpr {
	allowed := map[*ast.SelectorExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && quoting(call) {
			for _, a := range call.Args {
				if s, ok := a.(*ast.SelectorExpr); ok {
					allowed[s] = true
				}
			}
		}
		return true
	})
	var out []*ast.SelectorExpr
	ast.Inspect(f, func(n ast.Node) bool {
		s, ok := n.(*ast.SelectorExpr)
		if ok && textFields[s.Sel.Name] && !allowed[s] {
			out = append(out, s)
		}
		return true
	})
	return out
}

// TestTextReadsFindsEnglish checks the checker: each of these reads is
// reported, each quoting use is not.
func TestTextReadsFindsEnglish(t *testing.T) {
	cases := []struct {
		src  string
		want int
	}{
		{`strings.Contains(strings.ToLower(e.Description), "tech foul")`, 1},
		{`strings.Index(e.Description, "(Off:")`, 1},
		{`e.Subtype == "flagrant"`, 1},
		{`c.note("x", 1, 2, "%s", e.Description)`, 0},
		{`fmt.Sprintf("%s %s", e.Subtype, e.Description)`, 0},
		{`model.Event{Description: "period start (added)"}`, 0},
	}
	for _, tc := range cases {
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\nfunc f() { _ = "+tc.src+" }\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(textReads(f)); got != tc.want {
			t.Errorf("%s: %d reads reported, want %d", tc.src, got, tc.want)
		}
	}
}
