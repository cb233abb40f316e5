package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// loadFile applies the YAML file at path onto cfg. Every key must be
// known; every value must parse; errors name the file, line and key.
func loadFile(cfg *Config, o *Origins, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &Error{Where: path, Msg: fmt.Sprintf("cannot read config file: %v", errors.Unwrap(err)), Reason: err}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return &Error{Where: path, Msg: fmt.Sprintf("not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: ")), Reason: err}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 { // empty file
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	d := &yamlDecoder{file: path, o: o}
	return d.section(root, reflect.ValueOf(cfg).Elem(), nil)
}

type yamlDecoder struct {
	file string
	o    *Origins
}

func (d *yamlDecoder) errAt(n *yaml.Node, path []string, format string, args ...any) error {
	return &Error{
		Key:   strings.Join(path, "."),
		Where: fmt.Sprintf("%s:%d", d.file, n.Line),
		Msg:   fmt.Sprintf(format, args...),
	}
}

// section decodes a mapping node into a struct or a struct-valued map.
func (d *yamlDecoder) section(n *yaml.Node, v reflect.Value, path []string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "sources:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		what := "the top level"
		if len(path) > 0 {
			what = "section " + strings.Join(path, ".")
		}
		return d.errAt(n, path, "%s must be a mapping of key: value, got %s", what, nodeKind(n))
	}
	var known []string
	if v.Kind() == reflect.Struct {
		known = fieldNames(v.Type())
	} else {
		for _, k := range v.MapKeys() {
			known = append(known, k.String())
		}
		sort.Strings(known)
	}
	var errs []error // every problem of the file, not just the first
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.Value == "<<" { // merge key: decode the merged mapping(s)
			if err := d.section(vn, v, path); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		name := kn.Value
		p := append(append([]string(nil), path...), name)
		var err error
		switch v.Kind() {
		case reflect.Struct:
			f, ok := fieldByName(v, name)
			if !ok {
				errs = append(errs, d.unknown(kn, p, known))
				continue
			}
			if isLeaf(f.Type()) {
				err = d.leaf(vn, f, p)
			} else {
				err = d.section(vn, f, p)
			}
		case reflect.Map:
			k := reflect.ValueOf(name)
			cur := v.MapIndex(k)
			if !cur.IsValid() {
				errs = append(errs, d.unknown(kn, p, known))
				continue
			}
			elem := reflect.New(v.Type().Elem()).Elem()
			elem.Set(cur)
			if err = d.section(vn, elem, p); err == nil {
				v.SetMapIndex(k, elem)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (d *yamlDecoder) unknown(kn *yaml.Node, path []string, known []string) error {
	where := "the top level"
	if len(path) > 1 {
		where = strings.Join(path[:len(path)-1], ".")
	}
	msg := fmt.Sprintf("unknown key %q in %s", path[len(path)-1], where)
	if s := suggest(path[len(path)-1], known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += fmt.Sprintf(" (known keys: %s)", strings.Join(known, ", "))
	}
	return d.errAt(kn, path, "%s", msg)
}

// leaf decodes a scalar, sequence (lists) or mapping (caps) into v.
func (d *yamlDecoder) leaf(n *yaml.Node, v reflect.Value, path []string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	key := strings.Join(path, ".")
	record := func() {
		d.o.set(key, Origin{Layer: LayerFile, Where: fmt.Sprintf("%s:%d", d.file, n.Line), File: d.file, Line: n.Line})
	}
	t := v.Type()
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		v.Set(reflect.Zero(t))
		record()
		return nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode { // "seasons: 2023-24" or "a, b"
			break
		}
		if n.Kind != yaml.SequenceNode {
			return d.errAt(n, path, "want %s, got %s", want(t), nodeKind(n))
		}
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return d.errAt(c, path, "list items must be strings, got %s", nodeKind(c))
			}
			out = append(out, c.Value)
		}
		v.Set(reflect.ValueOf(out))
		record()
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return d.errAt(n, path, "want %s, got %s", want(t), nodeKind(n))
		}
		m := reflect.MakeMap(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			elem := reflect.New(t.Elem()).Elem()
			if vn.Kind != yaml.ScalarNode {
				return d.errAt(vn, append(path, kn.Value), "want %s, got %s", want(t.Elem()), nodeKind(vn))
			}
			if err := parseInto(elem, vn.Value); err != nil {
				return d.errAt(vn, append(path, kn.Value), "%v", err)
			}
			m.SetMapIndex(reflect.ValueOf(kn.Value), elem)
		}
		v.Set(m)
		record()
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return d.errAt(n, path, "want %s, got %s", want(t), nodeKind(n))
	}
	if err := parseInto(v, n.Value); err != nil {
		return d.errAt(n, path, "%v", err)
	}
	record()
	return nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}
