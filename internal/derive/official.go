package derive

import (
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/nbastats"
)

// ExtraOfficial are the NBA official box parsers preferred over
// basketball-reference, keyed by the data folder prefix of their files.
var ExtraOfficial = map[string]parse.Func{
	"nba_stats/boxscoretraditionalv2/": nbastats.ParseBoxScoreTraditionalV2,
}
