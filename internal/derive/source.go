package derive

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/registry"
)

// ReadFile reads a raw provider file (gzipped or not) and parses it with
// the parser internal/parse/registry recognises from its path or content.
// item is the game id (or bbref id) the file is for, when known. It
// returns the result and the entry's ID ("nba_stats/playbyplayv2").
func ReadFile(path, item string) (*parse.Result, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	return registry.ParseFile(path, data, parse.Hint{Key: path, Item: item})
}
