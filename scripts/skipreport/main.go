// Command skipreport reads `go test -json` on stdin, prints what `go test`
// would print (package results, and the output of failed tests), and ends
// with the number of skipped tests by reason: real data absent, no
// PostgreSQL URL, no S3 URL, no node, no chromium, other. scripts/test.sh
// pipes the suite through it. It exits 1 when a test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// reasons maps a phrase of a skip message to its group, first match wins.
var reasons = []struct{ phrase, group string }{
	{"real NBA data", "real data absent (../shared/data)"},
	{"NBASIM_TEST_POSTGRES_URL", "no PostgreSQL URL (NBASIM_TEST_POSTGRES_URL)"},
	{"NBASIM_TEST_S3_URL", "no S3 URL (NBASIM_TEST_S3_URL)"},
	{"node", "no node (npm ci --prefix test/mcp-ts, test/duckdb-node)"},
	{"chromium", "no chromium (NBASIM_TEST_CHROMIUM)"},
}

func main() {
	failed, err := run(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skipreport:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) (failed bool, err error) {
	outputs := map[string][]string{} // package/test -> output lines
	skips := map[string]int{}
	examples := map[string]string{}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(out, sc.Text()) // build errors and other plain lines
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "output":
			if e.Test == "" {
				if !strings.HasPrefix(e.Output, "=== ") && !strings.HasPrefix(e.Output, "PASS\n") {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			outputs[key] = append(outputs[key], e.Output)
		case "fail":
			if e.Test != "" {
				failed = true
				for _, l := range outputs[key] {
					fmt.Fprint(out, l)
				}
			} else {
				failed = true
			}
			delete(outputs, key)
		case "skip":
			if e.Test != "" {
				g, msg := classify(outputs[key])
				skips[g]++
				if _, ok := examples[g]; !ok {
					examples[g] = e.Package + " " + e.Test + ": " + msg
				}
			}
			delete(outputs, key)
		case "pass":
			delete(outputs, key)
		}
	}
	if err := sc.Err(); err != nil {
		return failed, err
	}
	total := 0
	var groups []string
	for g, n := range skips {
		total += n
		groups = append(groups, g)
	}
	sort.Strings(groups)
	fmt.Fprintf(out, "\nskipped tests: %d\n", total)
	for _, g := range groups {
		fmt.Fprintf(out, "  %5d  %s\n         e.g. %s\n", skips[g], g, examples[g])
	}
	if total > 0 {
		fmt.Fprintln(out, "  (README, \"Running every test\", says how to get each group running)")
	}
	return failed, nil
}

// classify finds the skip message among a test's output lines and its group.
func classify(lines []string) (group, msg string) {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "---") || strings.HasPrefix(l, "===") {
			continue
		}
		for _, r := range reasons {
			if strings.Contains(l, r.phrase) {
				return r.group, l
			}
		}
		if msg == "" {
			msg = l
		}
	}
	if msg == "" {
		msg = "(no message)"
	}
	return "other", msg
}
