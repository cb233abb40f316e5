package export

// The row types are the exported schemas (docs/export.md). The season is
// not a column: it is the Hive partition of each file's path
// (season=2018-19), which every reader adds as a column.

// GameRow is one game (table games).
type GameRow struct {
	GameID      string `parquet:"game_id"`
	SeasonType  string `parquet:"season_type"` // regular, playoffs, ...
	GameDate    string `parquet:"game_date"`   // YYYY-MM-DD, US date
	HomeTeamID  string `parquet:"home_team_id"`
	AwayTeamID  string `parquet:"away_team_id"`
	HomeCode    string `parquet:"home_code"`
	AwayCode    string `parquet:"away_code"`
	HomePts     *int32 `parquet:"home_pts,optional"`
	AwayPts     *int32 `parquet:"away_pts,optional"`
	Status      string `parquet:"status"`
	PlaysSource string `parquet:"plays_source"` // provider of the exported plays and of the derived boxes
}

// PlayRow is one play-by-play event (table plays), from the stream the
// engine derives from (the game's plays_source).
type PlayRow struct {
	GameID         string  `parquet:"game_id"`
	Provider       string  `parquet:"provider"`
	Ord            int32   `parquet:"ord"`
	EventNum       int32   `parquet:"event_num"`
	Period         int32   `parquet:"period"`
	ClockSeconds   float64 `parquet:"clock_seconds"`   // remaining in the period
	ElapsedSeconds float64 `parquet:"elapsed_seconds"` // since the opening tip
	Type           string  `parquet:"type"`
	Subtype        string  `parquet:"subtype"`
	Side           string  `parquet:"side"` // home, away or ""
	TeamEvent      bool    `parquet:"team_event"`
	Made           bool    `parquet:"made"`
	Points         int32   `parquet:"points"`
	Three          bool    `parquet:"three"`
	PlayerID       string  `parquet:"player_id"`
	AssistID       string  `parquet:"assist_id"`
	BlockID        string  `parquet:"block_id"`
	StealID        string  `parquet:"steal_id"`
	FouledID       string  `parquet:"fouled_id"`
	SubInID        string  `parquet:"sub_in_id"`
	SubOutID       string  `parquet:"sub_out_id"`
	ScoreHome      int32   `parquet:"score_home"`
	ScoreAway      int32   `parquet:"score_away"`
	Description    string  `parquet:"description"`
}

// statCols are the counting stats of a box line.
type statCols struct {
	SecondsPlayed float64 `parquet:"seconds_played"`
	PTS           int32   `parquet:"pts"`
	FGM           int32   `parquet:"fgm"`
	FGA           int32   `parquet:"fga"`
	FG3M          int32   `parquet:"fg3m"`
	FG3A          int32   `parquet:"fg3a"`
	FTM           int32   `parquet:"ftm"`
	FTA           int32   `parquet:"fta"`
	OREB          int32   `parquet:"oreb"`
	DREB          int32   `parquet:"dreb"`
	REB           int32   `parquet:"reb"`
	AST           int32   `parquet:"ast"`
	STL           int32   `parquet:"stl"`
	BLK           int32   `parquet:"blk"`
	TOV           int32   `parquet:"tov"`
	PF            int32   `parquet:"pf"`
	PlusMinus     int32   `parquet:"plus_minus"`
}

// PlayerBoxRow is one player's line of one box (table player_box); source
// is "derived" (the engine, from plays_source) or the official box's
// provider/endpoint.
type PlayerBoxRow struct {
	GameID   string `parquet:"game_id"`
	Source   string `parquet:"source"`
	PlayerID string `parquet:"player_id"`
	Name     string `parquet:"name"`
	TeamID   string `parquet:"team_id"`
	Side     string `parquet:"side"`
	Starter  bool   `parquet:"starter"`
	DNP      bool   `parquet:"dnp"`
	statCols
}

// TeamBoxRow is one team's line of one box (table team_box).
type TeamBoxRow struct {
	GameID string `parquet:"game_id"`
	Source string `parquet:"source"`
	TeamID string `parquet:"team_id"`
	Code   string `parquet:"code"`
	Side   string `parquet:"side"`
	statCols
	TeamOREB    int32 `parquet:"team_oreb"`
	TeamDREB    int32 `parquet:"team_dreb"`
	TeamTOV     int32 `parquet:"team_tov"`
	Possessions int32 `parquet:"possessions"` // derived boxes only
}

// StintRow is one stint of five players of one team (table stints).
type StintRow struct {
	GameID             string  `parquet:"game_id"`
	Side               string  `parquet:"side"`
	TeamID             string  `parquet:"team_id"`
	Period             int32   `parquet:"period"`
	FromElapsedSeconds float64 `parquet:"from_elapsed_seconds"`
	ToElapsedSeconds   float64 `parquet:"to_elapsed_seconds"`
	Player1            string  `parquet:"player1_id"`
	Player2            string  `parquet:"player2_id"`
	Player3            string  `parquet:"player3_id"`
	Player4            string  `parquet:"player4_id"`
	Player5            string  `parquet:"player5_id"`
	PtsFor             int32   `parquet:"pts_for"`
	PtsAgainst         int32   `parquet:"pts_against"`
}

// PossessionRow is one possession (table possessions).
type PossessionRow struct {
	GameID             string  `parquet:"game_id"`
	Number             int32   `parquet:"number"`
	Offense            string  `parquet:"offense_side"`
	TeamID             string  `parquet:"offense_team_id"`
	Period             int32   `parquet:"period"`
	FromElapsedSeconds float64 `parquet:"from_elapsed_seconds"`
	ToElapsedSeconds   float64 `parquet:"to_elapsed_seconds"`
	Points             int32   `parquet:"points"`
	EndEventNum        int32   `parquet:"end_event_num"`
}
