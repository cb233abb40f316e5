-- 0020 typed tables of three catalog endpoints (docs/catalog.md, "Typed
-- tables"), filled by their parsers (parse/nbastats/typed.go); their rows
-- stay in stats_rows too. Every table has key, the lake key of the object
-- a row was read from: a reload of the object replaces its rows.
--   boxscoreadvancedv3 -> player_box_advanced, team_box_advanced
--   boxscoresummaryv2  -> game_summaries, game_team_summaries, line_scores,
--                         game_officials, game_inactive_players
--   commonplayerinfo   -> player_info, player_info_seasons
-- Percentages are fractions as stats.nba.com sends them (0.182 = 18.2%).

-- boxscoreadvancedv3: one row per player of a game
CREATE TABLE player_box_advanced (
    game_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    player_id TEXT NOT NULL,
    name TEXT,
    position TEXT,
    comment TEXT,
    seconds_played INTEGER,
    off_rating {{float}},
    est_off_rating {{float}},
    def_rating {{float}},
    est_def_rating {{float}},
    net_rating {{float}},
    est_net_rating {{float}},
    ast_pct {{float}},
    ast_to_tov {{float}},
    ast_ratio {{float}},
    oreb_pct {{float}},
    dreb_pct {{float}},
    reb_pct {{float}},
    tov_ratio {{float}},
    efg_pct {{float}},
    ts_pct {{float}},
    usg_pct {{float}},
    est_usg_pct {{float}},
    pace {{float}},
    est_pace {{float}},
    pace_per40 {{float}},
    possessions {{float}},
    pie {{float}},
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, player_id)
);

-- boxscoreadvancedv3: one row per team of a game
CREATE TABLE team_box_advanced (
    game_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    team_code TEXT,
    side TEXT,
    seconds_played INTEGER,
    off_rating {{float}},
    est_off_rating {{float}},
    def_rating {{float}},
    est_def_rating {{float}},
    net_rating {{float}},
    est_net_rating {{float}},
    ast_pct {{float}},
    ast_to_tov {{float}},
    ast_ratio {{float}},
    oreb_pct {{float}},
    dreb_pct {{float}},
    reb_pct {{float}},
    tov_ratio {{float}},
    efg_pct {{float}},
    ts_pct {{float}},
    usg_pct {{float}},
    est_usg_pct {{float}},
    pace {{float}},
    est_pace {{float}},
    pace_per40 {{float}},
    possessions {{float}},
    pie {{float}},
    est_tov_pct {{float}},
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, team_id)
);

-- boxscoresummaryv2: GameSummary, GameInfo, LastMeeting, SeasonSeries
CREATE TABLE game_summaries (
    game_id TEXT NOT NULL,
    game_date TEXT,
    season TEXT,
    sequence INTEGER,
    status_id INTEGER,
    status_text TEXT,
    gamecode TEXT,
    home_team_id TEXT,
    away_team_id TEXT,
    periods INTEGER,
    national_tv TEXT,
    attendance INTEGER,
    duration_seconds INTEGER,
    last_game_id TEXT,
    series_home_wins INTEGER,
    series_home_losses INTEGER,
    series_leader TEXT,
    key TEXT NOT NULL,
    PRIMARY KEY (game_id)
);

-- boxscoresummaryv2: LineScore (record, points) and OtherStats per team
CREATE TABLE game_team_summaries (
    game_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    team_code TEXT,
    side TEXT,
    wins INTEGER,
    losses INTEGER,
    pts INTEGER,
    pts_paint INTEGER,
    pts_second_chance INTEGER,
    pts_fast_break INTEGER,
    largest_lead INTEGER,
    lead_changes INTEGER,
    times_tied INTEGER,
    team_turnovers INTEGER,
    total_turnovers INTEGER,
    team_rebounds INTEGER,
    pts_off_turnovers INTEGER,
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, team_id)
);

-- boxscoresummaryv2: LineScore, points per period played
CREATE TABLE line_scores (
    game_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    period INTEGER NOT NULL,
    pts INTEGER,
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, team_id, period)
);

-- boxscoresummaryv2: Officials
CREATE TABLE game_officials (
    game_id TEXT NOT NULL,
    official_id TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    jersey_num TEXT,
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, official_id)
);

-- boxscoresummaryv2: InactivePlayers
CREATE TABLE game_inactive_players (
    game_id TEXT NOT NULL,
    player_id TEXT NOT NULL,
    team_id TEXT,
    team_code TEXT,
    first_name TEXT,
    last_name TEXT,
    jersey_num TEXT,
    key TEXT NOT NULL,
    PRIMARY KEY (game_id, player_id)
);

-- commonplayerinfo: CommonPlayerInfo, a player's biography
CREATE TABLE player_info (
    player_id TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    name TEXT,
    slug TEXT,
    birth_date TEXT,
    school TEXT,
    country TEXT,
    last_affiliation TEXT,
    height_inches INTEGER,
    weight_pounds INTEGER,
    season_exp INTEGER,
    jersey TEXT,
    position TEXT,
    roster_status TEXT,
    team_id TEXT,
    team_code TEXT,
    from_year INTEGER,
    to_year INTEGER,
    draft_year INTEGER,
    draft_round INTEGER,
    draft_number INTEGER,
    nba_flag INTEGER,
    dleague_flag INTEGER,
    greatest_75 INTEGER,
    key TEXT NOT NULL,
    PRIMARY KEY (player_id)
);

-- commonplayerinfo: AvailableSeasons
CREATE TABLE player_info_seasons (
    player_id TEXT NOT NULL,
    season TEXT NOT NULL,
    season_type TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (player_id, season, season_type)
);

CREATE INDEX player_box_advanced_player ON player_box_advanced (player_id);
CREATE INDEX game_inactive_players_player ON game_inactive_players (player_id);

INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'team_id', 'NBA team id (1610612739); teams.team_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'player_id', 'NBA person id; players.player_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'name', 'player''s name (first and family name)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'position', 'F, C, G when a starter, else empty');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'comment', 'DNP - Coach''s Decision, DNP - Injury/Illness, ... (null when the player played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'seconds_played', 'seconds played (null when the player did not play)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'off_rating', 'offensive rating: points scored per 100 possessions with the player on the court (the team''s, for a team)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'est_off_rating', 'estimated offensive rating (stats.nba.com''s estimate from box totals)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'def_rating', 'defensive rating: points allowed per 100 possessions');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'est_def_rating', 'estimated defensive rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'net_rating', 'net rating: off_rating - def_rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'est_net_rating', 'estimated net rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'ast_pct', 'assist percentage, a fraction (0.182 = 18.2%): teammates'' field goals assisted while on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'ast_to_tov', 'assists per turnover');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'ast_ratio', 'assist ratio: assists per 100 possessions used');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'oreb_pct', 'offensive rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'dreb_pct', 'defensive rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'reb_pct', 'rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'tov_ratio', 'turnover ratio: turnovers per 100 possessions used');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'efg_pct', 'effective field goal percentage, a fraction: (FGM + 0.5 FG3M) / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'ts_pct', 'true shooting percentage, a fraction: PTS / (2 (FGA + 0.44 FTA))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'usg_pct', 'usage percentage, a fraction of the team''s possessions used while on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'est_usg_pct', 'estimated usage percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'pace', 'possessions per 48 minutes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'est_pace', 'estimated pace');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'pace_per40', 'possessions per 40 minutes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'possessions', 'possessions played');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'pie', 'player impact estimate (PIE), a fraction of the game''s events');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_box_advanced', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'team_id', 'NBA team id (1610612739); teams.team_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'team_code', 'team code (CLE)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'side', 'home or away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'seconds_played', 'seconds played by the team''s players together (5 x the game''s length)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'off_rating', 'offensive rating: points scored per 100 possessions with the player on the court (the team''s, for a team)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_off_rating', 'estimated offensive rating (stats.nba.com''s estimate from box totals)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'def_rating', 'defensive rating: points allowed per 100 possessions');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_def_rating', 'estimated defensive rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'net_rating', 'net rating: off_rating - def_rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_net_rating', 'estimated net rating');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'ast_pct', 'assist percentage, a fraction (0.182 = 18.2%): teammates'' field goals assisted while on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'ast_to_tov', 'assists per turnover');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'ast_ratio', 'assist ratio: assists per 100 possessions used');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'oreb_pct', 'offensive rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'dreb_pct', 'defensive rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'reb_pct', 'rebound percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'tov_ratio', 'turnover ratio: turnovers per 100 possessions used');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'efg_pct', 'effective field goal percentage, a fraction: (FGM + 0.5 FG3M) / FGA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'ts_pct', 'true shooting percentage, a fraction: PTS / (2 (FGA + 0.44 FTA))');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'usg_pct', 'usage percentage, a fraction of the team''s possessions used while on the court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_usg_pct', 'estimated usage percentage, a fraction');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'pace', 'possessions per 48 minutes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_pace', 'estimated pace');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'pace_per40', 'possessions per 40 minutes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'possessions', 'possessions played');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'pie', 'player impact estimate (PIE), a fraction of the game''s events');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'est_tov_pct', 'estimated team turnover percentage: turnovers per 100 possessions');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('team_box_advanced', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'game_date', 'game date YYYY-MM-DD (GAME_DATE_EST, US Eastern)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'season', 'season, e.g. 2022-23');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'sequence', 'the game''s order among the day''s games');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'status_id', '1 scheduled, 2 in progress, 3 final');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'status_text', 'Final, Final/OT, 7:30 pm ET, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'gamecode', 'YYYYMMDD/AWAYHOME (20230102/CHICLE)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'home_team_id', 'home NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'away_team_id', 'visiting NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'periods', 'periods played (LIVE_PERIOD): 4, 5 and up with overtimes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'national_tv', 'national TV broadcaster (TNT, ESPN), null when none');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'attendance', 'attendance');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'duration_seconds', 'length of the game in wall-clock seconds (GAME_TIME 2:51 = 10260)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'last_game_id', 'the teams'' previous meeting (LastMeeting)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'series_home_wins', 'season series: the home team''s wins so far, this game included (SeasonSeries)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'series_home_losses', 'season series: the home team''s losses');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'series_leader', 'season series leader (a city), or tied');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_summaries', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'team_id', 'NBA team id (1610612739); teams.team_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'team_code', 'team code (CLE)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'side', 'home or away');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'wins', 'the team''s wins after this game (TEAM_WINS_LOSSES)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'losses', 'the team''s losses after this game');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'pts', 'points (LineScore PTS)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'pts_paint', 'points in the paint');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'pts_second_chance', 'second-chance points');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'pts_fast_break', 'fast-break points');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'largest_lead', 'largest lead');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'lead_changes', 'lead changes (the game''s, on both rows)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'times_tied', 'times tied (the game''s, on both rows)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'team_turnovers', 'team turnovers (not charged to a player)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'total_turnovers', 'turnovers, team turnovers included');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'team_rebounds', 'team rebounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'pts_off_turnovers', 'points off the opponent''s turnovers');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_team_summaries', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('line_scores', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('line_scores', 'team_id', 'NBA team id (1610612739); teams.team_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('line_scores', 'period', 'period, 5 and up for overtimes (only the periods played)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('line_scores', 'pts', 'points in the period');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('line_scores', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'official_id', 'NBA official id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'first_name', 'official''s first name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'last_name', 'official''s last name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'jersey_num', 'official''s jersey number');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_officials', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'game_id', 'NBA game id, 10 digits (0022200552); games.game_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'player_id', 'NBA person id; players.player_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'team_id', 'the player''s NBA team id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'team_code', 'team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'first_name', 'first name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'last_name', 'last name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'jersey_num', 'jersey number');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('game_inactive_players', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'player_id', 'NBA person id; players.player_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'first_name', 'first name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'last_name', 'last name');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'name', 'display name (Donovan Mitchell)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'slug', 'nba.com slug (donovan-mitchell)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'birth_date', 'birth date YYYY-MM-DD');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'school', 'school or club before the NBA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'country', 'country');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'last_affiliation', 'last affiliation before the NBA (Louisville/USA)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'height_inches', 'height in inches (6-2 = 74)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'weight_pounds', 'weight in pounds');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'season_exp', 'seasons of NBA experience');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'jersey', 'jersey number');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'position', 'Guard, Forward, Center, Guard-Forward, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'roster_status', 'Active or Inactive');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'team_id', 'current NBA team id (0: none)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'team_code', 'current team code');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'from_year', 'first season (start year)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'to_year', 'last season (start year)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'draft_year', 'draft year (null: undrafted)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'draft_round', 'draft round (null: undrafted)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'draft_number', 'overall pick (null: undrafted)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'nba_flag', '1 played in the NBA');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'dleague_flag', '1 played in the G League');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'greatest_75', '1 on the NBA 75th anniversary team');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info', 'key', 'lake key of the object the row was read from');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info_seasons', 'player_id', 'NBA person id; players.player_id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info_seasons', 'season', 'season, e.g. 2017-18');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info_seasons', 'season_type', 'preseason, regular, allstar, playoffs, play_in or cup_final (SEASON_ID 22017 = regular 2017-18)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('player_info_seasons', 'key', 'lake key of the object the row was read from');
-- nbasim:postgres
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT d.table_name, d.column_name, d.doc FROM column_docs d
        JOIN information_schema.columns c ON c.table_schema = current_schema()
            AND c.table_name = d.table_name AND c.column_name = d.column_name
        WHERE d.table_name IN ('player_box_advanced', 'team_box_advanced', 'game_summaries', 'game_team_summaries', 'line_scores', 'game_officials', 'game_inactive_players', 'player_info', 'player_info_seasons')
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.table_name, r.column_name, r.doc);
    END LOOP;
END $$;
COMMENT ON TABLE player_box_advanced IS 'boxscoreadvancedv3: one row per player of a game; docs/catalog.md';
COMMENT ON TABLE team_box_advanced IS 'boxscoreadvancedv3: one row per team of a game; docs/catalog.md';
COMMENT ON TABLE game_summaries IS 'boxscoresummaryv2: GameSummary, GameInfo, LastMeeting, SeasonSeries; docs/catalog.md';
COMMENT ON TABLE game_team_summaries IS 'boxscoresummaryv2: LineScore (record, points) and OtherStats per team; docs/catalog.md';
COMMENT ON TABLE line_scores IS 'boxscoresummaryv2: LineScore, points per period played; docs/catalog.md';
COMMENT ON TABLE game_officials IS 'boxscoresummaryv2: Officials; docs/catalog.md';
COMMENT ON TABLE game_inactive_players IS 'boxscoresummaryv2: InactivePlayers; docs/catalog.md';
COMMENT ON TABLE player_info IS 'commonplayerinfo: CommonPlayerInfo, a player''s biography; docs/catalog.md';
COMMENT ON TABLE player_info_seasons IS 'commonplayerinfo: AvailableSeasons; docs/catalog.md';
-- nbasim:end
