package readonly

import (
	"errors"
	"fmt"
	"strings"
)

// Statement checking is the SECOND layer of defence. The first is the
// database itself: a read-only transaction on PostgreSQL (extended protocol,
// so one statement only), a read-only, query_only connection with an
// authorizer on SQLite. The checker below exists to give a clear error
// early and to refuse obviously hostile input; nothing relies on it alone.

// ErrNotReadOnly is returned (wrapped) when the statement checker refuses a
// statement.
var ErrNotReadOnly = errors.New("readonly: statement refused")

// allowedFirst are the statement kinds a user may run.
var allowedFirst = map[string]bool{
	"select": true, "with": true, "values": true, "table": true,
	"explain": true, "show": true, "pragma": true,
}

// deniedWords never appear as bare keywords in a read-only query.
var deniedWords = map[string]bool{
	"insert": true, "update": true, "delete": true, "merge": true, "into": true,
	"create": true, "drop": true, "alter": true, "truncate": true, "grant": true,
	"revoke": true, "copy": true, "attach": true, "detach": true, "vacuum": true,
	"reindex": true, "upsert": true,
}

// deniedFuncs are functions that write, reach outside the database, or
// change session state. The database refuses most of them anyway (read-only
// transaction, role privileges); listing them gives a clear message.
var deniedFuncs = map[string]bool{
	"set_config": true, "pg_read_file": true, "pg_read_binary_file": true,
	"pg_ls_dir": true, "pg_stat_file": true, "pg_ls_logdir": true, "pg_ls_waldir": true,
	"lo_import": true, "lo_export": true, "lo_create": true, "lo_creat": true,
	"lo_unlink": true, "lo_put": true, "lo_from_bytea": true, "lo_open": true,
	"pg_import_system_collations": true, "pg_terminate_backend": true,
	"pg_cancel_backend": true, "pg_reload_conf": true, "pg_rotate_logfile": true,
	"pg_advisory_lock": true, "pg_advisory_xact_lock": true, "pg_try_advisory_lock": true,
	"dblink": true, "dblink_exec": true, "dblink_connect": true,
	"query_to_xml": true, "query_to_xml_and_xmlschema": true, "cursor_to_xml": true,
	"database_to_xml": true, "schema_to_xml": true, "table_to_xml": true,
	"load_extension": true, "readfile": true, "writefile": true, "edit": true,
	"fts3_tokenizer": true,
}

// Flavor selects the lexical rules of a dialect (comments, quotes).
type Flavor int

// Lexical flavors.
const (
	FlavorPostgres Flavor = iota
	FlavorSQLite
)

type tokKind int

const (
	tokWord tokKind = iota
	tokSemicolon
	tokOther
	tokLParen
)

type token struct {
	kind tokKind
	text string // lower-cased for words
	pos  int
}

// lex splits sql into tokens following flavor's rules for comments, string
// literals and quoted identifiers; literals and quoted identifiers become a
// single tokOther, so nothing inside them is mistaken for a keyword or a
// statement separator.
func lex(sql string, f Flavor) ([]token, error) {
	var toks []token
	i, n := 0, len(sql)
	for i < n {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < n && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				i = n
			} else {
				i += j + 1
			}
		case c == '/' && i+1 < n && sql[i+1] == '*':
			end, err := blockComment(sql, i, f)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '\'':
			end, err := quoted(sql, i, '\'', f == FlavorPostgres && i > 0 && (sql[i-1] == 'e' || sql[i-1] == 'E') && (i < 2 || !isWordByte(sql[i-2])))
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokOther, pos: i})
			i = end
		case c == '"':
			end, err := quoted(sql, i, '"', false)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokOther, pos: i})
			i = end
		case f == FlavorSQLite && c == '`':
			end, err := quoted(sql, i, '`', false)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokOther, pos: i})
			i = end
		case f == FlavorSQLite && c == '[':
			j := strings.IndexByte(sql[i:], ']')
			if j < 0 {
				return nil, fmt.Errorf("%w: unterminated [identifier] at byte %d", ErrNotReadOnly, i)
			}
			toks = append(toks, token{kind: tokOther, pos: i})
			i += j + 1
		case f == FlavorPostgres && c == '$' && (i == 0 || !isWordByte(sql[i-1])):
			tag, ok := dollarTag(sql[i:])
			if !ok { // a $1 parameter
				toks = append(toks, token{kind: tokOther, pos: i})
				i++
				continue
			}
			j := strings.Index(sql[i+len(tag):], tag)
			if j < 0 {
				return nil, fmt.Errorf("%w: unterminated dollar-quoted string at byte %d", ErrNotReadOnly, i)
			}
			toks = append(toks, token{kind: tokOther, pos: i})
			i += len(tag) + j + len(tag)
		case c == ';':
			toks = append(toks, token{kind: tokSemicolon, pos: i})
			i++
		case c == '(':
			toks = append(toks, token{kind: tokLParen, pos: i})
			i++
		case isWordByte(c):
			j := i
			for j < n && (isWordByte(sql[j]) || sql[j] == '$') {
				j++
			}
			toks = append(toks, token{kind: tokWord, text: strings.ToLower(sql[i:j]), pos: i})
			i = j
		default:
			toks = append(toks, token{kind: tokOther, pos: i})
			i++
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// dollarTag returns the opening tag ($$ or $name$) at the start of s.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || (j > 1 && c >= '0' && c <= '9')) {
			return "", false
		}
	}
	return "", false
}

// blockComment returns the index after the comment starting at i.
// PostgreSQL nests block comments; SQLite does not.
func blockComment(sql string, i int, f Flavor) (int, error) {
	depth := 0
	for j := i; j < len(sql)-1; {
		switch {
		case sql[j] == '/' && sql[j+1] == '*':
			if f == FlavorPostgres || depth == 0 {
				depth++
			}
			j += 2
		case sql[j] == '*' && sql[j+1] == '/':
			depth--
			j += 2
			if depth == 0 {
				return j, nil
			}
		default:
			j++
		}
	}
	if f == FlavorSQLite {
		return len(sql), nil // SQLite ends an unterminated comment at end of input
	}
	return 0, fmt.Errorf("%w: unterminated /* comment at byte %d", ErrNotReadOnly, i)
}

// quoted returns the index after the quoted literal starting at i (doubled
// quotes escape; backslash escapes when backslashes is set: E'...').
func quoted(sql string, i int, q byte, backslashes bool) (int, error) {
	for j := i + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			if backslashes {
				j++
			}
		case q:
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("%w: unterminated %c-quoted text at byte %d", ErrNotReadOnly, q, i)
}

// Check is the statement checker: sql must hold exactly one statement
// (trailing semicolons and comments aside) of an allowed kind (SELECT, WITH,
// VALUES, TABLE, EXPLAIN, SHOW, PRAGMA) without a writing keyword or a
// denied function. It returns the statement with trailing semicolons,
// comments and whitespace removed.
func Check(sql string, f Flavor) (string, error) {
	toks, err := lex(sql, f)
	if err != nil {
		return "", err
	}
	end := -1 // index into toks of the first top-level semicolon
	for k, t := range toks {
		if t.kind == tokSemicolon {
			end = k
			break
		}
	}
	body := toks
	if end >= 0 {
		for _, t := range toks[end:] {
			if t.kind != tokSemicolon {
				return "", fmt.Errorf("%w: more than one statement (a second one starts at byte %d); send one statement per call", ErrNotReadOnly, t.pos)
			}
		}
		body = toks[:end]
	}
	if len(body) == 0 {
		return "", fmt.Errorf("%w: no statement", ErrNotReadOnly)
	}
	first := body[0]
	if first.kind != tokWord || !allowedFirst[first.text] {
		what := "a non-keyword"
		if first.kind == tokWord {
			what = strings.ToUpper(first.text)
		}
		return "", fmt.Errorf("%w: %s statements are not allowed (use SELECT, WITH, VALUES, TABLE, EXPLAIN, SHOW or PRAGMA)", ErrNotReadOnly, what)
	}
	for k, t := range body {
		if t.kind != tokWord {
			continue
		}
		if deniedWords[t.text] {
			return "", fmt.Errorf("%w: %s at byte %d writes; this server is read-only", ErrNotReadOnly, strings.ToUpper(t.text), t.pos)
		}
		if deniedFuncs[t.text] && k+1 < len(body) && body[k+1].kind == tokLParen {
			return "", fmt.Errorf("%w: function %s() at byte %d is not available on this read-only server", ErrNotReadOnly, t.text, t.pos)
		}
	}
	stop := len(sql)
	if end >= 0 {
		stop = toks[end].pos
	}
	return strings.TrimRightFunc(sql[:stop], isSpace), nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
}
