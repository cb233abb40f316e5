package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// The OpenAPI document is checked against the real handlers: every
// documented path answers 200 with a body that validates against its
// documented schema (every required property present, no undocumented
// property, the right JSON types, recursively), every documented parameter
// is accepted with its example, an undocumented one is refused, and every
// API route the server has is documented.

type oaDoc struct {
	OpenAPI    string                `json:"openapi"`
	Paths      map[string]oaPathItem `json:"paths"`
	Components struct {
		Schemas map[string]*oaSchema `json:"schemas"`
	} `json:"components"`
}

type oaPathItem struct {
	Get *struct {
		Parameters []struct {
			Name     string    `json:"name"`
			In       string    `json:"in"`
			Required bool      `json:"required"`
			Example  any       `json:"example"`
			Schema   *oaSchema `json:"schema"`
		} `json:"parameters"`
		Responses map[string]struct {
			Ref     string `json:"$ref"`
			Content map[string]struct {
				Schema *oaSchema `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"get"`
}

type oaSchema struct {
	Ref        string               `json:"$ref"`
	Type       string               `json:"type"`
	Nullable   bool                 `json:"nullable"`
	Properties map[string]*oaSchema `json:"properties"`
	Required   []string             `json:"required"`
	Items      *oaSchema            `json:"items"`
	AllOf      []*oaSchema          `json:"allOf"`
	Enum       []any                `json:"enum"`
	AddProps   *oaSchema            `json:"additionalProperties"`
}

func loadOpenAPI(t *testing.T) *oaDoc {
	t.Helper()
	var d oaDoc
	if err := json.Unmarshal(openAPIDoc, &d); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", d.OpenAPI)
	}
	return &d
}

func (d *oaDoc) resolve(s *oaSchema) *oaSchema {
	for s != nil && s.Ref != "" {
		s = d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
	}
	return s
}

// flatten merges allOf parts into one object schema.
func (d *oaDoc) flatten(s *oaSchema) *oaSchema {
	s = d.resolve(s)
	if s == nil || len(s.AllOf) == 0 {
		return s
	}
	out := &oaSchema{Type: "object", Properties: map[string]*oaSchema{}, Nullable: s.Nullable}
	for _, part := range s.AllOf {
		p := d.flatten(part)
		if p.Type != "object" {
			return p
		}
		for k, v := range p.Properties {
			out.Properties[k] = v
		}
		out.Required = append(out.Required, p.Required...)
	}
	return out
}

// validate returns the first mismatch between v and s, at path.
func (d *oaDoc) validate(path string, s *oaSchema, v any) error {
	s = d.flatten(s)
	if s == nil {
		return fmt.Errorf("%s: unresolvable schema", path)
	}
	if v == nil {
		if s.Nullable {
			return nil
		}
		return fmt.Errorf("%s: null, schema %s is not nullable", path, s.Type)
	}
	if len(s.Enum) > 0 {
		ok := false
		for _, e := range s.Enum {
			ok = ok || fmt.Sprint(e) == fmt.Sprint(v)
		}
		if !ok {
			return fmt.Errorf("%s: %v not in enum %v", path, v, s.Enum)
		}
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: %T, want object", path, v)
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				return fmt.Errorf("%s: required property %q missing", path, r)
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps, ok := s.Properties[k]
			if !ok {
				if s.AddProps != nil {
					ps = s.AddProps
				} else {
					return fmt.Errorf("%s: property %q is not documented", path, k)
				}
			}
			if err := d.validate(path+"."+k, ps, m[k]); err != nil {
				return err
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: %T, want array", path, v)
		}
		for i, x := range a {
			if err := d.validate(fmt.Sprintf("%s[%d]", path, i), s.Items, x); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s: %T, want string", path, v)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			return fmt.Errorf("%s: %v, want integer", path, v)
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return fmt.Errorf("%s: %T, want number", path, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: %T, want boolean", path, v)
		}
	default:
		return fmt.Errorf("%s: schema without a type", path)
	}
	return nil
}

// pathExamples fill path parameters of the fixture.
var pathExamples = map[string]string{"game_id": fixtureGame, "player_id": "203954"}

func testOpenAPI(t *testing.T, f *fixture) {
	d := loadOpenAPI(t)
	documented := map[string]bool{}
	for p, item := range d.Paths {
		documented[p] = true
		if item.Get == nil {
			t.Errorf("%s: no GET operation", p)
			continue
		}
		path := p
		for k, v := range pathExamples {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		schema := item.Get.Responses["200"].Content["application/json"].Schema
		if schema == nil {
			t.Errorf("%s: no 200 application/json schema", p)
			continue
		}
		if r := item.Get.Responses["400"]; r.Ref == "" {
			t.Errorf("%s: no 400 problem response documented", p)
		}
		check := func(name, query string) {
			t.Run(p+"?"+name, func(t *testing.T) {
				var body any
				code, _ := getJSON(t, f.ts.URL, path+query, &body)
				if code != http.StatusOK {
					t.Fatalf("GET %s%s: %d %v", path, query, code, body)
				}
				if err := d.validate("$", schema, body); err != nil {
					t.Errorf("GET %s%s: %v", path, query, err)
				}
			})
		}
		// required query parameters with their examples
		base := url.Values{}
		for _, prm := range item.Get.Parameters {
			if prm.In == "query" && prm.Required {
				base.Set(prm.Name, fmt.Sprint(prm.Example))
			}
		}
		check("required", "?"+base.Encode())
		// every documented query parameter, one at a time, with its example
		for _, prm := range item.Get.Parameters {
			if prm.In != "query" || prm.Example == nil || prm.Required {
				continue
			}
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			q.Set(prm.Name, fmt.Sprint(prm.Example))
			if strings.HasSuffix(p, "/box") && prm.Name == "from" { // a window needs both ends
				q.Set("to", "Q3 7:02")
			}
			if strings.HasSuffix(p, "/box") && prm.Name == "to" {
				q.Set("from", "Q3 12:00")
			}
			check(prm.Name, "?"+q.Encode())
		}
		// an undocumented parameter is refused, naming it
		t.Run(p+"?undocumented", func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			q.Set("not_a_parameter", "1")
			var pr Problem
			code, _ := getJSON(t, f.ts.URL, path+"?"+q.Encode(), &pr)
			if code != 400 || pr.Parameter != "not_a_parameter" {
				t.Errorf("undocumented parameter: %d %+v", code, pr)
			}
		})
	}
	// every API route of the server is documented
	for _, r := range apiRoutes() {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for p := range documented {
		found := false
		for _, r := range apiRoutes() {
			found = found || r == p
		}
		if !found {
			t.Errorf("openapi.json documents %s, which the server does not route", p)
		}
	}
}
