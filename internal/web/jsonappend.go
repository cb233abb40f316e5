package web

import (
	"strconv"
	"sync"

	"github.com/nbasim/nbasim/internal/jsonx"
)

// The box at a moment is the API's hot path (a slider drag is one request
// per position), so BoxOut writes its own JSON into a pooled buffer instead
// of going through encoding/json's reflection: the bytes are exactly what
// json.Encoder writes (HTML escaping on), which TestBoxJSONIsEncodingJSON
// checks over every moment of a real game.

// jsonAppender is a response that renders itself: AppendJSON appends the
// value's JSON, byte for byte what json.Marshal gives, to dst.
type jsonAppender interface {
	AppendJSON(dst []byte) []byte
}

// bufPool holds response buffers (a box is ~10 KB).
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func appendJSONBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// appendKey appends ,"key": (or "key": for the first field: first).
func appendKey(dst []byte, key string, first bool) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, key...)
	return append(dst, '"', ':')
}

func appendIntField(dst []byte, key string, v int) []byte {
	return jsonx.AppendInt(appendKey(dst, key, false), v)
}

// appendStatLine appends the fields of a StatLine (embedded: no braces,
// each field after a comma; the keys written whole).
func appendStatLine(dst []byte, s *StatLine) []byte {
	dst = jsonx.AppendFloat(append(dst, `,"seconds_played":`...), s.SecondsPlayed)
	dst = jsonx.AppendInt(append(dst, `,"pts":`...), s.PTS)
	dst = jsonx.AppendInt(append(dst, `,"fgm":`...), s.FGM)
	dst = jsonx.AppendInt(append(dst, `,"fga":`...), s.FGA)
	dst = jsonx.AppendInt(append(dst, `,"fg3m":`...), s.FG3M)
	dst = jsonx.AppendInt(append(dst, `,"fg3a":`...), s.FG3A)
	dst = jsonx.AppendInt(append(dst, `,"ftm":`...), s.FTM)
	dst = jsonx.AppendInt(append(dst, `,"fta":`...), s.FTA)
	dst = jsonx.AppendInt(append(dst, `,"oreb":`...), s.OREB)
	dst = jsonx.AppendInt(append(dst, `,"dreb":`...), s.DREB)
	dst = jsonx.AppendInt(append(dst, `,"reb":`...), s.REB)
	dst = jsonx.AppendInt(append(dst, `,"ast":`...), s.AST)
	dst = jsonx.AppendInt(append(dst, `,"stl":`...), s.STL)
	dst = jsonx.AppendInt(append(dst, `,"blk":`...), s.BLK)
	dst = jsonx.AppendInt(append(dst, `,"tov":`...), s.TOV)
	dst = jsonx.AppendInt(append(dst, `,"pf":`...), s.PF)
	return jsonx.AppendInt(append(dst, `,"plus_minus":`...), s.PlusMinus)
}

func (t *TeamBoxLine) appendJSON(dst []byte) []byte {
	dst = jsonx.AppendString(appendKey(append(dst, '{'), "team_id", true), t.TeamID)
	dst = jsonx.AppendString(appendKey(dst, "code", false), t.Code)
	dst = jsonx.AppendString(appendKey(dst, "side", false), t.Side)
	dst = appendIntField(dst, "team_oreb", t.TeamOREB)
	dst = appendIntField(dst, "team_dreb", t.TeamDREB)
	dst = appendIntField(dst, "team_tov", t.TeamTOV)
	dst = appendIntField(dst, "possessions", t.Poss)
	return append(appendStatLine(dst, &t.StatLine), '}')
}

func (p *PlayerBoxLine) appendJSON(dst []byte) []byte {
	dst = jsonx.AppendString(append(dst, `{"player_id":`...), p.PlayerID)
	dst = jsonx.AppendString(append(dst, `,"name":`...), p.Name)
	dst = jsonx.AppendString(append(dst, `,"side":`...), p.Side)
	dst = appendJSONBool(append(dst, `,"starter":`...), p.Starter)
	dst = appendJSONBool(append(dst, `,"dnp":`...), p.DNP)
	return append(appendStatLine(dst, &p.StatLine), '}')
}

func appendOnCourt(dst []byte, ps []OnCourtPlayer) []byte {
	if ps == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i := range ps {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonx.AppendString(appendKey(append(dst, '{'), "player_id", true), ps[i].PlayerID)
		dst = append(jsonx.AppendString(appendKey(dst, "name", false), ps[i].Name), '}')
	}
	return append(dst, ']')
}

func (m *MomentOut) appendJSON(dst []byte) []byte {
	dst = jsonx.AppendString(appendKey(append(dst, '{'), "kind", true), m.Kind)
	dst = jsonx.AppendString(appendKey(dst, "label", false), m.Label)
	dst = jsonx.AppendFloat(appendKey(dst, "elapsed_seconds", false), m.ElapsedSeconds)
	dst = appendIntField(dst, "period", m.Period)
	dst = jsonx.AppendFloat(appendKey(dst, "clock_seconds", false), m.ClockSeconds)
	if m.EventNum != nil {
		dst = appendIntField(dst, "event_num", *m.EventNum)
	}
	if m.FromElapsedSeconds != nil {
		dst = jsonx.AppendFloat(appendKey(dst, "from_elapsed_seconds", false), *m.FromElapsedSeconds)
	}
	if m.ToElapsedSeconds != nil {
		dst = jsonx.AppendFloat(appendKey(dst, "to_elapsed_seconds", false), *m.ToElapsedSeconds)
	}
	return append(dst, '}')
}

// AppendJSON appends the box's JSON (what json.Marshal gives).
func (b *BoxOut) AppendJSON(dst []byte) []byte {
	dst = jsonx.AppendString(appendKey(append(dst, '{'), "game_id", true), b.GameID)
	dst = jsonx.AppendString(appendKey(dst, "provider", false), b.Provider)
	dst = b.Moment.appendJSON(appendKey(dst, "moment", false))
	dst = strconv.AppendInt(appendKey(append(appendKey(dst, "score", false), '{'), "away", true), int64(b.Score.Away), 10)
	dst = append(appendIntField(dst, "home", b.Score.Home), '}')
	dst = appendJSONBool(appendKey(dst, "degraded", false), b.Degraded)
	dst = jsonx.AppendStrings(appendKey(dst, "degraded_reasons", false), b.DegradedReasons)
	dst = b.Teams.Away.appendJSON(appendKey(append(appendKey(dst, "teams", false), '{'), "away", true))
	dst = append(b.Teams.Home.appendJSON(appendKey(dst, "home", false)), '}')
	dst = appendKey(dst, "players", false)
	if b.Players == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range b.Players {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = b.Players[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = appendOnCourt(appendKey(append(appendKey(dst, "on_court", false), '{'), "away", true), b.OnCourt.Away)
	dst = append(appendOnCourt(appendKey(dst, "home", false), b.OnCourt.Home), '}')
	return append(dst, '}')
}
