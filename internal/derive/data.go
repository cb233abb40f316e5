package derive

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/parse/registry"
	"github.com/nbasim/nbasim/internal/pbp"
)

// DataGame is one game of a recorded data folder (INDEX_games.csv).
type DataGame struct {
	GameID  string
	Season  string
	BBRefID string
	Files   []string
	// HomePts and AwayPts are the final score (basketball-reference); 0
	// when the index has none.
	HomePts, AwayPts int
}

// ReadIndex reads <dir>/INDEX_games.csv.
func ReadIndex(dir string) ([]DataGame, error) {
	path := filepath.Join(dir, "INDEX_games.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("index %s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"nba_game_id", "season", "bref_id", "files"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("index %s: column %q missing", path, need)
		}
	}
	var out []DataGame
	for i, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			return nil, fmt.Errorf("index %s line %d: %d fields, want %d", path, i+2, len(r), len(rows[0]))
		}
		g := DataGame{GameID: r[col["nba_game_id"]], Season: r[col["season"]], BBRefID: r[col["bref_id"]], Files: strings.Split(r[col["files"]], ";")}
		if hc, ok := col["home_pts"]; ok {
			g.HomePts, _ = strconv.Atoi(r[hc])
		}
		if ac, ok := col["away_pts"]; ok {
			g.AwayPts, _ = strconv.Atoi(r[ac])
		}
		out = append(out, g)
	}
	return out, nil
}

// officialSources lists, in order of preference, where verification finds
// a game's official box in a data folder, each parsed by the registry's
// parser of its dataset: NBA boxes first (they share the feed's player
// ids), basketball-reference otherwise.
var officialSources = []struct {
	prefix, source, dataset string
	perGameID               bool // the file is <prefix><GameID>.json
}{
	{"nba_stats/boxscoretraditionalv2/", "nba_stats", "boxscoretraditionalv2", true},
	{"bbref/boxscores/", "bbref", "boxscores", false},
}

// officialFor returns the path of g's official box file and its parser, or
// "" and nil when the folder holds none.
func officialFor(g DataGame, dir string) (string, parse.Func) {
	for _, s := range officialSources {
		e, ok := registry.Lookup(s.source, s.dataset)
		if !ok || e.Parse == nil {
			continue
		}
		for _, f := range g.Files {
			if s.perGameID && f == s.prefix+g.GameID+".json" || !s.perGameID && strings.HasPrefix(f, s.prefix) {
				return filepath.Join(dir, f), e.Parse
			}
		}
	}
	return "", nil
}

// Options configure a verification run over files.
type Options struct {
	Overrides *pbp.Overrides
	// Progress is called after each game (may be nil).
	Progress func(done, total int)
	// Derived, when set, receives every derived final box.
	Derived func(model.Box)
}

// LoadV2File parses a playbyplayv2 file.
func LoadV2File(path string) (*model.Game, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseV2(data, path)
}

func parseV2(data []byte, key string) (*model.Game, error) {
	item := memberGame(key)
	src, ds := "nba_stats", "playbyplayv2"
	if strings.HasSuffix(key, ".csv") {
		src = "archive" // a bulk archive's per-game CSV
	}
	res, err := registry.Parse(src, ds, data, parse.Hint{Key: key, Item: item})
	if err != nil {
		return nil, err
	}
	if res.PBP == nil {
		return nil, fmt.Errorf("%s: no play-by-play in the response", key)
	}
	return res.PBP, nil
}

// VerifyDir verifies every game of the data folder dir (INDEX_games.csv)
// that has a playbyplayv2 file and an official box score.
func VerifyDir(ctx context.Context, dir string, opt Options) (*Report, error) {
	games, err := ReadIndex(dir)
	if err != nil {
		return nil, err
	}
	rep := &Report{Name: "games of " + dir + " with play-by-play and an official box"}
	for i, g := range games {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r, ok := verifyDataGame(dir, g, opt); ok {
			rep.Games = append(rep.Games, r)
		}
		if opt.Progress != nil {
			opt.Progress(i+1, len(games))
		}
	}
	rep.Summarize()
	return rep, nil
}

func verifyDataGame(dir string, g DataGame, opt Options) (res GameResult, ok bool) {
	pbpPath := filepath.Join(dir, "nba_stats", "playbyplayv2", g.GameID+".json")
	if _, err := os.Stat(pbpPath); err != nil {
		return res, false
	}
	boxPath, fn := officialFor(g, dir)
	if fn == nil {
		return res, false
	}
	defer func() {
		if p := recover(); p != nil {
			res = Failed(g.GameID, boxPath, nil, fmt.Errorf("panic: %v", p))
			ok = true
		}
	}()
	official, err := readOfficial(boxPath, fn, g)
	if err != nil {
		return Failed(g.GameID, boxPath, nil, err), true
	}
	game, err := LoadV2File(pbpPath)
	if err != nil {
		return Failed(g.GameID, official.Source, &official, err), true
	}
	c := pbp.Compile(game, opt.Overrides)
	derived := c.Final()
	if opt.Derived != nil {
		opt.Derived(derived)
	}
	r := Compare(derived, official, ConventionFor(official.Source), c)
	r.GameID = g.GameID
	return r, true
}

func readOfficial(path string, fn parse.Func, g DataGame) (model.Box, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return model.Box{}, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(strings.NewReader(string(data)))
		if err != nil {
			return model.Box{}, fmt.Errorf("%s: %w", path, err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			return model.Box{}, fmt.Errorf("%s: %w", path, err)
		}
	}
	item := g.BBRefID
	if !strings.HasPrefix(path, "bbref") && !strings.Contains(path, "/bbref/") {
		item = g.GameID
	}
	res, err := fn(data, parse.Hint{Key: path, Item: item, Season: g.Season})
	if err != nil {
		return model.Box{}, err
	}
	for _, b := range res.Boxes {
		if b.From == 0 && b.To == 0 {
			b.GameID = g.GameID
			return b, nil
		}
	}
	return model.Box{}, fmt.Errorf("%s: no full-game box", path)
}

// SeasonFiles names the files of a season check: a tar.gz of
// playbyplayv2 responses and a team game log.
type SeasonFiles struct {
	PBPArchive string
	GameLog    string
}

// DefaultSeason returns the 2018-19 files of a data folder.
func DefaultSeason(dir string) SeasonFiles {
	return SeasonFiles{
		PBPArchive: filepath.Join(dir, "seasons", "2018-19", "playbyplayv2.tar.gz"),
		GameLog:    filepath.Join(dir, "nba_stats", "leaguegamelog", "Counter-1000_Direction-DESC_PlayerOrTeam-T_Season-2018-19_SeasonType-Regular+Season_Sorter-DATE.json"),
	}
}

// EachArchiveGame calls fn with every playbyplayv2 member of a season
// archive: the JSON responses of seasons/2018-19/playbyplayv2.tar.gz, or the
// per-game CSVs of a bulk archive (archive/legacy_pbp/<season>.tar.zst, or
// any format internal/archive streams). name is the member's name; members
// that are neither .json nor .csv are left out.
func EachArchiveGame(path string, fn func(name string, data []byte) error) error {
	return archive.Walk(context.Background(), path, archive.Options{}, func(m *archive.Member) error {
		n := m.Name
		if m.Split {
			n = m.GameID + ".csv"
		}
		if !strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".csv") {
			return nil
		}
		return fn(n, m.Data)
	})
}

// memberGame returns the game id of an archive member name.
func memberGame(name string) string {
	if id := archive.NBAGameID(name); id != "" {
		return id
	}
	return strings.TrimSuffix(filepath.Base(name), ".json")
}

// LoadSeason parses every game of a season archive (failures are
// returned per game id).
func LoadSeason(path string) (map[string]*model.Game, map[string]error, error) {
	games := map[string]*model.Game{}
	fails := map[string]error{}
	err := EachArchiveGame(path, func(name string, data []byte) error {
		id := memberGame(name)
		g, err := parseV2(data, path+"!"+name)
		if err != nil {
			fails[id] = err
			return nil
		}
		games[id] = g
		return nil
	})
	return games, fails, err
}

// VerifySeason compares the derived team totals of every game of a season
// archive with the team game log.
func VerifySeason(ctx context.Context, sf SeasonFiles, opt Options) (*Report, error) {
	data, err := os.ReadFile(sf.GameLog)
	if err != nil {
		return nil, err
	}
	res, err := registry.Parse("nba_stats", "leaguegamelog", data, parse.Hint{Key: sf.GameLog})
	if err != nil {
		return nil, err
	}
	official := map[string]model.Box{}
	for _, b := range res.Boxes {
		official[b.GameID] = b
	}
	rep := &Report{Name: "season " + filepath.Base(filepath.Dir(sf.PBPArchive)) + " team totals vs " + filepath.Base(sf.GameLog)}
	seen := map[string]bool{}
	done := 0
	err = EachArchiveGame(sf.PBPArchive, func(name string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := memberGame(name)
		seen[id] = true
		ob, ok := official[id]
		done++
		if opt.Progress != nil {
			opt.Progress(done, len(official))
		}
		if !ok {
			return nil
		}
		rep.Games = append(rep.Games, verifyOne(id, data, name, ob, opt))
		return nil
	})
	if err != nil {
		return nil, err
	}
	var missing []string
	for id := range official {
		if !seen[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	for _, id := range missing {
		rep.Skipped = append(rep.Skipped, id+": in the game log, no play-by-play in the archive")
	}
	rep.Summarize()
	return rep, nil
}

func verifyOne(id string, data []byte, name string, ob model.Box, opt Options) (r GameResult) {
	defer func() {
		if p := recover(); p != nil {
			r = Failed(id, ob.Source, nil, fmt.Errorf("panic: %v", p))
		}
	}()
	g, err := parseV2(data, name)
	if err != nil {
		return Failed(id, ob.Source, nil, err)
	}
	c := pbp.Compile(g, opt.Overrides)
	d := c.Final()
	if opt.Derived != nil {
		opt.Derived(d)
	}
	r = Compare(d, ob, ConventionFor(ob.Source), c)
	r.GameID = id
	return r
}
