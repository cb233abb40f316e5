package parse

import (
	"testing"

	"github.com/nbasim/nbasim/internal/model"
)

func TestReadTextFacts(t *testing.T) {
	cases := []struct {
		subtype, desc string
		want          model.TextFacts
	}{
		{"", "", model.TextFacts{}},
		{"", "Non-Unsportsmanlike Tech Foul - Flopping", model.TextFacts{TechnicalName: true}},
		{"technical", "Smith T.FOUL (P1.T1)", model.TextFacts{TechnicalName: true}},
		{"", "Brown REBOUND (Off:2 Def:1)", model.TextFacts{ReboundTally: true, RebOff: 2, RebDef: 1}},
		{"", "Brown REBOUND (Off:0 Def:0)", model.TextFacts{ReboundTally: true}},
		{"", "Brown REBOUND (Off:2", model.TextFacts{}},
		{"", "Brown REBOUND (Off:2000 Def:1)", model.TextFacts{}}, // out of the packed range
		{"", "Free Throw 2 of 2", model.TextFacts{FTNum: 2, FTOf: 2, FTUnmarked: true}},
		{"", "LaVine Free Throw 1 of 2 (3 PTS)", model.TextFacts{FTNum: 1, FTOf: 2}},
		{"", "MISS LaVine Free Throw 1 of 2", model.TextFacts{FTNum: 1, FTOf: 2}},
		{"", "Free Throw 3 of 2", model.TextFacts{FTUnmarked: true}},
		{"", "Harden Free Throw Technical (20 PTS)", model.TextFacts{FTKind: model.FTTechnical}},
		{"", "Harden Free Throw Flagrant 1 of 2 (21 PTS)", model.TextFacts{FTNum: 1, FTOf: 2, FTKind: model.FTFlagrant}},
		{"", "Harden Free Throw Clear Path 2 of 2 (22 PTS)", model.TextFacts{FTNum: 2, FTOf: 2, FTKind: model.FTClearPath}},
		{"", "Jayson Tatum makes free throw 1 of 2", model.TextFacts{FTNum: 1, FTOf: 2}},
	}
	for _, tc := range cases {
		got := ReadTextFacts(tc.subtype, tc.desc)
		if got != tc.want {
			t.Errorf("ReadTextFacts(%q, %q) = %+v, want %+v", tc.subtype, tc.desc, got, tc.want)
		}
		if back := model.UnpackTextFacts(got.Pack()); back != got {
			t.Errorf("%q: packed and unpacked %+v, want %+v", tc.desc, back, got)
		}
	}
}
