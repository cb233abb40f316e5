package main

import (
	"strings"
	"testing"
)

func TestSkipReport(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"    x_test.go:1: real NBA data not found at /x; skipping\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    open.go:71: NBASIM_TEST_POSTGRES_URL not set: no PostgreSQL server\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    s3.go:2: NBASIM_TEST_S3_URL not set\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"p","Test":"TestD","Output":"    ts.go:3: node or the TypeScript MCP SDK is missing; skipping\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestD"}`,
		`{"Action":"output","Package":"p","Test":"TestE","Output":"    e.go:4: too slow in -short mode\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestE"}`,
		`{"Action":"output","Package":"p","Test":"TestF","Output":"    f.go:5: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestF"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`{"Action":"fail","Package":"p"}`,
	}, "\n")
	var out strings.Builder
	failed, err := run(strings.NewReader(in), &out)
	if err != nil || !failed {
		t.Fatalf("failed %v, err %v", failed, err)
	}
	for _, want := range []string{"skipped tests: 5", "1  real data absent", "1  no PostgreSQL URL", "1  no S3 URL", "1  no node",
		"1  other", "too slow in -short mode", "got 1, want 2", "FAIL\tp"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
