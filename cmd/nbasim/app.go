package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/logging"
	"github.com/nbasim/nbasim/internal/store"
	"github.com/nbasim/nbasim/internal/storeopen"
)

// app is what every command shares: the effective config, the logger, and
// the lake and store, opened on first use and closed after the command.
type app struct {
	cfg     *config.Config
	origins *config.Origins
	log     *slog.Logger
	logger  *logging.Logger
	runID   string
	lake    *lake.Lake
	store   store.Store

	flags struct {
		config    string
		logLevel  string
		logFormat string
		logFile   string
		lake      string
		db        string
	}
}

// skipInit is a command annotation: the command needs no config (version).
const skipInit = "nbasim/skip-init"

// flagKeys maps persistent flags to the config keys they set.
var flagKeys = []struct{ flag, key string }{
	{"log-level", "log.level"},
	{"log-format", "log.format"},
	{"log-file", "log.file"},
	{"lake", "lake.url"},
	{"db", "database.url"},
}

// bindFlags declares the persistent flags (--config, --log-level, ...).
func (a *app) bindFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&a.flags.config, "config", "", "config file (default ./nbasim.yaml if present; env NBASIM_CONFIG)")
	f.StringVar(&a.flags.logLevel, "log-level", "", "log level: debug, info, warn, error (default info)")
	f.StringVar(&a.flags.logFormat, "log-format", "", "log format: auto, text, json (default auto: text on a terminal)")
	f.StringVar(&a.flags.logFile, "log-file", "", "also write JSON logs to this file (rotated at 10 MB, 5 backups)")
	f.StringVar(&a.flags.lake, "lake", "", "lake URL: file://path, s3://bucket?region=.., mem://")
	f.StringVar(&a.flags.db, "db", "", "database: postgres://... URL or a SQLite file path")
}

// init loads the config and sets up logging.
func (a *app) init(cmd *cobra.Command) error {
	if a.log == nil {
		a.log = slog.Default()
	}
	for c := cmd; c != nil; c = c.Parent() {
		if c.Annotations[skipInit] == "true" {
			return nil
		}
	}
	opts := config.Options{ConfigPath: a.flags.config}
	values := map[string]string{
		"log-level": a.flags.logLevel, "log-format": a.flags.logFormat, "log-file": a.flags.logFile,
		"lake": a.flags.lake, "db": a.flags.db,
	}
	for _, fk := range flagKeys {
		if fl := cmd.Flags().Lookup(fk.flag); fl != nil && fl.Changed {
			opts.Flags = append(opts.Flags, config.Flag{Key: fk.key, Name: fk.flag, Value: values[fk.flag]})
		}
	}
	cfg, origins, err := config.Load(opts)
	if err != nil {
		return withExit(2, err)
	}
	if err := layout.CatalogError(); err != nil {
		return withExit(2, err)
	}
	a.cfg, a.origins = cfg, origins
	lg, err := logging.New(logging.Options{
		Level:      cfg.Log.Level,
		Format:     cfg.Log.Format,
		File:       cfg.Log.File,
		MaxSizeMB:  cfg.Log.MaxSizeMB,
		MaxBackups: cfg.Log.MaxBackups,
		RunID:      a.runID,
	})
	if err != nil {
		return withExit(2, err)
	}
	a.logger, a.log, a.runID = lg, lg.Logger, lg.RunID
	for _, w := range origins.Warnings {
		a.log.Warn("config: " + w)
	}
	a.log.Debug("config loaded", "file", origins.File, "dotenv", origins.DotEnv,
		"lake", config.RedactURL(cfg.Lake.URL), "database", a.databaseLocation())
	return nil
}

// Config returns the effective configuration.
func (a *app) Config() *config.Config { return a.cfg }

// Origins returns where each config value came from.
func (a *app) Origins() *config.Origins { return a.origins }

// Logger returns the run's logger (every line carries the run id).
func (a *app) Logger() *slog.Logger { return a.log }

// RunID returns this process's run id.
func (a *app) RunID() string { return a.runID }

// LakeURL returns the URL the lake is opened with: s3:// URLs get the
// configured region when they carry none.
func LakeURL(c config.Lake) string {
	u := strings.TrimSpace(c.URL)
	if !strings.HasPrefix(u, "s3://") || c.Region == "" {
		return u
	}
	base, query, _ := strings.Cut(u, "?")
	q, err := url.ParseQuery(query)
	if err != nil || q.Get("region") != "" {
		return u
	}
	q.Set("region", c.Region)
	return base + "?" + q.Encode()
}

// Lake opens the configured lake once.
func (a *app) Lake(ctx context.Context) (*lake.Lake, error) {
	if a.lake != nil {
		return a.lake, nil
	}
	if a.cfg == nil {
		return nil, errors.New("lake: config not loaded")
	}
	l, err := lake.Open(ctx, LakeURL(a.cfg.Lake), a.cfg.Lake.Prefix)
	if err != nil {
		return nil, err
	}
	a.lake = l
	return l, nil
}

// Store opens the configured store once and applies pending migrations.
func (a *app) Store(ctx context.Context) (store.Store, error) {
	return a.openStore(ctx, storeopen.Open)
}

// StoreRead opens the configured store once for a command that only reads
// (storeopen.OpenRead: read-only, no migration work when the schema is
// current). A later Store call returns the same store, so a command that
// may write calls Store.
func (a *app) StoreRead(ctx context.Context) (store.Store, error) {
	return a.openStore(ctx, storeopen.OpenRead)
}

func (a *app) openStore(ctx context.Context, open func(context.Context, config.Database, *slog.Logger) (store.Store, error)) (store.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	if a.cfg == nil {
		return nil, errors.New("store: config not loaded")
	}
	s, err := open(ctx, a.cfg.Database, a.log)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", a.databaseLocation(), err)
	}
	a.store = s
	return s, nil
}

// StoreNoMigrate opens the configured store without applying migrations
// (db status, db migrate and doctor report or apply them explicitly). The
// caller closes it.
func (a *app) StoreNoMigrate(ctx context.Context) (store.Store, error) {
	if a.cfg == nil {
		return nil, errors.New("store: config not loaded")
	}
	s, err := storeopen.Connect(ctx, a.cfg.Database, a.log)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", a.databaseLocation(), err)
	}
	return s, nil
}

// databaseLocation is the database as shown to users (password redacted).
func (a *app) databaseLocation() string {
	if a.cfg == nil {
		return ""
	}
	if a.cfg.Database.URL != "" {
		return config.RedactURL(a.cfg.Database.URL)
	}
	return a.cfg.Database.SQLitePath
}

func (a *app) close() error {
	var errs []error
	if a.lake != nil {
		errs = append(errs, a.lake.Close())
		a.lake = nil
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
		a.store = nil
	}
	if a.logger != nil {
		errs = append(errs, a.logger.Close())
	}
	return errors.Join(errs...)
}
