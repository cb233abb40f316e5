// Package export writes the store's games, plays, box scores (official and
// derived, each with its source), stints and possessions as Parquet
// (parquet-go, zstd) or CSV files, partitioned by season in the Hive layout
// that DuckDB, Spark, Trino and Athena read directly:
//
//	{out}/{table}/season={season}/part-00000.parquet
//
// to a folder or any bucket the lake opens (s3://, file://, mem://). Column
// schemas: docs/export.md. A manifest ({out}/_nbasim_export.json) records a
// fingerprint of each exported season (its raw objects' keys, sha256 and
// parser versions, its games, the overrides and the schema version); an
// incremental export rewrites only the seasons whose fingerprint changed.
package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// SchemaVersion changes when a table's columns change; it is part of every
// season's fingerprint, so a new version re-exports everything.
const SchemaVersion = 1

// ManifestKey is the manifest's key under the output.
const ManifestKey = "_nbasim_export.json"

// Tables lists the exported tables, in write order.
var Tables = []string{"games", "plays", "player_box", "team_box", "stints", "possessions"}

// Options select what Run exports.
type Options struct {
	Format      string   // "parquet" (default) or "csv"
	Seasons     []string // only these seasons; default every season of the games table
	Incremental bool     // skip seasons whose fingerprint equals the manifest's
	Overrides   *pbp.Overrides
	Log         *slog.Logger
	// Progress, when set, is called after each game of a season.
	Progress func(season string, done, total int)
}

// SeasonResult is what was done for one season.
type SeasonResult struct {
	Season      string           `json:"season"`
	Skipped     bool             `json:"skipped_unchanged"`
	Fingerprint string           `json:"fingerprint"`
	Rows        map[string]int64 `json:"rows"`
	Points      int64            `json:"points"` // sum of team_box pts of the derived boxes
	Failed      []string         `json:"failed_games,omitempty"`
	ExportedAt  string           `json:"exported_at"`
}

// Manifest is the export's state, kept at ManifestKey.
type Manifest struct {
	Format        string                   `json:"format"`
	SchemaVersion int                      `json:"schema_version"`
	Seasons       map[string]*SeasonResult `json:"seasons"`
}

// Report is what Run did.
type Report struct {
	Out     string          `json:"out"`
	Format  string          `json:"format"`
	Seasons []*SeasonResult `json:"seasons"`
	Elapsed time.Duration   `json:"-"`
	Seconds float64         `json:"elapsed_seconds"`
}

// Run exports q into out (a lake URL: file:///abs/dir, s3://bucket?...).
func Run(ctx context.Context, q store.Querier, out *lake.Lake, opt Options) (*Report, error) {
	start := time.Now()
	if opt.Format == "" {
		opt.Format = "parquet"
	}
	if opt.Format != "parquet" && opt.Format != "csv" {
		return nil, fmt.Errorf("export: format %q: want parquet or csv", opt.Format)
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Overrides == nil {
		ov, err := pbp.DefaultOverrides()
		if err != nil {
			return nil, err
		}
		opt.Overrides = ov
	}
	man, err := readManifest(ctx, out)
	if err != nil {
		return nil, err
	}
	if man.Format != opt.Format || man.SchemaVersion != SchemaVersion {
		man = &Manifest{Format: opt.Format, SchemaVersion: SchemaVersion, Seasons: map[string]*SeasonResult{}}
	}
	seasons := opt.Seasons
	if len(seasons) == 0 {
		if seasons, err = allSeasons(ctx, q); err != nil {
			return nil, err
		}
	}
	rep := &Report{Out: out.URL(), Format: opt.Format}
	for _, s := range seasons {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		fp, err := fingerprint(ctx, q, s, opt.Overrides)
		if err != nil {
			return rep, err
		}
		if prev := man.Seasons[s]; opt.Incremental && prev != nil && prev.Fingerprint == fp {
			r := *prev
			r.Skipped = true
			rep.Seasons = append(rep.Seasons, &r)
			opt.Log.Info("export: season unchanged", "season", s)
			continue
		}
		r, err := exportSeason(ctx, q, out, s, opt)
		if err != nil {
			return rep, err
		}
		r.Fingerprint = fp
		man.Seasons[s] = r
		rep.Seasons = append(rep.Seasons, r)
		if err := writeManifest(ctx, out, man); err != nil {
			return rep, err
		}
	}
	rep.Elapsed = time.Since(start)
	rep.Seconds = rep.Elapsed.Seconds()
	return rep, nil
}

func allSeasons(ctx context.Context, q store.Querier) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT season FROM games ORDER BY season`)
	if err != nil {
		return nil, fmt.Errorf("export: seasons: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// fingerprint digests what a season's export depends on.
func fingerprint(ctx context.Context, q store.Querier, season string, ov *pbp.Overrides) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "schema %d\n", SchemaVersion)
	if b, err := json.Marshal(ov); err == nil {
		h.Write(b)
	}
	rows, err := q.Query(ctx, `SELECT key, COALESCE(sha256, ''), parser_version FROM raw_objects WHERE season = $1 ORDER BY key`, season)
	if err != nil {
		return "", fmt.Errorf("export: fingerprint %s: %w", season, err)
	}
	for rows.Next() {
		var k, sha string
		var v int64
		if err := rows.Scan(&k, &sha, &v); err != nil {
			rows.Close()
			return "", err
		}
		fmt.Fprintf(h, "%s %s %d\n", k, sha, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	games, err := store.ListGames(ctx, q, season)
	if err != nil {
		return "", err
	}
	for _, g := range games {
		fmt.Fprintf(h, "%s %s %d %d %s %s\n", g.GameID, g.Date, g.HomePts, g.AwayPts, g.Status, g.HomeTeamID+g.AwayTeamID)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// season collects one season's rows.
type season struct {
	games       []GameRow
	plays       []PlayRow
	playerBox   []PlayerBoxRow
	teamBox     []TeamBoxRow
	stints      []StintRow
	possessions []PossessionRow
}

func exportSeason(ctx context.Context, q store.Querier, out *lake.Lake, s string, opt Options) (*SeasonResult, error) {
	games, err := store.ListGames(ctx, q, s)
	if err != nil {
		return nil, err
	}
	r := &SeasonResult{Season: s, Rows: map[string]int64{}, ExportedAt: time.Now().UTC().Format(time.RFC3339)}
	var d season
	for i, g := range games {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := d.addGame(ctx, q, g, opt.Overrides, r); err != nil {
			return nil, err
		}
		if opt.Progress != nil {
			opt.Progress(s, i+1, len(games))
		}
	}
	for _, t := range d.teamBox {
		if t.Source == "derived" {
			r.Points += int64(t.PTS)
		}
	}
	write := func(table string, rows any, n int) error {
		r.Rows[table] = int64(n)
		return writeTable(ctx, out, opt.Format, table, s, rows)
	}
	if err := write("games", d.games, len(d.games)); err != nil {
		return nil, err
	}
	if err := write("plays", d.plays, len(d.plays)); err != nil {
		return nil, err
	}
	if err := write("player_box", d.playerBox, len(d.playerBox)); err != nil {
		return nil, err
	}
	if err := write("team_box", d.teamBox, len(d.teamBox)); err != nil {
		return nil, err
	}
	if err := write("stints", d.stints, len(d.stints)); err != nil {
		return nil, err
	}
	if err := write("possessions", d.possessions, len(d.possessions)); err != nil {
		return nil, err
	}
	opt.Log.Info("export: season written", "season", s, "games", len(d.games), "plays", len(d.plays), "failed", len(r.Failed))
	return r, nil
}

func (d *season) addGame(ctx context.Context, q store.Querier, g store.Game, ov *pbp.Overrides, r *SeasonResult) error {
	gr := GameRow{GameID: g.GameID, SeasonType: g.SeasonType, GameDate: g.Date, HomeTeamID: g.HomeTeamID, AwayTeamID: g.AwayTeamID,
		HomeCode: g.HomeCode, AwayCode: g.AwayCode, Status: g.Status}
	if g.HasScore {
		hp, ap := int32(g.HomePts), int32(g.AwayPts)
		gr.HomePts, gr.AwayPts = &hp, &ap
	}
	gm, err := derive.GameFromStore(ctx, q, g.GameID, "")
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// a game without plays is exported without them, and listed
		r.Failed = append(r.Failed, g.GameID+": "+err.Error())
		d.games = append(d.games, gr)
		return nil
	}
	gr.PlaysSource = gm.Provider
	d.games = append(d.games, gr)
	for i := range gm.Events {
		e := &gm.Events[i]
		d.plays = append(d.plays, PlayRow{GameID: g.GameID, Provider: gm.Provider, Ord: int32(e.Order), EventNum: int32(e.EventNum),
			Period: int32(e.Period), ClockSeconds: e.Clock.Seconds(), ElapsedSeconds: e.Elapsed.Seconds(), Type: e.Type.String(),
			Subtype: e.Subtype, Side: sideName(e.Side), TeamEvent: e.Team, Made: e.Made, Points: int32(e.Points), Three: e.Three,
			PlayerID: string(e.Player), AssistID: string(e.Assist), BlockID: string(e.Block), StealID: string(e.Steal),
			FouledID: string(e.Fouled), SubInID: string(e.SubIn), SubOutID: string(e.SubOut),
			ScoreHome: int32(e.ScoreHome), ScoreAway: int32(e.ScoreAway), Description: e.Description})
	}
	c, perr := compile(gm, ov)
	if perr != nil {
		r.Failed = append(r.Failed, g.GameID+": "+perr.Error())
		return nil
	}
	boxes := []model.Box{c.Final()}
	officials, err := derive.OfficialBoxes(ctx, q, g.GameID)
	if err != nil {
		return err
	}
	boxes = append(boxes, officials...)
	for _, b := range boxes {
		src := b.Source
		if src == "" {
			src = "derived"
		}
		for _, p := range b.Players {
			d.playerBox = append(d.playerBox, PlayerBoxRow{GameID: g.GameID, Source: src, PlayerID: string(p.PlayerID), Name: p.Name,
				TeamID: p.TeamID, Side: sideName(p.Side), Starter: p.Starter, DNP: p.DNP, statCols: cols(p.Stats)})
		}
		for _, t := range []model.TeamLine{b.Home, b.Away} {
			d.teamBox = append(d.teamBox, TeamBoxRow{GameID: g.GameID, Source: src, TeamID: t.TeamID, Code: t.Code, Side: sideName(t.Side),
				statCols: cols(t.Stats), TeamOREB: int32(t.TeamOREB), TeamDREB: int32(t.TeamDREB), TeamTOV: int32(t.TeamTOV),
				Possessions: int32(t.Possessions)})
		}
	}
	teamOf := func(s model.Side) string {
		if s == model.Home {
			return gm.Home.ID
		}
		return gm.Away.ID
	}
	for _, st := range c.Stints() {
		d.stints = append(d.stints, StintRow{GameID: g.GameID, Side: sideName(st.Side), TeamID: teamOf(st.Side), Period: int32(st.Period),
			FromElapsedSeconds: st.From.Seconds(), ToElapsedSeconds: st.To.Seconds(),
			Player1: string(st.Players[0]), Player2: string(st.Players[1]), Player3: string(st.Players[2]),
			Player4: string(st.Players[3]), Player5: string(st.Players[4]), PtsFor: int32(st.PtsFor), PtsAgainst: int32(st.PtsAgainst)})
	}
	for _, p := range c.Possessions() {
		d.possessions = append(d.possessions, PossessionRow{GameID: g.GameID, Number: int32(p.Number), Offense: sideName(p.Offense),
			TeamID: teamOf(p.Offense), Period: int32(p.Period), FromElapsedSeconds: p.From.Seconds(), ToElapsedSeconds: p.To.Seconds(),
			Points: int32(p.Points), EndEventNum: int32(p.EndEvent)})
	}
	return nil
}

// compile runs the engine; a panic is an error naming the game.
func compile(g *model.Game, ov *pbp.Overrides) (c *pbp.Compiled, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("engine panic: %v", p)
		}
	}()
	return pbp.Compile(g, ov), nil
}

func sideName(s model.Side) string {
	switch s {
	case model.Home:
		return "home"
	case model.Away:
		return "away"
	}
	return ""
}

func cols(s model.Stats) statCols {
	return statCols{SecondsPlayed: s.Seconds.Seconds(), PTS: int32(s.PTS), FGM: int32(s.FGM), FGA: int32(s.FGA), FG3M: int32(s.FG3M),
		FG3A: int32(s.FG3A), FTM: int32(s.FTM), FTA: int32(s.FTA), OREB: int32(s.OREB), DREB: int32(s.DREB), REB: int32(s.REB),
		AST: int32(s.AST), STL: int32(s.STL), BLK: int32(s.BLK), TOV: int32(s.TOV), PF: int32(s.PF), PlusMinus: int32(s.PlusMinus)}
}

// Key is where a table's file of a season goes.
func Key(table, season, format string) string {
	return table + "/season=" + season + "/part-00000." + format
}

func writeTable(ctx context.Context, out *lake.Lake, format, table, s string, rows any) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "parquet":
		err = writeParquet(&buf, rows)
	default:
		err = writeCSV(&buf, rows)
	}
	if err != nil {
		return fmt.Errorf("export: %s %s: %w", table, s, err)
	}
	ct := "application/vnd.apache.parquet"
	if format == "csv" {
		ct = "text/csv"
	}
	return out.Put(ctx, Key(table, s, format), buf.Bytes(), lake.Meta{Source: "nbasim", Endpoint: "export/" + table, ContentType: ct})
}

func writeParquet(w io.Writer, rows any) error {
	switch r := rows.(type) {
	case []GameRow:
		return writeGeneric(w, r)
	case []PlayRow:
		return writeGeneric(w, r)
	case []PlayerBoxRow:
		return writeGeneric(w, r)
	case []TeamBoxRow:
		return writeGeneric(w, r)
	case []StintRow:
		return writeGeneric(w, r)
	case []PossessionRow:
		return writeGeneric(w, r)
	}
	return fmt.Errorf("no parquet schema for %T", rows)
}

func writeGeneric[T any](w io.Writer, rows []T) error {
	pw := parquet.NewGenericWriter[T](w, parquet.Compression(&parquet.Zstd), parquet.CreatedBy("nbasim", "export", strconv.Itoa(SchemaVersion)))
	for lo := 0; lo < len(rows); lo += 8192 {
		if _, err := pw.Write(rows[lo:min(lo+8192, len(rows))]); err != nil {
			return err
		}
	}
	return pw.Close()
}

// writeCSV writes rows (a slice of one of the row structs) with a header of
// the parquet column names; embedded structs are flattened.
func writeCSV(w io.Writer, rows any) error {
	v := reflect.ValueOf(rows)
	t := v.Type().Elem()
	cw := csv.NewWriter(w)
	var names []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			names = append(names, strings.Split(f.Tag.Get("parquet"), ",")[0])
		}
	}
	walk(t)
	if err := cw.Write(names); err != nil {
		return err
	}
	rec := make([]string, 0, len(names))
	var vals func(v reflect.Value)
	vals = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			if v.Type().Field(i).Anonymous {
				vals(f)
				continue
			}
			rec = append(rec, cell(f))
		}
	}
	for i := range v.Len() {
		rec = rec[:0]
		vals(v.Index(i))
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cell(f reflect.Value) string {
	switch f.Kind() {
	case reflect.Pointer:
		if f.IsNil() {
			return ""
		}
		return cell(f.Elem())
	case reflect.Bool:
		return strconv.FormatBool(f.Bool())
	case reflect.Int32, reflect.Int64, reflect.Int:
		return strconv.FormatInt(f.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(f.Float(), 'f', -1, 64)
	}
	return f.String()
}

func readManifest(ctx context.Context, out *lake.Lake) (*Manifest, error) {
	b, err := out.Read(ctx, ManifestKey)
	if errors.Is(err, lake.ErrNotFound) {
		return &Manifest{Seasons: map[string]*SeasonResult{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("export: manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("export: manifest %s: %w", ManifestKey, err)
	}
	if m.Seasons == nil {
		m.Seasons = map[string]*SeasonResult{}
	}
	return &m, nil
}

func writeManifest(ctx context.Context, out *lake.Lake, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return out.Put(ctx, ManifestKey, b, lake.Meta{Source: "nbasim", Endpoint: "export/manifest", ContentType: "application/json"})
}

// SortedSeasons returns the manifest's seasons in order.
func (m *Manifest) SortedSeasons() []string {
	out := make([]string, 0, len(m.Seasons))
	for s := range m.Seasons {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
