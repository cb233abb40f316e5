package readonly_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/readonly/readonlytest"
	"github.com/nbasim/nbasim/internal/store"
)

// engine is one way of opening the read-only database under test.
type engine struct {
	name string
	// privileged: connected as the PostgreSQL superuser (AllowPrivileged):
	// writes must still fail; server-side file and program access is
	// allowed by PostgreSQL itself, which is why OpenPostgres refuses such
	// a role by default.
	privileged bool
	open       func(t *testing.T) (*readonlytest.Fixture, *readonly.DB)
}

func engines() []engine {
	return []engine{
		{name: "sqlite", open: func(t *testing.T) (*readonlytest.Fixture, *readonly.DB) {
			f := readonlytest.SQLite(t)
			db, err := readonly.OpenSQLite(context.Background(), f.SQLitePath, readonly.Options{MaxConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return f, db
		}},
		{name: "postgres_reader", open: func(t *testing.T) (*readonlytest.Fixture, *readonly.DB) {
			f := readonlytest.Postgres(t)
			createProcedure(t, f)
			db, err := readonly.OpenPostgres(context.Background(), f.ReaderURL, readonly.Options{MaxConns: 1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return f, db
		}},
		{name: "postgres_superuser", privileged: true, open: func(t *testing.T) (*readonlytest.Fixture, *readonly.DB) {
			f := readonlytest.Postgres(t)
			createProcedure(t, f)
			db, err := readonly.OpenPostgres(context.Background(), f.SuperURL, readonly.Options{MaxConns: 1, AllowPrivileged: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return f, db
		}},
	}
}

// createProcedure gives CALL something real to call: a procedure that
// deletes every game (EXECUTE on procedures is granted to PUBLIC).
func createProcedure(t *testing.T, f *readonlytest.Fixture) {
	t.Helper()
	if _, err := f.Store.Exec(context.Background(), `CREATE PROCEDURE purge_games() LANGUAGE sql AS $$ DELETE FROM games $$`); err != nil {
		t.Fatal(err)
	}
}

// attack is one bypass attempt: statements run in order on the SAME
// session (the pool has one connection), then a plain write must still
// fail.
type attack struct {
	name  string
	steps []string
	// mayRun lists the engines on which a step may succeed (it is then a
	// read, or a session change that the rolled-back transaction undoes);
	// everywhere else every step must fail.
	mayRun []string
	// serverSide: touches the server's files or programs; skipped on the
	// privileged engine, where PostgreSQL allows it (OpenPostgres refuses
	// such roles unless told otherwise).
	serverSide bool
}

func (a attack) mayRunOn(e string) bool {
	for _, m := range a.mayRun {
		if m == e || m == "*" || (m == "postgres" && strings.HasPrefix(e, "postgres")) {
			return true
		}
	}
	return false
}

func attacks(dir string) []attack {
	marker := func(n string) string { return filepath.Join(dir, n) }
	return []attack{
		{name: "stacked_commit_drop", steps: []string{"COMMIT; DROP TABLE games"}},
		{name: "stacked_delete", steps: []string{"SELECT 1; DELETE FROM games"}},
		{name: "stacked_after_string", steps: []string{"SELECT ';'; DELETE FROM games"}},
		{name: "leading_comment", steps: []string{"/* SELECT */ -- read only\nDELETE FROM games"}},
		{name: "nested_comment", steps: []string{"/* /* */ SELECT 1; */ DELETE FROM games"}},
		{name: "plain_delete", steps: []string{"DELETE FROM games"}},
		{name: "update", steps: []string{"UPDATE games SET home_pts = 0"}},
		{name: "insert", steps: []string{"INSERT INTO games (game_id, season, season_type, updated_at) VALUES ('x', 'x', 'x', 'x')"}},
		{name: "writable_cte", steps: []string{"WITH x AS (DELETE FROM games RETURNING *) SELECT count(*) FROM x"}},
		{name: "select_into", steps: []string{"SELECT * INTO games_copy FROM games"}},
		{name: "create_table_as", steps: []string{"CREATE TABLE games_copy AS SELECT * FROM games"}},
		{name: "create_temp_table", steps: []string{"CREATE TEMP TABLE t AS SELECT 1"}},
		{name: "drop_table", steps: []string{"DROP TABLE games"}},
		{name: "truncate", steps: []string{"TRUNCATE games"}},
		{name: "copy_to_program", serverSide: true, steps: []string{"COPY games TO PROGRAM 'touch " + marker("copy_program") + "'"}},
		{name: "copy_from_program", serverSide: true, steps: []string{"COPY games FROM PROGRAM 'echo x'"}},
		{name: "copy_from_stdin", steps: []string{"COPY games FROM STDIN"}},
		{name: "copy_to_stdout", mayRun: []string{"postgres"}, steps: []string{"COPY games TO STDOUT"}}, // a read; must not wedge the session
		{name: "copy_to_file", serverSide: true, steps: []string{"COPY games TO '" + marker("copy_file") + "'"}},
		{name: "pg_read_file", serverSide: true, steps: []string{"SELECT pg_read_file('/etc/passwd')"}},
		{name: "lo_import", serverSide: true, steps: []string{"SELECT lo_import('/etc/passwd')"}},
		{name: "lo_from_bytea", mayRun: []string{"postgres_superuser"}, steps: []string{"SELECT lo_from_bytea(0, 'x'::bytea)"}},
		{name: "import_system_collations", mayRun: []string{"postgres_superuser"}, steps: []string{"SELECT pg_import_system_collations('pg_catalog')"}},
		{name: "set_config_read_write", mayRun: []string{"postgres"},
			steps: []string{"SELECT set_config('default_transaction_read_only', 'off', false)", "DELETE FROM games"}},
		{name: "set_session_characteristics", mayRun: []string{"postgres"},
			steps: []string{"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "DELETE FROM games"}},
		{name: "set_transaction_read_write", steps: []string{"SET TRANSACTION READ WRITE"}},
		{name: "begin_read_write", mayRun: []string{"postgres"}, steps: []string{"BEGIN READ WRITE", "DELETE FROM games"}},
		{name: "commit_then_write", mayRun: []string{"postgres"}, steps: []string{"COMMIT", "DELETE FROM games"}},
		{name: "do_block", steps: []string{"DO $$BEGIN DELETE FROM games; END$$"}},
		{name: "call_procedure", steps: []string{"CALL purge_games()"}},
		{name: "prepare_execute", mayRun: []string{"postgres"}, steps: []string{"PREPARE p AS DELETE FROM games", "EXECUTE p"}},
		{name: "explain_analyze_delete", steps: []string{"EXPLAIN ANALYZE DELETE FROM games"}},
		{name: "select_for_update", steps: []string{"SELECT * FROM games FOR UPDATE"}},
		{name: "lock_table", mayRun: []string{"postgres_superuser"}, steps: []string{"LOCK TABLE games IN ACCESS EXCLUSIVE MODE"}},
		{name: "set_role", steps: []string{"SET ROLE postgres", "DELETE FROM games"}, mayRun: []string{"postgres_superuser"}},
		{name: "attach_database", steps: []string{"ATTACH DATABASE '" + marker("attached.db") + "' AS evil"}},
		{name: "pragma_writable_schema", steps: []string{"PRAGMA writable_schema=1"}},
		{name: "pragma_query_only_off", steps: []string{"PRAGMA query_only=0", "DELETE FROM games"}},
		{name: "vacuum_into", steps: []string{"VACUUM INTO '" + marker("vacuumed.db") + "'"}},
		{name: "vacuum", steps: []string{"VACUUM"}},
		{name: "replace_into", steps: []string{"REPLACE INTO teams (team_id, code, updated_at) VALUES ('1', 'X', 'x')"}},
		{name: "create_trigger", steps: []string{"CREATE TRIGGER tr AFTER INSERT ON games BEGIN DELETE FROM games; END"}},
		{name: "savepoint", mayRun: []string{"postgres"}, steps: []string{"SAVEPOINT s"}},
	}
}

// TestBypassBattery runs every attack against SQLite and PostgreSQL
// through readonly.DB.Query WITHOUT the statement checker: the database
// alone must refuse. Row counts, checksums and (PostgreSQL) catalog counts
// are identical before and after, a plain write on the same session still
// fails afterwards, and no file the attack names exists.
//
// It also reports, per engine and case, which layer refused each step
// (TestBypassBattery's log, and the Markdown table of docs/mcp.md written
// to $NBASIM_BYPASS_REPORT when set): "database" (PostgreSQL or SQLite
// itself: read-only transaction, privileges, query_only, the authorizer),
// "splitter" (readonly's one-statement tokenizer in front of SQLite's
// driver, which would otherwise run every statement of a string), "ran"
// (a read, or a change the rolled-back transaction undoes), and what the
// statement checker the MCP query tool puts in front (readonly.Check) says
// of the same step.
func TestBypassBattery(t *testing.T) {
	t.Parallel()
	rep := newBypassReport()
	t.Cleanup(func() { rep.write(t) })
	for _, e := range engines() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			f, db := e.open(t)
			ctx := context.Background()
			dir := t.TempDir()
			if err := os.Chmod(dir, 0o777); err != nil { // a server running as another user could write here
				t.Fatal(err)
			}
			before := f.Take(t)
			for _, a := range attacks(dir) {
				if a.serverSide && e.privileged {
					rep.skip(e.name, a.name)
					continue
				}
				t.Run(a.name, func(t *testing.T) { // sequential: one shared session
					for i, step := range a.steps {
						res, err := db.Query(ctx, step, readonly.Limits{})
						if err == nil && !a.mayRunOn(e.name) {
							t.Errorf("step %d %q: ran (%d rows), want refused", i+1, step, len(res.Rows))
						}
						rep.step(e.name, a.name, err)
						t.Logf("step %d %q: err=%v", i+1, step, err)
					}
					// The session is still read-only: a plain write fails.
					if _, err := db.Query(ctx, "DELETE FROM games", readonly.Limits{}); err == nil {
						t.Errorf("a write succeeded on the same session afterwards")
					}
					if f.Dialect == store.Postgres {
						r, err := db.Query(ctx, "SHOW default_transaction_read_only", readonly.Limits{})
						if err != nil || len(r.Rows) != 1 || r.Rows[0][0] != "on" {
							t.Errorf("default_transaction_read_only after the attack: %v %v", r, err)
						}
					}
					if d := readonlytest.Diff(before, f.Take(t)); d != "" {
						t.Fatalf("the database changed: %s", d)
					}
				})
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, en := range ents {
				t.Errorf("attack left a file behind: %s", en.Name())
			}
			// Reads still work after the battery.
			r, err := db.Query(ctx, "SELECT count(*) FROM games", readonly.Limits{})
			if err != nil || len(r.Rows) != 1 {
				t.Fatalf("read after battery: %v %v", r, err)
			}
		})
	}
}

// TestOneStatementOnly proves the extended protocol (PostgreSQL) and the
// SQLite tokenizer refuse two harmless statements as well: one statement
// per call, whatever it is.
func TestOneStatementOnly(t *testing.T) {
	t.Parallel()
	for _, e := range engines()[:2] {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			_, db := e.open(t)
			_, err := db.Query(context.Background(), "SELECT 1; SELECT 2", readonly.Limits{})
			if err == nil {
				t.Fatal("two statements ran")
			}
			if e.name != "sqlite" && !strings.Contains(err.Error(), "cannot insert multiple commands into a prepared statement") {
				t.Errorf("want the extended protocol's refusal, got %v", err)
			}
			for _, ok := range []string{"SELECT 1;", "SELECT 1;;  ", "SELECT ';' AS x", "SELECT 1 -- ; DELETE"} {
				if _, err := db.Query(context.Background(), ok, readonly.Limits{}); err != nil {
					t.Errorf("%q: %v", ok, err)
				}
			}
		})
	}
}

// TestPrivilegedRoleRefused: connecting the read-only pool as a superuser
// fails unless explicitly allowed.
func TestPrivilegedRoleRefused(t *testing.T) {
	t.Parallel()
	f := readonlytest.Postgres(t)
	_, err := readonly.OpenPostgres(context.Background(), f.SuperURL, readonly.Options{})
	if err == nil || !strings.Contains(err.Error(), "superuser") {
		t.Fatalf("want a refusal naming the superuser role, got %v", err)
	}
	db, err := readonly.OpenPostgres(context.Background(), f.ReaderURL, readonly.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if in := db.Info(); in.Superuser || in.ServerAccess || in.Role != f.Reader {
		t.Errorf("info %+v", in)
	}
}
