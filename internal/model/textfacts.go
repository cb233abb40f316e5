package model

// TextFacts are what a provider's parser read from an event's English text
// (Description, Subtype) for the engine's quirk rules (internal/pbp), which
// read these fields and never the text. The zero value says the text told
// nothing. The store keeps them packed in plays.text_facts (Pack,
// UnpackTextFacts), so events loaded from a database carry them.
type TextFacts struct {
	// TechnicalName: the foul's text or action name calls it a technical
	// ("Non-Unsportsmanlike Tech Foul - Flopping"; rule technical-by-name).
	TechnicalName bool
	// ReboundTally: the text prints the rebounder's running counts,
	// "(Off:2 Def:1)" (NBA v2), held in RebOff and RebDef (0..1023; rule
	// rebound-tally).
	ReboundTally   bool
	RebOff, RebDef int
	// FTNum and FTOf are the "Free Throw k of n" the text prints (both 0
	// when it prints none, or k/n out of 1 <= k <= n <= 3), FTKind the kind
	// it names: "technical", "flagrant" or "clear path" (rule ft-k-of-n).
	FTNum, FTOf int
	FTKind      FreeThrowKind
	// FTUnmarked: the text starts "Free Throw" with neither "PTS" nor
	// "MISS" in it, a bare "Free Throw 2 of 2" (rule ft-unmarked-miss).
	FTUnmarked bool
}

// The bit layout of a packed TextFacts (it fits a 32-bit INTEGER column).
const (
	factTechnicalName = 1 << 0
	factReboundTally  = 1 << 1
	factFTUnmarked    = 1 << 2
	factFTNumShift    = 4  // 2 bits
	factFTOfShift     = 6  // 2 bits
	factFTKindShift   = 8  // 2 bits
	factRebOffShift   = 10 // 10 bits
	factRebDefShift   = 20 // 10 bits
	factTallyMax      = 1<<10 - 1
)

// Pack encodes f as the integer stored in plays.text_facts (0 for the zero
// value). Fields out of their documented range are dropped.
func (f TextFacts) Pack() int64 {
	var v int64
	if f.TechnicalName {
		v |= factTechnicalName
	}
	if f.ReboundTally && f.RebOff >= 0 && f.RebOff <= factTallyMax && f.RebDef >= 0 && f.RebDef <= factTallyMax {
		v |= factReboundTally | int64(f.RebOff)<<factRebOffShift | int64(f.RebDef)<<factRebDefShift
	}
	if f.FTUnmarked {
		v |= factFTUnmarked
	}
	if f.FTNum >= 1 && f.FTNum <= f.FTOf && f.FTOf <= 3 {
		v |= int64(f.FTNum)<<factFTNumShift | int64(f.FTOf)<<factFTOfShift
	}
	if f.FTKind <= FTClearPath {
		v |= int64(f.FTKind) << factFTKindShift
	}
	return v
}

// UnpackTextFacts decodes a packed TextFacts (Pack).
func UnpackTextFacts(v int64) TextFacts {
	f := TextFacts{
		TechnicalName: v&factTechnicalName != 0,
		ReboundTally:  v&factReboundTally != 0,
		FTUnmarked:    v&factFTUnmarked != 0,
		FTNum:         int(v>>factFTNumShift) & 3,
		FTOf:          int(v>>factFTOfShift) & 3,
		FTKind:        FreeThrowKind(v>>factFTKindShift) & 3,
	}
	if f.ReboundTally {
		f.RebOff, f.RebDef = int(v>>factRebOffShift)&factTallyMax, int(v>>factRebDefShift)&factTallyMax
	}
	return f
}
