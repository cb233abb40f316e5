package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
)

var _ = register("GamesMerge", false, func(t *testing.T, b *bundle) {
	// NBA schedule: id, teams, date; not played yet.
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: "0021800001", Season: "2018-19", SeasonType: "regular",
		Date: "2018-10-16", HomeCode: "BOS", AwayCode: "PHI", HomeTeamID: "1610612738", AwayTeamID: "1610612755", HomePts: -1, AwayPts: -1}}))
	// NBA box: final score.
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: "0021800001", Season: "2018-19", SeasonType: "regular",
		HomePts: 105, AwayPts: 87, Final: true}}))
	// ESPN and bbref know only their ids (and a stale "scheduled" status)
	// in one batch: merged field by field.
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{
		{GameID: "0021800001", ESPNID: "401070213"},
		{GameID: "0021800001", BBRefID: "201810160BOS", Date: "2018-10-16"},
	}))
	g := must[store.Game](t)(store.GetGame(b.ctx, b.s, "0021800001"))
	want := store.Game{GameID: "0021800001", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16",
		HomeTeamID: "1610612738", AwayTeamID: "1610612755", HomeCode: "BOS", AwayCode: "PHI",
		HomePts: 105, AwayPts: 87, HasScore: true, Status: store.GameFinal, ESPNID: "401070213", BBRefID: "201810160BOS"}
	g.UpdatedAt = ""
	if g != want {
		t.Fatalf("merged game\n got %+v\nwant %+v", g, want)
	}
	// A corrected score replaces; a new game without scores has none.
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: "0021800001", HomePts: 105, AwayPts: 88, Final: true},
		{GameID: "0021800002", Season: "2018-19", SeasonType: "regular", Date: "2018-10-16"}}))
	gs := must[[]store.Game](t)(store.ListGames(b.ctx, b.s, "2018-19"))
	if len(gs) != 2 || gs[0].AwayPts != 88 || gs[1].HasScore || gs[1].Status != store.GameScheduled {
		t.Fatalf("games %+v", gs)
	}
	// The same merge through the bulk path (COPY and a temporary table on
	// PostgreSQL): a season's schedule, then a provider that knows only ids.
	var sched, ids []model.GameRow
	for i := range 300 {
		id := fmt.Sprintf("00218%05d", 1000+i)
		sched = append(sched, model.GameRow{GameID: id, Season: "2018-19", SeasonType: "regular", Date: "2019-01-01", HomeCode: "BOS", AwayCode: "NYK", HomePts: 100 + i%20, AwayPts: 90, Final: true})
		ids = append(ids, model.GameRow{GameID: id, ESPNID: fmt.Sprint(401000000 + i), HomePts: -1, AwayPts: -1})
	}
	must[int64](t)(store.UpsertGames(b.ctx, b.s, sched))
	must[int64](t)(store.UpsertGames(b.ctx, b.s, ids))
	g = must[store.Game](t)(store.GetGame(b.ctx, b.s, "0021801299"))
	if g.ESPNID != "401000299" || g.HomePts != 119 || g.Status != store.GameFinal || g.Date != "2019-01-01" || g.HomeCode != "BOS" {
		t.Fatalf("bulk merge: %+v", g)
	}
	if _, err := store.UpsertGames(b.ctx, b.s, []model.GameRow{{ESPNID: "1"}}); err == nil {
		t.Fatal("a game without an NBA id was accepted")
	}
	if _, err := store.GetGame(b.ctx, b.s, "0000000000"); !errors.Is(err, store.ErrNoRows) {
		t.Fatalf("missing game: %v", err)
	}
})

var _ = register("TeamsPlayersSeasonsMerge", false, func(t *testing.T, b *bundle) {
	must[int64](t)(store.UpsertSeasons(b.ctx, b.s, []store.SeasonRow{{Season: "2018-19", StartYear: 2018, RegularGames: 1230}}))
	must[int64](t)(store.UpsertSeasons(b.ctx, b.s, []store.SeasonRow{{Season: "2018-19", StartYear: 2018, PlayoffGames: 82}}))
	var reg, po int
	if err := b.s.QueryRow(b.ctx, `SELECT regular_games, playoff_games FROM seasons WHERE season = $1`, "2018-19").Scan(&reg, &po); err != nil || reg != 1230 || po != 82 {
		t.Fatalf("season: %d %d %v", reg, po, err)
	}
	must[int64](t)(store.UpsertTeams(b.ctx, b.s, []model.TeamRow{{TeamID: "1610612751", Code: "BKN", City: "Brooklyn", Name: "Nets"}}))
	must[int64](t)(store.UpsertTeams(b.ctx, b.s, []model.TeamRow{{TeamID: "1610612751", ESPNID: "17", ESPNCode: "BKN"}, {TeamID: "1610612751", BBRefCode: "BRK"}}))
	var code, city, espn, bbref string
	if err := b.s.QueryRow(b.ctx, `SELECT code, city, espn_id, bbref_code FROM teams WHERE team_id = $1`, "1610612751").Scan(&code, &city, &espn, &bbref); err != nil {
		t.Fatal(err)
	}
	if code != "BKN" || city != "Brooklyn" || espn != "17" || bbref != "BRK" {
		t.Fatalf("team %s %s %s %s", code, city, espn, bbref)
	}
	must[int64](t)(store.UpsertPlayers(b.ctx, b.s, []model.PlayerRow{{PlayerID: "201939", Name: "Stephen Curry"}, {ESPNID: "3975", Name: "Stephen Curry"}}))
	must[int64](t)(store.UpsertPlayers(b.ctx, b.s, []model.PlayerRow{{PlayerID: "201939", BBRefID: "curryst01"}}))
	var name string
	var pb *string
	if err := b.s.QueryRow(b.ctx, `SELECT name, bbref_id FROM players WHERE player_id = $1`, "201939").Scan(&name, &pb); err != nil || name != "Stephen Curry" || pb == nil || *pb != "curryst01" {
		t.Fatalf("player %q %v %v", name, pb, err)
	}
	if n := count(t, b, "players"); n != 2 {
		t.Fatalf("players: %d rows, want 2 (201939 and espn:3975)", n)
	}
})

// sampleEvents returns n events exercising every field of model.Event.
func sampleEvents(gameID string, n int) []model.Event {
	evs := make([]model.Event, n)
	for i := range evs {
		evs[i] = model.Event{GameID: gameID, Order: i, EventNum: i*2 + 1, Period: 1 + i%5, Clock: model.Tenths(7200 - i%7200),
			Elapsed: model.Tenths(i), Type: model.EventType(1 + i%13), Subtype: []string{"", "jump shot", "bad pass", "Ünïcødé ✓"}[i%4],
			Side: model.Side(i % 3), Team: i%7 == 0, Made: i%2 == 0, Points: int8(i % 4), Three: i%3 == 0,
			FTNum: i % 3, FTOf: 2 * (i % 2), FTKind: model.FreeThrowKind(i % 4), Rebound: model.ReboundKind(i % 3), Foul: model.FoulKind(i % 15),
			Player: model.PlayerID(fmt.Sprint(200000 + i)), Assist: model.PlayerID([]string{"", "201939"}[i%2]),
			Block: model.PlayerID([]string{"", "b1"}[i%2]), Steal: model.PlayerID([]string{"s1", ""}[i%2]),
			Fouled: model.PlayerID([]string{"", "f1"}[i%2]), SubIn: model.PlayerID([]string{"in", ""}[i%2]),
			SubOut: model.PlayerID([]string{"", "out"}[i%2]), Jump2: model.PlayerID([]string{"j2", ""}[i%2]),
			JumpTo: model.PlayerID([]string{"", "jt"}[i%2]), ScoreHome: i/2 - 1, ScoreAway: i/3 - 1,
			Description: []string{"", "Curry 26' 3PT Jump Shot (3 PTS)", "O'Neal \"Shaq\" dunk", "日本語"}[i%4],
			Facts: []model.TextFacts{{}, {TechnicalName: true, FTUnmarked: true}, {ReboundTally: true, RebOff: i % 1024, RebDef: 1023 - i%1024},
				{FTNum: 1 + i%3, FTOf: 3, FTKind: model.FreeThrowKind(i % 4)}}[i%4]}
	}
	return evs
}

var _ = register("PlaysRoundTrip", false, func(t *testing.T, b *bundle) {
	evs := sampleEvents("0021800001", 500)
	if n := must[int64](t)(store.ReplacePlays(b.ctx, b.s, "0021800001", "nba_stats/playbyplayv2", evs)); n != 500 {
		t.Fatalf("wrote %d plays", n)
	}
	got := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, "0021800001", "nba_stats/playbyplayv2"))
	if !reflect.DeepEqual(got, evs) {
		for i := range evs {
			if i >= len(got) || !reflect.DeepEqual(got[i], evs[i]) {
				t.Fatalf("event %d\n got %+v\nwant %+v", i, got[min(i, len(got)-1)], evs[i])
			}
		}
		t.Fatalf("got %d events, want %d", len(got), len(evs))
	}
	// Replacing with fewer events leaves only those; other providers and
	// games are untouched.
	must[int64](t)(store.ReplacePlays(b.ctx, b.s, "0021800001", "espn/summary", evs[:10]))
	must[int64](t)(store.ReplacePlaysBatch(b.ctx, b.s, []store.GamePlays{
		{GameID: "0021800001", Provider: "nba_stats/playbyplayv2", Events: evs[:3]},
		{GameID: "0021800002", Provider: "nba_stats/playbyplayv2", Events: sampleEvents("0021800002", 7)},
	}))
	if n := count(t, b, "plays"); n != 3+10+7 {
		t.Fatalf("plays: %d rows, want 20", n)
	}
	provs := must[[]string](t)(store.PlayProviders(b.ctx, b.s, "0021800001"))
	if !reflect.DeepEqual(provs, []string{"espn/summary", "nba_stats/playbyplayv2"}) {
		t.Fatalf("providers %v", provs)
	}
	// A batch larger than one chunk of the bulk path (25,000 rows).
	big := BenchPlays(60, 500)
	if n := must[int64](t)(store.ReplacePlaysBatch(b.ctx, b.s, big)); n != 30_000 {
		t.Fatalf("big batch wrote %d", n)
	}
	if got := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, big[50].GameID, big[50].Provider)); !reflect.DeepEqual(got, big[50].Events) {
		t.Fatalf("game %s of the big batch did not round-trip", big[50].GameID)
	}
	if _, err := b.s.Exec(b.ctx, `DELETE FROM plays WHERE game_id LIKE $1`, "00299%"); err != nil {
		t.Fatal(err)
	}
	// Duplicate orders are refused and change nothing.
	bad := sampleEvents("0021800002", 3)
	bad[2].Order = 0
	if _, err := store.ReplacePlays(b.ctx, b.s, "0021800002", "nba_stats/playbyplayv2", bad); err == nil {
		t.Fatal("duplicate event order accepted")
	}
	if n := count(t, b, "plays"); n != 20 {
		t.Fatalf("plays after refused batch: %d rows, want 20", n)
	}
})

func sampleBox(gameID, source string, from, to model.Tenths) model.Box {
	return model.Box{GameID: gameID, Source: source, From: from, To: to,
		Players: []model.PlayerLine{
			{PlayerID: "201939", Name: "Stephen Curry", Side: model.Home, TeamID: "1610612744", Starter: true,
				Stats: model.Stats{PTS: 30, FGM: 10, FGA: 20, FG3M: 5, FG3A: 11, FTM: 5, FTA: 5, OREB: 1, DREB: 4, REB: 5, AST: 8, STL: 2, BLK: 1, TOV: 3, PF: 2, PlusMinus: 12, Seconds: 21000}},
			{PlayerID: "1628369", Name: "Jayson Tatum", Side: model.Away, TeamID: "1610612738", Stats: model.Stats{PTS: 22, PlusMinus: -12, Seconds: 19999}},
			{PlayerID: "1", Name: "Bench Guy", Side: model.Away, DNP: true},
		},
		Home: model.TeamLine{TeamID: "1610612744", Code: "GSW", Side: model.Home, Stats: model.Stats{PTS: 110, REB: 50, TOV: 14, Seconds: 144000}},
		Away: model.TeamLine{Code: "BOS", Side: model.Away, Stats: model.Stats{PTS: 98, REB: 40, Seconds: 144000}},
	}
}

var _ = register("BoxRoundTrip", false, func(t *testing.T, b *bundle) {
	full := sampleBox("0021800001", "nba_stats/boxscoretraditionalv2", 0, 0)
	win := sampleBox("0021800001", "derived", 0, 7200)
	must[int64](t)(store.UpsertBoxes(b.ctx, b.s, []model.Box{full, win}))
	for _, want := range []model.Box{full, win} {
		got := must[model.Box](t)(store.LoadBox(b.ctx, b.s, want.GameID, want.Source, store.BoxScope(want)))
		// LoadBox orders players by side, starters first, then id.
		w := want
		w.Players = []model.PlayerLine{want.Players[0], want.Players[2], want.Players[1]}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("box %s\n got %+v\nwant %+v", store.BoxScope(want), got, w)
		}
	}
	// Re-writing a box drops lines no longer in it.
	full.Players = full.Players[:1]
	must[int64](t)(store.UpsertBox(b.ctx, b.s, full))
	got := must[model.Box](t)(store.LoadBox(b.ctx, b.s, full.GameID, full.Source, "game"))
	if len(got.Players) != 1 {
		t.Fatalf("players after rewrite: %d", len(got.Players))
	}
	if n := count(t, b, "player_box"); n != 4 {
		t.Fatalf("player_box: %d rows, want 4", n)
	}
	if _, err := store.LoadBox(b.ctx, b.s, "x", "y", "game"); !errors.Is(err, store.ErrNoRows) {
		t.Fatalf("missing box: %v", err)
	}
	for _, sc := range []string{"range:", "range:1", "range:a-2", "quarter"} {
		if _, _, err := store.ParseBoxScope(sc); err == nil {
			t.Errorf("scope %q accepted", sc)
		}
	}
})

var _ = register("RawObjectsAndQuarantine", false, func(t *testing.T, b *bundle) {
	obj := store.RawObject{Key: "nba_stats/playbyplayv2/2018-19/0021800001.json", Source: "nba_stats", Endpoint: "playbyplayv2",
		Season: "2018-19", Item: "0021800001", Size: 1234, SHA256: "aa", FetchedAt: "2024-01-01T00:00:00.000Z", ContentType: "application/json"}
	must[int64](t)(store.UpsertRawObjects(b.ctx, b.s, []store.RawObject{obj, {Key: "espn/summary/2018-19/1.json", Source: "espn", Endpoint: "summary"}}))
	if err := store.SetParseStatus(b.ctx, b.s, obj.Key, store.ParseOK, 3, 480, ""); err != nil {
		t.Fatal(err)
	}
	// Re-cataloguing the unchanged object keeps its parse status...
	must[int64](t)(store.UpsertRawObjects(b.ctx, b.s, []store.RawObject{obj}))
	got := must[store.RawObject](t)(store.GetRawObject(b.ctx, b.s, obj.Key))
	if got.ParseStatus != store.ParseOK || got.ParserVersion != 3 || got.RowsLoaded != 480 || got.ParsedAt == "" || got.Season != "2018-19" {
		t.Fatalf("after re-catalogue: %+v", got)
	}
	// ...a new version resets it.
	obj.SHA256 = "bb"
	must[int64](t)(store.UpsertRawObjects(b.ctx, b.s, []store.RawObject{obj}))
	got = must[store.RawObject](t)(store.GetRawObject(b.ctx, b.s, obj.Key))
	if got.ParseStatus != store.ParsePending || got.RowsLoaded != 0 || got.ParsedAt != "" {
		t.Fatalf("after new version: %+v", got)
	}
	if err := store.SetParseStatus(b.ctx, b.s, "espn/summary/2018-19/1.json", store.ParseFailed, 1, 0, "bad json at byte 3"); err != nil {
		t.Fatal(err)
	}
	pending := must[[]store.RawObject](t)(store.ListRawObjects(b.ctx, b.s, store.RawFilter{Status: store.ParsePending}))
	failed := must[[]store.RawObject](t)(store.ListRawObjects(b.ctx, b.s, store.RawFilter{Status: store.ParseFailed, Source: "espn"}))
	all := must[[]store.RawObject](t)(store.ListRawObjects(b.ctx, b.s, store.RawFilter{Limit: 1}))
	if len(pending) != 1 || len(failed) != 1 || failed[0].Error != "bad json at byte 3" || len(all) != 1 || all[0].Key != "espn/summary/2018-19/1.json" {
		t.Fatalf("lists: pending %v failed %v all %v", pending, failed, all)
	}
	counts := must[map[string]int64](t)(store.CountRawObjects(b.ctx, b.s))
	if counts[store.ParsePending] != 1 || counts[store.ParseFailed] != 1 {
		t.Fatalf("counts %v", counts)
	}
	if err := store.SetParseStatus(b.ctx, b.s, "nope", store.ParseOK, 1, 0, ""); !errors.Is(err, store.ErrNoRows) {
		t.Fatalf("status of an uncatalogued key: %v", err)
	}

	must[int64](t)(store.AddQuarantine(b.ctx, b.s,
		store.QuarantineItem{Key: "k1", Position: "row 3", Source: "nba_stats", GameID: "0021800001", Reason: "bad clock", ParserVersion: 1},
		store.QuarantineItem{Key: "k1", Position: "row 3", Reason: "bad clock \"PT-1M\""},
		store.QuarantineItem{Key: "k2", Reason: "not JSON"}))
	items := must[[]store.QuarantineItem](t)(store.ListQuarantine(b.ctx, b.s, store.QuarantineFilter{}))
	if len(items) != 2 || items[0].Reason != "bad clock \"PT-1M\"" || items[1].Position != "" || items[0].CreatedAt == "" {
		t.Fatalf("quarantine %+v", items)
	}
	if n := must[int64](t)(store.ClearQuarantine(b.ctx, b.s, "k1")); n != 1 {
		t.Fatalf("cleared %d", n)
	}
	if _, err := store.AddQuarantine(b.ctx, b.s, store.QuarantineItem{Key: "k3"}); err == nil {
		t.Fatal("quarantine without a reason accepted")
	}
})

var _ = register("TouchGames", false, func(t *testing.T, b *bundle) {
	at := func(id string) string {
		t.Helper()
		g, err := store.GetGame(b.ctx, b.s, id)
		if err != nil {
			t.Fatal(err)
		}
		return g.UpdatedAt
	}
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: "0021800001", Season: "2018-19", SeasonType: "regular"},
		{GameID: "0021800002", Season: "2018-19", SeasonType: "regular"}}))
	// one game stamped in the future (another writer's clock, or this very
	// millisecond): touching still moves it forward
	future := "2999-01-01T00:00:00.000Z"
	mustDo(t, func() error {
		_, err := b.s.Exec(b.ctx, `UPDATE games SET updated_at = $1 WHERE game_id = $2`, future, "0021800002")
		return err
	})
	before1 := at("0021800001")
	if n := must[int64](t)(store.TouchGames(b.ctx, b.s, []string{"0021800001", "0021800002", "0029999999"})); n != 2 {
		t.Errorf("touched %d games, want 2 (the unknown id has no row)", n)
	}
	if got := at("0021800001"); got <= before1 {
		t.Errorf("updated_at %s -> %s: not moved forward", before1, got)
	}
	if got := at("0021800002"); got != "2999-01-01T00:00:00.001Z" {
		t.Errorf("updated_at of the future game: %s, want one millisecond past %s", got, future)
	}
	if n := must[int64](t)(store.TouchGames(b.ctx, b.s, nil)); n != 0 {
		t.Errorf("touched %d games of none", n)
	}
})

var _ = register("PlayPacks", false, func(t *testing.T, b *bundle) {
	const game, prov = "0021800003", "nba_stats/playbyplayv2"
	evs := sampleEvents(game, 400)
	shuffled := append([]model.Event(nil), evs...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	must[int64](t)(store.UpsertGames(b.ctx, b.s, []model.GameRow{{GameID: game, Season: "2018-19", SeasonType: "regular", Date: "2018-10-17"}}))
	must[int64](t)(store.ReplacePlays(b.ctx, b.s, game, prov, shuffled))
	must[int64](t)(store.ReplacePlays(b.ctx, b.s, game, "espn/summary", evs[:5]))
	if n := count(t, b, "play_packs"); n != 2 {
		t.Fatalf("play_packs: %d rows, want 2 (one per game and provider)", n)
	}
	// the pack reads back exactly what the rows read back (in ord order)
	fromPack := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, game, prov))
	if !reflect.DeepEqual(fromPack, evs) {
		t.Fatalf("pack: %d events, not the %d written, in order", len(fromPack), len(evs))
	}
	// LoadPreferredPlays: the providers PlayProviders lists, the plays of
	// the one chosen (from its pack, or its rows), in one read of the packs
	preferred := func(pick string, want []model.Event) {
		t.Helper()
		var saw []string
		p, got, err := store.LoadPreferredPlays(b.ctx, b.s, game, func(have []string) string { saw = have; return pick })
		if err != nil {
			t.Fatal(err)
		}
		if p != pick || !reflect.DeepEqual(got, want) {
			t.Fatalf("preferred %s: %s, %d events, want %d", pick, p, len(got), len(want))
		}
		if provs := must[[]string](t)(store.PlayProviders(b.ctx, b.s, game)); !reflect.DeepEqual(saw, provs) {
			t.Fatalf("preferred chose among %v, the providers are %v", saw, provs)
		}
	}
	preferred(prov, evs)
	preferred("espn/summary", evs[:5])
	if p, got, err := store.LoadPreferredPlays(b.ctx, b.s, "0021800999", func([]string) string { panic("no providers to choose from") }); err != nil || p != "" || got != nil {
		t.Fatalf("a game without plays: %q, %d events, %v", p, len(got), err)
	}
	dropPacks := func() {
		if _, err := b.s.Exec(b.ctx, `DELETE FROM play_packs`); err != nil {
			t.Fatal(err)
		}
	}
	dropPacks()
	if fromRows := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, game, prov)); !reflect.DeepEqual(fromRows, fromPack) {
		t.Fatal("the rows and the pack read back different events")
	}
	if provs := must[[]string](t)(store.PlayProviders(b.ctx, b.s, game)); !reflect.DeepEqual(provs, []string{"espn/summary", prov}) {
		t.Fatalf("providers without packs: %v", provs)
	}
	preferred(prov, evs)
	preferred("espn/summary", evs[:5])
	// the loader's backfill packs every provider of the game, once
	if n := must[int](t)(store.BackfillPlayPacks(b.ctx, b.s)); n != 1 {
		t.Fatalf("backfill packed %d games, want 1", n)
	}
	if n := must[int](t)(store.BackfillPlayPacks(b.ctx, b.s)); n != 0 {
		t.Fatalf("second backfill packed %d games, want 0", n)
	}
	if n := count(t, b, "play_packs"); n != 2 {
		t.Fatalf("play_packs after backfill: %d rows, want 2", n)
	}
	if got := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, game, "espn/summary")); !reflect.DeepEqual(got, evs[:5]) {
		t.Fatal("backfilled pack of espn/summary does not read back its plays")
	}
	// a pack of another format is not read (rows instead) and is rewritten
	if _, err := b.s.Exec(b.ctx, `UPDATE play_packs SET format = 99`); err != nil {
		t.Fatal(err)
	}
	if got := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, game, prov)); !reflect.DeepEqual(got, evs) {
		t.Fatal("plays under a pack of another format")
	}
	preferred(prov, evs)
	if n := must[int](t)(store.BackfillPlayPacks(b.ctx, b.s)); n != 1 {
		t.Fatalf("backfill of another format packed %d games, want 1", n)
	}
	// replacing the plays replaces the pack; no plays, no pack
	must[int64](t)(store.ReplacePlays(b.ctx, b.s, game, prov, evs[:3]))
	if got := must[[]model.Event](t)(store.LoadPlays(b.ctx, b.s, game, prov)); !reflect.DeepEqual(got, evs[:3]) {
		t.Fatalf("after a replace the pack read %d events, want 3", len(got))
	}
	must[int64](t)(store.ReplacePlays(b.ctx, b.s, game, "espn/summary", nil))
	if n := count(t, b, "play_packs"); n != 1 {
		t.Fatalf("play_packs after emptying a provider: %d rows, want 1", n)
	}
	if provs := must[[]string](t)(store.PlayProviders(b.ctx, b.s, game)); !reflect.DeepEqual(provs, []string{prov}) {
		t.Fatalf("providers: %v", provs)
	}
	// a corrupt pack is an error, not a silently different game
	if _, err := b.s.Exec(b.ctx, `UPDATE play_packs SET pack = $1`, []byte("not a pack")); err != nil {
		t.Fatal(err)
	}
	if _, err := store.LoadPlays(b.ctx, b.s, game, prov); err == nil || !strings.Contains(err.Error(), "corrupt play pack") {
		t.Fatalf("corrupt pack: err = %v", err)
	}
	if _, _, err := store.LoadPreferredPlays(b.ctx, b.s, game, func(have []string) string { return have[0] }); err == nil || !strings.Contains(err.Error(), "corrupt play pack") {
		t.Fatalf("corrupt pack, preferred: err = %v", err)
	}
})
