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
	// SeasonTotals is set when the second source is a table of players'
	// season totals (basketball-reference's player_season_totals_YYYY.csv)
	// rather than a page with the game's score: the players who scored
	// the points the reference lacks, each with his points in this game
	// after the reference's score and his season total, which the second
	// source gives and which the derived boxes of the season's games sum
	// to (with the reference's score he would be short by those points).
	SeasonTotals []PlayerSeasonTotal `yaml:"season_totals,omitempty" json:"season_totals,omitempty"`
	Evidence     string              `yaml:"evidence" json:"evidence"`
}

// PlayerSeasonTotal is one player of an Erratum's SeasonTotals.
type PlayerSeasonTotal struct {
	PlayerID  string `yaml:"player_id" json:"player_id"`
	BBRefSlug string `yaml:"bbref_slug" json:"bbref_slug"`
	// PointsAfter are the player's points in the game after the last
	// moment the running score equals the reference's.
	PointsAfter int `yaml:"points_after_reference" json:"points_after_reference"`
	// SeasonPoints is his regular-season total in the second source.
	SeasonPoints int `yaml:"season_points" json:"season_points"`
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
		if len(e.SeasonTotals) > 0 && e.SecondSource == "" {
			return nil, fmt.Errorf("gameinfo_errata.yaml: game %s has season_totals without their second_source", e.GameID)
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
		src := e.SecondSource
		if e.BBRefID != "" {
			src += " " + e.BBRefID
		}
		r.Explanation = "reference wrong (" + src + "): " + e.Evidence
		return true, true
	}
	r.Explanation = "reference likely wrong, no second source: " + e.Evidence
	return true, false
}
