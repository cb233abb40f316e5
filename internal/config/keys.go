package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

var durationType = reflect.TypeFor[time.Duration]()

// Key describes one configuration key: its dotted name (the YAML path),
// the environment variable that sets it and the legacy names honoured
// after that variable.
type Key struct {
	Name   string   // dotted YAML path: "database.url", "sources.espn.rate"
	Env    string   // NBASIM_DATABASE_URL
	Legacy []string // legacy environment names, in the order they are tried
	Secret bool     // redacted when shown
	Doc    string   // one-line description
	Type   string   // string, int, float, bool, duration, list, map
}

// Keys lists every leaf key of cfg in file order. Map-valued sections
// (sources) contribute one key per entry present in cfg, so Keys(Default())
// is the reference of every key nbasim knows.
func Keys(cfg *Config) []Key {
	var out []Key
	walkLeaves(reflect.ValueOf(cfg).Elem(), nil, func(path []string, v reflect.Value) {
		name := strings.Join(path, ".")
		out = append(out, Key{
			Name:   name,
			Env:    EnvName(name),
			Legacy: legacyNames[name],
			Secret: secretKeys[name],
			Doc:    docFor(path),
			Type:   typeName(v.Type()),
		})
	})
	return out
}

// EnvName is the environment variable for a dotted key:
// "sources.espn.rate" -> NBASIM_SOURCES_ESPN_RATE.
func EnvName(key string) string {
	return "NBASIM_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func yamlName(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = strings.ToLower(f.Name)
	}
	return name
}

// isLeaf reports whether values of t are set as a whole (not walked into).
func isLeaf(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return false
	case reflect.Map:
		return t.Elem().Kind() != reflect.Struct
	}
	return true
}

// walkLeaves calls fn for every leaf under v (a struct), in field order;
// struct-valued maps are walked in sorted key order.
func walkLeaves(v reflect.Value, path []string, fn func([]string, reflect.Value)) {
	switch {
	case isLeaf(v.Type()):
		fn(path, v)
	case v.Kind() == reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			walkLeaves(v.Field(i), append(append([]string(nil), path...), yamlName(t.Field(i))), fn)
		}
	case v.Kind() == reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkLeaves(v.MapIndex(k), append(append([]string(nil), path...), k.String()), fn)
		}
	}
}

// fieldNames returns the YAML names of a struct type's fields.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			out = append(out, yamlName(t.Field(i)))
		}
	}
	return out
}

func fieldByName(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() && yamlName(t.Field(i)) == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// update resolves path under v (addressable) and calls fn with the leaf,
// writing map entries back after fn changed a copy.
func update(v reflect.Value, path []string, fn func(reflect.Value) error) error {
	if len(path) == 0 {
		return fn(v)
	}
	switch v.Kind() {
	case reflect.Struct:
		f, ok := fieldByName(v, path[0])
		if !ok {
			return fmt.Errorf("unknown key %q", path[0])
		}
		return update(f, path[1:], fn)
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		k := reflect.ValueOf(path[0])
		elem := reflect.New(v.Type().Elem()).Elem()
		if cur := v.MapIndex(k); cur.IsValid() {
			elem.Set(cur)
		}
		if err := update(elem, path[1:], fn); err != nil {
			return err
		}
		v.SetMapIndex(k, elem)
		return nil
	}
	return fmt.Errorf("key %q is not a section", path[0])
}

// Set parses raw into the key named by dotted path.
func (c *Config) Set(key, raw string) error {
	return update(reflect.ValueOf(c).Elem(), strings.Split(key, "."), func(v reflect.Value) error {
		return parseInto(v, raw)
	})
}

// Get returns the key's value formatted as text ("" for an unknown key).
func (c *Config) Get(key string) string {
	var out string
	_ = update(reflect.ValueOf(c.clone()).Elem(), strings.Split(key, "."), func(v reflect.Value) error {
		out = formatValue(v)
		return nil
	})
	return out
}

func (c *Config) clone() *Config {
	cp := *c
	cp.Seasons = append([]string(nil), c.Seasons...)
	cp.Sources = make(map[string]Source, len(c.Sources))
	for k, s := range c.Sources {
		if s.Enabled != nil {
			b := *s.Enabled
			s.Enabled = &b
		}
		cp.Sources[k] = s
	}
	if c.Reconcile.Caps != nil {
		cp.Reconcile.Caps = make(map[string]int, len(c.Reconcile.Caps))
		for k, n := range c.Reconcile.Caps {
			cp.Reconcile.Caps[k] = n
		}
	}
	return &cp
}

func typeName(t reflect.Type) string {
	switch {
	case t == durationType:
		return "duration"
	case t.Kind() == reflect.Pointer:
		return typeName(t.Elem())
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64:
		return "int"
	case reflect.Float64:
		return "float"
	case reflect.Bool:
		return "bool"
	case reflect.Slice:
		return "list"
	case reflect.Map:
		return "map"
	}
	return t.String()
}

// want describes what a value of t looks like, for error messages.
func want(t reflect.Type) string {
	switch typeName(t) {
	case "duration":
		return "a duration like 5s, 1m30s or 1h"
	case "int":
		return "a whole number"
	case "float":
		return "a number"
	case "bool":
		return "true or false"
	case "list":
		return "a list of strings (comma-separated in the environment)"
	case "map":
		return "a mapping of name: number (name=n,name=n in the environment)"
	}
	return "a string"
}

// parseInto sets leaf v from its text form.
func parseInto(v reflect.Value, raw string) error {
	raw = strings.TrimSpace(raw)
	t := v.Type()
	bad := func() error { return fmt.Errorf("want %s, got %q", want(t), raw) }
	switch {
	case t == durationType:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return bad()
		}
		v.SetInt(int64(d))
		return nil
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return bad()
		}
		v.Set(reflect.ValueOf(&b))
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return bad()
		}
		v.SetInt(n)
	case reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return bad()
		}
		v.SetFloat(f)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return bad()
		}
		v.SetBool(b)
	case reflect.Slice:
		var out []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		v.Set(reflect.ValueOf(out))
	case reflect.Map:
		m := reflect.MakeMap(t)
		for _, kv := range strings.Split(raw, ",") {
			if kv = strings.TrimSpace(kv); kv == "" {
				continue
			}
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return bad()
			}
			n, err := strconv.Atoi(strings.TrimSpace(val))
			if err != nil {
				return bad()
			}
			m.SetMapIndex(reflect.ValueOf(strings.TrimSpace(k)), reflect.ValueOf(n))
		}
		v.Set(m)
	default:
		return fmt.Errorf("unsupported config type %s", t)
	}
	return nil
}

// formatValue renders leaf v as text (the inverse of parseInto).
func formatValue(v reflect.Value) string {
	t := v.Type()
	if t == durationType {
		return time.Duration(v.Int()).String()
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return formatValue(v.Elem())
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', 6, 64)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s=%v", k.String(), v.MapIndex(k).Interface())
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}
