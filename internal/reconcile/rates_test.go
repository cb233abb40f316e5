package reconcile

import (
	"testing"

	"github.com/nbasim/nbasim/internal/config"
)

// TestPlanTimesAtTheConfiguredRates: a plan's time estimate takes each
// source's rate from configuration only, the run's or else the defaults
// (basketball-reference: 1 request per 3.5 s), never a rate of its own.
func TestPlanTimesAtTheConfiguredRates(t *testing.T) {
	t.Parallel()
	gaps := []Gap{{Kind: GapUnknownKeys, Priority: High, Source: "bbref", Dataset: "boxscores", Season: "2018-19", Count: 10}}
	def := config.Default().Sources["bbref"].Rate
	if def <= 0 {
		t.Fatal("no default bbref rate in config")
	}
	p := Generate(gaps, nil, GenerateOptions{})
	if len(p.Tasks) != 1 || p.Tasks[0].EstSeconds != roundTenth(10/def) {
		t.Fatalf("default rate %.4f/s: %+v, want %.1f s", def, p.Tasks, roundTenth(10/def))
	}
	p = Generate(gaps, nil, GenerateOptions{Sources: map[string]config.Source{"bbref": {Rate: 0.5}}})
	if len(p.Tasks) != 1 || p.Tasks[0].EstSeconds != 20 {
		t.Fatalf("configured 0.5/s: %+v, want 20 s", p.Tasks)
	}
}

func roundTenth(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
