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
