package config

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/joho/godotenv"
)

// Options says where Load looks.
type Options struct {
	// ConfigPath is the YAML file named by --config ("" when not given).
	ConfigPath string
	// Dir is the working directory holding .env and the default
	// nbasim.yaml; "" means the process's working directory.
	Dir string
	// LookupEnv reads the real environment; nil means os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Flags are the flags given on the command line, applied last.
	Flags []Flag
	// NoDotEnv skips .env (tests).
	NoDotEnv bool
}

// Flag is one command-line flag that sets a key.
type Flag struct {
	Key   string // dotted key: "database.url"
	Name  string // flag name without dashes: "db"
	Value string
}

// envVar is one variable as seen by the loader: from the real environment
// or from .env (which never overrides the real one).
type envVar struct {
	value string
	where string // "env X" or ".env:3 X"
	layer Layer
	file  string
	line  int
}

type environment struct {
	lookup func(string) (string, bool)
	dotenv map[string]envVar
}

func (e *environment) get(name string) (envVar, bool) {
	if v, ok := e.lookup(name); ok {
		return envVar{value: v, where: "env " + name, layer: LayerEnv}, true
	}
	v, ok := e.dotenv[name]
	return v, ok
}

// getNonEmpty treats an empty variable as unset (legacy .env files often
// carry empty placeholders such as DB_PASSWORD=).
func (e *environment) getNonEmpty(name string) (envVar, bool) {
	v, ok := e.get(name)
	if !ok || strings.TrimSpace(v.value) == "" {
		return envVar{}, false
	}
	return v, true
}

// Load builds the effective configuration: defaults < nbasim.yaml < .env <
// environment (NBASIM_*, then legacy names for keys NBASIM_* left unset) <
// flags. It returns the config, where each value came from, and an error
// naming the key and its source when anything is wrong.
func Load(opts Options) (*Config, *Origins, error) {
	cfg := Default()
	o := newOrigins()
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	env := &environment{lookup: opts.LookupEnv}
	if env.lookup == nil {
		env.lookup = os.LookupEnv
	}

	// .env first: it may name the config file (NBASIM_CONFIG).
	if !opts.NoDotEnv {
		p := filepath.Join(dir, ".env")
		vars, err := readDotEnv(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, o, err
		default:
			env.dotenv = vars
			o.DotEnv = p
		}
	}

	// The YAML file.
	path, explicit := opts.ConfigPath, opts.ConfigPath != ""
	if !explicit {
		if v, ok := env.getNonEmpty("NBASIM_CONFIG"); ok {
			path, explicit = v.value, true
		}
	}
	if !explicit {
		p := filepath.Join(dir, DefaultConfigFile)
		if _, err := os.Stat(p); err == nil {
			path = p
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	// every problem of every layer is reported at once (docs/config.md)
	var errs []error
	if path != "" {
		if err := loadFile(cfg, o, path); err != nil {
			errs = append(errs, err)
		}
		o.File = path
	}

	// NBASIM_* variables, one per key.
	for _, k := range Keys(cfg) {
		v, ok := env.get(k.Env)
		if !ok {
			continue
		}
		if err := cfg.Set(k.Name, v.value); err != nil {
			errs = append(errs, &Error{Key: k.Name, Where: v.where, Msg: err.Error(), Reason: err})
			continue
		}
		o.set(k.Name, Origin{Layer: v.layer, Where: v.where, File: v.file, Line: v.line})
	}
	o.Warnings = append(o.Warnings, unknownEnv(env, cfg)...)

	// Legacy names for what NBASIM_* left unset.
	if err := applyLegacy(cfg, o, env); err != nil {
		errs = append(errs, err)
	}

	// Flags.
	for _, f := range opts.Flags {
		if err := cfg.Set(f.Key, f.Value); err != nil {
			errs = append(errs, &Error{Key: f.Key, Where: "flag --" + f.Name, Msg: err.Error(), Reason: err})
			continue
		}
		o.set(f.Key, Origin{Layer: LayerFlag, Where: "flag --" + f.Name})
	}

	// values that could not be read keep their defaults: validating the
	// rest still finds their problems too
	normalizeDatabase(cfg, o)
	if err := Validate(cfg, o); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, o, errors.Join(errs...)
	}
	return cfg, o, nil
}

// readDotEnv parses a .env file with godotenv and finds the line of each
// variable (the last assignment wins, as in godotenv).
func readDotEnv(path string) (map[string]envVar, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &Error{Where: path, Msg: fmt.Sprintf("cannot read .env: %v", err), Reason: err}
	}
	defer f.Close()
	vals, err := godotenv.Parse(f)
	if err != nil {
		return nil, &Error{Where: path, Msg: fmt.Sprintf("cannot parse .env: %v", err), Reason: err}
	}
	lines := map[string]int{}
	if _, err := f.Seek(0, 0); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		re := regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]`)
		for n := 1; sc.Scan(); n++ {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				lines[m[1]] = n
			}
		}
	}
	out := make(map[string]envVar, len(vals))
	for k, v := range vals {
		where := fmt.Sprintf(".env:%d %s", lines[k], k)
		if lines[k] == 0 {
			where = ".env " + k
		}
		out[k] = envVar{value: v, where: where, layer: LayerDotEnv, file: path, line: lines[k]}
	}
	return out, nil
}

// notKeys are NBASIM_* variables that are not config keys.
var notKeys = map[string]bool{"NBASIM_CONFIG": true}

// unknownEnv warns about NBASIM_* variables that set nothing (typos).
func unknownEnv(env *environment, cfg *Config) []string {
	known := map[string]bool{}
	var names []string
	for _, k := range Keys(cfg) {
		known[k.Env] = true
		names = append(names, k.Env)
	}
	check := func(name, where string) string {
		if !strings.HasPrefix(name, "NBASIM_") || known[name] || notKeys[name] || strings.HasPrefix(name, "NBASIM_TEST_") {
			return ""
		}
		msg := fmt.Sprintf("%s: %s is not a configuration variable", where, name)
		if s := suggest(name, names); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return msg
	}
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := env.lookup(name); !ok {
			continue // a test's fake environment
		}
		if w := check(name, "env"); w != "" {
			out = append(out, w)
		}
	}
	for name, v := range env.dotenv {
		if _, real := env.lookup(name); real {
			continue
		}
		if w := check(name, strings.TrimSuffix(v.where, " "+name)); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// legacyDB lists the legacy per-field database variables, in precedence
// order (the Python system's order: DB_* beats RDS_* beats POSTGRES_*).
var legacyDB = struct{ host, port, name, user, password []string }{
	host:     []string{"DB_HOST", "RDS_HOST", "POSTGRES_HOST"},
	port:     []string{"DB_PORT", "RDS_PORT", "POSTGRES_PORT"},
	name:     []string{"DB_NAME", "RDS_DB_NAME", "RDS_DATABASE", "POSTGRES_DB"},
	user:     []string{"DB_USER", "RDS_USERNAME", "POSTGRES_USER"},
	password: []string{"DB_PASSWORD", "RDS_PASSWORD", "POSTGRES_PASSWORD"},
}

// legacyNames documents the legacy variables per key (README, config show).
var legacyNames = map[string][]string{
	"database.url": {"DATABASE_URL",
		"DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
		"RDS_HOST", "RDS_PORT", "RDS_DB_NAME", "RDS_DATABASE", "RDS_USERNAME", "RDS_PASSWORD",
		"POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"},
	"lake.url":    {"S3_BUCKET"},
	"lake.prefix": {"S3_PREFIX"},
	"lake.region": {"AWS_REGION", "AWS_DEFAULT_REGION"},
}

func first(env *environment, names []string) (envVar, bool) {
	for _, n := range names {
		if v, ok := env.getNonEmpty(n); ok {
			return v, true
		}
	}
	return envVar{}, false
}

func legacyOrigin(vars ...envVar) Origin {
	var parts []string
	layer := LayerLegacy
	for _, v := range vars {
		parts = append(parts, v.where)
	}
	o := Origin{Layer: layer, Where: strings.Join(parts, ", ") + " (legacy)"}
	if len(vars) == 1 {
		o.File, o.Line = vars[0].file, vars[0].line
	}
	return o
}

func applyLegacy(cfg *Config, o *Origins, env *environment) error {
	if _, ok := env.get(EnvName("database.url")); !ok {
		if v, ok := env.getNonEmpty("DATABASE_URL"); ok {
			cfg.Database.URL = strings.TrimSpace(v.value)
			o.set("database.url", legacyOrigin(v))
		} else if host, ok := first(env, legacyDB.host); ok {
			used := []envVar{host}
			port, db, user, pass := "5432", "nba_simulator", "", ""
			if v, ok := first(env, legacyDB.port); ok {
				if _, err := strconv.Atoi(strings.TrimSpace(v.value)); err != nil {
					return &Error{Key: "database.url", Where: v.where, Msg: fmt.Sprintf("port must be a number, got %q", v.value)}
				}
				port, used = strings.TrimSpace(v.value), append(used, v)
			}
			if v, ok := first(env, legacyDB.name); ok {
				db, used = v.value, append(used, v)
			}
			if v, ok := first(env, legacyDB.user); ok {
				user, used = v.value, append(used, v)
			}
			if v, ok := first(env, legacyDB.password); ok {
				pass, used = v.value, append(used, v)
			}
			u := url.URL{Scheme: "postgres", Host: strings.TrimSpace(host.value) + ":" + port, Path: "/" + db}
			switch {
			case pass != "":
				u.User = url.UserPassword(user, pass)
			case user != "":
				u.User = url.User(user)
			}
			cfg.Database.URL = u.String()
			o.set("database.url", legacyOrigin(used...))
		}
	}
	if _, ok := env.get(EnvName("lake.region")); !ok {
		if v, ok := first(env, legacyNames["lake.region"]); ok {
			cfg.Lake.Region = strings.TrimSpace(v.value)
			o.set("lake.region", legacyOrigin(v))
		}
	}
	if _, ok := env.get(EnvName("lake.prefix")); !ok {
		if v, ok := env.getNonEmpty("S3_PREFIX"); ok {
			cfg.Lake.Prefix = strings.TrimSpace(v.value)
			o.set("lake.prefix", legacyOrigin(v))
		}
	}
	if _, ok := env.get(EnvName("lake.url")); !ok {
		if v, ok := env.getNonEmpty("S3_BUCKET"); ok {
			bucket := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v.value), "s3://"))
			cfg.Lake.URL = "s3://" + bucket + "?region=" + url.QueryEscape(cfg.Lake.Region)
			o.set("lake.url", legacyOrigin(v))
		}
	}
	return nil
}

// normalizeDatabase turns a SQLite location given as the database URL
// (sqlite:///path, file:path or a bare path ending in .db) into
// database.sqlite_path, so --db works for both engines.
func normalizeDatabase(cfg *Config, o *Origins) {
	u := strings.TrimSpace(cfg.Database.URL)
	var path string
	switch {
	case u == "":
		return
	case strings.HasPrefix(u, "sqlite://"):
		path = strings.TrimPrefix(u, "sqlite://")
	case strings.HasPrefix(u, "sqlite:"):
		path = strings.TrimPrefix(u, "sqlite:")
	case strings.HasPrefix(u, "file:"):
		path = strings.TrimPrefix(strings.TrimPrefix(u, "file:"), "//")
	case !strings.Contains(u, "://"):
		path = u
	default:
		return
	}
	cfg.Database.URL = ""
	cfg.Database.SQLitePath = path
	o.set("database.sqlite_path", o.Get("database.url"))
}
