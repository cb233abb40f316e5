// The box-mcp session from the official TypeScript MCP SDK client (the
// client of Claude Code, Claude Desktop and most hosts): it starts
// `nbasim mcp` over stdio, lists the tools (so the client checks every
// box_score result against the tool's output schema, as hosts do), then
// makes BOX_CALLS box_score calls at random (game, moment) over that one
// session, and prints one JSON line of figures. Driven by the Go benchmark
// BenchmarkBoxScoreSessionTS (internal/mcpserver), configured by
// environment:
//   MCP_TS_COMMAND, MCP_TS_ARGS (JSON array)  the server command
//   BOX_GAMES_FILE  game ids to draw from, one a line
//   BOX_CALLS       calls (default 10000)
//   BOX_CACHE       the server's cache in games: the client replays its LRU
//                   to tell hits from misses (the same rule as the Go one)
//   BOX_WARMUP      calls on one game (the first of the file) before the
//                   measured ones, not counted: node's compilers warm up on
//                   the client's code (default 0: a cold session)
//   BOX_DUMP        a file to write every measured call's latency to
//                   ("call ms", in order), for a plot over the session
// Latencies are wall time around client.callTool, in ms.
import { readFileSync, writeFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const env = process.env;
const ids = readFileSync(env.BOX_GAMES_FILE, "utf8").split("\n").filter((l) => l !== "");
const calls = Number(env.BOX_CALLS || 10000);
const capacity = Number(env.BOX_CACHE || 8000);
const warmup = Number(env.BOX_WARMUP || 0);
if (ids.length === 0 || !(calls > 0) || !(capacity > 0)) {
  console.error(`box-session: no games in ${env.BOX_GAMES_FILE}, or bad BOX_CALLS/BOX_CACHE`);
  process.exit(2);
}

// mulberry32: a seeded generator, the same sequence on every run
let seed = 0x5eed1234;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

// the server's LRU, replayed: Map keeps insertion order
const lru = new Map();
function touch(id) {
  if (lru.has(id)) {
    lru.delete(id);
    lru.set(id, true);
    return true;
  }
  lru.set(id, true);
  if (lru.size > capacity) {
    lru.delete(lru.keys().next().value);
  }
  return false;
}

const transport = new StdioClientTransport({
  command: env.MCP_TS_COMMAND,
  args: JSON.parse(env.MCP_TS_ARGS || "[]"),
  env: { ...process.env },
  stderr: "inherit",
});
const client = new Client({ name: "nbasim-box-session", version: "1.0.0" });
await client.connect(transport);
const { tools } = await client.listTools();
if (!tools.some((t) => t.name === "box_score" && t.outputSchema)) {
  console.error("box-session: the server lists no box_score tool with an output schema");
  process.exit(1);
}

for (let i = 0; i < warmup; i++) {
  const r = await client.callTool({ name: "box_score", arguments: { game_id: ids[0], elapsed_seconds: i % 2880 } });
  if (r.isError) {
    console.error(`box-session: warm-up call on ${ids[0]}: ${JSON.stringify(r).slice(0, 500)}`);
    process.exit(1);
  }
}
if (warmup > 0) {
  touch(ids[0]); // the server has it cached now
}

const all = [];
const hits = [];
const misses = [];
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let i = 0; i < calls; i++) {
  const id = ids[Math.floor(rand() * ids.length)];
  const elapsed = Math.floor(rand() * 2880);
  const start = process.hrtime.bigint();
  const r = await client.callTool({ name: "box_score", arguments: { game_id: id, elapsed_seconds: elapsed } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.isError || !r.structuredContent || !Array.isArray(r.structuredContent.players)) {
    console.error(`box-session: ${id} at ${elapsed} s: ${JSON.stringify(r).slice(0, 500)}`);
    process.exit(1);
  }
  all.push(ms);
  (touch(id) ? hits : misses).push(ms);
}
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = process.cpuUsage(cpu0);

// the server's CPU so far, from /proc (clock ticks of 10 ms), before it ends
let serverMs = -1;
try {
  const stat = readFileSync(`/proc/${transport.pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  serverMs = (Number(f[11]) + Number(f[12])) * 10; // utime, stime
} catch {
  // not Linux: no server figure
}
await client.close();

function q(xs, p) {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}
const out = {
  calls, warmup, games: ids.length, cache: capacity, hits: hits.length, misses: misses.length,
  wall_ms: wallMs, client_cpu_ms_per_call: (cpu.user + cpu.system) / 1000 / calls,
  server_cpu_ms_per_call: serverMs < 0 ? null : serverMs / calls,
};
for (const [name, xs] of [["", all], ["_miss", misses], ["_hit", hits]]) {
  out[`p50${name}_ms`] = q(xs, 0.5);
  out[`p99${name}_ms`] = q(xs, 0.99);
  out[`max${name}_ms`] = q(xs, 1);
}
console.log(JSON.stringify(out));
if (env.BOX_DUMP) {
  writeFileSync(env.BOX_DUMP, all.map((ms, i) => `${i} ${ms.toFixed(3)}\n`).join(""));
}
