package jsonx

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func TestAppendStringAndFloatAreEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\x00", "\x1f", "\x7f", "é", "Dončić", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "\t", "/", "\b", "\f"}
	for range 5000 {
		var s string
		for range rng.IntN(12) {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
	for _, ss := range [][]string{nil, {}, {"a"}, {"Dončić", "\"q\"", "<&>"}} {
		want, _ := json.Marshal(ss)
		if got := AppendStrings(nil, ss); !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, want %s", ss, got, want)
		}
	}
	ints := []int{0, 9, 10, 99, 100, -1, -10, -99, -100, math.MaxInt, math.MinInt}
	for range 2000 {
		ints = append(ints, rng.IntN(2000)-1000)
	}
	for _, v := range ints {
		want, _ := json.Marshal(v)
		if got := AppendInt(nil, v); !bytes.Equal(got, want) {
			t.Errorf("%d: got %s, want %s", v, got, want)
		}
	}
	floats := []float64{0, math.Copysign(0, -1), 1, 0.1, 1738.5, 2880, 1e-6, 9.99e-7, 1e21, 1e20, -3.25e-9, 123456789.125, math.MaxFloat64,
		math.SmallestNonzeroFloat64, -0.5, 1e13 + 0.1, 1e14 - 0.1, 1e14 + 0.5, 0.30000000000000004, 99999999999999.9}
	for range 20000 { // whole tenths (the fast path) and their neighbours
		t := rng.Int64N(1 << uint(1+rng.IntN(62)))
		f := float64(t) / 10
		floats = append(floats, f, math.Nextafter(f, 0), math.Nextafter(f, math.Inf(1)), -f)
	}
	for _, f := range floats {
		want, _ := json.Marshal(f)
		if got := AppendFloat(nil, f); !bytes.Equal(got, want) {
			t.Errorf("%v: got %s, want %s", f, got, want)
		}
	}
}
