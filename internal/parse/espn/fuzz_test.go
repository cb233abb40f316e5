package espn

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nbasim/nbasim/internal/parse"
)

// realSeed returns a real file under the real data directory, or nil.
func realSeed(rel string) []byte {
	dir, err := os.Getwd()
	if err != nil {
		return nil
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	b, _ := os.ReadFile(filepath.Join(dir, "..", "shared", "data", rel))
	return b
}

func check(t *testing.T, res *parse.Result, err error) {
	t.Helper()
	if (err == nil) == (res == nil) {
		t.Fatalf("result %v with error %v", res != nil, err)
	}
}

func FuzzParseSummary(f *testing.F) {
	if b := realSeed("espn/summary_401585607.json"); b != nil {
		f.Add(b)
	}
	f.Add([]byte(`{"header":{"id":"1","competitions":[{"competitors":[{"homeAway":"home","team":{"id":"19"}},{"homeAway":"away","team":{"id":"28"}}]}]},"plays":[{"type":{"id":"615","text":"Jumpball"},"period":{"number":1},"clock":{"displayValue":"12:00"},"participants":[{"athlete":{"id":"1"}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseSummary(data, parse.Hint{Key: "fuzz"})
		check(t, res, err)
	})
}

func FuzzParseScoreboard(f *testing.F) {
	if b := realSeed("espn/scoreboard_20241201.json"); b != nil {
		f.Add(b)
	}
	f.Add([]byte(`{"events":[{"id":"1","competitions":[{"competitors":[{"homeAway":"home","score":"1"},{"homeAway":"away","score":"x"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseScoreboard(data, parse.Hint{Key: "fuzz", Item: "20241201"})
		check(t, res, err)
	})
}
