// Package archivetest helps tests of other packages use the real bulk
// archives: reduced copies for CI.
package archivetest

import (
	"archive/tar"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/nbasim/nbasim/internal/archive"
)

// FirstGames writes the first n members of a bulk archive to a
// tar.zst of the same name in a temporary folder (a reduced archive for
// CI) and returns its path and the members' game ids.
func FirstGames(t testing.TB, file string, n int) (string, []string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(file))
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw, err := zstd.NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(zw)
	var ids []string
	errEnough := errors.New("enough")
	err = archive.Walk(context.Background(), file, archive.Options{}, func(m *archive.Member) error {
		if len(ids) == n {
			return errEnough
		}
		ids = append(ids, m.GameID)
		if err := tw.WriteHeader(&tar.Header{Name: m.Name, Size: int64(len(m.Data)), Mode: 0o644, ModTime: m.ModTime, Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err := tw.Write(m.Data)
		return err
	})
	if err != nil && !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out, ids
}
