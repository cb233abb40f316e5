package model

// GameRow is one game as a schedule, a game log or a box score describes it.
// Empty fields are unknown; loaders merge rows from several providers.
type GameRow struct {
	GameID     string // NBA GAME_ID
	ESPNID     string
	BBRefID    string
	Season     string
	SeasonType string // regular, playoffs, play_in, preseason, cup_final, allstar
	Date       string // YYYY-MM-DD, US local date
	HomeCode   string // NBA team code (BKN, CHA, PHX, ...)
	AwayCode   string
	HomeTeamID string // NBA team id when known
	AwayTeamID string
	HomePts    int // -1 or 0 with Final=false when not played
	AwayPts    int
	Final      bool
	Periods    int // periods played (4 + overtimes) when the provider says; 0 unknown
}

// TeamRow is a team as a provider describes it.
type TeamRow struct {
	TeamID    string // NBA team id
	Code      string // NBA code
	City      string
	Name      string
	ESPNID    string
	ESPNCode  string
	BBRefCode string
}

// PlayerRow is a player as a provider describes it.
type PlayerRow struct {
	PlayerID string // NBA person id when the provider is NBA; else empty
	Name     string
	ESPNID   string
	BBRefID  string
}

// Shot is one shot with its location, as stats.nba.com's shot chart
// (shotchartdetail) gives it. Coordinates are tenths of a foot from the
// basket (x across the court, y toward half court).
type Shot struct {
	GameID     string
	EventNum   int // GAME_EVENT_ID: the play-by-play EVENTNUM
	Period     int
	Clock      int // tenths of a second remaining in the period
	PlayerID   string
	PlayerName string
	TeamID     string
	X, Y       int
	Distance   int // feet
	Made       bool
	ShotType   string // 2PT Field Goal, 3PT Field Goal
	ActionType string // Jump Shot, Driving Layup Shot, ...
	Zone       string // SHOT_ZONE_BASIC
	ZoneArea   string // SHOT_ZONE_AREA
	ZoneRange  string // SHOT_ZONE_RANGE
}

// TableRows are rows of one typed table of the store that a parser fills
// straight from a response (advanced boxes, game summaries, player
// biographies). A migration creates the table with Columns and a key
// column, the lake key of the object each row was read from, which the
// loader adds. A parser names every table it fills even when the response
// holds no row for it: the loader replaces the rows the object wrote
// before with what it holds now.
type TableRows struct {
	Table   string
	Key     []string // the table's primary key columns
	Columns []string
	Rows    [][]any // one value per column: nil, int64, float64 or string
}
