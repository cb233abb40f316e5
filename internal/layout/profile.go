package layout

import (
	"fmt"
	"sort"
	"strings"
)

// A Profile says how the keys of a bucket are laid out. It maps every key to
// the nbasim key of the same object (source, dataset, season, item), or says
// why it cannot: a *NotDataError for objects that are not data (scripts,
// query results, model artefacts), a *ParseError for keys it does not know.
//
// Two profiles exist: NBASim, nbasim's own layout (the identity), and
// NBASimulator, the layout of the Python system's bucket that nbasim
// replaces (docs/legacy.md). `lake.layout: auto` picks one from a sample of
// keys (Detect).
type Profile struct {
	name string
	m    func(key string) (Key, Dataset, error)
}

// Profile names, as lake.layout takes them.
const (
	LayoutNBASim       = "nbasim"
	LayoutNBASimulator = "nba_simulator"
	LayoutAuto         = "auto"
)

// NBASim is nbasim's own layout: {source}/{dataset}/{season}/{item}.{ext}.
var NBASim = &Profile{name: LayoutNBASim, m: Parse}

// NBASimulator is the nba_simulator bucket's layout (every prefix of
// ../shared/reference/legacy-bucket-layout.md, the older ESPN names
// included).
var NBASimulator = &Profile{name: LayoutNBASimulator, m: mapLegacy}

// Name returns the profile's name (lake.layout).
func (p *Profile) Name() string { return p.name }

// Map maps a storage key to its nbasim key. The error is a *NotDataError or
// a *ParseError.
func (p *Profile) Map(key string) (Key, Dataset, error) { return p.m(key) }

// Native reports whether storage keys are nbasim keys (no translation).
func (p *Profile) Native() bool { return p == NBASim }

// ProfileNamed returns the profile called name ("nbasim" or
// "nba_simulator"; "" is nbasim). "auto" is not a profile: use Detect.
func ProfileNamed(name string) (*Profile, error) {
	switch name {
	case "", LayoutNBASim:
		return NBASim, nil
	case LayoutNBASimulator:
		return NBASimulator, nil
	}
	return nil, fmt.Errorf("layout: unknown layout %q (want %s, %s or %s)", name, LayoutNBASim, LayoutNBASimulator, LayoutAuto)
}

// NotDataError is a key that is not data: scripts, query results, model
// artefacts, experiments. Reconciliation counts such keys by prefix, apart
// from unknown keys; import leaves them where they are.
type NotDataError struct {
	Key    string
	Prefix string // the top-level prefix, "scripts/"
	Reason string
}

func (e *NotDataError) Error() string {
	return fmt.Sprintf("layout: key %q is not data: %s", e.Key, e.Reason)
}

// Detection is what Detect chose and why.
type Detection struct {
	Profile *Profile
	Sampled int
	// Matched counts the sampled keys each profile maps to data or
	// not-data (keys it knows).
	Matched map[string]int
	Reason  string
}

// Detect chooses the profile that knows more of the sampled keys (data or
// not data); on a tie (an empty bucket) nbasim's own layout.
func Detect(keys []string) Detection {
	d := Detection{Profile: NBASim, Sampled: len(keys), Matched: map[string]int{}}
	for _, p := range []*Profile{NBASim, NBASimulator} {
		for _, k := range keys {
			if _, _, err := p.Map(k); err == nil || isNotData(err) {
				d.Matched[p.name]++
			}
		}
	}
	if d.Matched[LayoutNBASimulator] > d.Matched[LayoutNBASim] {
		d.Profile = NBASimulator
	}
	d.Reason = fmt.Sprintf("layout auto: chose %s (%d of %d sampled keys follow nba_simulator's layout, %d nbasim's)",
		d.Profile.name, d.Matched[LayoutNBASimulator], len(keys), d.Matched[LayoutNBASim])
	return d
}

func isNotData(err error) bool {
	_, ok := err.(*NotDataError)
	return ok
}

// notDataPrefixes are the nba_simulator prefixes that hold no provider
// data, with the reason. Prefixes matching "ml-*" are model artefacts.
var notDataPrefixes = map[string]string{
	"scripts":             "scripts (code, not data)",
	"athena-results":      "Athena query results",
	"mlflow":              "model artefacts (MLflow)",
	"backups":             "database backups",
	"inventory-reports":   "S3 Inventory reports (a listing of the bucket, not data)",
	"nba_api_reverse":     "experiment (reverse-engineered stats.nba.com calls), not responses nbasim keeps",
	"sportsdataverse":     "experiment (sportsdataverse, deprecated and redundant with hoopR)",
	"box_score_snapshots": "experiment output (box scores derived by the old pipeline), not provider data",
}

// NotDataPrefix returns the reason a top-level nba_simulator prefix (no
// slash) holds no data, or "".
func NotDataPrefix(top string) string {
	if r, ok := notDataPrefixes[top]; ok {
		return r
	}
	if strings.HasPrefix(top, "ml-") {
		return "model artefacts and features (" + top + "/)"
	}
	return ""
}

// LegacyPrefixes returns the top-level prefixes the nba_simulator profile
// maps to data, sorted.
func LegacyPrefixes() []string {
	out := make([]string, 0, len(legacyHandlers()))
	for p := range legacyHandlers() {
		out = append(out, p+"/")
	}
	sort.Strings(out)
	return out
}

// LegacyRank orders the names of the same data in an nba_simulator bucket:
// 0 for the current names (espn_*, and every non-ESPN prefix), 1 for the
// older names (pbp/, box_scores/, team_stats/, schedule/), 2 for the
// earliest (nba_pbp/, nba_box_score/, nba_team_stats/, nba_schedule_json/).
func LegacyRank(key string) int {
	top, _, _ := strings.Cut(key, "/")
	switch top {
	case "pbp", "box_scores", "team_stats", "schedule":
		return 1
	case "nba_pbp", "nba_box_score", "nba_team_stats", "nba_schedule_json":
		return 2
	}
	return 0
}
