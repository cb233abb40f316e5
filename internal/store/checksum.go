package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// TableChecksum returns an order-independent checksum of every row of
// table: the same data gives the same value on SQLite and PostgreSQL,
// whatever order the rows were written in or are stored in. Loaders use it
// to prove a second load changed nothing, the MCP server to prove it
// wrote nothing.
//
// Each row is hashed (sha256) over its columns in name order, every value
// rendered canonically (integers in decimal whatever their width, text as
// is, NULL distinct from any text); the row hashes are added as 256-bit
// integers (a multiset hash, so row order does not matter and duplicate
// rows count), and the result is the sha256 of the table name, column
// names, row count and that sum, in hex.
func TableChecksum(ctx context.Context, q Querier, table string) (string, error) {
	return TableChecksumExcept(ctx, q, table)
}

// TableChecksumExcept is TableChecksum over every column but skip (for
// example the timestamps that record when a process wrote a row, when two
// databases filled at different times are compared).
func TableChecksumExcept(ctx context.Context, q Querier, table string, skip ...string) (string, error) {
	all, err := Columns(ctx, q, q.Dialect(), table)
	if err != nil {
		return "", fmt.Errorf("store: checksum %s: %w", table, err)
	}
	var cols []string
	for _, c := range all {
		if !slices.Contains(skip, c) {
			cols = append(cols, c)
		}
	}
	sort.Strings(cols)
	rows, err := q.Query(ctx, `SELECT `+ColumnList(cols)+` FROM `+QuoteIdent(table))
	if err != nil {
		return "", fmt.Errorf("store: checksum %s: %w", table, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	var sum [4]uint64 // little-endian limbs of a 256-bit sum
	var n int64
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return "", fmt.Errorf("store: checksum %s: %w", table, err)
		}
		buf = buf[:0]
		for i, v := range vals {
			buf = append(buf, cols[i]...)
			buf = append(buf, 0)
			buf = appendCanonical(buf, v)
			buf = binary.AppendUvarint(buf, 0) // separator
			vals[i] = nil
		}
		h := sha256.Sum256(buf)
		var carry uint64
		for limb := 0; limb < 4; limb++ {
			x := binary.BigEndian.Uint64(h[24-8*limb:])
			s := sum[limb] + x
			c1 := uint64(0)
			if s < sum[limb] {
				c1 = 1
			}
			s2 := s + carry
			if s2 < s {
				c1++
			}
			sum[limb] = s2
			carry = c1
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("store: checksum %s: %w", table, err)
	}
	final := sha256.New()
	final.Write([]byte("nbasim-table-checksum-v1\x00" + table + "\x00"))
	for _, c := range cols {
		final.Write([]byte(c + "\x00"))
	}
	final.Write([]byte(strconv.FormatInt(n, 10) + "\x00"))
	for limb := 3; limb >= 0; limb-- {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], sum[limb])
		final.Write(b[:])
	}
	return hexString(final.Sum(nil)), nil
}
