package layout

import (
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// The endpoint catalog: every stats.nba.com endpoint nbasim collects,
// declared as data (catalog.yaml, docs/catalog.md) rather than code. For
// each endpoint it names the URL path, the parameters with their defaults
// and which of them come from the game, season, team, player or day being
// collected (its scope), the lake key of an object, the result sets and
// headers a response must have, the seasons it covers, its freshness and
// rate class. The lake layout (Datasets), the stats.nba.com source
// (requests, validation), the importer (recordings to keys) and
// reconciliation (expected objects) all read it.

//go:embed catalog.yaml
var embeddedCatalog []byte

// EmbeddedCatalogYAML returns the bytes of the embedded catalog.yaml.
func EmbeddedCatalogYAML() []byte { return append([]byte(nil), embeddedCatalog...) }

// CatalogVersion is the catalog file format this binary reads.
const CatalogVersion = 1

// CatalogSource is the lake source of catalog endpoints.
const CatalogSource = "nba_stats"

// Scope says which entity one object of an endpoint is about.
type Scope string

// Scopes.
const (
	ScopeGame         Scope = "game"          // one object per game ({game_id})
	ScopeDate         Scope = "date"          // one per game day ({date})
	ScopeSeason       Scope = "season"        // one per season ({season})
	ScopeTeamSeason   Scope = "team_season"   // one per team and season ({team_id}, {season})
	ScopePlayerSeason Scope = "player_season" // one per player and season ({player_id}, {season})
	ScopeTeam         Scope = "team"          // one per team, all seasons ({team_id})
	ScopePlayer       Scope = "player"        // one per player, all seasons ({player_id})
	ScopeLeague       Scope = "league"        // one object, all seasons
)

var scopes = map[Scope]struct {
	per     Per
	key     string // default key template
	idKind  string
	entity  string // the placeholder naming the scope's entity
	seasons bool   // objects are per season (else season segment DumpSeason)
}{
	ScopeGame:         {PerGame, "{game_id}", "nba", "game_id", true},
	ScopeDate:         {PerDate, "{date}", "", "date", true},
	ScopeSeason:       {PerSeason, "default", "", "", true},
	ScopeTeamSeason:   {PerTeam, "{team_id}", "", "team_id", true},
	ScopePlayerSeason: {PerPlayer, "{player_id}", "", "player_id", true},
	ScopeTeam:         {PerDump, "{team_id}", "", "team_id", false},
	ScopePlayer:       {PerDump, "{player_id}", "", "player_id", false},
	ScopeLeague:       {PerDump, "default", "", "", false},
}

// ResultSet is a result set a response holds: its name and headers.
// Nested responses (the v3 box scores, play-by-play v3, scoreboard v3,
// IST standings) are flattened into row sets named by their JSON path
// (parse/nbastats.DecodeResultSets).
type ResultSet struct {
	Name    string   `yaml:"name" json:"name"`
	Headers []string `yaml:"headers" json:"headers"`
}

// Endpoint is one catalog entry.
type Endpoint struct {
	// Name is the lake dataset (nba_stats/{name}/...); usually the endpoint.
	Name string `yaml:"name" json:"name"`
	// Path is the URL path under /stats/ (default Name).
	Path  string `yaml:"endpoint" json:"endpoint"`
	Scope Scope  `yaml:"scope" json:"scope"`
	// Params is the query of a request: Name=default pairs joined by &.
	// A default may hold placeholders: the scope's entities {game_id},
	// {team_id}, {player_id}, {date} (YYYY-MM-DD), {season} (2023-24),
	// {season_start} (2023), {season_type} (Regular Season, ... from the
	// game id or the key), and key parameters {Name} or {Name:regexp}
	// whose value the key carries.
	Params string `yaml:"params" json:"params"`
	// Key is the item template of the lake key (default by scope); any
	// parameter sent with another value than its default is appended as
	// _Name-Value, sorted by name.
	Key string `yaml:"key" json:"key"`
	// Items lists the items reconciliation expects of a season-scoped
	// endpoint (default: the key with every default).
	Items []string `yaml:"items" json:"items,omitempty"`
	// Ignore lists parameters whose value does not change the object
	// (a recording with another value is the same object).
	Ignore []string `yaml:"ignore" json:"ignore,omitempty"`
	// Match lists conditions (Name=value, Name!=value) a recorded request
	// must meet to be this entry's (several entries of one path).
	Match []string `yaml:"match" json:"match,omitempty"`
	// Seasons the endpoint has data for ("1996-97..", "current", ...).
	Seasons  string `yaml:"seasons" json:"seasons"`
	Required bool   `yaml:"required" json:"required"`
	// OnDemand, when set, says why objects are fetched on request only:
	// reconciliation counts them and never expects them.
	OnDemand      string  `yaml:"on_demand" json:"on_demand,omitempty"`
	FreshnessDays float64 `yaml:"freshness_days" json:"freshness_days"`
	// Rate is the rate class: standard (one request at the host's pace)
	// or heavy (large responses: planned at half the pace).
	Rate        string      `yaml:"rate" json:"rate"`
	Description string      `yaml:"description" json:"description,omitempty"`
	Shape       string      `yaml:"shape" json:"shape"` // result_sets (default) or nested
	ResultSets  []ResultSet `yaml:"result_sets" json:"result_sets"`

	params  []catParam
	keyTmpl []tmplPart
	itemRe  *regexp.Regexp
}

type catParam struct {
	Name    string
	Default string     // raw template
	parts   []tmplPart // parsed template
	re      *regexp.Regexp
}

// tmplPart is a literal or a placeholder of a template.
type tmplPart struct {
	lit     string
	ph      string // placeholder name
	pattern string // its regexp
}

// Catalog is a parsed catalog.
type Catalog struct {
	Version   int        `yaml:"version"`
	Endpoints []Endpoint `yaml:"endpoints"`
	// Origin says where it came from: "embedded", or "embedded + PATH".
	Origin string `yaml:"-"`
}

// CatalogEnv names the environment variable holding the path of a user
// catalog file: its endpoints are added to the embedded ones (an endpoint of
// the same name replaces the embedded one). It is read once, when the
// process starts, like the embedded file: the catalog never changes while
// a process runs.
const CatalogEnv = "NBASIM_CATALOG"

// catalogPath is NBASIM_CATALOG as the process started.
var catalogPath = os.Getenv(CatalogEnv)

// builtinCatalog parses the catalog on first use, not at start-up: a
// command that never looks at it (box, serve, mcp) does not pay the parse
// (~130,000 allocations, most of a cold `nbasim box` process's CPU).
var builtinCatalog = sync.OnceValues(func() (*Catalog, error) { return startCatalog(catalogPath) })

// startCatalog returns the embedded catalog merged with the user catalog
// at path (if any). A user file that cannot be read or parsed leaves the
// embedded catalog, and the error for CatalogError.
func startCatalog(path string) (*Catalog, error) {
	c, err := ParseCatalog(embeddedCatalog)
	if err != nil {
		panic("layout: embedded catalog.yaml: " + err.Error())
	}
	c.Origin = "embedded"
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("%s: %w", CatalogEnv, err)
	}
	u, err := ParseCatalog(b)
	if err != nil {
		return c, fmt.Errorf("%s %s: %w", CatalogEnv, path, err)
	}
	return c.Merge(u, path), nil
}

// BuiltinCatalog returns the catalog of this process: the embedded one,
// with the user catalog of NBASIM_CATALOG (shared: do not modify).
func BuiltinCatalog() *Catalog {
	c, _ := builtinCatalog()
	return c
}

// CatalogError reports a user catalog (NBASIM_CATALOG) that could not be
// read or parsed; commands refuse to run with it. Without NBASIM_CATALOG
// it is nil and parses nothing.
func CatalogError() error {
	if catalogPath == "" {
		return nil
	}
	_, err := builtinCatalog()
	return err
}

// ParseCatalog parses and checks a catalog file.
func ParseCatalog(b []byte) (*Catalog, error) {
	var c Catalog
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("catalog: yaml: %w", err)
	}
	if c.Version != CatalogVersion {
		return nil, fmt.Errorf("catalog: version %d: this nbasim reads version %d", c.Version, CatalogVersion)
	}
	seen := map[string]bool{}
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		if err := e.init(); err != nil {
			return nil, fmt.Errorf("catalog: endpoints[%d] (%s): %w", i, e.Name, err)
		}
		if seen[e.Name] {
			return nil, fmt.Errorf("catalog: endpoints[%d]: %s listed twice", i, e.Name)
		}
		seen[e.Name] = true
	}
	return &c, nil
}

// Merge returns c with the endpoints of user added; an endpoint of the same
// name replaces c's.
func (c *Catalog) Merge(user *Catalog, origin string) *Catalog {
	out := &Catalog{Version: c.Version, Origin: c.Origin + " + " + origin}
	idx := map[string]int{}
	for _, e := range c.Endpoints {
		idx[e.Name] = len(out.Endpoints)
		out.Endpoints = append(out.Endpoints, e)
	}
	for _, e := range user.Endpoints {
		if i, ok := idx[e.Name]; ok {
			out.Endpoints[i] = e
			continue
		}
		out.Endpoints = append(out.Endpoints, e)
	}
	return out
}

// Endpoint returns the entry called name.
func (c *Catalog) Endpoint(name string) (*Endpoint, bool) {
	for i := range c.Endpoints {
		if c.Endpoints[i].Name == name {
			return &c.Endpoints[i], true
		}
	}
	return nil, false
}

// MarkdownTable renders the catalog as the table of docs/catalog.md
// (a test keeps the doc in sync).
func (c *Catalog) MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| dataset | endpoint | scope | lake key | seasons | result sets | rate |\n|---|---|---|---|---|---|---|\n")
	for _, e := range c.Endpoints {
		season := "{season}"
		if !e.SeasonBound() {
			season = DumpSeason
		}
		seasons := e.Seasons
		if e.OnDemand != "" {
			seasons = "on demand: " + e.OnDemand
		}
		names := make([]string, 0, len(e.ResultSets))
		for _, rs := range e.ResultSets {
			names = append(names, rs.Name)
		}
		if len(names) > 4 {
			names = append(names[:4], fmt.Sprintf("... (%d)", len(e.ResultSets)))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | `%s/%s/%s/%s.json` | %s | %s | %s |\n", e.Name, e.Path, e.Scope,
			CatalogSource, e.Name, season, e.Key, seasons, strings.Join(names, ", "), e.Rate)
	}
	return b.String()
}

// Datasets returns the lake datasets of the catalog's endpoints.
func (c *Catalog) Datasets() []Dataset {
	out := make([]Dataset, 0, len(c.Endpoints))
	for i := range c.Endpoints {
		out = append(out, c.Endpoints[i].Dataset())
	}
	return out
}

var (
	nameRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })
	paramNameRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`) })
	// variantRe matches the _Name-Value pairs after a key's base.
	variantRe = `(?:_[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9%+-]*)*`
)

var placeholderPatterns = map[string]string{
	"game_id":      `00[1-6]\d{7}`,
	"team_id":      `\d{10}`,
	"player_id":    `\d{1,10}`,
	"date":         `\d{8}`, // in keys; YYYY-MM-DD in requests
	"season":       `\d{4}-\d{2}`,
	"season_start": `\d{4}`,
	"season_type":  `regular|playoffs|play_in|preseason`,
}

func (e *Endpoint) init() error {
	if !nameRe().MatchString(e.Name) {
		return fmt.Errorf("name %q: want lower case letters, digits and _", e.Name)
	}
	if e.Path == "" {
		e.Path = e.Name
	}
	sc, ok := scopes[e.Scope]
	if !ok {
		return fmt.Errorf("scope %q: want game, date, season, team_season, player_season, team, player or league", e.Scope)
	}
	if e.Key == "" {
		e.Key = sc.key
	}
	if e.Seasons == "" && sc.seasons {
		e.Seasons = "1996-97.."
	}
	if e.Rate == "" {
		e.Rate = "standard"
	}
	if e.Rate != "standard" && e.Rate != "heavy" {
		return fmt.Errorf("rate %q: want standard or heavy", e.Rate)
	}
	if e.Shape == "" {
		e.Shape = "result_sets"
	}
	if e.Shape != "result_sets" && e.Shape != "nested" {
		return fmt.Errorf("shape %q: want result_sets or nested", e.Shape)
	}
	if e.FreshnessDays < 0 {
		return errors.New("freshness_days must be >= 0")
	}
	e.params = nil
	seen := map[string]bool{}
	for _, kv := range strings.Split(e.Params, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if !paramNameRe().MatchString(k) {
			return fmt.Errorf("params: parameter name %q", k)
		}
		if seen[k] {
			return fmt.Errorf("params: %s twice", k)
		}
		seen[k] = true
		if !strings.Contains(v, "{") {
			u, err := url.QueryUnescape(v)
			if err != nil {
				return fmt.Errorf("params: %s: %w", k, err)
			}
			v = u
		}
		parts, err := parseTemplate(v)
		if err != nil {
			return fmt.Errorf("params: %s: %w", k, err)
		}
		p := catParam{Name: k, Default: v, parts: parts}
		p.re = regexp.MustCompile("^" + templateRegexp(parts, true) + "$")
		e.params = append(e.params, p)
	}
	for _, p := range e.params {
		for _, t := range p.parts {
			if t.ph == "" {
				continue
			}
			if _, ok := placeholderPatterns[t.ph]; ok {
				continue
			}
			if t.ph != p.Name {
				return fmt.Errorf("params: %s: placeholder {%s}: a key parameter is named after its parameter", p.Name, t.ph)
			}
		}
	}
	for _, n := range e.Ignore {
		if !seen[n] {
			return fmt.Errorf("ignore: %s is not a parameter", n)
		}
	}
	for _, m := range e.Match {
		n, _, ok := strings.Cut(strings.Replace(m, "!=", "=", 1), "=")
		if !ok || !seen[n] {
			return fmt.Errorf("match %q: want Name=value or Name!=value of a parameter", m)
		}
	}
	parts, err := parseTemplate(e.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	for _, t := range parts {
		if t.ph == "" {
			if strings.ContainsAny(t.lit, "./") {
				return fmt.Errorf("key %q: no . or / in keys", e.Key)
			}
			continue
		}
		if _, ok := placeholderPatterns[t.ph]; ok {
			continue
		}
		if e.param(t.ph) == nil {
			return fmt.Errorf("key: {%s} is neither an entity nor a key parameter", t.ph)
		}
	}
	for i := range parts {
		if parts[i].ph != "" && parts[i].pattern == "" {
			if p := e.param(parts[i].ph); p != nil {
				for _, pt := range p.parts {
					if pt.ph == parts[i].ph {
						parts[i].pattern = pt.pattern
					}
				}
			}
		}
	}
	if sc.entity != "" && !strings.Contains(e.Key, "{"+sc.entity+"}") {
		return fmt.Errorf("key %q: a %s endpoint's key names {%s}", e.Key, e.Scope, sc.entity)
	}
	e.keyTmpl = parts
	e.itemRe = regexp.MustCompile("^(?:" + templateRegexp(parts, false) + ")" + variantRe + "$")
	for _, it := range e.Items {
		if !e.itemRe.MatchString(it) {
			return fmt.Errorf("items: %q does not match the key %s", it, e.Key)
		}
	}
	if len(e.Items) > 0 && e.Scope != ScopeSeason {
		return errors.New("items: only season-scoped endpoints list items")
	}
	return nil
}

func (e *Endpoint) param(name string) *catParam {
	for i := range e.params {
		if e.params[i].Name == name {
			return &e.params[i]
		}
	}
	return nil
}

// parseTemplate splits s into literals and {name} / {name:regexp} placeholders.
func parseTemplate(s string) ([]tmplPart, error) {
	var out []tmplPart
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			out = append(out, tmplPart{lit: s})
			break
		}
		if i > 0 {
			out = append(out, tmplPart{lit: s[:i]})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed { in %q", s)
		}
		name, pat, _ := strings.Cut(s[i+1:i+j], ":")
		if !paramNameRe().MatchString(name) {
			return nil, fmt.Errorf("placeholder {%s}", name)
		}
		if pat != "" {
			if _, err := regexp.Compile(pat); err != nil {
				return nil, fmt.Errorf("placeholder {%s}: %w", name, err)
			}
		}
		out = append(out, tmplPart{ph: name, pattern: pat})
		s = s[i+j+1:]
	}
	return out, nil
}

// templateRegexp renders parts as a regexp with a group per placeholder.
// In requests, {date} is YYYY-MM-DD and {season_type} the API's name.
func templateRegexp(parts []tmplPart, request bool) string {
	var b strings.Builder
	for _, t := range parts {
		if t.ph == "" {
			b.WriteString(regexp.QuoteMeta(t.lit))
			continue
		}
		pat := t.pattern
		if pat == "" {
			pat = placeholderPatterns[t.ph]
		}
		if request {
			switch t.ph {
			case "date":
				pat = `\d{4}-\d{2}-\d{2}`
			case "season_type":
				pat = `Regular Season|Playoffs|PlayIn|Pre Season|All Star|IST`
			}
		}
		if pat == "" {
			pat = `[A-Za-z0-9%+-]+`
			if request {
				pat = `.+`
			}
		}
		b.WriteString("(?P<" + t.ph + ">" + pat + ")")
	}
	return b.String()
}

// Dataset returns the lake dataset of the endpoint.
func (e *Endpoint) Dataset() Dataset {
	sc := scopes[e.Scope]
	return Dataset{Source: CatalogSource, Name: e.Name, Ext: "json", Per: sc.per, Item: e.itemRe, IDKind: sc.idKind}
}

// SeasonBound says whether objects are per season (else the key's season
// segment is DumpSeason).
func (e *Endpoint) SeasonBound() bool { return scopes[e.Scope].seasons }

// ParamNames lists the request's parameters in catalog order.
func (e *Endpoint) ParamNames() []string {
	out := make([]string, len(e.params))
	for i, p := range e.params {
		out[i] = p.Name
	}
	return out
}

// ParamDefault returns the default (template) of parameter name.
func (e *Endpoint) ParamDefault(name string) (string, bool) {
	if p := e.param(name); p != nil {
		return p.Default, true
	}
	return "", false
}

// Entity is what one object is about: the values of the placeholders.
type Entity struct {
	GameID, TeamID, PlayerID string
	Date                     string // YYYY-MM-DD
	Season                   string // 2023-24
	SeasonType               string // regular, playoffs, play_in, preseason (key slug)
	// Keyed holds the values of key parameters ({StartRange}, ...).
	Keyed map[string]string
}

var apiSeasonTypes = map[string]string{"regular": "Regular Season", "playoffs": "Playoffs", "play_in": "PlayIn", "preseason": "Pre Season", "allstar": "All Star", "cup_final": "Regular Season"}

func (en Entity) value(ph string) (string, bool) {
	switch ph {
	case "game_id":
		return en.GameID, en.GameID != ""
	case "team_id":
		return en.TeamID, en.TeamID != ""
	case "player_id":
		return en.PlayerID, en.PlayerID != ""
	case "date":
		return en.Date, en.Date != ""
	case "season":
		return en.Season, en.Season != ""
	case "season_start":
		if len(en.Season) < 4 {
			return "", false
		}
		return en.Season[:4], true
	case "season_type":
		v, ok := apiSeasonTypes[en.SeasonType]
		return v, ok
	}
	v, ok := en.Keyed[ph]
	return v, ok
}

// setID sets the game, team or player id named by placeholder ph.
func (en *Entity) setID(ph, v string) bool {
	switch ph {
	case "game_id":
		en.GameID = v
	case "team_id":
		en.TeamID = v
	case "player_id":
		en.PlayerID = v
	default:
		return false
	}
	return true
}

// render fills a template for a request.
func (en Entity) render(parts []tmplPart) (string, error) {
	var b strings.Builder
	for _, t := range parts {
		if t.ph == "" {
			b.WriteString(t.lit)
			continue
		}
		v, ok := en.value(t.ph)
		if !ok {
			return "", fmt.Errorf("no value for {%s}", t.ph)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// Request returns the query parameters (in catalog order) of the object
// season/item: the defaults, with the entity of the key and its _Name-Value
// variants filled in.
func (e *Endpoint) Request(season, item string) ([][2]string, error) {
	en, variants, err := e.ParseItem(season, item)
	if err != nil {
		return nil, err
	}
	out := make([][2]string, 0, len(e.params)+len(variants))
	for _, p := range e.params {
		if v, ok := variants[p.Name]; ok {
			out = append(out, [2]string{p.Name, v})
			delete(variants, p.Name)
			continue
		}
		v, err := en.render(p.parts)
		if err != nil {
			return nil, fmt.Errorf("%s: parameter %s: %w", e.Name, p.Name, err)
		}
		out = append(out, [2]string{p.Name, v})
	}
	for _, k := range sortedNames(variants) { // parameters the catalog does not list
		out = append(out, [2]string{k, variants[k]})
	}
	return out, nil
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParseItem reads the entity and the variants (parameters sent with another
// value than their default) of item in season.
func (e *Endpoint) ParseItem(season, item string) (Entity, map[string]string, error) {
	if e.SeasonBound() {
		if _, err := ParseSeason(season); err != nil {
			return Entity{}, nil, err
		}
	} else if season != DumpSeason {
		return Entity{}, nil, fmt.Errorf("%s: season %q: the endpoint is tied to no season (want %q)", e.Name, season, DumpSeason)
	}
	if !e.itemRe.MatchString(item) {
		return Entity{}, nil, fmt.Errorf("%s: item %q does not match %s", e.Name, item, e.itemRe)
	}
	baseRe := regexp.MustCompile("^" + templateRegexp(e.keyTmpl, false))
	m := baseRe.FindStringSubmatchIndex(item)
	en := Entity{Keyed: map[string]string{}}
	if e.SeasonBound() {
		en.Season = season
	}
	for i, name := range baseRe.SubexpNames() {
		if name == "" || m[2*i] < 0 {
			continue
		}
		v := item[m[2*i]:m[2*i+1]]
		if en.setID(name, v) {
			continue
		}
		switch name {
		case "date":
			en.Date = v[:4] + "-" + v[4:6] + "-" + v[6:]
		case "season", "season_start":
		case "season_type":
			en.SeasonType = v
		default:
			u, err := unescapeValue(v)
			if err != nil {
				return Entity{}, nil, fmt.Errorf("%s: item %q: %w", e.Name, item, err)
			}
			en.Keyed[name] = u
		}
	}
	if en.GameID != "" && en.SeasonType == "" {
		en.SeasonType = SeasonTypeOfGameID(en.GameID)
	}
	if en.SeasonType == "" {
		en.SeasonType = "regular"
	}
	variants := map[string]string{}
	rest := item[m[1]:]
	for rest != "" {
		rest = rest[1:] // the _
		name, after, _ := strings.Cut(rest, "-")
		val, next, found := strings.Cut(after, "_")
		u, err := unescapeValue(val)
		if err != nil {
			return Entity{}, nil, fmt.Errorf("%s: item %q: %w", e.Name, item, err)
		}
		variants[name] = u
		rest = ""
		if found {
			rest = "_" + next
		}
	}
	return en, variants, nil
}

// escapeValue writes a parameter value into a key: letters, digits and -
// as they are, a space as +, anything else as %XX (so no _ . / in keys).
func escapeValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func unescapeValue(v string) (string, error) { return url.QueryUnescape(v) }

// Item builds the item of an object about en whose request differs from
// the defaults by variants.
func (e *Endpoint) Item(en Entity, variants map[string]string) (string, error) {
	var b strings.Builder
	for _, t := range e.keyTmpl {
		if t.ph == "" {
			b.WriteString(t.lit)
			continue
		}
		var v string
		var ok bool
		switch t.ph {
		case "date":
			v, ok = strings.ReplaceAll(en.Date, "-", ""), en.Date != ""
		case "season_type":
			v, ok = en.SeasonType, en.SeasonType != ""
		default:
			v, ok = en.value(t.ph)
			if _, entity := placeholderPatterns[t.ph]; !entity {
				v = escapeValue(v)
			}
		}
		if !ok {
			return "", fmt.Errorf("%s: key %s: no value for {%s}", e.Name, e.Key, t.ph)
		}
		b.WriteString(v)
	}
	for _, k := range sortedNames(variants) {
		b.WriteString("_" + k + "-" + escapeValue(variants[k]))
	}
	item := b.String()
	if !e.itemRe.MatchString(item) {
		return "", fmt.Errorf("%s: item %q does not match %s", e.Name, item, e.itemRe)
	}
	return item, nil
}

// Matches says whether the recorded query q meets the entry's match
// conditions.
func (e *Endpoint) Matches(q url.Values) bool {
	for _, m := range e.Match {
		if k, v, ok := strings.Cut(m, "!="); ok {
			if q.Get(k) == v {
				return false
			}
			continue
		}
		k, v, _ := strings.Cut(m, "=")
		if q.Get(k) != v {
			return false
		}
	}
	return true
}

// Recognise maps a request's query (a recording's, or one a user built)
// to the lake season and item of the object it answers: the entity from
// the scope's parameters, and every other parameter whose value is not
// its default (ignored ones aside) as a variant. It fails when the scope's
// entity cannot be read (a G League game id, no season).
func (e *Endpoint) Recognise(q url.Values) (season, item string, err error) {
	en := Entity{Keyed: map[string]string{}}
	// 1. entity values from parameters whose template holds a placeholder
	for _, p := range e.params {
		if !strings.Contains(p.Default, "{") {
			continue
		}
		v := q.Get(p.Name)
		m := p.re.FindStringSubmatch(v)
		if m == nil {
			continue // another value: a variant below
		}
		for i, name := range p.re.SubexpNames() {
			if name == "" {
				continue
			}
			val := m[i]
			if en.setID(name, val) {
				continue
			}
			switch name {
			case "date":
				en.Date = val
			case "season":
				if en.Season == "" {
					en.Season = val
				}
			case "season_start":
				if en.Season == "" {
					if y, err := strconv.Atoi(val); err == nil {
						en.Season = Season(y).String()
					}
				}
			case "season_type":
				for slug, api := range apiSeasonTypes {
					if api == val && slug != "cup_final" {
						en.SeasonType = slug
					}
				}
			default:
				en.Keyed[name] = val
			}
		}
	}
	// 2. the season of the object
	switch {
	case en.GameID != "":
		s, err := SeasonOfGameID(en.GameID)
		if err != nil {
			return "", "", err
		}
		if e.Scope == ScopeGame || en.Season == "" {
			en.Season = s.String()
		}
	case en.Date != "":
		d, err := time.Parse("2006-01-02", en.Date)
		if err != nil {
			return "", "", fmt.Errorf("%s: date %q: %w", e.Name, en.Date, err)
		}
		if e.Scope == ScopeDate || en.Season == "" {
			en.Season = SeasonOfDate(d).String()
		}
	}
	if en.Season == "" && e.SeasonBound() {
		for _, k := range []string{"DateFrom", "GameDate"} {
			if d, err := time.Parse("2006-01-02", q.Get(k)); err == nil {
				en.Season = SeasonOfDate(d).String()
				break
			}
		}
	}
	sc := scopes[e.Scope]
	if sc.entity != "" {
		if v, _ := en.value(sc.entity); v == "" {
			return "", "", fmt.Errorf("%s: no %s in the request (scope %s)", e.Name, sc.entity, e.Scope)
		}
	}
	if e.SeasonBound() && en.Season == "" {
		return "", "", fmt.Errorf("%s: no season in the request", e.Name)
	}
	if e.SeasonBound() {
		if _, err := ParseSeason(en.Season); err != nil {
			return "", "", fmt.Errorf("%s: %w", e.Name, err)
		}
	}
	if en.GameID != "" && en.SeasonType == "" {
		en.SeasonType = SeasonTypeOfGameID(en.GameID)
	}
	if en.SeasonType == "" {
		en.SeasonType = "regular"
	}
	// 3. variants: what differs from the defaults for this entity
	ignored := map[string]bool{}
	for _, n := range e.Ignore {
		ignored[n] = true
	}
	variants := map[string]string{}
	known := map[string]bool{}
	for _, p := range e.params {
		known[p.Name] = true
		if ignored[p.Name] {
			continue
		}
		want, err := en.render(p.parts)
		got, present := q[p.Name]
		if !present {
			continue // not sent: the server's default, taken as ours
		}
		if err != nil || got[0] != want {
			variants[p.Name] = got[0]
		}
	}
	for k, v := range q {
		if !known[k] {
			variants[k] = v[0]
		}
	}
	item, err = e.Item(en, variants)
	if err != nil {
		return "", "", err
	}
	season = DumpSeason
	if e.SeasonBound() {
		season = en.Season
	}
	return season, item, nil
}

// ForPath returns the entry answering a request to path (the endpoint
// name, case-insensitive) with query q: an entry with match conditions that
// q meets, else the path's entry without conditions.
func (c *Catalog) ForPath(path string, q url.Values) (*Endpoint, bool) {
	var plain *Endpoint
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		if !strings.EqualFold(e.Path, path) {
			continue
		}
		if len(e.Match) == 0 {
			if plain == nil {
				plain = e
			}
			continue
		}
		if e.Matches(q) {
			return e, true
		}
	}
	return plain, plain != nil
}
