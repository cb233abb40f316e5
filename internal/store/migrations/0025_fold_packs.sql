-- 0025 fold_packs: a game compiled for folding, stored (pbp.FoldPackFormat;
-- docs/store.md "Fold packs"): what a process that keeps compiled games
-- (internal/gamecache.Source: the MCP box_score tool) would compile from
-- the game's stored plays, so that its cache miss is one primary-key read
-- and a flat decode instead of reading the plays and compiling them. A
-- pack is used only when its variant (overrides version, prepare, fold),
-- format and version (the games.updated_at it was built from) are what
-- the reader would compile now; the loader writes the packs of the games
-- it loads and of every game without a current one
-- (gamecache.WriteFoldPacks).
CREATE TABLE fold_packs (
    game_id  TEXT NOT NULL,
    provider TEXT NOT NULL,    -- the play-by-play provider compiled
    variant  TEXT NOT NULL,    -- gamecache.Source.Variant of the compile
    version  TEXT NOT NULL,    -- games.updated_at of the game when built
    format   INTEGER NOT NULL, -- pbp.FoldPackFormat of the encoding
    pack     {{blob}} NOT NULL,
    PRIMARY KEY (game_id, provider, variant)
);
-- nbasim:postgres
COMMENT ON TABLE fold_packs IS 'a game compiled for folding (pbp.FoldPackFormat), used when its variant, format and version (games.updated_at) are current; docs/store.md';
-- nbasim:end
