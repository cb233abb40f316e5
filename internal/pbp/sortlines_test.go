package pbp

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

// sortLines orders exactly as the stable sort it replaces, ties included.
func TestSortLinesIsStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := range 300 {
		size := n % 40
		if n >= 290 {
			size = 257 + n // past the index array: the fallback
		}
		lines := make([]model.PlayerLine, size)
		for i := range lines {
			lines[i] = model.PlayerLine{PlayerID: model.PlayerID(strconv.Itoa(i)), Side: model.Side(1 + rng.IntN(2)), Starter: rng.IntN(3) == 0}
			lines[i].Seconds = model.Tenths(rng.IntN(4) * 600) // many ties
		}
		want := slices.Clone(lines)
		slices.SortStableFunc(want, func(a, b model.PlayerLine) int { return cmpLines(&a, &b) })
		sortLines(lines)
		for i := range lines {
			if lines[i].PlayerID != want[i].PlayerID {
				t.Fatalf("size %d: position %d holds %s, want %s", size, i, lines[i].PlayerID, want[i].PlayerID)
			}
		}
	}
}
