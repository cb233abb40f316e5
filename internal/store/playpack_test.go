package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

// packGame is a game's worth of events (450) with every field set somewhere,
// written in reverse order (the pack keeps Order's).
func packGame(gameID string) []model.Event {
	evs := make([]model.Event, 450)
	for k := range evs {
		i := len(evs) - 1 - k
		evs[k] = model.Event{GameID: gameID, Order: i, EventNum: 2 + i*3, Period: 1 + i/100, Clock: model.Tenths(7200 - 60*(i%100)),
			Elapsed: model.Tenths(7200*(i/100) + 60*(i%100)), Type: model.EventType(i % 14), Subtype: []string{"", "jump shot", "layup"}[i%3],
			Side: model.Side(i % 3), Team: i%11 == 0, Made: i%2 == 1, Points: int8(i % 4), Three: i%5 == 0,
			FTNum: i % 4, FTOf: 3 * (i % 2), FTKind: model.FreeThrowKind(i % 3), Rebound: model.ReboundKind(i % 3), Foul: model.FoulKind(i % 9),
			Player: model.PlayerID(fmt.Sprint(1628000 + i%26)), Assist: model.PlayerID([]string{"", "201939"}[i%2]),
			Block: model.PlayerID([]string{"", "203507"}[i%7%2]), Steal: model.PlayerID([]string{"203999", ""}[i%2]),
			Fouled: "1629029", SubIn: model.PlayerID([]string{"", "1"}[i%2]), SubOut: model.PlayerID([]string{"2", ""}[i%2]),
			Jump2: "3", JumpTo: "4", ScoreHome: i/3 - 1, ScoreAway: i/4 - 1,
			Description: fmt.Sprintf("Player %d 24' Jump Shot (%d PTS) — é", i%26, i), Facts: model.TextFacts{FTNum: i % 4 / 3, FTOf: i % 4 / 3}}
	}
	return evs
}

// TestPlayPackRoundTrip: a game's events read back from their
// pack as they were written, and every truncation of the pack is an error,
// never a panic or a shorter game.
func TestPlayPackRoundTrip(t *testing.T) {
	evs := packGame("0021800001")
	pack := store.EncodePlayPack(evs)
	got, err := store.DecodePlayPack("0021800001", pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("%d events decoded, %d written", len(got), len(evs))
	}
	for i := range got {
		if want := evs[len(evs)-1-i]; !reflect.DeepEqual(got[i], want) {
			t.Fatalf("event %d:\n got %+v\nwant %+v", i, got[i], want)
		}
	}
	for n := range len(pack) {
		if _, err := store.DecodePlayPack("0021800001", pack[:n]); err == nil {
			t.Fatalf("a pack cut at byte %d of %d decoded", n, len(pack))
		}
	}
}

// BenchmarkDecodePlayPack decodes a game's pack (450 events).
func BenchmarkDecodePlayPack(b *testing.B) {
	pack := store.EncodePlayPack(packGame("0021800001"))
	b.ReportAllocs()
	b.SetBytes(int64(len(pack)))
	for b.Loop() {
		if _, err := store.DecodePlayPack("0021800001", pack); err != nil {
			b.Fatal(err)
		}
	}
}
