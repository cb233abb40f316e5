// Package storeopen opens the configured store: PostgreSQL when the
// database URL is a postgres:// or postgresql:// URL, otherwise the embedded
// SQLite file. It lives apart from package store so that store (the
// interface and typed helpers) does not depend on the engines.
package storeopen

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/store/postgres"
	"github.com/nbasim/nbasim/internal/store/sqlite"
)

// DefaultSQLitePath is where the embedded database lives by default.
const DefaultSQLitePath = "./data/nbasim.db"

// IsPostgresURL reports whether u selects the PostgreSQL engine.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// SQLiteURLPath returns the file path of a SQLite location given as a
// database URL: sqlite:///abs/path, sqlite:path, file:path or a bare path
// (the forms the config loader also accepts). ok is false for other URLs.
func SQLiteURLPath(u string) (path string, ok bool) {
	u = strings.TrimSpace(u)
	switch {
	case u == "":
		return "", false
	case strings.HasPrefix(u, "sqlite://"):
		path = strings.TrimPrefix(u, "sqlite://")
	case strings.HasPrefix(u, "sqlite:"):
		path = strings.TrimPrefix(u, "sqlite:")
	case strings.HasPrefix(u, "file:"):
		path = strings.TrimPrefix(strings.TrimPrefix(u, "file:"), "//")
	case !strings.Contains(u, "://"):
		path = u
	default:
		return "", false
	}
	return path, path != ""
}

// Location returns where cfg points, with any password redacted (for
// messages before a connection exists).
func Location(cfg config.Database) string {
	if IsPostgresURL(cfg.URL) {
		return postgres.Redact(cfg.URL)
	}
	if p, ok := SQLiteURLPath(cfg.URL); ok {
		return p
	}
	if cfg.SQLitePath == "" {
		return DefaultSQLitePath
	}
	return cfg.SQLitePath
}

// Open opens the configured store and applies pending migrations.
func Open(ctx context.Context, cfg config.Database, log *slog.Logger) (store.Store, error) {
	s, err := Connect(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	n, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	if n > 0 && log != nil {
		v, _ := s.Version(ctx)
		log.Info("database migrated", "dialect", s.Dialect(), "location", Location(cfg),
			"applied", n, "version", v, "duration", time.Since(start).Round(time.Millisecond))
	}
	return s, nil
}

// OpenRead opens the configured store for a command that only reads (a
// cold `nbasim box`): when the schema is already at this binary's version,
// a SQLite file is opened read-only on one connection and nothing runs
// but that check (no migration transaction, no writer connection; SQLite
// parses the schema once per connection); a PostgreSQL database is
// connected without the migration lock. A database that is behind, or a
// SQLite file that does not exist yet, goes through Open, which migrates.
// Writes through a read-only SQLite store fail.
func OpenRead(ctx context.Context, cfg config.Database, log *slog.Logger) (store.Store, error) {
	s, err := connect(ctx, cfg, log, true)
	if err != nil {
		if IsPostgresURL(cfg.URL) {
			return nil, err
		}
		return Open(ctx, cfg, log) // creates the file, as every command does
	}
	if v, err := store.AppliedVersion(ctx, s, s.Dialect()); err != nil || v != store.LatestVersion(s.Dialect()) {
		s.Close()
		return Open(ctx, cfg, log)
	}
	return s, nil
}

// Connect opens the configured store without migrating (for `db status`
// and health checks, which report pending migrations rather than apply
// them).
func Connect(ctx context.Context, cfg config.Database, log *slog.Logger) (store.Store, error) {
	return connect(ctx, cfg, log, false)
}

func connect(ctx context.Context, cfg config.Database, log *slog.Logger, readOnly bool) (store.Store, error) {
	if cfg.URL != "" && !IsPostgresURL(cfg.URL) {
		path, ok := SQLiteURLPath(cfg.URL)
		if !ok {
			return nil, fmt.Errorf("database url %s: want postgres://, postgresql://, sqlite:///path, file:path or a file path (or leave it empty for SQLite at sqlite_path)", postgres.Redact(cfg.URL))
		}
		cfg.URL, cfg.SQLitePath = "", path
	}
	if IsPostgresURL(cfg.URL) {
		s, err := postgres.Open(ctx, cfg.URL, postgres.Options{
			MinConns:       int32(cfg.MinConns),
			MaxConns:       int32(cfg.MaxConns),
			ConnectRetries: cfg.ConnectRetries,
			ConnectTimeout: cfg.ConnectTimeout,
		})
		if err != nil {
			return nil, err
		}
		if log != nil {
			log.Debug("database connected", "dialect", store.Postgres, "location", Location(cfg))
		}
		return s, nil
	}
	path := cfg.SQLitePath
	if path == "" {
		path = DefaultSQLitePath
	}
	s, err := sqlite.Open(ctx, path, sqlite.Options{BusyTimeout: cfg.BusyTimeout, ReadOnly: readOnly})
	if err != nil {
		return nil, err
	}
	if log != nil {
		log.Debug("database opened", "dialect", store.SQLite, "location", path)
	}
	return s, nil
}
