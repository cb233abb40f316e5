package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
)

// StatsRow is one row of a catalog endpoint's result set (table stats_rows).
type StatsRow struct {
	Key, Endpoint, Season, Item, ResultSet string
	RowIndex                               int
	GameID, PlayerID, TeamID               string
	JSON                                   []byte // {"HEADER": value, ...}
}

// RowJSON renders a row as a JSON object of its headers, in header order.
func RowJSON(headers []string, row []any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, h := range headers {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(h)
		b.Write(k)
		b.WriteByte(':')
		var v any
		if i < len(row) {
			v = row[i]
		}
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("store: row cell %s: %w", h, err)
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// deleteByKeys deletes the rows of table whose key is one of keys.
func deleteByKeys(ctx context.Context, q Querier, table string, keys []string) error {
	for lo := 0; lo < len(keys); lo += 500 {
		part := keys[lo:min(lo+500, len(keys))]
		ph := make([]string, len(part))
		args := make([]any, len(part))
		for i, k := range part {
			ph[i], args[i] = "$"+strconv.Itoa(i+1), k
		}
		if _, err := q.Exec(ctx, `DELETE FROM `+table+` WHERE key IN (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("store: clear %s: %w", table, err)
		}
	}
	return nil
}

// ReplaceStatsRows replaces the stats_rows of the objects keys with rows,
// and records each result set's headers (stats_result_sets).
func ReplaceStatsRows(ctx context.Context, q Querier, keys []string, rows []StatsRow, headers map[[2]string][]string) (int64, error) {
	if err := deleteByKeys(ctx, q, "stats_rows", keys); err != nil {
		return 0, err
	}
	b := Batch{Table: "stats_rows", Columns: []string{"key", "endpoint", "season", "item", "result_set", "row_index", "game_id", "player_id", "team_id", "row_json"},
		Key: []string{"key", "result_set", "row_index"}}
	for _, r := range rows {
		b.Rows = append(b.Rows, []any{r.Key, r.Endpoint, r.Season, r.Item, r.ResultSet, int64(r.RowIndex), nullStr(r.GameID), nullStr(r.PlayerID), nullStr(r.TeamID), string(r.JSON)})
	}
	var n int64
	if len(b.Rows) > 0 {
		var err error
		if n, err = q.Upsert(ctx, b); err != nil {
			return 0, fmt.Errorf("store: stats_rows: %w", err)
		}
	}
	hb := Batch{Table: "stats_result_sets", Columns: []string{"endpoint", "result_set", "headers"}, Key: []string{"endpoint", "result_set"}}
	for k, h := range headers {
		j, _ := json.Marshal(h)
		hb.Rows = append(hb.Rows, []any{k[0], k[1], string(j)})
	}
	if len(hb.Rows) > 0 {
		if _, err := q.Upsert(ctx, hb); err != nil {
			return 0, fmt.Errorf("store: stats_result_sets: %w", err)
		}
	}
	return n, nil
}

// ShotRow is a shot read from the lake object Key.
type ShotRow struct {
	model.Shot
	Key string
}

// ReplaceShots replaces the shots read from the objects keys with shots (a
// shot another object also holds is kept once, by game and event number).
func ReplaceShots(ctx context.Context, q Querier, keys []string, shots []ShotRow) (int64, error) {
	if err := deleteByKeys(ctx, q, "shots", keys); err != nil {
		return 0, err
	}
	b := Batch{Table: "shots", Columns: []string{"game_id", "event_num", "period", "clock", "player_id", "player_name", "team_id", "x", "y", "distance",
		"made", "shot_type", "action_type", "zone", "zone_area", "zone_range", "key"}, Key: []string{"game_id", "event_num"}}
	seen := map[[2]any]bool{}
	for _, s := range shots {
		id := [2]any{s.GameID, s.EventNum}
		if seen[id] {
			continue
		}
		seen[id] = true
		made := int64(0)
		if s.Made {
			made = 1
		}
		b.Rows = append(b.Rows, []any{s.GameID, int64(s.EventNum), int64(s.Period), int64(s.Clock), nullStr(s.PlayerID), nullStr(s.PlayerName), nullStr(s.TeamID),
			int64(s.X), int64(s.Y), int64(s.Distance), made, nullStr(s.ShotType), nullStr(s.ActionType), nullStr(s.Zone), nullStr(s.ZoneArea), nullStr(s.ZoneRange), s.Key})
	}
	if len(b.Rows) == 0 {
		return 0, nil
	}
	n, err := q.Upsert(ctx, b)
	if err != nil {
		return 0, fmt.Errorf("store: shots: %w", err)
	}
	return n, nil
}

// ReplaceTableRows replaces the rows of the typed table t.Table read from
// the objects keys with t.Rows (keyOf[i] is the lake key of row i). A row whose primary key another row of the batch
// already holds is kept once: the first.
func ReplaceTableRows(ctx context.Context, q Querier, t model.TableRows, keys []string, keyOf []string) (int64, error) {
	if len(keyOf) != len(t.Rows) {
		return 0, fmt.Errorf("store: %s: %d rows, %d keys", t.Table, len(t.Rows), len(keyOf))
	}
	if err := deleteByKeys(ctx, q, t.Table, keys); err != nil {
		return 0, err
	}
	pk := make([]int, 0, len(t.Key))
	for _, k := range t.Key {
		i := slices.Index(t.Columns, k)
		if i < 0 {
			return 0, fmt.Errorf("store: %s: key column %s is not a column", t.Table, k)
		}
		pk = append(pk, i)
	}
	b := Batch{Table: t.Table, Columns: append(slices.Clip(t.Columns), "key"), Key: t.Key}
	seen := map[string]bool{}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return 0, fmt.Errorf("store: %s: row of %d values for %d columns", t.Table, len(r), len(t.Columns))
		}
		var id strings.Builder
		for _, j := range pk {
			fmt.Fprintf(&id, "%v\x00", r[j])
		}
		if seen[id.String()] {
			continue
		}
		seen[id.String()] = true
		b.Rows = append(b.Rows, append(slices.Clip(r), keyOf[i]))
	}
	if len(b.Rows) == 0 {
		return 0, nil
	}
	n, err := q.Upsert(ctx, b)
	if err != nil {
		return 0, fmt.Errorf("store: %s: %w", t.Table, err)
	}
	return n, nil
}
