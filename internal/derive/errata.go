package derive

import (
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Erratum is a final score of a reference (the game_info files) that the
// play-by-play contradicts, with the evidence (gameinfo_errata.yaml).
type Erratum struct {
	GameID       string    `yaml:"game_id" json:"game_id"`
	Reference    scorePair `yaml:"reference" json:"reference"`
	Correct      scorePair `yaml:"correct" json:"correct"`
	SecondSource string    `yaml:"second_source,omitempty" json:"second_source,omitempty"` // a file of ../shared/data
	BBRefID      string    `yaml:"bbref_id,omitempty" json:"bbref_id,omitempty"`
	Evidence     string    `yaml:"evidence" json:"evidence"`
}

type scorePair struct {
	Home int `yaml:"home" json:"home_pts"`
	Away int `yaml:"away" json:"away_pts"`
}

//go:embed gameinfo_errata.yaml
var gameInfoErrata []byte

// GameInfoErrata returns the known errors of the game_info final scores,
// by game id.
func GameInfoErrata() (map[string]Erratum, error) {
	var list []Erratum
	if err := yaml.Unmarshal(gameInfoErrata, &list); err != nil {
		return nil, fmt.Errorf("gameinfo_errata.yaml: %w", err)
	}
	out := make(map[string]Erratum, len(list))
	for i, e := range list {
		if e.GameID == "" || e.Evidence == "" {
			return nil, fmt.Errorf("gameinfo_errata.yaml entry %d: game_id and evidence are required", i)
		}
		if _, dup := out[e.GameID]; dup {
			return nil, fmt.Errorf("gameinfo_errata.yaml: game %s listed twice", e.GameID)
		}
		out[e.GameID] = e
	}
	return out, nil
}

// explain sets r's explanation when r is a miss that an erratum describes
// (the same reference and derived scores); it returns whether a second
// source confirms the derived score.
func explain(r *ScoreResult, errata map[string]Erratum) (explained, confirmed bool) {
	e, ok := errata[r.GameID]
	if !ok || r.Exact || !r.HasRef || r.Error != "" ||
		e.Reference != (scorePair{r.RefHome, r.RefAway}) || e.Correct != (scorePair{r.DerivedHome, r.DerivedAway}) {
		return false, false
	}
	if e.SecondSource != "" {
		r.Explanation = "reference wrong (" + e.SecondSource + " " + e.BBRefID + "): " + e.Evidence
		return true, true
	}
	r.Explanation = "reference likely wrong, no second source: " + e.Evidence
	return true, false
}
