-- Column documentation of the catalog tables of 0015 (docs/catalog.md),
-- for describe_table: column_docs in SQLite, COMMENT ON in PostgreSQL.

INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'key', 'lake key of the object the row was read from (nba_stats/{endpoint}/{season}/{item}.json)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'endpoint', 'catalog dataset, e.g. playerestimatedmetrics, boxscoreadvancedv3; docs/catalog.md');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'season', 'season segment of the key (2023-24), all for endpoints tied to no season');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'item', 'item of the key: the entity (game, team, player id, default) and _Name-Value parameters that differ from the defaults');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'result_set', 'result set name (PlayerStats), or the JSON path of a nested row set (boxScoreAdvanced.homeTeam.players)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'row_index', '0-based position of the row in its result set');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'game_id', 'the row''s GAME_ID or gameId, else the object''s game');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'player_id', 'the row''s PLAYER_ID or personId');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'team_id', 'the row''s TEAM_ID or teamId');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_rows', 'row_json', 'the row as a JSON object of its headers: json_extract(row_json, ''$.PTS'') in SQLite, row_json::jsonb ->> ''PTS'' in PostgreSQL');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_result_sets', 'endpoint', 'catalog dataset');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_result_sets', 'result_set', 'result set name or nested JSON path');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('stats_result_sets', 'headers', 'the result set''s headers as loaded, a JSON array: the keys of stats_rows.row_json');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'game_id', 'NBA game id');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'event_num', 'play-by-play event number (GAME_EVENT_ID): plays.event_num');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'period', 'period, 5 and up for overtimes');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'clock', 'tenths of a second remaining in the period');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'player_id', 'shooter (NBA person id)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'player_name', 'shooter''s name as the shot chart gives it');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'team_id', 'shooter''s team (NBA team id)');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'x', 'LOC_X: tenths of a foot across the court from the basket');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'y', 'LOC_Y: tenths of a foot from the basket toward half court');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'distance', 'SHOT_DISTANCE in feet');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'made', '1 made, 0 missed');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'shot_type', '2PT Field Goal or 3PT Field Goal');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'action_type', 'Jump Shot, Driving Layup Shot, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'zone', 'SHOT_ZONE_BASIC: Restricted Area, Mid-Range, Above the Break 3, ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'zone_area', 'SHOT_ZONE_AREA: Left Side(L), Center(C), ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'zone_range', 'SHOT_ZONE_RANGE: Less Than 8 ft., 8-16 ft., ...');
INSERT INTO column_docs (table_name, column_name, doc) VALUES ('shots', 'key', 'lake key of the shot chart it was read from');
-- nbasim:postgres
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT d.table_name, d.column_name, d.doc FROM column_docs d
        JOIN information_schema.columns c ON c.table_schema = current_schema()
            AND c.table_name = d.table_name AND c.column_name = d.column_name
        WHERE d.table_name IN ('stats_rows', 'stats_result_sets', 'shots')
    LOOP
        EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', r.table_name, r.column_name, r.doc);
    END LOOP;
END $$;
COMMENT ON TABLE stats_rows IS 'every row of every result set of the stats.nba.com catalog endpoints without a typed table, as JSON; docs/catalog.md';
COMMENT ON TABLE shots IS 'shots of shotchartdetail with their location; event_num joins plays; docs/catalog.md';
-- nbasim:end
