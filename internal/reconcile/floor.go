package reconcile

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/nbasim/nbasim/internal/lake"
)

// Floor is a raw listing of the whole lake with no processing: the least
// time any reconciliation of it can take with one lister.
type Floor struct {
	Objects  int64
	Pages    int
	Duration time.Duration
}

// ListingFloor lists every key of l once, page after page (1,000 keys a
// page), keeping nothing but the count.
func ListingFloor(ctx context.Context, l *lake.Lake) (*Floor, error) {
	start := time.Now()
	f := &Floor{}
	tok := ""
	for {
		p, err := l.List(ctx, "", tok, 1000)
		if err != nil {
			return nil, fmt.Errorf("listing floor: %w", err)
		}
		f.Pages++
		f.Objects += int64(len(p.Objects))
		if p.Next == "" {
			break
		}
		tok = p.Next
	}
	f.Duration = time.Since(start)
	return f, nil
}

// Compare prints the run's time (all steps) and its scan's against the floor.
func (f *Floor) Compare(w io.Writer, rep *Report, run time.Duration) {
	fmt.Fprintf(w, "\nListing floor: %d objects in %d pages in %s (a raw sequential listing, no processing)\n",
		f.Objects, f.Pages, f.Duration.Round(time.Millisecond))
	ratio := func(d time.Duration) float64 { return d.Seconds() / f.Duration.Seconds() }
	fmt.Fprintf(w, "reconcile: %s = %.2fx the floor", run.Round(time.Millisecond), ratio(run))
	if rep.Scan != nil && !rep.Scan.FromCache {
		fmt.Fprintf(w, " (its scan %s = %.2fx)", rep.Scan.Duration.Round(time.Millisecond), ratio(rep.Scan.Duration))
	}
	fmt.Fprintln(w)
}
