package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/layout"
)

// Bulk archives (internal/archive) hold third-party copies of provider
// data. Their members go to datasets of the "archive" source
// (layout.Datasets()), never to a provider's own dataset: the lake must not
// pretend nbasim fetched them. Each object keeps the archive's name and
// sha256 and the member's name in its metadata, and its sha256 is the
// sha256 of the member's bytes, which are stored unchanged.

// v2CSVColumns must all be in the header of a playbyplayv2 CSV member.
var v2CSVColumns = []string{"GAME_ID", "EVENTNUM", "EVENTMSGTYPE", "EVENTMSGACTIONTYPE", "PERIOD", "PCTIMESTRING",
	"HOMEDESCRIPTION", "VISITORDESCRIPTION", "SCORE", "PERSON1TYPE", "PLAYER1_ID"}

// IsBulkArchive says whether file is a bulk archive the importer streams:
// a tar (zstd, gzip or plain) or zip archive, or a CSV whose header is the
// playbyplayv2 PlayByPlay result set (a CSV of many games).
func IsBulkArchive(file string) bool {
	switch archive.Detect(file) {
	case archive.TarZstd, archive.TarGzip, archive.Tar, archive.Zip, archive.CSVGzip, archive.CSVZstd,
		archive.JSONL, archive.JSONLGzip, archive.JSONLZstd:
		return true
	case archive.CSV:
		f, err := os.Open(file)
		if err != nil {
			return false
		}
		defer f.Close()
		line, _ := bufio.NewReader(f).ReadString('\n')
		return v2Header(line) == ""
	}
	return false
}

// v2Header returns "" when the CSV header line has the playbyplayv2
// columns, else what is missing.
func v2Header(line string) string {
	cols := map[string]bool{}
	for _, c := range strings.Split(strings.TrimRight(line, "\r\n"), ",") {
		cols[strings.ToUpper(strings.Trim(strings.TrimPrefix(c, "\ufeff"), ` "`))] = true
	}
	var miss []string
	for _, c := range v2CSVColumns {
		if !cols[c] {
			miss = append(miss, c)
		}
	}
	if len(miss) > 0 {
		return "no playbyplayv2 column " + strings.Join(miss, ", ")
	}
	return ""
}

// ImportArchive streams one bulk archive into the lake: every
// playbyplayv2 CSV member (one game) becomes archive/playbyplayv2/{season}/{game}.csv;
// other members are reported as not adopted, with the reason. An archive
// that cannot be read at all is an error naming it. Rerunning writes
// nothing: members already in the lake (current or earlier version) count
// as unchanged.
func (im *Importer) ImportArchive(ctx context.Context, file string, rep *Report) error {
	if rep.ByDataset == nil {
		rep.ByDataset = map[string]int{}
	}
	if im.progress.log == nil {
		im.progress = progress{log: im.log(), last: time.Now()}
	}
	workers := max(2, min(8, runtime.GOMAXPROCS(0)*2))
	type job struct {
		m   *archive.Member
		key string
	}
	jobs := make(chan job, workers*2)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				written, unchanged, err := im.storeMember(wctx, file, j.key, j.m)
				mu.Lock()
				switch {
				case err != nil:
					if firstErr == nil {
						firstErr = err
						cancel()
					}
				case written:
					rep.Written++
					rep.ByDataset[datasetOfKey(j.key)]++
				case unchanged:
					rep.Unchanged++
					rep.ByDataset[datasetOfKey(j.key)]++
				}
				im.progress.tick(rep)
				mu.Unlock()
			}
		}()
	}
	walkErr := archive.Walk(wctx, file, archive.Options{}, func(m *archive.Member) error {
		mu.Lock()
		rep.Files++
		mu.Unlock()
		key, reason := archiveKey(m)
		if reason != "" {
			mu.Lock()
			rep.Skipped = append(rep.Skipped, Skipped{file + ":" + m.Name, reason})
			mu.Unlock()
			return nil
		}
		select {
		case jobs <- job{m, key}:
			return nil
		case <-wctx.Done():
			return wctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if walkErr != nil {
		if errors.Is(walkErr, context.Canceled) && ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("import: %w", walkErr)
	}
	return nil
}

// datasetOfKey returns "source/dataset" of a lake key.
func datasetOfKey(key string) string {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) < 2 {
		return key
	}
	return parts[0] + "/" + parts[1]
}

// archiveKey recognises a member: a playbyplayv2 CSV of one NBA game, or a
// legacy_pbp game_info file of one game (archive/game_info).
func archiveKey(m *archive.Member) (string, string) {
	if isGameInfo(m) {
		if m.GameID == "" {
			return "", "archive member: its name gives no NBA game id"
		}
		return gameKey("game_info", m.GameID)
	}
	if !strings.HasSuffix(strings.ToLower(m.Name), ".csv") && !m.Split {
		return "", "archive member: neither a playbyplayv2 CSV nor a game_info JSON (the members adopted from bulk archives)"
	}
	line := m.Data
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if r := v2Header(string(line)); r != "" {
		return "", "archive member: " + r
	}
	if m.GameID == "" {
		return "", "archive member: its name gives no NBA game id"
	}
	// the first event line must be of the member's game
	rest := m.Data[len(line):]
	rest = bytes.TrimLeft(rest, "\r\n")
	if len(rest) == 0 {
		return "", "archive member: header line only, no events"
	}
	if first, _, _ := bytes.Cut(rest, []byte(",")); layout.NBAGameID(string(first)) != m.GameID && bytes.HasPrefix(bytes.ToUpper(line), []byte("GAME_ID,")) {
		return "", fmt.Sprintf("archive member: GAME_ID %s in the file of game %s", first, m.GameID)
	}
	return gameKey("playbyplayv2", m.GameID)
}

// gameKey returns the lake key of a game's object of an archive dataset, or
// why there is none.
func gameKey(dataset, gameID string) (string, string) {
	s, err := layout.SeasonOfGameID(gameID)
	if err != nil {
		return "", "archive member: " + err.Error()
	}
	key, err := layout.Make("archive", dataset, s.String(), gameID)
	if err != nil {
		return "", "no lake key: " + err.Error()
	}
	return key, ""
}

// isGameInfo says whether a member is a legacy_pbp game_info file: a JSON
// object named game_info/<game>.json with the game's id, date and teams.
func isGameInfo(m *archive.Member) bool {
	if !strings.HasSuffix(strings.ToLower(m.Name), ".json") || !strings.Contains("/"+m.Name, "/game_info/") {
		return false
	}
	d := bytes.TrimSpace(m.Data)
	return bytes.HasPrefix(d, []byte("{")) && bytes.Contains(d, []byte(`"game_id"`)) && bytes.Contains(d, []byte(`"homeTeam"`))
}

func (im *Importer) storeMember(ctx context.Context, file, key string, m *archive.Member) (written, unchanged bool, err error) {
	if ok, err := im.Lake.Exists(ctx, lake.HistoryKey(key, m.SHA256)); err != nil {
		return false, false, err
	} else if ok {
		return false, true, nil
	}
	at := m.ModTime
	if at.IsZero() {
		at = time.Now().UTC()
	}
	abs, aerr := filepath.Abs(file)
	if aerr != nil || strings.Contains(file, "://") { // a bucket object's URL
		abs = file
	}
	endpoint, ct := "playbyplayv2", "text/csv"
	if strings.HasPrefix(key, "archive/game_info/") {
		endpoint, ct = "game_info", "application/json"
	}
	res, err := im.Lake.Store(ctx, key, m.Data, lake.Meta{Source: "archive", Endpoint: endpoint,
		FetchedAt: at, ContentType: ct, Origin: abs + ":" + m.Name,
		Archive: m.Archive, ArchiveSHA256: m.ArchiveSHA256, Member: m.Name})
	if err != nil {
		return false, false, fmt.Errorf("import %s: %w", m.Origin(), err)
	}
	return res.Written, res.Unchanged, nil
}
