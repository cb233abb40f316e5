// Drives `nbasim mcp` with the official TypeScript MCP SDK client: lists
// the tools, calls each one and checks the results. Configured by
// environment (the Go test TestTypeScriptClient sets it):
//   MCP_TS_MODE    stdio | http
//   MCP_TS_COMMAND, MCP_TS_ARGS (JSON array)   for stdio
//   MCP_TS_URL, MCP_TS_TOKEN                   for http
//   MCP_TS_GAME    a game id with a stored box score and plays
//   MCP_TS_KEY     a text object key in the lake
//   MCP_TS_ONLY    typed_tables: only the checks of the catalog's typed tables
// Prints "N passed, M failed" and exits 1 on any failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const env = process.env;
const mode = env.MCP_TS_MODE || "stdio";
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL ${mode} ${name}: ${detail === undefined ? "" : JSON.stringify(detail).slice(0, 500)}`);
  }
}

let transport;
if (mode === "http") {
  const headers = env.MCP_TS_TOKEN ? { Authorization: `Bearer ${env.MCP_TS_TOKEN}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(env.MCP_TS_URL), { requestInit: { headers } });
} else {
  transport = new StdioClientTransport({
    command: env.MCP_TS_COMMAND,
    args: JSON.parse(env.MCP_TS_ARGS || "[]"),
    env: { ...process.env },
    stderr: "inherit",
  });
}

const client = new Client({ name: "nbasim-ts-test", version: "1.0.0" });
await client.connect(transport);

const { tools } = await client.listTools();
const names = tools.map((t) => t.name).sort();
const want = ["box_score", "coverage", "describe_table", "health", "lake_list", "lake_read", "lineups", "list_tables", "query", "simulate"];
check("tools/list names", JSON.stringify(names) === JSON.stringify(want), names);
for (const t of tools) {
  check(`${t.name} readOnlyHint`, t.annotations?.readOnlyHint === true, t.annotations);
  check(`${t.name} schemas`, !!t.inputSchema && !!t.outputSchema, t.name);
}
const size = JSON.stringify({ tools }).length;
// the same budget as the Go client test (docs/mcp.md: 3,300 tokens with 11 tools)
check("tools/list under ~3300 tokens", size / 4 < 3300, size);

async function call(name, args) {
  const r = await client.callTool({ name, arguments: args });
  return r;
}
function ok(name, r, pred) {
  const s = r.structuredContent;
  check(name, !r.isError && s && pred(s), r.isError ? r.content : s);
}

if (env.MCP_TS_ONLY === "typed_tables") {
  // the typed tables of the catalog endpoints (cmd/nbasim TestCatalogTypedTablesMCP)
  const typed = ["game_inactive_players", "game_officials", "game_summaries", "game_team_summaries", "line_scores",
    "player_box_advanced", "player_info", "player_info_seasons", "team_box_advanced"];
  ok("list_tables: typed tables", await call("list_tables", {}),
    (s) => typed.every((n) => s.tables.some((t) => t.name === n && t.rows > 0)));
  for (const n of typed) {
    ok(`describe_table ${n}`, await call("describe_table", { table: n }),
      (s) => s.primary_key.length > 0 && s.columns.every((c) => !!c.comment));
  }
  ok("query: Mitchell's advanced line", await call("query", {
    sql: "SELECT a.off_rating, i.birth_date FROM player_box_advanced a JOIN player_info i ON i.player_id = a.player_id WHERE a.game_id = '0022200552'",
  }), (s) => s.rows.length === 1 && s.rows[0][0] === 139.2 && s.rows[0][1] === "1996-09-07");
  await client.close();
  console.log(`mcp-ts ${mode}: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

const game = env.MCP_TS_GAME;
ok("query", await call("query", { sql: "SELECT game_id, home_pts FROM games ORDER BY game_id", max_rows: 1 }),
  (s) => s.columns[0] === "game_id" && s.rows.length === 1 && s.rows[0][0] === game && s.truncated === true);
ok("list_tables", await call("list_tables", {}), (s) => s.tables.some((t) => t.name === "games"));
ok("describe_table", await call("describe_table", { table: "games" }),
  (s) => s.primary_key[0] === "game_id" && s.columns.length > 5);
ok("lake_list", await call("lake_list", { prefix: "", max_keys: 50 }),
  (s) => s.objects.some((o) => o.key === env.MCP_TS_KEY));
ok("lake_read", await call("lake_read", { key: env.MCP_TS_KEY, length: 16 }),
  (s) => s.encoding === "text" && s.content.length > 0);
ok("health", await call("health", {}), (s) => ["ok", "warn", "fail"].includes(s.status) && !!s.database);
ok("box_score", await call("box_score", { game_id: game }), (s) => s.moment === "final" && s.players.length > 0);
ok("box_score at a moment", await call("box_score", { game_id: game, period: 2, clock: "7:00" }),
  (s) => s.source.startsWith("derived:"));
ok("coverage", await call("coverage", {}), (s) => Array.isArray(s.cells));

const bad = await call("query", { sql: "COMMIT; DROP TABLE games" });
check("stacked write refused", bad.isError === true, bad);
const esc = await call("lake_read", { key: "../x" });
check("lake escape refused", esc.isError === true, esc);

await client.close();
console.log(`mcp-ts ${mode}: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
