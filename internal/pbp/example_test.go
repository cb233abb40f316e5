package pbp_test

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/pbp"
)

// Compile a game once, then ask for its box at any moment: a checkpoint at
// the start of the period plus a short replay.
func ExampleCompiled_BoxAt() {
	game, _ := pbp.SyntheticGame(42)
	c := pbp.Compile(game, nil)

	m, err := moment.Parse("Q3 7:02.4")
	if err != nil {
		panic(err)
	}
	at := m.Elapsed()
	box := c.BoxAt(pbp.AtElapsed(at))
	fmt.Println("elapsed:", at)
	fmt.Println("team minutes on the court:", box.Home.Seconds == at, box.Away.Seconds == at)
	fmt.Println("final equals the box after the last event:", c.Final().Home.PTS == c.BoxAt(pbp.AtElapsed(c.FinalState().Elapsed)).Home.PTS)
	// Output:
	// elapsed: 28:57.6
	// team minutes on the court: true true
	// final equals the box after the last event: true
}
