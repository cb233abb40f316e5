-- 0017 indexes for a database of many seasons (the 14,061 games of the bulk
-- archive, docs/archive.md):
-- * a player's game log reads his box lines across games (player_box is keyed
--   by game first);
-- * a team's game list reads games by either team, in date order;
-- * the export fingerprint and `load --season` read raw_objects by season.
-- The box of one game stays one range scan of the plays primary key
-- (game_id, provider, ord); the season game list uses games_season.
CREATE INDEX player_box_player ON player_box (player_id, game_id);
CREATE INDEX games_home_team ON games (home_team_id, game_date);
CREATE INDEX games_away_team ON games (away_team_id, game_date);
CREATE INDEX raw_objects_season ON raw_objects (season, key);
