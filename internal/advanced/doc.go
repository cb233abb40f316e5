// Package advanced computes lineup and on/off numbers from play-by-play
// stints; its tests check the canonical views player_games and team_games
// (migration 0012: one row per player-game and team-game, advanced stats)
// against basketball-reference (docs/advanced.md).
package advanced
