package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/nbasim/nbasim/internal/testutil"
)

const hdr = "GAME_ID,EVENTNUM,HOMEDESCRIPTION\n"

func writeTar(t *testing.T, files map[string]string, order []string) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Name: "gameplaybyplay/", Typeflag: tar.TypeDir, Mode: 0o755})
	for _, n := range order {
		body := files[n]
		if err := tw.WriteHeader(&tar.Header{Name: n, Size: int64(len(body)), Mode: 0o644, ModTime: time.Date(2025, 8, 9, 22, 44, 0, 0, time.UTC), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	return b.Bytes()
}

func collect(t *testing.T, file string, opt Options) ([]*Member, error) {
	t.Helper()
	var out []*Member
	err := Walk(context.Background(), file, opt, func(m *Member) error {
		out = append(out, m)
		return nil
	})
	return out, err
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestWalkContainers(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"gameplaybyplay/21800001.csv": hdr + "0021800001,1,a\n0021800001,2,\"b, quoted\"\n",
		"gameplaybyplay/41800101.csv": hdr + "0041800101,1,c\n",
		"gameplaybyplay/README.md":    "not a game\n",
	}
	order := []string{"gameplaybyplay/21800001.csv", "gameplaybyplay/41800101.csv", "gameplaybyplay/README.md"}
	tarBytes := writeTar(t, files, order)
	dir := t.TempDir()

	var zst bytes.Buffer
	zw, _ := zstd.NewWriter(&zst)
	zw.Write(tarBytes)
	zw.Close()
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(tarBytes)
	gw.Close()
	var zb bytes.Buffer
	zpw := zip.NewWriter(&zb)
	for _, n := range order {
		w, _ := zpw.Create(n)
		w.Write([]byte(files[n]))
	}
	zpw.Close()

	for _, tc := range []struct {
		name string
		data []byte
		want Format
	}{
		{"2018-19.tar.zst", zst.Bytes(), TarZstd},
		{"2018-19.tar.gz", gz.Bytes(), TarGzip},
		{"2018-19.tar", tarBytes, Tar},
		{"2018-19.zip", zb.Bytes(), Zip},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if f := Detect(p); f != tc.want {
				t.Fatalf("Detect = %s, want %s", f, tc.want)
			}
			ms, err := collect(t, p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 3 {
				t.Fatalf("%d members, want 3 (directories skipped)", len(ms))
			}
			wantIDs := []string{"0021800001", "0041800101", ""}
			for i, m := range ms {
				if m.Name != order[i] || m.GameID != wantIDs[i] || string(m.Data) != files[order[i]] {
					t.Errorf("member %d = %q game %q data %q", i, m.Name, m.GameID, m.Data)
				}
				if m.SHA256 != sha(m.Data) || m.ArchiveSHA256 != sha(tc.data) || m.Archive != tc.name || m.Split {
					t.Errorf("member %d provenance %+v", i, m)
				}
			}
			if got := ms[0].Origin(); got != tc.name+":gameplaybyplay/21800001.csv" {
				t.Errorf("Origin = %q", got)
			}
		})
	}
}

func TestSplitCSV(t *testing.T) {
	t.Parallel()
	// CRLF line ends, a quoted field with a comma and an embedded newline,
	// Kaggle-style game ids without leading zeros, no final newline.
	csvText := "game_id,eventnum,homedescription\r\n" +
		"21800001,1,a\r\n21800001,2,\"two\nlines, quoted\"\r\n" +
		"21800002,1,c\r\n" +
		"41800101,7,d"
	dir := t.TempDir()
	p := filepath.Join(dir, "play_by_play.csv")
	os.WriteFile(p, []byte(csvText), 0o644)
	var gzb bytes.Buffer
	gw := gzip.NewWriter(&gzb)
	gw.Write([]byte(csvText))
	gw.Close()
	pg := filepath.Join(dir, "play_by_play.csv.gz")
	os.WriteFile(pg, gzb.Bytes(), 0o644)
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("csv/play_by_play.csv")
	w.Write([]byte(csvText))
	zw.Close()
	pz := filepath.Join(dir, "nba.zip")
	os.WriteFile(pz, zb.Bytes(), 0o644)

	for _, file := range []string{p, pg, pz} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ms, err := collect(t, file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := []struct{ id, name, data string }{
				{"0021800001", "lines 2-3", "game_id,eventnum,homedescription\r\n21800001,1,a\r\n21800001,2,\"two\nlines, quoted\"\r\n"},
				{"0021800002", "lines 4-4", "game_id,eventnum,homedescription\r\n21800002,1,c\r\n"},
				{"0041800101", "lines 5-5", "game_id,eventnum,homedescription\r\n41800101,7,d\n"},
			}
			if len(ms) != len(want) {
				t.Fatalf("%d members, want %d", len(ms), len(want))
			}
			for i, w := range want {
				m := ms[i]
				if m.GameID != w.id || !strings.HasSuffix(m.Name, w.name) || string(m.Data) != w.data || !m.Split || m.SHA256 != sha(m.Data) {
					t.Errorf("member %d = %+v\nwant %+v", i, m, w)
				}
			}
		})
	}
}

func TestSplitCSVErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, text, want string }{
		{"interleaved", hdr + "0021800001,1,a\n0021800002,1,b\n0021800001,2,c\n", "line 4: game 0021800001 again (its lines began at line 2"},
		{"no column", "A,B\n1,2\n", "no GAME_ID column"},
		{"empty", "", "empty CSV"},
		{"header only", hdr, "no data lines"},
		{"bad quote", hdr + "0021800001,1,\"a\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "pbp.csv")
			os.WriteFile(p, []byte(tc.text), 0o644)
			_, err := collect(t, p, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "pbp.csv") {
				t.Fatalf("err = %v, want it to name the file and %q", err, tc.want)
			}
		})
	}
}

func TestNBAGameID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0021800001": "0021800001", "21800001": "0021800001", "21800001.0": "0021800001",
		"gameplaybyplay/41800101.csv": "0041800101", "x/21800001.csv.gz": "0021800001",
		"401585607": "", "README.md": "", "": "", "123456789012": "", "0091800001": "",
	} {
		if got := NBAGameID(in); got != want {
			t.Errorf("NBAGameID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWalkErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "x.tar.zst")
	os.WriteFile(bad, []byte("not zstd at all"), 0o644)
	if _, err := collect(t, bad, Options{}); err == nil || !strings.Contains(err.Error(), "x.tar.zst") {
		t.Fatalf("corrupt zstd: err = %v", err)
	}
	if _, err := collect(t, filepath.Join(dir, "y.rar"), Options{}); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Fatalf("unknown format: err = %v", err)
	}
	big := filepath.Join(dir, "big.tar")
	os.WriteFile(big, writeTar(t, map[string]string{"21800001.csv": strings.Repeat("x", 100)}, []string{"21800001.csv"}), 0o644)
	if _, err := collect(t, big, Options{MaxMember: 10}); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("member over the limit: err = %v", err)
	}
}

// TestRealArchive streams one season of ../shared/data/archive/legacy_pbp:
// the member count of the data README, every member a playbyplayv2 CSV of
// its own game.
func TestRealArchive(t *testing.T) {
	t.Parallel()
	data := testutil.RealDataDir(t)
	file := filepath.Join(data, "archive", "legacy_pbp", "2019-20.tar.zst")
	n, rows := 0, 0
	err := Walk(context.Background(), file, Options{}, func(m *Member) error {
		n++
		if m.GameID == "" {
			t.Errorf("member %s: no game id", m.Name)
		}
		if !bytes.HasPrefix(m.Data, []byte("GAME_ID,EVENTNUM,EVENTMSGTYPE,")) {
			t.Errorf("member %s: not a playbyplayv2 CSV", m.Name)
		}
		if !bytes.Contains(m.Data, []byte("\n"+m.GameID+",")) {
			t.Errorf("member %s: rows of another game", m.Name)
		}
		rows += bytes.Count(m.Data, []byte("\n")) - 1
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1135 {
		t.Fatalf("2019-20: %d members, want 1,135 (data README)", n)
	}
	t.Logf("2019-20: %d games, %d rows", n, rows)
}
