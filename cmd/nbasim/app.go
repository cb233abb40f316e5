package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/store"
)

// app is what every command shares: the effective config, the logger, and
// the lake and store, opened on first use and closed after the command.
type app struct {
	cfg   *config.Config
	log   *slog.Logger
	runID string
	lake  *lake.Lake
	store store.Store
}

// bindFlags declares the persistent flags (--config, --log-level, ...).
func (a *app) bindFlags(root *cobra.Command) {}

// init loads the config and sets up logging.
func (a *app) init(cmd *cobra.Command) error {
	a.cfg = &config.Config{}
	a.log = slog.Default()
	return nil
}

// Config returns the effective configuration.
func (a *app) Config() *config.Config { return a.cfg }

// Logger returns the run's logger (every line carries the run id).
func (a *app) Logger() *slog.Logger { return a.log }

// Lake opens the configured lake once.
func (a *app) Lake(ctx context.Context) (*lake.Lake, error) {
	return nil, errors.New("lake: not wired yet")
}

// Store opens the configured store once and applies pending migrations.
func (a *app) Store(ctx context.Context) (store.Store, error) {
	return nil, errors.New("store: not wired yet")
}

func (a *app) close() error {
	var errs []error
	if a.lake != nil {
		errs = append(errs, a.lake.Close())
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	return errors.Join(errs...)
}
