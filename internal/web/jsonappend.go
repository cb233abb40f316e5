package web

import (
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
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

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping: <, > and & as \u003c..., control characters, U+2028
// and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONFloat appends f as encoding/json writes a float64 (shortest
// representation, exponent form outside [1e-6, 1e21)). f must be finite.
func appendJSONFloat(dst []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

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
	return strconv.AppendInt(appendKey(dst, key, false), int64(v), 10)
}

// appendStatLine appends the fields of a StatLine (embedded: no braces,
// each field after a comma).
func appendStatLine(dst []byte, s *StatLine) []byte {
	dst = appendJSONFloat(appendKey(dst, "seconds_played", false), s.SecondsPlayed)
	dst = appendIntField(dst, "pts", s.PTS)
	dst = appendIntField(dst, "fgm", s.FGM)
	dst = appendIntField(dst, "fga", s.FGA)
	dst = appendIntField(dst, "fg3m", s.FG3M)
	dst = appendIntField(dst, "fg3a", s.FG3A)
	dst = appendIntField(dst, "ftm", s.FTM)
	dst = appendIntField(dst, "fta", s.FTA)
	dst = appendIntField(dst, "oreb", s.OREB)
	dst = appendIntField(dst, "dreb", s.DREB)
	dst = appendIntField(dst, "reb", s.REB)
	dst = appendIntField(dst, "ast", s.AST)
	dst = appendIntField(dst, "stl", s.STL)
	dst = appendIntField(dst, "blk", s.BLK)
	dst = appendIntField(dst, "tov", s.TOV)
	dst = appendIntField(dst, "pf", s.PF)
	return appendIntField(dst, "plus_minus", s.PlusMinus)
}

func (t *TeamBoxLine) appendJSON(dst []byte) []byte {
	dst = appendJSONString(appendKey(append(dst, '{'), "team_id", true), t.TeamID)
	dst = appendJSONString(appendKey(dst, "code", false), t.Code)
	dst = appendJSONString(appendKey(dst, "side", false), t.Side)
	dst = appendIntField(dst, "team_oreb", t.TeamOREB)
	dst = appendIntField(dst, "team_dreb", t.TeamDREB)
	dst = appendIntField(dst, "team_tov", t.TeamTOV)
	dst = appendIntField(dst, "possessions", t.Poss)
	return append(appendStatLine(dst, &t.StatLine), '}')
}

func (p *PlayerBoxLine) appendJSON(dst []byte) []byte {
	dst = appendJSONString(appendKey(append(dst, '{'), "player_id", true), p.PlayerID)
	dst = appendJSONString(appendKey(dst, "name", false), p.Name)
	dst = appendJSONString(appendKey(dst, "side", false), p.Side)
	dst = appendJSONBool(appendKey(dst, "starter", false), p.Starter)
	dst = appendJSONBool(appendKey(dst, "dnp", false), p.DNP)
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
		dst = appendJSONString(appendKey(append(dst, '{'), "player_id", true), ps[i].PlayerID)
		dst = append(appendJSONString(appendKey(dst, "name", false), ps[i].Name), '}')
	}
	return append(dst, ']')
}

func (m *MomentOut) appendJSON(dst []byte) []byte {
	dst = appendJSONString(appendKey(append(dst, '{'), "kind", true), m.Kind)
	dst = appendJSONString(appendKey(dst, "label", false), m.Label)
	dst = appendJSONFloat(appendKey(dst, "elapsed_seconds", false), m.ElapsedSeconds)
	dst = appendIntField(dst, "period", m.Period)
	dst = appendJSONFloat(appendKey(dst, "clock_seconds", false), m.ClockSeconds)
	if m.EventNum != nil {
		dst = appendIntField(dst, "event_num", *m.EventNum)
	}
	if m.FromElapsedSeconds != nil {
		dst = appendJSONFloat(appendKey(dst, "from_elapsed_seconds", false), *m.FromElapsedSeconds)
	}
	if m.ToElapsedSeconds != nil {
		dst = appendJSONFloat(appendKey(dst, "to_elapsed_seconds", false), *m.ToElapsedSeconds)
	}
	return append(dst, '}')
}

// AppendJSON appends the box's JSON (what json.Marshal gives).
func (b *BoxOut) AppendJSON(dst []byte) []byte {
	dst = appendJSONString(appendKey(append(dst, '{'), "game_id", true), b.GameID)
	dst = appendJSONString(appendKey(dst, "provider", false), b.Provider)
	dst = b.Moment.appendJSON(appendKey(dst, "moment", false))
	dst = strconv.AppendInt(appendKey(append(appendKey(dst, "score", false), '{'), "away", true), int64(b.Score.Away), 10)
	dst = append(appendIntField(dst, "home", b.Score.Home), '}')
	dst = appendJSONBool(appendKey(dst, "degraded", false), b.Degraded)
	dst = appendKey(dst, "degraded_reasons", false)
	if b.DegradedReasons == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, r := range b.DegradedReasons {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, r)
		}
		dst = append(dst, ']')
	}
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
