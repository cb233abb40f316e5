package layout

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCatalogDocInSync: docs/catalog.md holds the table the catalog renders
// (regenerate: NBASIM_UPDATE_DOCS=1 go test ./internal/layout -run TestCatalogDocInSync).
func TestCatalogDocInSync(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "catalog.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- catalog table: generated -->\n", "<!-- end of catalog table -->"
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no generated table between %q and %q", path, begin, end)
	}
	want := BuiltinCatalog().MarkdownTable()
	if got := doc[i+len(begin) : j]; got != want {
		if os.Getenv("NBASIM_UPDATE_DOCS") != "" {
			if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s: the endpoint table differs from the catalog; regenerate with NBASIM_UPDATE_DOCS=1", path)
	}
}

// TestCatalogKeysRoundTrip: for every endpoint, the default object's key
// gives back a request with every parameter at its default, and a request
// with other values keeps them through the key.
func TestCatalogKeysRoundTrip(t *testing.T) {
	cat := BuiltinCatalog()
	if n := len(cat.Endpoints); n != 122 {
		t.Errorf("%d endpoints, want 122", n)
	}
	en := Entity{GameID: "0022300061", TeamID: "1610612747", PlayerID: "2544", Date: "2023-11-05", Season: "2023-24", SeasonType: "regular",
		Keyed: map[string]string{"PlayerOrTeam": "T"}}
	for i := range cat.Endpoints {
		e := &cat.Endpoints[i]
		if len(e.Match) > 0 {
			continue // key parameters: below
		}
		item, err := e.Item(en, nil)
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		season := DumpSeason
		if e.SeasonBound() {
			season = "2023-24"
		}
		pairs, err := e.Request(season, item)
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		q := url.Values{}
		for _, p := range pairs {
			q.Set(p[0], p[1])
		}
		s2, item2, err := e.Recognise(q)
		if err != nil || s2 != season || item2 != item {
			t.Errorf("%s: %s/%s -> %s -> %s/%s (%v)", e.Name, season, item, q.Encode(), s2, item2, err)
		}
		// a parameter at another value is kept in the key
		if len(pairs) > 0 {
			name := pairs[len(pairs)-1][0]
			if strings.Contains(mustDefault(e, name), "{") || contains(e.Ignore, name) {
				continue
			}
			q.Set(name, "x y_z.1")
			s3, item3, err := e.Recognise(q)
			if err != nil || !strings.Contains(item3, "_"+name+"-x+y%5Fz%2E1") {
				t.Errorf("%s: variant %s: %s/%s (%v)", e.Name, name, s3, item3, err)
				continue
			}
			back, err := e.Request(s3, item3)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range back {
				if p[0] == name && p[1] != "x y_z.1" {
					t.Errorf("%s: variant %s came back as %q", e.Name, name, p[1])
				}
			}
		}
	}
	// the range box: key parameters
	r, _ := cat.Endpoint("boxscoretraditionalv2_range")
	q, _ := url.ParseQuery("GameID=0021600270&StartPeriod=1&EndPeriod=10&StartRange=28800&EndRange=28940&RangeType=2")
	if got, ok := cat.ForPath("boxscoretraditionalv2", q); !ok || got.Name != r.Name {
		t.Fatalf("range request answered by %v", got)
	}
	if s, item, err := r.Recognise(q); err != nil || s != "2016-17" || item != "0021600270_28800-28940" {
		t.Errorf("range: %s/%s (%v)", s, item, err)
	}
}

func mustDefault(e *Endpoint, name string) string {
	d, _ := e.ParamDefault(name)
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestUserCatalogFile: a user file adds endpoints and replaces one of the
// same name; a bad file leaves the embedded catalog and says why.
func TestUserCatalogFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("version: 1\nendpoints:\n  - name: mine\n    endpoint: leaguedashptstats\n    scope: season\n    params: \"LeagueID=00&Season={season}\"\n  - name: gamerotation\n    scope: game\n    params: \"GameID={game_id}&LeagueID=10\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := startCatalog(good)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Endpoints); n != 123 {
		t.Errorf("%d endpoints, want 122 + 1", n)
	}
	if e, ok := c.Endpoint("gamerotation"); !ok || mustDefault(e, "LeagueID") != "10" {
		t.Errorf("gamerotation not replaced by the user's")
	}
	if e, ok := c.Endpoint("mine"); !ok || e.Dataset().ID() != "nba_stats/mine" {
		t.Errorf("user endpoint: %v", e)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\nendpoints:\n  - name: x\n    scope: weekly\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = startCatalog(bad)
	if err == nil || !strings.Contains(err.Error(), `scope "weekly"`) || len(c.Endpoints) != 122 {
		t.Errorf("bad user catalog: %v (%d endpoints)", err, len(c.Endpoints))
	}
	if _, err := startCatalog(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), CatalogEnv) {
		t.Errorf("missing user catalog: %v", err)
	}
}
