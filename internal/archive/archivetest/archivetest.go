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

// SeasonGames are the seasons of ../shared/data/archive/legacy_pbp and the
// count of games of each (the data README): 14,061 in all.
var SeasonGames = map[string]int{"2013-14": 1319, "2014-15": 1311, "2015-16": 1316, "2016-17": 1309, "2017-18": 1303,
	"2018-19": 1284, "2019-20": 1135, "2020-21": 1157, "2021-22": 1311, "2022-23": 1308, "2024-25": 1308}

// NoGameInfo are the archive's games without a game_info file in
// legacy_pbp/game_info_all.jsonl.gz (so without a date: docs/archive.md).
var NoGameInfo = map[string]string{"0021400968": "2014-15"}

// DatedGames returns the count of the season's archive games that
// game_info dates.
func DatedGames(season string) int {
	n := SeasonGames[season]
	for _, s := range NoGameInfo {
		if s == season {
			n--
		}
	}
	return n
}
