package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"github.com/klauspost/compress/s2"

	"github.com/nbasim/nbasim/internal/model"
)

// PlayPackFormat is the version of the play pack encoding this build
// writes and reads. A pack of another format is not read (LoadPlays falls
// back on the plays rows) and BackfillPlayPacks rewrites it.
const PlayPackFormat = 1

// A play pack (table play_packs, migration 0022) is the plays of one
// (game, provider) in one value: what LoadPlays returns, encoded at write
// time, so that reading a game for the engine is one primary-key read and
// a decode instead of ~460 rows of 30 columns. The plays rows stay the
// data (queries, export, checksums); ReplacePlaysBatch writes the pack in
// the same transaction as the rows, so the two never disagree.
//
// Encoding (before s2 compression): uvarint count of strings, each string
// as uvarint length + bytes (index 0 is "", not written); uvarint count of
// events; per event, in ord order: varints Order, EventNum, Period, Clock,
// Elapsed, Type, Side, Points, FTNum, FTOf, FTKind, Rebound, Foul,
// ScoreHome, ScoreAway, text facts (TextFacts.Pack, as stored), a uvarint
// of flags (team, made, three), then the string indexes of Subtype, Player,
// Assist, Block, Steal, Fouled, SubIn, SubOut, Jump2, JumpTo, Description.

const packInts = 16 // varints per event before the flags

// EncodePlayPack encodes events (any order: they are written by Order, as
// the rows are read back) as a play pack of PlayPackFormat.
func EncodePlayPack(events []model.Event) []byte {
	idx := make([]int, len(events))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return events[idx[a]].Order < events[idx[b]].Order })
	strs := map[string]uint64{"": 0}
	var table []string
	ref := func(s string) uint64 {
		if k, ok := strs[s]; ok {
			return k
		}
		table = append(table, s)
		strs[s] = uint64(len(table))
		return uint64(len(table))
	}
	body := make([]byte, 0, len(events)*40)
	for _, i := range idx {
		e := &events[i]
		for _, v := range [packInts]int64{int64(e.Order), int64(e.EventNum), int64(e.Period), int64(e.Clock), int64(e.Elapsed),
			int64(e.Type), int64(e.Side), int64(e.Points), int64(e.FTNum), int64(e.FTOf), int64(e.FTKind), int64(e.Rebound),
			int64(e.Foul), int64(e.ScoreHome), int64(e.ScoreAway), e.Facts.Pack()} {
			body = binary.AppendVarint(body, v)
		}
		body = binary.AppendUvarint(body, uint64(b2i(e.Team)|b2i(e.Made)<<1|b2i(e.Three)<<2))
		for _, s := range [...]string{e.Subtype, string(e.Player), string(e.Assist), string(e.Block), string(e.Steal),
			string(e.Fouled), string(e.SubIn), string(e.SubOut), string(e.Jump2), string(e.JumpTo), e.Description} {
			body = binary.AppendUvarint(body, ref(s))
		}
	}
	size := 0
	for _, s := range table {
		size += len(s) + binary.MaxVarintLen32
	}
	raw := make([]byte, 0, size+len(body)+2*binary.MaxVarintLen64)
	raw = binary.AppendUvarint(raw, uint64(len(table)))
	for _, s := range table {
		raw = binary.AppendUvarint(raw, uint64(len(s)))
		raw = append(raw, s...)
	}
	raw = binary.AppendUvarint(raw, uint64(len(events)))
	raw = append(raw, body...)
	return s2.Encode(nil, raw)
}

// errPack is a play pack that does not decode.
var errPack = errors.New("store: corrupt play pack")

// DecodePlayPack decodes a pack of PlayPackFormat into events (Event.GameID
// is gameID), exactly what LoadPlays reads from the rows.
func DecodePlayPack(gameID string, pack []byte) ([]model.Event, error) {
	raw, err := s2.Decode(nil, pack)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errPack, err)
	}
	d := packReader{b: raw}
	n := d.uvarint()
	if n > uint64(len(raw)) {
		return nil, errPack
	}
	// every string is a substring of one copy of the pack
	all := string(raw)
	table := make([]string, n+1)
	for i := uint64(1); i <= n; i++ {
		l := d.uvarint()
		if l > uint64(len(raw)-d.i) {
			return nil, errPack
		}
		table[i] = all[d.i : d.i+int(l)]
		d.i += int(l)
	}
	ne := d.uvarint()
	if ne > uint64(len(raw)) {
		return nil, errPack
	}
	out := make([]model.Event, ne)
	var v [packInts]int64
	var s [11]string
	for k := range out {
		for j := range v {
			v[j] = d.varint()
		}
		flags := d.uvarint()
		for j := range s {
			x := d.uvarint()
			if x >= uint64(len(table)) {
				return nil, errPack
			}
			s[j] = table[x]
		}
		if d.bad {
			return nil, errPack
		}
		out[k] = model.Event{GameID: gameID, Order: int(v[0]), EventNum: int(v[1]), Period: int(v[2]), Clock: model.Tenths(v[3]),
			Elapsed: model.Tenths(v[4]), Type: model.EventType(v[5]), Side: model.Side(v[6]), Points: int8(v[7]),
			FTNum: int(v[8]), FTOf: int(v[9]), FTKind: model.FreeThrowKind(v[10]), Rebound: model.ReboundKind(v[11]),
			Foul: model.FoulKind(v[12]), ScoreHome: int(v[13]), ScoreAway: int(v[14]), Facts: model.UnpackTextFacts(v[15]),
			Team: flags&1 != 0, Made: flags&2 != 0, Three: flags&4 != 0,
			Subtype: s[0], Player: model.PlayerID(s[1]), Assist: model.PlayerID(s[2]), Block: model.PlayerID(s[3]),
			Steal: model.PlayerID(s[4]), Fouled: model.PlayerID(s[5]), SubIn: model.PlayerID(s[6]), SubOut: model.PlayerID(s[7]),
			Jump2: model.PlayerID(s[8]), JumpTo: model.PlayerID(s[9]), Description: s[10]}
	}
	if d.i != len(raw) {
		return nil, errPack
	}
	return out, nil
}

type packReader struct {
	b   []byte
	i   int
	bad bool
}

func (r *packReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.bad, r.i = true, len(r.b)
		return 0
	}
	r.i += n
	return v
}

func (r *packReader) varint() int64 {
	v, n := binary.Varint(r.b[r.i:])
	if n <= 0 {
		r.bad, r.i = true, len(r.b)
		return 0
	}
	r.i += n
	return v
}

// playPackColumns are the columns of play_packs.
var playPackColumns = []string{"game_id", "provider", "format", "events", "pack"}

func playPackRow(gameID, provider string, events []model.Event) []any {
	return []any{gameID, provider, int64(PlayPackFormat), int64(len(events)), EncodePlayPack(events)}
}

// loadPlayPack reads the pack of (gameID, provider). ok is false when
// there is none of this build's format (or no play_packs table: a
// database not migrated, read through a read-only handle): the caller
// reads the rows.
func loadPlayPack(ctx context.Context, q Querier, gameID, provider string) (evs []model.Event, ok bool, err error) {
	var format int64
	var pack []byte
	if err := q.QueryRow(ctx, `SELECT format, pack FROM play_packs WHERE game_id = $1 AND provider = $2`, gameID, provider).Scan(&format, &pack); err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, nil
	}
	return decodeStoredPack(gameID, provider, format, pack)
}

// decodeStoredPack decodes a play_packs row of gameID and provider; ok is
// false when the pack is of another format than this build's (the plays
// rows are then read instead).
func decodeStoredPack(gameID, provider string, format int64, pack []byte) (evs []model.Event, ok bool, err error) {
	if format != PlayPackFormat {
		return nil, false, nil
	}
	evs, err = DecodePlayPack(gameID, pack)
	if err != nil {
		return nil, false, fmt.Errorf("store: plays of game %s from %s: %w", gameID, provider, err)
	}
	return evs, true, nil
}

// BackfillPlayPacks writes the play packs of the games that have plays but
// no pack of this build's format (a database loaded before play_packs, or
// by a build with another PlayPackFormat), all providers of a game in one
// transaction, and returns how many games it packed. Run by the loader at
// the end of every load; on an up-to-date database it is one query.
func BackfillPlayPacks(ctx context.Context, q Querier) (int, error) {
	ids, err := queryStrings(ctx, q, `SELECT g.game_id FROM games g
WHERE EXISTS (SELECT 1 FROM plays p WHERE p.game_id = g.game_id)
AND NOT EXISTS (SELECT 1 FROM play_packs k WHERE k.game_id = g.game_id AND k.format = $1)
ORDER BY g.game_id`, int64(PlayPackFormat))
	if err != nil {
		return 0, fmt.Errorf("store: games without play packs: %w", err)
	}
	const perTx = 200
	for lo := 0; lo < len(ids); lo += perTx {
		part := ids[lo:min(lo+perTx, len(ids))]
		err := RunInTx(ctx, q, func(tx Tx) error {
			b := Batch{Table: "play_packs", Columns: playPackColumns}
			for _, id := range part {
				provs, err := playRowProviders(ctx, tx, id)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `DELETE FROM play_packs WHERE game_id = $1`, id); err != nil {
					return err
				}
				for _, p := range provs {
					evs, err := loadPlayRows(ctx, tx, id, p)
					if err != nil {
						return err
					}
					if len(evs) > 0 {
						b.Rows = append(b.Rows, playPackRow(id, p, evs))
					}
				}
			}
			if len(b.Rows) == 0 {
				return nil
			}
			_, err := tx.Insert(ctx, b)
			return err
		})
		if err != nil {
			return lo, fmt.Errorf("store: backfill play packs: %w", err)
		}
	}
	return len(ids), nil
}

func playRowProviders(ctx context.Context, q Querier, gameID string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT DISTINCT provider FROM plays WHERE game_id = $1 ORDER BY provider`, gameID)
}
