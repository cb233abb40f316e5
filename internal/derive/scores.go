package derive

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// FinalScore is a game's final score from a reference other than an
// official box (the bulk archive's game_info files).
type FinalScore struct {
	GameID string `json:"game_id"`
	Home   int    `json:"home_pts"`
	Away   int    `json:"away_pts"`
	Date   string `json:"date,omitempty"`
	Source string `json:"source"`
}

// gameInfo is one legacy_pbp game_info file.
type gameInfo struct {
	HomeTeam struct {
		Name  string `json:"name"`
		Score *int   `json:"score"`
	} `json:"homeTeam"`
	AwayTeam struct {
		Name  string `json:"name"`
		Score *int   `json:"score"`
	} `json:"awayTeam"`
	GameID string `json:"game_id"`
	Date   string `json:"date"`
	Status string `json:"status"`
}

// ReadGameInfoScores reads the final scores of the legacy_pbp archive's
// game_info files: game_info_all.jsonl(.gz) (one {"file", "content"} per
// line) or a folder of game_info/<id>.json. The files' homeTeam.score and
// awayTeam.score are SWAPPED (the data README and its provenance: the home
// team's score is under awayTeam); this reader swaps them back, so Home is
// the home team's points. Games without both scores are left out; a line
// that is not JSON is an error naming the file and line.
func ReadGameInfoScores(path string) (map[string]FinalScore, error) {
	out := map[string]FinalScore{}
	add := func(gi gameInfo, where string) {
		id := layout.NBAGameID(gi.GameID)
		if id == "" || gi.HomeTeam.Score == nil || gi.AwayTeam.Score == nil {
			return
		}
		// swapped in the source: homeTeam.score is the away team's points
		out[id] = FinalScore{GameID: id, Home: *gi.AwayTeam.Score, Away: *gi.HomeTeam.Score, Date: gi.Date, Source: "legacy_pbp/game_info (home/away swapped back)"}
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		files, err := filepath.Glob(filepath.Join(path, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			var gi gameInfo
			if err := json.Unmarshal(b, &gi); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			add(gi, f)
		}
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var rec struct {
			File    string   `json:"file"`
			Content gameInfo `json:"content"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		if rec.Content.GameID == "" {
			rec.Content.GameID = rec.File
		}
		add(rec.Content, fmt.Sprintf("%s line %d", path, line))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no game with a final score", path)
	}
	return out, nil
}

// ScoreResult is one game's derived final score against a reference.
type ScoreResult struct {
	GameID      string   `json:"game_id"`
	DerivedHome int      `json:"derived_home_pts"`
	DerivedAway int      `json:"derived_away_pts"`
	RefHome     int      `json:"reference_home_pts"`
	RefAway     int      `json:"reference_away_pts"`
	HasRef      bool     `json:"has_reference"`
	Exact       bool     `json:"exact"`
	Degraded    bool     `json:"degraded"`
	Error       string   `json:"error,omitempty"`
	Explanation string   `json:"explanation,omitempty"`
	Notes       []string `json:"notes,omitempty"`
}

// ScoreReport is a season's derived final scores against a reference.
type ScoreReport struct {
	Name      string        `json:"name"`
	Games     int           `json:"games"`
	Derived   int           `json:"derived"` // games whose box was derived
	Failed    int           `json:"failed"`
	Degraded  int           `json:"degraded"`
	WithRef   int           `json:"with_reference"`
	Exact     int           `json:"exact"`
	ExactRate float64       `json:"exact_share"`
	Misses    []ScoreResult `json:"misses"`
	// Explained counts the misses that gameinfo_errata.yaml describes with
	// a second source confirming the derived score; ErrataNoSecondSource
	// the misses it describes without one (evidence from the play-by-play
	// only: not counted as explained).
	Explained            int      `json:"explained"`
	ErrataNoSecondSource int      `json:"errata_without_second_source"`
	NoRef                []string `json:"no_reference,omitempty"`
	errata               map[string]Erratum
}

// VerifyScoreStore derives the final box of a game from the store and
// compares its points with ref (when ok). An engine failure is a result
// with Error set, never a panic.
func VerifyScoreStore(ctx context.Context, q store.Querier, gameID string, ov *pbp.Overrides, ref FinalScore, ok bool) ScoreResult {
	r, _ := VerifyScoreSave(ctx, q, gameID, ov, ref, ok, false)
	return r
}

// VerifyScoreSave is VerifyScoreStore that also stores the derived box
// (source derived) when save is set: how a game of a bulk archive, which
// has no official box, gets its lines into player_games and team_games
// (nbasim verify --scores FILE --save). A failed write is the error.
func VerifyScoreSave(ctx context.Context, q store.Querier, gameID string, ov *pbp.Overrides, ref FinalScore, ok, save bool) (r ScoreResult, err error) {
	r = ScoreResult{GameID: gameID, HasRef: ok, RefHome: ref.Home, RefAway: ref.Away}
	defer func() {
		if p := recover(); p != nil {
			r.Error = fmt.Sprintf("engine panic: %v", p)
		}
	}()
	g, gerr := GameFromStore(ctx, q, gameID, "")
	if gerr != nil {
		r.Error = gerr.Error()
		return r, nil
	}
	c := pbp.Compile(g, ov)
	d := c.Final()
	if save {
		if err := SaveDerived(ctx, q, d); err != nil {
			return r, fmt.Errorf("game %s: save the derived box: %w", gameID, err)
		}
	}
	r.DerivedHome, r.DerivedAway = d.Home.Stats.PTS, d.Away.Stats.PTS
	r.Degraded = c.Degraded
	r.Exact = ok && r.DerivedHome == ref.Home && r.DerivedAway == ref.Away
	return r, nil
}

// Add counts r in the report.
func (s *ScoreReport) Add(r ScoreResult) {
	s.Games++
	switch {
	case r.Error != "":
		s.Failed++
	default:
		s.Derived++
	}
	if r.Degraded {
		s.Degraded++
	}
	if !r.HasRef {
		s.NoRef = append(s.NoRef, r.GameID)
		return
	}
	s.WithRef++
	if r.Exact {
		s.Exact++
	} else {
		if s.errata == nil {
			var err error
			if s.errata, err = GameInfoErrata(); err != nil {
				r.Explanation = err.Error()
			}
		}
		switch explained, confirmed := explain(&r, s.errata); {
		case confirmed:
			s.Explained++
		case explained:
			s.ErrataNoSecondSource++
		}
		s.Misses = append(s.Misses, r)
	}
	s.ExactRate = share(s.Exact, s.WithRef)
}

// WriteTable prints the summary and every miss.
func (s *ScoreReport) WriteTable(w io.Writer) error {
	sort.Slice(s.Misses, func(i, j int) bool { return s.Misses[i].GameID < s.Misses[j].GameID })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "final scores\t%s\n", s.Name)
	fmt.Fprintf(tw, "games\t%d (box derived %d, failed %d, degraded %d)\n", s.Games, s.Derived, s.Failed, s.Degraded)
	fmt.Fprintf(tw, "final score exact\t%d/%d\t%.3f%%\n", s.Exact, s.WithRef, 100*share(s.Exact, s.WithRef))
	fmt.Fprintf(tw, "misses explained by a second source\t%d\n", s.Explained)
	fmt.Fprintf(tw, "misses with evidence from the play-by-play only\t%d\n", s.ErrataNoSecondSource)
	fmt.Fprintf(tw, "no reference score\t%d\n", len(s.NoRef))
	if len(s.Misses) > 0 {
		fmt.Fprintln(tw, "\nGAME\tDERIVED (home-away)\tREFERENCE\tERROR / EXPLANATION")
		for _, m := range s.Misses {
			fmt.Fprintf(tw, "%s\t%d-%d\t%d-%d\t%s%s\n", m.GameID, m.DerivedHome, m.DerivedAway, m.RefHome, m.RefAway, m.Error, m.Explanation)
		}
	}
	return tw.Flush()
}

// VerifyArchiveScores derives every game of a bulk archive (a season's
// tar.zst of playbyplayv2 CSVs, or the JSON season archive) straight from
// its members and compares each final score with ref. A member that does
// not parse or compile is a failed result naming the member and the error.
func VerifyArchiveScores(ctx context.Context, path string, ref map[string]FinalScore, ov *pbp.Overrides, progress func(done int)) (*ScoreReport, error) {
	rep := &ScoreReport{Name: filepath.Base(path) + " vs game_info"}
	done := 0
	err := EachArchiveGame(path, func(name string, data []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := memberGame(name)
		fs, ok := ref[id]
		rep.Add(verifyMemberScore(id, name, data, ov, fs, ok))
		done++
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func verifyMemberScore(id, name string, data []byte, ov *pbp.Overrides, ref FinalScore, ok bool) (r ScoreResult) {
	r = ScoreResult{GameID: id, HasRef: ok, RefHome: ref.Home, RefAway: ref.Away}
	defer func() {
		if p := recover(); p != nil {
			r.Error = fmt.Sprintf("engine panic: %v", p)
		}
	}()
	g, err := parseV2(data, name)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	c := pbp.Compile(g, ov)
	d := c.Final()
	r.DerivedHome, r.DerivedAway = d.Home.Stats.PTS, d.Away.Stats.PTS
	r.Degraded = c.Degraded
	if c.Degraded {
		r.Notes = c.Reasons
	}
	r.Exact = ok && r.DerivedHome == ref.Home && r.DerivedAway == ref.Away
	return r
}
