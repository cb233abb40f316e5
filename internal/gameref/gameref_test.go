package gameref

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/storetest"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind Kind
		id   string
	}{
		{"0021800001", NBA, "0021800001"},
		{"21800001", Short, "0021800001"},
		{" 21800001 ", Short, "0021800001"},
		{"401585607", ESPN, "401585607"},
		{"201810160BOS", BBRef, "201810160BOS"},
		{"201810160bos", BBRef, "201810160BOS"},
		{"", "", ""},
		{"2180001", "", ""},
		{"021800001", "", ""}, // 9 digits with a leading zero: neither ESPN nor short
		{"00218000011", "", ""},
		{"20181016BOS", "", ""},
		{"201810160B0S", "", ""},
		{"0021800001;", "", ""},
	} {
		r, err := Parse(tc.in)
		if tc.kind == "" {
			if err == nil || !strings.Contains(err.Error(), "short id (21800001)") {
				t.Errorf("Parse(%q) = %+v, %v; want an error listing the forms", tc.in, r, err)
			}
			continue
		}
		if err != nil || r.Kind != tc.kind || r.ID != tc.id {
			t.Errorf("Parse(%q) = %+v, %v; want %s %s", tc.in, r, err, tc.kind, tc.id)
		}
	}
}

func TestResolve(t *testing.T) {
	for name, open := range map[string]func(testing.TB) store.Store{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			if _, err := store.UpsertGames(ctx, s, []model.GameRow{
				{GameID: "0021800001", ESPNID: "401070213", BBRefID: "201810160BOS", Season: "2018-19", SeasonType: "regular",
					Date: "2018-10-16", HomeCode: "BOS", AwayCode: "PHI", HomePts: 105, AwayPts: 87, Final: true},
				{GameID: "0022300979", ESPNID: "401585607", BBRefID: "202402140LAL", Season: "2023-24", SeasonType: "regular",
					Date: "2024-02-14", HomeCode: "LAL", AwayCode: "DET", HomePts: 125, AwayPts: 111, Final: true},
			}); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				in, game, says string
				reads          int // an NBA id is the games row's key: one read
			}{
				{"0021800001", "0021800001", "0021800001 2018-10-16 PHI 87 at BOS 105", 1},
				{"21800001", "0021800001", "(from short id 21800001)", 1},
				{"401070213", "0021800001", "(from ESPN id 401070213)", 2},
				{"201810160BOS", "0021800001", "(from basketball-reference id 201810160BOS)", 2},
				{"401585607", "0022300979", "0022300979 2024-02-14 DET 111 at LAL 125 (from ESPN id 401585607)", 2},
			} {
				q := &countReads{Store: s}
				r, err := Resolve(ctx, q, tc.in)
				if err != nil || r.GameID != tc.game || !strings.Contains(r.Describe(), tc.says) {
					t.Errorf("Resolve(%q) = %s, %v; want %s saying %q", tc.in, r.Describe(), err, tc.game, tc.says)
				}
				if q.reads != tc.reads {
					t.Errorf("Resolve(%q): %d reads, want %d", tc.in, q.reads, tc.reads)
				}
			}
			for _, in := range []string{"0029900001", "401000000", "201810160NYK"} {
				_, err := Resolve(ctx, s, in)
				if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), in) {
					t.Errorf("Resolve(%q): %v; want ErrNotFound naming the id", in, err)
				}
			}
			if _, err := Resolve(ctx, s, "12"); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Resolve(12): %v; want a syntax error", err)
			}
		})
	}
}

// countReads counts the statements run through a real store.
type countReads struct {
	store.Store
	reads int
}

func (c *countReads) Query(ctx context.Context, query string, args ...any) (store.Rows, error) {
	c.reads++
	return c.Store.Query(ctx, query, args...)
}

func (c *countReads) QueryRow(ctx context.Context, query string, args ...any) store.Row {
	c.reads++
	return c.Store.QueryRow(ctx, query, args...)
}
