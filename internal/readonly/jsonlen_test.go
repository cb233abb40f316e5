package readonly

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// jsonLen is exactly the length encoding/json gives, or declines.
func TestJSONLenIsMarshalLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", " ", "\"", "\\", "<", ">", "&", "\x00", "\x1f", "\b", "\f", "\n", "\r", "\t", "é", "Dončić", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "/"}
	vals := func() any {
		switch rng.IntN(9) {
		case 0:
			return nil
		case 1:
			return rng.IntN(2) == 0
		case 2:
			return rng.Int64() - rng.Int64()
		case 3:
			return int(rng.Int32()) - 1<<30
		case 4:
			return []float64{0, 1.5, -2880, 1e-7, 1e21, 123456.789, 3e-9, math.MaxFloat64}[rng.IntN(8)]
		case 5:
			return int32(rng.Int32())
		case 6: // a trusted read's blob (a play pack): base64 in quotes
			b := make([]byte, rng.IntN(40))
			for i := range b {
				b[i] = byte(rng.IntN(256))
			}
			return b
		default:
			var s string
			for range rng.IntN(10) {
				s += pieces[rng.IntN(len(pieces))]
			}
			return s
		}
	}
	for range 3000 {
		row := make([]any, rng.IntN(8))
		for i := range row {
			row[i] = vals()
		}
		b, err := json.Marshal(row)
		if err != nil {
			t.Fatal(err)
		}
		n, ok := jsonLen(row)
		if !ok || n != len(b) {
			t.Fatalf("%#v: jsonLen %d (%v), encoding/json %d: %s", row, n, ok, len(b), b)
		}
	}
	for _, row := range [][]any{{math.NaN()}, {struct{}{}}} {
		if _, ok := jsonLen(row); ok {
			t.Errorf("%#v: not declined", row)
		}
	}
}
