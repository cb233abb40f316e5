package timing_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/timing"
)

// A pipeline wraps each phase in a step and prints the breakdown at the end.
func Example() {
	t := timing.New("load")
	_ = t.Step("scan", func() error { return nil })
	span := t.Start("parse")
	// ... work ...
	span.Stop()
	r := t.Stop()
	fmt.Println(len(r.Steps), r.Steps[0].Name, r.Steps[1].Name)
	// Output: 2 scan parse
}
