// Package source is nbasim's collection layer toward the providers: the
// Source interface every provider implements (endpoints, lake key layout,
// default rate, how to enumerate a season's games), a registry of sources,
// and the Client every request goes through, which paces each host (token
// bucket, concurrency cap, Retry-After, exponential backoff with full
// jitter, a circuit breaker) and validates every response before anyone
// may write it.
//
// Providers live in sub-packages: nbastats (stats.nba.com), nbalive
// (cdn.nba.com), espn (site.api.espn.com) and bbref
// (www.basketball-reference.com).
package source

import (
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/nbasim/nbasim/internal/config"
	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// Request is one request for one lake object.
type Request struct {
	Source  string // source name (nba_stats, ...)
	Dataset string // layout dataset name
	Season  string // "2023-24"
	Item    string // layout item (game id, date, month, ...)
	Host    string // pacing host: the provider's host name, whatever BaseURL says
	URL     string
	Header  http.Header
	// Validate checks a 200 response before it may be written; nil accepts
	// anything. It returns a *ValidationError.
	Validate func(*Response) error
}

// Key returns the lake key of the object the request fetches.
func (r *Request) Key() (string, error) { return layout.Make(r.Source, r.Dataset, r.Season, r.Item) }

func (r *Request) String() string { return r.Source + "/" + r.Dataset + "/" + r.Season + "/" + r.Item }

// Response is a validated response. Body holds the bytes after transport
// decoding (gzip is undone): what the lake stores.
type Response struct {
	Request     *Request
	Status      int
	Header      http.Header
	ContentType string
	Body        []byte
	FetchedAt   time.Time
	Attempts    int
}

// Source is one provider.
type Source interface {
	// Name is the source name used in lake keys and config (nba_stats, ...).
	Name() string
	// Host is the provider's host name; pacing and breakers are per host.
	Host() string
	// Policy is the source's default pacing policy.
	Policy() Policy
	// Datasets lists the layout datasets the source fetches.
	Datasets() []string
	// GameDatasets lists the per-game datasets `fetch game` and
	// `fetch season` fetch by default.
	GameDatasets() []string
	// Request builds the request of item in dataset for season.
	Request(dataset, season, item string) (*Request, error)
	// ScheduleRequests lists the requests that enumerate a season's games.
	ScheduleRequests(season layout.Season) ([]*Request, error)
	// Games extracts the games a schedule object lists. Rows carry at least
	// the source's own id (GameID, ESPNID or BBRefID) and, when the payload
	// says, date and teams.
	Games(dataset string, data []byte, h parse.Hint) ([]model.GameRow, error)
	// GameItem returns the item of g in the source's id space, or "".
	GameItem(g model.GameRow) string
}

// Registry holds the sources by name.
type Registry struct{ m map[string]Source }

// NewRegistry registers srcs.
func NewRegistry(srcs ...Source) *Registry {
	r := &Registry{m: map[string]Source{}}
	for _, s := range srcs {
		r.m[s.Name()] = s
	}
	return r
}

// Get returns the source called name.
func (r *Registry) Get(name string) (Source, error) {
	s, ok := r.m[name]
	if !ok {
		return nil, fmt.Errorf("source: unknown source %q (known: %v)", name, r.Names())
	}
	return s, nil
}

// Names lists the registered sources, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.m))
	for n := range r.m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// All returns the sources sorted by name.
func (r *Registry) All() []Source {
	var out []Source
	for _, n := range r.Names() {
		out = append(out, r.m[n])
	}
	return out
}

// Policy is how a host is paced.
type Policy struct {
	Rate        float64 // requests per second; <= 0 means unlimited
	Burst       int     // token bucket size (>= 1)
	Concurrency int     // requests in flight (>= 1)
	Attempts    int     // tries per request (>= 1)
	Timeout     time.Duration
	// BackoffBase and BackoffMax bound the exponential backoff between
	// attempts; the sleep is uniform in [0, min(max, base*2^n)) (full jitter).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// ThrottleOn403 counts a 403 as throttling (stats.nba.com blocks that way).
	ThrottleOn403 bool
	// TimeoutIsThrottle counts connect and read timeouts as throttling
	// (stats.nba.com blocks by hanging).
	TimeoutIsThrottle bool
	// LockoutOn429, when > 0, makes a 429 stop the host for that long
	// instead of being retried (basketball-reference locks clients out for
	// an hour).
	LockoutOn429 time.Duration
	// BreakerThreshold consecutive failed attempts open the breaker for
	// BreakerCooldown; then one probe is let through (half-open).
	BreakerThreshold int
	BreakerCooldown  time.Duration
	// MaxWait is how long a request waits for a paused or open host before
	// it fails with ErrBreakerOpen instead.
	MaxWait time.Duration
	// MinRateFactor bounds the slow-down after throttling (rate never goes
	// below Rate*MinRateFactor).
	MinRateFactor float64
}

// withDefaults fills zero fields.
func (p Policy) withDefaults() Policy {
	if p.Burst < 1 {
		p.Burst = 1
	}
	if p.Concurrency < 1 {
		p.Concurrency = 1
	}
	if p.Attempts < 1 {
		p.Attempts = 3
	}
	if p.Timeout <= 0 {
		p.Timeout = 30 * time.Second
	}
	if p.BackoffBase <= 0 {
		p.BackoffBase = time.Second
	}
	if p.BackoffMax <= 0 {
		p.BackoffMax = time.Minute
	}
	if p.BreakerThreshold <= 0 {
		p.BreakerThreshold = 5
	}
	if p.BreakerCooldown <= 0 {
		p.BreakerCooldown = 30 * time.Second
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 5 * time.Minute
	}
	if p.MinRateFactor <= 0 || p.MinRateFactor > 1 {
		p.MinRateFactor = 0.125
	}
	return p
}

// Configured returns the policy of the source named name: the provider's
// behaviour p (what its answers mean: ThrottleOn403, TimeoutIsThrottle,
// LockoutOn429) with the rates and limits of the default configuration
// (config.Default().Sources[name]). Rates and limits live in config only;
// a run's own configuration is applied on top (Apply).
func Configured(name string, p Policy) Policy {
	return p.Apply(config.Default().Sources[name])
}

// Apply overrides p with the non-zero fields of a config source.
func (p Policy) Apply(c config.Source) Policy {
	if c.Rate != 0 {
		p.Rate = c.Rate
	}
	if c.Burst > 0 {
		p.Burst = c.Burst
	}
	if c.Concurrency > 0 {
		p.Concurrency = c.Concurrency
	}
	if c.Timeout > 0 {
		p.Timeout = c.Timeout
	}
	if c.Attempts > 0 {
		p.Attempts = c.Attempts
	}
	if c.Lockout > 0 && p.LockoutOn429 > 0 {
		p.LockoutOn429 = c.Lockout
	}
	return p
}

// Requests builds one request of dataset for season per item, through the
// source's own Request (the ScheduleRequests of every source).
func Requests(s interface {
	Request(dataset, season, item string) (*Request, error)
}, dataset string, season layout.Season, items []string) ([]*Request, error) {
	out := make([]*Request, 0, len(items))
	for _, item := range items {
		r, err := s.Request(dataset, season.String(), item)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ScheduleGames is Source.Games for a source whose schedule is the one
// dataset schedule, parsed by f: another dataset is an error naming the
// source.
func ScheduleGames(name, schedule string, f parse.Func, dataset string, data []byte, h parse.Hint) ([]model.GameRow, error) {
	if dataset != schedule {
		return nil, fmt.Errorf("%s: %s is not a schedule dataset", name, dataset)
	}
	res, err := f(data, h)
	if err != nil {
		return nil, err
	}
	return res.Games, nil
}
