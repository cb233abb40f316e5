-- 0022 play_packs: the plays of one (game, provider) in one value, what
-- store.LoadPlays returns, encoded (store.PlayPackFormat, s2-compressed;
-- docs/store.md "Play packs"), so that reading a game for the engine is one
-- primary-key read and a decode instead of ~460 rows of 30 columns (the
-- MCP box_score tool on a cache miss, nbasim box, verify). The plays rows
-- stay the data: store.ReplacePlaysBatch writes a game's pack in the same
-- transaction as its rows, and the loader packs the games loaded before
-- this table (store.BackfillPlayPacks).
CREATE TABLE play_packs (
    game_id  TEXT NOT NULL,
    provider TEXT NOT NULL,
    format   INTEGER NOT NULL, -- store.PlayPackFormat of the encoding
    events   INTEGER NOT NULL, -- plays rows packed
    pack     {{blob}} NOT NULL,
    PRIMARY KEY (game_id, provider)
);
-- nbasim:postgres
COMMENT ON TABLE play_packs IS 'the plays of one game and provider in one encoded value, written with the plays rows (store.PlayPackFormat); docs/store.md';
-- nbasim:end
