-- 0024 an index on games.updated_at, the games' versions. The processes
-- that keep compiled games (nbasim mcp, nbasim serve: internal/gamecache)
-- ask every second for the games stamped since their last pass
-- (Source.RevalidateRecent: updated_at > $1, and MAX(updated_at)): without
-- the index each pass read the whole games table (~25 ms of CPU a second
-- on the 14,061-game archive, a pause that the box_score calls of that
-- moment waited for); with it, a range read that finds nothing.
CREATE INDEX games_updated_at ON games (updated_at);
