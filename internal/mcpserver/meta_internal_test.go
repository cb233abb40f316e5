package mcpserver

import (
	"runtime"
	"testing"

	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/pbp"
)

// TestMetaCacheFollowsCompiledGame: box_score's cached id resolution and
// sources belong to one compiled game: the same compiled game finds them,
// a recompiled one (the game was reloaded) does not, and neither does any
// after the compiled game is collected.
func TestMetaCacheFollowsCompiledGame(t *testing.T) {
	var mc metaCache
	c1, c2 := &pbp.Compiled{}, &pbp.Compiled{}
	mc.put("0021800001", c1, metaEntry{r: gameref.Resolved{GameID: "0021800001"}, sources: []string{"derived"}})
	if e, ok := mc.get("0021800001", c1); !ok || e.r.GameID != "0021800001" || len(e.sources) != 1 {
		t.Fatalf("same compiled game: %+v %v", e, ok)
	}
	if _, ok := mc.get("0021800001", c2); ok {
		t.Fatal("a recompiled game found the old metadata")
	}
	if _, ok := mc.get("0021800002", c1); ok {
		t.Fatal("another game found the metadata")
	}
	runtime.KeepAlive(c1)
	c1 = nil
	runtime.GC()
	runtime.GC()
	mc.mu.Lock()
	collected := mc.m["0021800001"].c.Value() == nil
	mc.mu.Unlock()
	if !collected {
		t.Fatal("the cache keeps the compiled game alive")
	}
	if _, ok := mc.get("0021800001", nil); ok {
		t.Fatal("no compiled game found metadata")
	}
	runtime.KeepAlive(c2)
}
