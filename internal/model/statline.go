package model

// StatLine is the JSON shape of a box line's counting stats, shared by the
// CLI (`--json`), the HTTP API and MCP: snake_case keys, time in decimal
// seconds with the unit in the name.
type StatLine struct {
	SecondsPlayed float64 `json:"seconds_played"`
	PTS           int     `json:"pts"`
	FGM           int     `json:"fgm"`
	FGA           int     `json:"fga"`
	FG3M          int     `json:"fg3m"`
	FG3A          int     `json:"fg3a"`
	FTM           int     `json:"ftm"`
	FTA           int     `json:"fta"`
	OREB          int     `json:"oreb"`
	DREB          int     `json:"dreb"`
	REB           int     `json:"reb"`
	AST           int     `json:"ast"`
	STL           int     `json:"stl"`
	BLK           int     `json:"blk"`
	TOV           int     `json:"tov"`
	PF            int     `json:"pf"`
	PlusMinus     int     `json:"plus_minus"`
}

// StatLineOf is s in its JSON shape.
func StatLineOf(s Stats) StatLine {
	return StatLine{SecondsPlayed: s.Seconds.Seconds(), PTS: s.PTS, FGM: s.FGM, FGA: s.FGA, FG3M: s.FG3M, FG3A: s.FG3A,
		FTM: s.FTM, FTA: s.FTA, OREB: s.OREB, DREB: s.DREB, REB: s.REB, AST: s.AST, STL: s.STL, BLK: s.BLK, TOV: s.TOV,
		PF: s.PF, PlusMinus: s.PlusMinus}
}
