// Package fleet shares each provider host's pacing among every nbasim
// process using one PostgreSQL database, so that a fleet of `nbasim run`
// processes (on one machine or many) sends each host at most its
// configured rate in total, and so that a Retry-After, a lockout, an open
// circuit breaker or a slow-down seen by one process holds for all of them.
// It implements source.Fleet; a source.Client uses it after SetFleet.
//
// The state is one row per host in nbasim_fleet_hosts:
//
//   - a token bucket kept as GCRA (generic cell rate algorithm): the row
//     holds the theoretical arrival time `tat` of the next request; taking a
//     slot is one atomic INSERT ... ON CONFLICT DO UPDATE ... RETURNING that
//     computes the slot's send time max(now, tat - (burst-1)·T) and
//     advances tat to max(tat, now) + T, T = 1/(rate·rate_factor). The row
//     lock serialises concurrent takers, so no two slots are closer than T
//     beyond the burst, whichever process took them. Nothing is held
//     between statements: a process killed while it waits for its slot
//     loses only that slot.
//   - `paused_until` and `pause_reason`: a Retry-After, an open breaker or
//     a lockout, which Take reports instead of reserving a slot;
//   - `rate_factor`: the shared slow-down after throttled answers.
//
// Every time is the database's clock (clock_timestamp()), converted to and
// from durations at the edge, so clock skew between machines does not
// matter. The table is created by Open with idempotent DDL (CREATE TABLE IF
// NOT EXISTS under an advisory lock), not by a store migration: it is
// coordination state, not data, it exists on PostgreSQL only (SQLite means
// one process, which paces itself), and it is never part of the store's
// table checksums.
package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/nbasim/nbasim/internal/source"
)

// Table is the name of the table holding the hosts' shared state.
const Table = "nbasim_fleet_hosts"

// advisoryKey serialises the DDL of concurrent Opens ("nbfleet" in ASCII).
const advisoryKey = 0x6e62666c656574

const ddl = `CREATE TABLE IF NOT EXISTS ` + Table + ` (
	host         text PRIMARY KEY,
	tat          timestamptz NOT NULL,            -- theoretical arrival time of the next request (GCRA)
	slot         timestamptz,                     -- send time of the last slot taken (NULL: refused, paused)
	rate_factor  double precision NOT NULL DEFAULT 1 CHECK (rate_factor > 0 AND rate_factor <= 1),
	paused_until timestamptz,
	pause_reason text,
	taken        bigint NOT NULL DEFAULT 0,       -- slots handed out
	pauses       bigint NOT NULL DEFAULT 0,       -- pauses set
	updated_at   timestamptz NOT NULL DEFAULT now()
)`

// Limiter is the fleet-wide pacer on PostgreSQL. It is safe for concurrent
// use.
type Limiter struct {
	pool *pgxpool.Pool
}

var _ source.Fleet = (*Limiter)(nil)

// Open returns the limiter on pool, creating its table when absent.
func Open(ctx context.Context, pool *pgxpool.Pool) (*Limiter, error) {
	if pool == nil {
		return nil, errors.New("fleet: no PostgreSQL pool")
	}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(advisoryKey)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, ddl)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("fleet: create %s: %w", Table, err)
	}
	return &Limiter{pool: pool}, nil
}

// at converts a duration from the database's now into a local time.
func at(secs *float64) time.Time {
	if secs == nil {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(*secs * float64(time.Second)))
}

// takeSQL reserves one slot: $1 host, $2 rate (> 0), $3 burst.
const takeSQL = `INSERT INTO ` + Table + ` AS h (host, tat, slot, taken, updated_at)
VALUES ($1, clock_timestamp() + make_interval(secs => 1 / $2::float8), clock_timestamp(), 1, clock_timestamp())
ON CONFLICT (host) DO UPDATE SET
	slot = CASE WHEN h.paused_until > clock_timestamp() THEN NULL
		ELSE GREATEST(clock_timestamp(), h.tat - make_interval(secs => ($3::int - 1) / ($2::float8 * h.rate_factor))) END,
	tat = CASE WHEN h.paused_until > clock_timestamp() THEN h.tat
		ELSE GREATEST(h.tat, clock_timestamp()) + make_interval(secs => 1 / ($2::float8 * h.rate_factor)) END,
	taken = h.taken + CASE WHEN h.paused_until > clock_timestamp() THEN 0 ELSE 1 END,
	updated_at = clock_timestamp()
RETURNING EXTRACT(EPOCH FROM slot - clock_timestamp())::float8,
	CASE WHEN paused_until > clock_timestamp() THEN EXTRACT(EPOCH FROM paused_until - clock_timestamp())::float8 END,
	CASE WHEN paused_until > clock_timestamp() THEN pause_reason END,
	rate_factor`

// Take implements source.Fleet: one statement, one round trip.
func (l *Limiter) Take(ctx context.Context, host string, rate float64, burst int) (source.Slot, error) {
	if rate <= 0 { // unlimited: only the pause matters
		until, reason, err := l.PausedUntil(ctx, host)
		if err != nil {
			return source.Slot{}, err
		}
		if !until.IsZero() {
			return source.Slot{PausedUntil: until, Reason: reason, RateFactor: 1}, nil
		}
		return source.Slot{At: time.Now(), RateFactor: 1}, nil
	}
	burst = max(burst, 1)
	var slot, paused *float64
	var reason *string
	var factor float64
	if err := l.pool.QueryRow(ctx, takeSQL, host, rate, burst).Scan(&slot, &paused, &reason, &factor); err != nil {
		return source.Slot{}, fmt.Errorf("fleet: take a slot of %s: %w", host, err)
	}
	s := source.Slot{At: at(slot), PausedUntil: at(paused), RateFactor: factor}
	if reason != nil {
		s.Reason = source.PauseReason(*reason)
	}
	if slot == nil && paused == nil { // the pause ended between the two reads: take again
		return l.Take(ctx, host, rate, burst)
	}
	return s, nil
}

// Pause implements source.Fleet. The later of the pause in force and the
// new one wins, with its reason.
func (l *Limiter) Pause(ctx context.Context, host string, until time.Time, reason source.PauseReason) error {
	secs := time.Until(until).Seconds()
	if secs <= 0 {
		return nil
	}
	const q = `INSERT INTO ` + Table + ` AS h (host, tat, paused_until, pause_reason, pauses, updated_at)
VALUES ($1, clock_timestamp(), clock_timestamp() + make_interval(secs => $2::float8), $3, 1, clock_timestamp())
ON CONFLICT (host) DO UPDATE SET
	pause_reason = CASE WHEN h.paused_until IS NULL OR h.paused_until < EXCLUDED.paused_until
		THEN EXCLUDED.pause_reason ELSE h.pause_reason END,
	paused_until = GREATEST(h.paused_until, EXCLUDED.paused_until),
	pauses = h.pauses + 1,
	updated_at = clock_timestamp()`
	if _, err := l.pool.Exec(ctx, q, host, secs, string(reason)); err != nil {
		return fmt.Errorf("fleet: pause %s: %w", host, err)
	}
	return nil
}

// PausedUntil implements source.Fleet.
func (l *Limiter) PausedUntil(ctx context.Context, host string) (time.Time, source.PauseReason, error) {
	var secs float64
	var reason string
	err := l.pool.QueryRow(ctx, `SELECT EXTRACT(EPOCH FROM paused_until - clock_timestamp())::float8, coalesce(pause_reason, '')
FROM `+Table+` WHERE host = $1 AND paused_until > clock_timestamp()`, host).Scan(&secs, &reason)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, "", nil
	}
	if err != nil {
		return time.Time{}, "", fmt.Errorf("fleet: pause of %s: %w", host, err)
	}
	return at(&secs), source.PauseReason(reason), nil
}

// Scale implements source.Fleet.
func (l *Limiter) Scale(ctx context.Context, host string, factor, minFactor float64) (float64, error) {
	if factor <= 0 {
		return 0, fmt.Errorf("fleet: scale %s by %v: the factor must be positive", host, factor)
	}
	minFactor = min(max(minFactor, 1e-6), 1)
	const q = `INSERT INTO ` + Table + ` AS h (host, tat, rate_factor, updated_at)
VALUES ($1, clock_timestamp(), LEAST(1, GREATEST($3::float8, $2::float8)), clock_timestamp())
ON CONFLICT (host) DO UPDATE SET
	rate_factor = LEAST(1, GREATEST($3::float8, h.rate_factor * $2::float8)),
	updated_at = clock_timestamp()
RETURNING rate_factor`
	var f float64
	if err := l.pool.QueryRow(ctx, q, host, factor, minFactor).Scan(&f); err != nil {
		return 0, fmt.Errorf("fleet: scale %s: %w", host, err)
	}
	return f, nil
}

// Host is the shared state of one host, for status reports.
type Host struct {
	Host        string             `json:"host"`
	RateFactor  float64            `json:"rate_factor"`
	PausedUntil time.Time          `json:"paused_until,omitzero"`
	PauseReason source.PauseReason `json:"pause_reason,omitempty"`
	Taken       int64              `json:"slots_taken"`
	Pauses      int64              `json:"pauses"`
	UpdatedAt   time.Time          `json:"updated_at"`
}

// Hosts returns the shared state of every host, sorted by host.
func (l *Limiter) Hosts(ctx context.Context) ([]Host, error) {
	rows, err := l.pool.Query(ctx, `SELECT host, rate_factor,
	CASE WHEN paused_until > clock_timestamp() THEN EXTRACT(EPOCH FROM paused_until - clock_timestamp())::float8 END,
	CASE WHEN paused_until > clock_timestamp() THEN pause_reason END,
	taken, pauses, updated_at
FROM `+Table+` ORDER BY host`)
	if err != nil {
		return nil, fmt.Errorf("fleet: hosts: %w", err)
	}
	defer rows.Close()
	var out []Host
	for rows.Next() {
		var h Host
		var paused *float64
		var reason *string
		if err := rows.Scan(&h.Host, &h.RateFactor, &paused, &reason, &h.Taken, &h.Pauses, &h.UpdatedAt); err != nil {
			return nil, fmt.Errorf("fleet: hosts: %w", err)
		}
		h.PausedUntil = at(paused)
		if reason != nil {
			h.PauseReason = source.PauseReason(*reason)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet: hosts: %w", err)
	}
	return out, nil
}

// Reset forgets the shared state of host (its pause, slow-down and
// bucket): for operators after a provider lifted a lockout early, and for
// tests.
func (l *Limiter) Reset(ctx context.Context, host string) error {
	if _, err := l.pool.Exec(ctx, `DELETE FROM `+Table+` WHERE host = $1`, host); err != nil {
		return fmt.Errorf("fleet: reset %s: %w", host, err)
	}
	return nil
}
