package parse

import (
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
)

// SetTextFacts reads, for every event of g, the facts the engine's quirk
// rules need from its English text (model.TextFacts) and sets Event.Facts.
// Every play-by-play parser calls it on its finished game: the providers
// print the same phrases ("Free Throw 1 of 2", "Tech Foul", "(Off:2
// Def:1)"), and the engine (internal/pbp) reads only the facts.
func SetTextFacts(g *model.Game) {
	if g == nil {
		return
	}
	for i := range g.Events {
		e := &g.Events[i]
		e.Facts = ReadTextFacts(e.Subtype, e.Description)
	}
}

// ReadTextFacts reads the facts of one event from its action name
// (subtype, lower-case) and its description.
func ReadTextFacts(subtype, description string) model.TextFacts {
	var f model.TextFacts
	lower := strings.ToLower(description)
	// technical-by-name: "Non-Unsportsmanlike Tech Foul - Flopping"
	f.TechnicalName = strings.Contains(subtype, "tech") || strings.Contains(lower, "tech foul")
	// rebound-tally: "Brown REBOUND (Off:2 Def:1)"
	if i := strings.Index(description, "(Off:"); i >= 0 {
		var off, def int
		if _, err := fmt.Sscanf(description[i:], "(Off:%d Def:%d)", &off, &def); err == nil && tallyOK(off) && tallyOK(def) {
			f.ReboundTally, f.RebOff, f.RebDef = true, off, def
		}
	}
	// ft-unmarked-miss: a bare "Free Throw 2 of 2"
	u := strings.ToUpper(description)
	f.FTUnmarked = strings.HasPrefix(strings.TrimSpace(u), "FREE THROW") && !strings.Contains(u, "PTS") && !strings.Contains(u, "MISS")
	// ft-k-of-n: "Free Throw [Technical|Flagrant|Clear Path] 1 of 2"
	if i := strings.Index(lower, "free throw"); i >= 0 {
		rest := lower[i+len("free throw"):]
		for _, w := range []string{" technical", " flagrant", " clear path"} {
			rest = strings.TrimPrefix(rest, w)
		}
		var k, n int
		if _, err := fmt.Sscanf(rest, " %d of %d", &k, &n); err == nil && k >= 1 && k <= n && n <= 3 {
			f.FTNum, f.FTOf = k, n
		}
		f.FTKind = FreeThrowKindNamed(lower)
	}
	return f
}

// tallyOK says whether a printed rebound count fits model.TextFacts.
func tallyOK(n int) bool { return n >= 0 && n < 1<<10 }

// ftKindWords are the words that name a kind of free throw, in order of
// precedence.
var ftKindWords = [...]struct {
	word string
	kind model.FreeThrowKind
}{{"technical", model.FTTechnical}, {"flagrant", model.FTFlagrant}, {"clear path", model.FTClearPath}}

// FreeThrowKindNamed returns the kind of free throw a lower-case text
// names: "technical", "flagrant" or "clear path", in that order of
// precedence; FTRegular when it names none.
func FreeThrowKindNamed(lower string) model.FreeThrowKind {
	for _, w := range ftKindWords {
		if strings.Contains(lower, w.word) {
			return w.kind
		}
	}
	return model.FTRegular
}
