package model

import "testing"

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Tenths
		ok   bool
	}{
		{"PT11M32.00S", 6920, true}, {"PT00M05.30S", 53, true}, {"PT32.4S", 324, true}, {"PT11M", 6600, true},
		{"PT240M00.00S", 144000, true}, {" 11:32 ", 6920, true}, {"0:32.4", 324, true}, {"12:00", 7200, true},
		{"11:40.0", 7000, true}, {"0:05.35", 54, true}, {"0:05.34", 53, true}, {"240:00", 144000, true},
		{"52.1", 521, true}, {"0.0", 0, true}, {"7", 70, true}, {"75", 750, true},
		{"", 0, false}, {"PT", 0, false}, {"PTxS", 0, false}, {"PTM5S", 0, false}, {"PT5", 0, false},
		{"1:75", 0, false}, {"0:75", 0, false}, {"1:6x", 0, false}, {"-1", 0, false}, {"1:05.", 0, false},
		{":05", 0, false}, {"1:", 0, false}, {"1e3", 0, false}, {"1 :05", 0, false}, {"+5", 0, false},
	} {
		got, err := ParseClock(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v ok=%v", c.in, int(got), err, int(c.want), c.ok)
		}
	}
}

func TestParseTypedClock(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Tenths
		ok   bool
	}{
		{"7:02", 4220, true}, {"7:02.4", 4224, true}, {"0:00.5", 5, true}, {"12:00", 7200, true},
		{"7:2", 0, false}, {"7:02:30", 0, false}, {"7:02.45", 0, false}, {"42.5", 0, false}, {"PT7M02S", 0, false},
		{"123:00", 0, false}, {" 7:02", 0, false}, {"7:60", 0, false},
	} {
		got, err := ParseTypedClock(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseTypedClock(%q) = %v, %v; want %v ok=%v", c.in, int(got), err, int(c.want), c.ok)
		}
	}
}

func TestParseMinutes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Tenths
		ok   bool
	}{
		{"34:12", 20520, true}, {"PT34M12.00S", 20520, true}, {"240", 144000, true}, {"34.5", 20700, true},
		{"0.25", 150, true}, {"", 0, false}, {"x", 0, false}, {"-3", 0, false}, {"3.", 0, false},
	} {
		got, err := ParseMinutes(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMinutes(%q) = %v, %v; want %v ok=%v", c.in, int(got), err, int(c.want), c.ok)
		}
	}
}
