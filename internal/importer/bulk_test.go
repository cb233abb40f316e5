package importer

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/nbasim/nbasim/internal/archive"
	"github.com/nbasim/nbasim/internal/lake"
	"github.com/nbasim/nbasim/internal/testutil"
)

// realMembers returns the named members of a real season archive.
func realMembers(t *testing.T, season string, names ...string) map[string][]byte {
	t.Helper()
	data := testutil.RealDataDir(t)
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string][]byte{}
	err := archive.Walk(context.Background(), filepath.Join(data, "archive", "legacy_pbp", season+".tar.zst"), archive.Options{},
		func(m *archive.Member) error {
			if want[m.Name] {
				out[m.Name] = m.Data
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(names) {
		t.Fatalf("found %d of %d members", len(out), len(names))
	}
	return out
}

func tarZst(t *testing.T, order []string, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := zstd.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(zw)
	for _, n := range order {
		if err := tw.WriteHeader(&tar.Header{Name: n, Size: int64(len(files[n])), Mode: 0o644, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(files[n])
	}
	tw.Close()
	zw.Close()
	return b.Bytes()
}

func TestImportBulkArchive(t *testing.T) {
	t.Parallel()
	real := realMembers(t, "2018-19", "21800001.csv", "21800003.csv", "41800101.csv")
	files := map[string][]byte{
		"gameplaybyplay/21800001.csv": real["21800001.csv"],
		"gameplaybyplay/21800003.csv": real["21800003.csv"],
		"gameplaybyplay/41800101.csv": real["41800101.csv"],
		"gameplaybyplay/README.md":    []byte("# notes\n"),
		"gameplaybyplay/21800002.csv": real["21800001.csv"], // another game's rows
		"gameplaybyplay/schedule.csv": []byte("GAME_ID,DATE\n0021800001,2018-10-16\n"),
	}
	order := []string{"gameplaybyplay/21800001.csv", "gameplaybyplay/21800003.csv", "gameplaybyplay/41800101.csv",
		"gameplaybyplay/README.md", "gameplaybyplay/21800002.csv", "gameplaybyplay/schedule.csv"}
	dir := t.TempDir()
	arch := filepath.Join(dir, "2018-19.tar.zst")
	ab := tarZst(t, order, files)
	if err := os.WriteFile(arch, ab, 0o644); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t)
	ctx := context.Background()
	rep, err := im.Import(ctx, arch)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 6 || rep.Written != 3 || rep.Unchanged != 0 || rep.ByDataset["archive/playbyplayv2"] != 3 || len(rep.Skipped) != 3 {
		t.Fatalf("report %+v", rep)
	}
	reasons := map[string]string{}
	for _, s := range rep.Skipped {
		reasons[s.Path[strings.LastIndex(s.Path, ":")+1:]] = s.Reason
	}
	for member, want := range map[string]string{
		"gameplaybyplay/README.md":    "neither a playbyplayv2 CSV nor a game_info JSON",
		"gameplaybyplay/21800002.csv": "GAME_ID 0021800001 in the file of game 0021800002",
		"gameplaybyplay/schedule.csv": "no playbyplayv2 column EVENTNUM",
	} {
		if !strings.Contains(reasons[member], want) {
			t.Errorf("%s: reason %q, want %q", member, reasons[member], want)
		}
	}
	archSHA := lake.SHA256(ab)
	for _, tc := range []struct{ key, member string }{
		{"archive/playbyplayv2/2018-19/0021800001.csv", "gameplaybyplay/21800001.csv"},
		{"archive/playbyplayv2/2018-19/0021800003.csv", "gameplaybyplay/21800003.csv"},
		{"archive/playbyplayv2/2018-19/0041800101.csv", "gameplaybyplay/41800101.csv"},
	} {
		b, err := im.Lake.Read(ctx, tc.key)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, files[tc.member]) {
			t.Errorf("%s: bytes differ from the member", tc.key)
		}
		st, err := im.Lake.Stat(ctx, tc.key)
		if err != nil {
			t.Fatal(err)
		}
		m := st.Meta
		if m.Source != "archive" || m.Endpoint != "playbyplayv2" || m.URL != "" || m.Archive != "2018-19.tar.zst" ||
			m.ArchiveSHA256 != archSHA || m.Member != tc.member || m.SHA256 != lake.SHA256(b) ||
			m.Origin != arch+":"+tc.member || m.ContentType != "text/csv" {
			t.Errorf("%s: provenance %+v", tc.key, m)
		}
	}

	// Rerun: nothing written.
	rep2, err := im.Import(ctx, arch)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Written != 0 || rep2.Unchanged != 3 {
		t.Errorf("rerun: written %d, unchanged %d", rep2.Written, rep2.Unchanged)
	}

	// The same games as one CSV of many games (the Kaggle shape): the
	// split objects are byte-identical to the members, so nothing is written.
	var many bytes.Buffer
	many.Write(files["gameplaybyplay/21800001.csv"])
	for _, n := range []string{"21800003.csv", "41800101.csv"} {
		b := real[n]
		many.Write(b[bytes.IndexByte(b, '\n')+1:])
	}
	pbp := filepath.Join(dir, "play_by_play.csv")
	os.WriteFile(pbp, many.Bytes(), 0o644)
	if !IsBulkArchive(pbp) {
		t.Fatal("play_by_play.csv not recognised as a bulk CSV")
	}
	rep3, err := im.Import(ctx, pbp)
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Files != 3 || rep3.Written != 0 || rep3.Unchanged != 3 {
		t.Errorf("split CSV: %+v", rep3)
	}

	// A folder holding the archive and a corrupt one: the good one is
	// adopted, the bad one listed with the reason.
	os.WriteFile(filepath.Join(dir, "broken.tar.gz"), []byte("not gzip"), 0o644)
	rep4, err := newImporter(t).Import(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep4.Written != 3 {
		t.Errorf("folder: written %d, want 3", rep4.Written)
	}
	found := false
	for _, s := range rep4.Skipped {
		if s.Path == "broken.tar.gz" && strings.Contains(s.Reason, "bulk archive not read") && strings.Contains(s.Reason, "gzip") {
			found = true
		}
	}
	if !found {
		t.Errorf("corrupt archive not listed: %+v", rep4.Skipped)
	}
	txt := filepath.Join(dir, "README.txt")
	os.WriteFile(txt, []byte("x"), 0o644)
	if _, err := newImporter(t).Import(ctx, txt); err == nil || !strings.Contains(err.Error(), "not a bulk archive") {
		t.Errorf("a plain file: err = %v", err)
	}
}

// TestImportGameInfo: the legacy_pbp archive's game_info_all.jsonl.gz (one
// {"file", "content"} line per game) becomes archive/game_info objects
// holding each content value byte for byte, with provenance; other lines
// are listed with the reason; rerunning writes nothing; a line that is not
// JSON stops the import naming the line.
func TestImportGameInfo(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	f, err := os.Open(filepath.Join(data, "legacy_pbp", "game_info_all.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	lines = append(lines, `{"file": "game_info/README.json", "content": {"note": 1}}`)
	dir := t.TempDir()
	file := filepath.Join(dir, "game_info_all.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	im := newImporter(t)
	ctx := context.Background()
	rep, err := im.Import(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 3 || rep.Written != 2 || rep.ByDataset["archive/game_info"] != 2 || len(rep.Skipped) != 1 ||
		!strings.Contains(rep.Skipped[0].Reason, "neither a playbyplayv2 CSV nor a game_info JSON") {
		t.Fatalf("report %+v", rep)
	}
	b, err := im.Lake.Read(ctx, "archive/game_info/2013-14/0021300001.json")
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Content json.RawMessage `json:"content"`
	}
	json.Unmarshal([]byte(lines[0]), &rec)
	if !bytes.Equal(b, rec.Content) {
		t.Errorf("object bytes differ from the line's content:\n%s\n%s", b, rec.Content)
	}
	st, err := im.Lake.Stat(ctx, "archive/game_info/2013-14/0021300001.json")
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Meta; m.Source != "archive" || m.Endpoint != "game_info" || m.URL != "" || m.Archive != "game_info_all.jsonl" ||
		m.Member != "game_info/21300001.json" || m.ContentType != "application/json" || m.SHA256 != lake.SHA256(b) {
		t.Errorf("provenance %+v", m)
	}
	if rep2, err := im.Import(ctx, file); err != nil || rep2.Written != 0 || rep2.Unchanged != 2 {
		t.Errorf("rerun: %+v %v", rep2, err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(lines[0]+"\nnot json\n"), 0o644)
	if _, err := newImporter(t).Import(ctx, bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a line that is not JSON: err = %v", err)
	}
}
