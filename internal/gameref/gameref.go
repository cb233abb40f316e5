// Package gameref resolves the game ids users type into the game the store
// knows: an NBA id (0021800001), its short form without the leading zeros
// (21800001), an ESPN id (401585607) or a basketball-reference id
// (201810160BOS). Every command and tool that takes a game uses it, and says
// which game it resolved to (Resolved.Describe).
package gameref

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/store"
)

// Kind is the kind of id a user typed.
type Kind = layout.GameIDKind

// The kinds of game ids (the grammar is layout's, the one for every
// package).
const (
	NBA   = layout.NBAGame      // 10 digits, 0021800001
	Short = layout.ShortNBAGame // the NBA id without its two leading zeros, 21800001
	ESPN  = layout.ESPNGame     // 9 digits, 401585607
	BBRef = layout.BBRefGame    // date, 0, home team code: 201810160BOS
)

// ErrNotFound is wrapped by Resolve when no stored game has the id.
var ErrNotFound = errors.New("game not found")

// Syntax lists the accepted forms, for help texts and errors.
const Syntax = layout.GameIDSyntax

// Ref is a game id as typed, classified.
type Ref struct {
	Input string `json:"input"`
	Kind  Kind   `json:"kind"`
	// ID is the id in its canonical form: the 10-digit NBA id for NBA and
	// short ids, the ESPN id, or the upper-case bbref id.
	ID string `json:"id"`
}

// Parse classifies a typed game id by its shape (layout.ParseGameID).
func Parse(s string) (Ref, error) {
	kind, id, err := layout.ParseGameID(s)
	return Ref{Input: s, Kind: kind, ID: id}, err
}

// Resolved is a typed id and the stored game it names.
type Resolved struct {
	Ref
	GameID string     `json:"game_id"` // the NBA game id
	Game   store.Game `json:"-"`
}

// Resolve finds the stored game (the games table) that s names. An id of
// the right shape that no game has is an error wrapping ErrNotFound that
// says which column was searched.
func Resolve(ctx context.Context, q store.Querier, s string) (Resolved, error) {
	ref, err := Parse(s)
	if err != nil {
		return Resolved{Ref: ref}, err
	}
	col := map[Kind]string{NBA: "game_id", Short: "game_id", ESPN: "espn_id", BBRef: "bbref_id"}[ref.Kind]
	fail := func(err error) (Resolved, error) {
		if errors.Is(err, store.ErrNoRows) {
			return Resolved{Ref: ref}, fmt.Errorf("game %q (%s): %w in the database (no games.%s = %s; load the game first: nbasim load)",
				s, kindName(ref.Kind), ErrNotFound, col, ref.ID)
		}
		return Resolved{Ref: ref}, fmt.Errorf("game %q: %w", s, err)
	}
	id := ref.ID
	if col != "game_id" { // an NBA id is the key itself: one read of the row
		if err := q.QueryRow(ctx, `SELECT game_id FROM games WHERE `+col+` = $1 ORDER BY game_id LIMIT 1`, ref.ID).Scan(&id); err != nil {
			return fail(err)
		}
	}
	g, err := store.GetGame(ctx, q, id)
	if err != nil {
		return fail(err)
	}
	return Resolved{Ref: ref, GameID: id, Game: g}, nil
}

// Describe says which game the id resolved to, in one line:
// "0021800001 2018-10-16 PHI 87 at BOS 105 (from ESPN id 401070213)".
func (r Resolved) Describe() string {
	g := r.Game
	var b strings.Builder
	b.WriteString(r.GameID)
	if g.Date != "" {
		b.WriteString(" " + g.Date)
	}
	if g.AwayCode != "" || g.HomeCode != "" {
		if g.HasScore {
			fmt.Fprintf(&b, " %s %d at %s %d", g.AwayCode, g.AwayPts, g.HomeCode, g.HomePts)
		} else {
			fmt.Fprintf(&b, " %s at %s", g.AwayCode, g.HomeCode)
		}
	}
	if r.Kind != NBA {
		fmt.Fprintf(&b, " (from %s %s)", kindName(r.Kind), strings.TrimSpace(r.Input))
	}
	return b.String()
}

func kindName(k Kind) string {
	switch k {
	case Short:
		return "short id"
	case ESPN:
		return "ESPN id"
	case BBRef:
		return "basketball-reference id"
	}
	return "NBA id"
}
