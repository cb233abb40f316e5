package main

// TEMPORARY: replaced by storeopen.Open when internal/storeopen lands.

import (
	"context"
	"errors"
	"log/slog"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/store"
)

var openStore = func(ctx context.Context, cfg config.Database, log *slog.Logger) (store.Store, error) {
	return nil, errors.New("internal/storeopen has not landed yet")
}
