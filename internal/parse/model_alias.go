package parse

import "github.com/nbasim/nbasim/internal/model"

// Temporary aliases while branches in flight move to internal/model;
// they go once main builds without them.

// GameRow is model.GameRow.
//
// Deprecated: use model.GameRow.
type GameRow = model.GameRow

// PlayerRow is model.PlayerRow.
//
// Deprecated: use model.PlayerRow.
type PlayerRow = model.PlayerRow

// TeamRow is model.TeamRow.
//
// Deprecated: use model.TeamRow.
type TeamRow = model.TeamRow
