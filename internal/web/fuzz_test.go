package web

import (
	"errors"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// FuzzMomentParam feeds arbitrary ?at= / ?from= / ?to= values to the
// parameter parsers: never a panic; an accepted moment lies inside its
// period and reads back to itself from its canonical form; a refused one is
// a parameter error naming the parameter.
func FuzzMomentParam(f *testing.F) {
	for _, s := range []string{"Q3 7:02", "Q3 7:02.4", "OT1 2:00", "ot10 0:00.0", "Q4 12:00", "Q3 7:02:30", "Q5 1:00", "OT 1:00", "Q3 12:00.1",
		"1738", "1738.5", "-1", "NaN", "1e9", "", " ", "Q1  0:00", "Q3 7:2", "Q0 1:00", "OT11 1:00", "Q3\t7:02", "q3 07:02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, cl, err := parseMoment(s)
		if err == nil {
			if p < 1 || p > pbp.MaxPeriod || cl < 0 || cl > model.PeriodLength(p) {
				t.Fatalf("parseMoment(%q) = period %d clock %d: out of range", s, p, cl)
			}
			canon := periodName(p) + " " + clockString(cl)
			p2, cl2, err2 := parseMoment(canon)
			if err2 != nil || p2 != p || cl2 != cl {
				t.Fatalf("parseMoment(%q) = %s, which reads back as %d %d %v", s, canon, p2, cl2, err2)
			}
		} else if !strings.Contains(err.Error(), "moment") {
			t.Fatalf("parseMoment(%q): error %q does not say what it read", s, err)
		}
		tt, err := parseEnd("from", s)
		var pe *paramError
		switch {
		case err == nil:
			if tt < 0 || tt.Seconds() > maxElapsed {
				t.Fatalf("parseEnd(%q) = %v: out of range", s, tt)
			}
		case !errors.As(err, &pe) || pe.param != "from":
			t.Fatalf("parseEnd(%q): %v is not a parameter error naming from", s, err)
		}
	})
}
