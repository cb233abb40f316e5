package model

import "testing"

func TestTextFactsPack(t *testing.T) {
	cases := []struct {
		f    TextFacts
		want TextFacts // after a round trip
	}{
		{TextFacts{}, TextFacts{}},
		{TextFacts{TechnicalName: true, FTUnmarked: true}, TextFacts{TechnicalName: true, FTUnmarked: true}},
		{TextFacts{ReboundTally: true, RebOff: 1023, RebDef: 7}, TextFacts{ReboundTally: true, RebOff: 1023, RebDef: 7}},
		{TextFacts{ReboundTally: true, RebOff: 1024}, TextFacts{}},
		{TextFacts{FTNum: 3, FTOf: 3, FTKind: FTClearPath}, TextFacts{FTNum: 3, FTOf: 3, FTKind: FTClearPath}},
		{TextFacts{FTNum: 2, FTOf: 1}, TextFacts{}},
	}
	for _, tc := range cases {
		v := tc.f.Pack()
		if v < 0 || v >= 1<<31 {
			t.Errorf("%+v packs to %d, outside a 32-bit INTEGER", tc.f, v)
		}
		if got := UnpackTextFacts(v); got != tc.want {
			t.Errorf("%+v: round trip %+v, want %+v", tc.f, got, tc.want)
		}
	}
	if v := (TextFacts{}).Pack(); v != 0 {
		t.Errorf("zero facts pack to %d, want 0", v)
	}
}
