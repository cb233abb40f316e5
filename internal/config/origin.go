package config

import (
	"fmt"
	"sort"
	"strings"
)

// Layer is a configuration layer, lowest precedence first.
type Layer int

// The layers, in increasing precedence.
const (
	LayerDefault Layer = iota // embedded defaults
	LayerFile                 // nbasim.yaml
	LayerDotEnv               // .env in the working directory
	LayerEnv                  // NBASIM_* in the environment
	LayerLegacy               // legacy names (DATABASE_URL, DB_HOST, S3_BUCKET, ...)
	LayerFlag                 // command-line flags
)

func (l Layer) String() string {
	return [...]string{"default", "file", ".env", "env", "legacy", "flag"}[l]
}

// Origin says where a value came from.
type Origin struct {
	Layer Layer
	// Where is the human-readable source: "default", "nbasim.yaml:12",
	// "env NBASIM_LOG_LEVEL", ".env:3 DB_HOST", "flag --db".
	Where string
	File  string // for file and .env origins
	Line  int
}

func (o Origin) String() string {
	if o.Where == "" {
		return o.Layer.String()
	}
	return o.Where
}

// Origins records the origin of every effective value, and warnings found
// while loading (an NBASIM_* variable that names no key, for example).
type Origins struct {
	m        map[string]Origin
	File     string   // the config file read, "" when none
	DotEnv   string   // the .env file read, "" when none
	Warnings []string // non-fatal findings, in the order found
}

func newOrigins() *Origins { return &Origins{m: map[string]Origin{}} }

// Get returns the origin of a dotted key; keys never set are defaults.
func (o *Origins) Get(key string) Origin {
	if o == nil {
		return Origin{Layer: LayerDefault, Where: "default"}
	}
	if or, ok := o.m[key]; ok {
		return or
	}
	// a whole section set at once (reconcile.caps from a file) covers its children
	for k, or := range o.m {
		if strings.HasPrefix(key, k+".") {
			return or
		}
	}
	return Origin{Layer: LayerDefault, Where: "default"}
}

func (o *Origins) set(key string, or Origin) { o.m[key] = or }

// Keys returns the keys whose value did not come from the defaults, sorted.
func (o *Origins) Keys() []string {
	out := make([]string, 0, len(o.m))
	for k := range o.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Error is a configuration error that names the key and where it came from.
type Error struct {
	Key    string // dotted key, or the variable/flag name
	Where  string // "nbasim.yaml:12", "env NBASIM_LOG_LEVEL", ...
	Msg    string
	Reason error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("config: ")
	if e.Where != "" {
		b.WriteString(e.Where)
		b.WriteString(": ")
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Reason }
