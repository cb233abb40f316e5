package moment

import (
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Moment
		errPart string
	}{
		{in: "Q3 7:02.4", want: Moment{3, 4224}},
		{in: "q1 12:00", want: Moment{1, 7200}},
		{in: "  Q4   0:00  ", want: Moment{4, 0}},
		{in: "OT1 5:00", want: Moment{5, 3000}},
		{in: "ot2 0:00.5", want: Moment{6, 5}},
		{in: "Q2 0:42.5", want: Moment{2, 425}},
		{in: "Q3 7:02:30", errPart: "bad clock"}, // was read as 7:02
		{in: "Q3 7:2", errPart: "bad clock"},
		{in: "Q3 7:02.45", errPart: "bad clock"},
		{in: "Q3 7:60", errPart: "bad clock"},
		{in: "Q3 42.5", errPart: "bad clock"},
		{in: "Q3 -1:00", errPart: "bad clock"},
		{in: "Q3 7:02x", errPart: "bad clock"},
		{in: "Q3 12:00.1", errPart: "longer than Q3"},
		{in: "OT1 5:01", errPart: "longer than OT1"},
		{in: "Q5 1:00", errPart: "quarters are Q1-Q4"},
		{in: "Q0 1:00", errPart: "bad period"},
		{in: "Q03 1:00", errPart: "bad period"},
		{in: "OT 1:00", errPart: "bad period"},
		{in: "OT0 1:00", errPart: "bad period"},
		{in: "OT11 1:00", errPart: "bad period"},
		{in: "P5 1:00", errPart: "bad period"},
		{in: "3 7:02", errPart: "bad period"},
		{in: "Q3", errPart: "want"},
		{in: "Q3 7:02 extra", errPart: "want"},
		{in: "", errPart: "want"},
	} {
		got, err := Parse(tc.in)
		if tc.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errPart) {
				t.Errorf("Parse(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.errPart)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, s := range []string{"Q1 12:00", "Q3 7:02.4", "OT1 0:00.5", "OT4 5:00", "Q4 0:00"} {
		m, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		if m.String() != s {
			t.Errorf("Parse(%q).String() = %q", s, m.String())
		}
		last := m.Period
		if last < 4 {
			last = 4
		}
		if back := FromElapsed(m.Elapsed(), last); back != m && !(m.Clock == model.PeriodLength(m.Period) && m.Period > 1) {
			t.Errorf("FromElapsed(%d) = %v; want %v", m.Elapsed(), back, m)
		}
	}
}

func TestParseElapsedAndEnd(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want model.Tenths
		err  bool
	}{
		{in: "1978.6", want: 19786},
		{in: "0", want: 0},
		{in: "2880", want: 28800},
		{in: "Q3 7:02.4", want: model.Elapsed(3, 4224)},
		{in: "-1", err: true},
		{in: "1e3", err: true},
		{in: "NaN", err: true},
		{in: "12.34", err: true},
		{in: "12.", err: true},
	} {
		got, err := ParseEnd(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("ParseEnd(%q) = %v, %v; want %v (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestCheck(t *testing.T) {
	m, _ := Parse("OT1 2:00")
	err := m.Check("0021800001", 4)
	if err == nil || !strings.Contains(err.Error(), "0021800001") || !strings.Contains(err.Error(), "last period is Q4") {
		t.Errorf("OT1 in a regulation game: %v", err)
	}
	if err := m.Check("0021600270", 6); err != nil {
		t.Errorf("OT1 in a double-overtime game: %v", err)
	}
	if err := CheckElapsed("0021800001", 28801, 4); err == nil || !strings.Contains(err.Error(), "last period Q4") {
		t.Errorf("past the end: %v", err)
	}
	if err := CheckElapsed("0021800001", 28800, 4); err != nil {
		t.Errorf("the final buzzer: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"Q3 7:02.4", "OT1 2:00", "Q3 7:02:30", "", "OT99 1:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil {
			return
		}
		if m.Period < 1 || m.Period > pbp.MaxPeriod || m.Clock < 0 || m.Clock > model.PeriodLength(m.Period) {
			t.Fatalf("Parse(%q) = %+v: out of range", s, m)
		}
		again, err := Parse(m.String())
		if err != nil || again != m {
			t.Fatalf("Parse(%q).String() = %q does not read back: %+v %v", s, m.String(), again, err)
		}
	})
}
