package derive

import (
	"context"
	"testing"
	"unsafe"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

// The memo answers what the players table holds (a name, or no row), and
// keeps its own copy of each id: the ids a game's plays name are
// substrings of its decoded play pack, which a remembered id would keep
// alive for as long as the memo lives.
func TestNameMemo(t *testing.T) {
	ctx := context.Background()
	st := storetest.SQLite(t)
	if _, err := store.UpsertPlayers(ctx, st, []model.PlayerRow{{PlayerID: "201939", Name: "Stephen Curry"}, {PlayerID: "2544", Name: "LeBron James"}}); err != nil {
		t.Fatal(err)
	}
	pack := "201939 2544 999999 a description the pack also holds"
	ids := map[string]bool{pack[0:6]: true, pack[7:11]: true, pack[12:18]: true}
	var memo NameMemo
	for pass := range 2 { // from the store, then from the memo
		out := map[model.PlayerID]model.PlayerInfo{}
		if err := memo.read(ctx, st, ids, out); err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 || out["201939"].Name != "Stephen Curry" || out["2544"].Name != "LeBron James" {
			t.Fatalf("pass %d: %v", pass, out)
		}
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(pack)))
	for id := range memo.m {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(id))); p >= lo && p < lo+uintptr(len(pack)) {
			t.Errorf("the memo keeps %q inside the pack's memory", id)
		}
	}
	if e, ok := memo.m["999999"]; !ok || e.ok {
		t.Errorf("an id without a players row: %+v, %v (want remembered as absent)", e, ok)
	}
}
