package store

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// releasedChecksums are the sha256 values that databases in use recorded
// in schema_migrations for each released migration, per dialect (they were
// one file per dialect until the one schema source). The rendered one
// source must reproduce them to the byte: otherwise every existing database
// refuses to open (VerifyMigrations). Add a row when a migration is
// released; never change one.
var releasedChecksums = map[Dialect]map[string]string{
	SQLite: {
		"0001_core":             "9e504a4ec42a3f575460f666fb5dcc2df5ace341010364d9ec0b1b9d58231b1e",
		"0004_verify":           "045bbade0116dab0c6468f1c58130a6be8554289f7d3f9cf5939ea7f11c0bca6",
		"0005_reconcile":        "0fffb0555c4a1c11b1c4cd8ce7a3be7d56181201eb1811314b63c8ee17c4f8a5",
		"0007_fetch_log":        "b137f29425484f3e979a9423b593536888b24474cbe498209a8e86689a58bae8",
		"0012_canonical":        "a594c7bf5fca23f6db65f861d7addb41035f870592599b3e1864f04fc03ded5c",
		"0013_reconcile_timing": "43e5eda263b1c30cbc2e7d2972482a68add067fbe5bf2c3662b87908d7ebf861",
		"0015_catalog_rows":     "0603ac846ccd765ad9b33dbb240b739f9fb8f7f6688063883c25c54c2f433f02",
		"0016_catalog_docs":     "4a8636ab529248a2bb54dc3cd5aa67164bedeca403c9a7ff1bed16a54ec84f6e",
		"0017_archive_indexes":  "8e0524d14fbabcb01a6021beaa02a774e59c50dabede6ecfa99ea9bd3729a154",
		"0018_lineups":          "99168da5ff5d7146f8ace214b48aecde86586009cf9990ce06a5941419b663c5",
		"0019_text_facts":       "b1fe9f6f387727e8972e42ce17c523f25ce796d8a7876649cdc990e3370ef8bb",
	},
	Postgres: {
		"0001_core":             "9e504a4ec42a3f575460f666fb5dcc2df5ace341010364d9ec0b1b9d58231b1e",
		"0004_verify":           "6e0c54965ebb5b38dd16f93390f5339e9a192c77cab8b025237f1fbbed125aff",
		"0005_reconcile":        "96d4a49b92c416cd2abbf5700fb04be0acdd443f0de16dbb5cff2e3e2bc7589a",
		"0007_fetch_log":        "b137f29425484f3e979a9423b593536888b24474cbe498209a8e86689a58bae8",
		"0012_canonical":        "9b60d9564ef952a8114192c44f33524c9d038c03a66a3c5b762c2d947dbb3b38",
		"0013_reconcile_timing": "43e5eda263b1c30cbc2e7d2972482a68add067fbe5bf2c3662b87908d7ebf861",
		"0015_catalog_rows":     "0603ac846ccd765ad9b33dbb240b739f9fb8f7f6688063883c25c54c2f433f02",
		"0016_catalog_docs":     "240dc1c2ea0caaba46619556329bc3f45f8b343ce340d2abaa84178dc43f9bfd",
		"0017_archive_indexes":  "8e0524d14fbabcb01a6021beaa02a774e59c50dabede6ecfa99ea9bd3729a154",
		"0018_lineups":          "1aece3e5487b0ca2257dadaa5cd18d5e28ac66843588913761cff86092c7eedc",
		"0019_text_facts":       "d5f478db0691602e7c7ab686b0d026b02bb6c7fd5bd52354c600f2984e7da4a6",
	},
}

func TestReleasedMigrationsUnchanged(t *testing.T) {
	for _, d := range Dialects {
		ms, err := Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]string{}
		for _, m := range ms {
			have[m.Name] = m.Checksum
		}
		for name, want := range releasedChecksums[d] {
			if got, ok := have[name]; !ok {
				t.Errorf("%s: released migration %s.sql is gone", d, name)
			} else if got != want {
				t.Errorf("%s: released migration %s.sql renders to sha256 %s, databases recorded %s: restore it and put the change in a new migration", d, name, got, want)
			}
		}
	}
}

func TestRenderMigration(t *testing.T) {
	src := "CREATE TABLE t (\n    x {{float}} NOT NULL, y {{float}}\n);\n-- nbasim:postgres\nCOMMENT ON TABLE t IS 'pg';\n-- nbasim:end\n-- nbasim:sqlite\nPRAGMA x;\n-- nbasim:end\nSELECT 1;"
	want := map[Dialect]string{
		SQLite:   "CREATE TABLE t (\n    x REAL NOT NULL, y REAL\n);\nPRAGMA x;\nSELECT 1;",
		Postgres: "CREATE TABLE t (\n    x DOUBLE PRECISION NOT NULL, y DOUBLE PRECISION\n);\nCOMMENT ON TABLE t IS 'pg';\nSELECT 1;",
	}
	for d, w := range want {
		got, err := RenderMigration("0099_t.sql", []byte(src), d)
		if err != nil || got != w {
			t.Errorf("%s: %q, %v\nwant %q", d, got, err, w)
		}
	}
	for _, bad := range []struct{ src, want string }{
		{"x {{doubel}}\n", "0099_t.sql:1: unknown placeholder {{doubel}}"},
		{"x {{float\n", "0099_t.sql:1: unclosed {{"},
		{"a\n-- nbasim:postgres\nb\n", "0099_t.sql:2: -- nbasim:postgres block has no -- nbasim:end"},
		{"-- nbasim:end\n", "0099_t.sql:1: -- nbasim:end without a dialect block"},
		{"-- nbasim:postgres\n-- nbasim:sqlite\n-- nbasim:end\n", "0099_t.sql:2: -- nbasim:sqlite inside the postgres block of line 1"},
		{"-- nbasim:postgre\n", `0099_t.sql:1: unknown marker "-- nbasim:postgre"`},
	} {
		_, err := RenderMigration("0099_t.sql", []byte(bad.src), SQLite)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want an error containing %q", bad.src, err, bad.want)
		}
	}
}

// TestMigrationsAreOneSourceForBothDialects: a per-dialect folder (the old
// layout, which let the dialects drift apart) is refused with a message
// saying where migrations go.
func TestMigrationsAreOneSourceForBothDialects(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0001_a.sql":        {Data: []byte("CREATE TABLE a (x {{float}});\n")},
		"m/sqlite/0002_b.sql": {Data: []byte("CREATE TABLE b (x REAL);\n")},
	}
	_, err := loadMigrations(fsys, "m", SQLite)
	if err == nil || !strings.Contains(err.Error(), "m/sqlite/: migrations are one file per version for both dialects") {
		t.Fatalf("per-dialect folder: %v", err)
	}
	delete(fsys, "m/sqlite/0002_b.sql")
	for _, d := range Dialects {
		ms, err := loadMigrations(fsys, "m", d)
		if err != nil || len(ms) != 1 || ms[0].Version != 1 || ms[0].Name != "0001_a" {
			t.Fatalf("%s: %+v, %v", d, ms, err)
		}
	}
	fsys["m/0001_b.sql"] = &fstest.MapFile{Data: []byte("SELECT 1;\n")}
	if _, err := loadMigrations(fsys, "m", SQLite); err == nil || !strings.Contains(err.Error(), "share version 1") {
		t.Fatalf("duplicate version: %v", err)
	}
}

func TestCheckAppliedNamesTheFile(t *testing.T) {
	ms := []Migration{{Version: 1, Name: "0001_core", Checksum: "aaaa"}, {Version: 12, Name: "0012_canonical", Checksum: "bbbb"}}
	ok := map[int]appliedMigration{1: {"0001_core", "aaaa"}, 12: {"0012_canonical", "bbbb"}}
	if err := checkApplied(ms, ok); err != nil {
		t.Fatal(err)
	}
	if err := checkApplied(ms, map[int]appliedMigration{1: {"0001_core", "aaaa"}}); err != nil {
		t.Fatalf("pending is not an error: %v", err)
	}
	for _, c := range []struct {
		applied map[int]appliedMigration
		want    string
	}{
		{map[int]appliedMigration{1: {"0001_core", "aaaa"}, 12: {"0012_canonical", "cccc"}}, "migration 0012_canonical.sql was changed after this database applied it"},
		{map[int]appliedMigration{1: {"0001_old", "aaaa"}}, "applied migration 1 as 0001_old.sql, this build has 0001_core.sql"},
		{map[int]appliedMigration{18: {"0018_future", "dddd"}}, "applied migration 0018_future.sql, which this build does not have"},
	} {
		err := checkApplied(ms, c.applied)
		if !errors.Is(err, ErrMigrationChanged) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.applied, err, c.want)
		}
	}
}

// TestLatestVersionIsTheLastMigration: LatestVersion reads file names only
// (a cold read-only open asks); it names the version Migrations ends with.
func TestLatestVersionIsTheLastMigration(t *testing.T) {
	for _, d := range Dialects {
		ms, err := Migrations(d)
		if err != nil || len(ms) == 0 {
			t.Fatalf("%s: %d migrations, %v", d, len(ms), err)
		}
		if got, want := LatestVersion(d), ms[len(ms)-1].Version; got != want {
			t.Errorf("%s: LatestVersion %d, last migration %d", d, got, want)
		}
	}
}

// TestBoxSourcesMigrationIsTheRefresh: migration 0023 backfilled the tables
// of the canonical views with the statements RefreshBoxSources runs per
// game (and RebuildBoxSources over every game): one implementation.
func TestBoxSourcesMigrationIsTheRefresh(t *testing.T) {
	src, err := migrationFS.ReadFile("migrations/0023_box_sources.sql")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(boxSourcesRefresh("")[3:], ";\n\n") + ";\n"
	if !strings.Contains(string(src), want) {
		t.Errorf("0023_box_sources.sql does not hold the refresh statements over every game:\n%s", want)
	}
}
