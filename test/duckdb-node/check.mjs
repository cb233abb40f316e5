// Reads an nbasim Parquet export back with DuckDB and prints, per table and
// season, the row count and the sum of its points column, as JSON:
//   node check.mjs DIR  ->  {"plays": {"2018-19": {"rows": 570186, "points": 270123}}, ...}
// Used by internal/export TestDuckDBReadsExport (docs/export.md).
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node check.mjs EXPORT_DIR');
  process.exit(2);
}
const points = {
  games: 'COALESCE(home_pts, 0) + COALESCE(away_pts, 0)',
  plays: 'points',
  player_box: "CASE WHEN source = 'derived' THEN pts ELSE 0 END",
  team_box: "CASE WHEN source = 'derived' THEN pts ELSE 0 END",
  stints: 'pts_for',
  possessions: 'points',
};
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const out = {};
for (const [table, expr] of Object.entries(points)) {
  const glob = `${dir}/${table}/*/*.parquet`.replaceAll("'", "''");
  const reader = await con.runAndReadAll(
    `SELECT season, count(*) AS n, sum(${expr})::BIGINT AS p FROM read_parquet('${glob}', hive_partitioning = true) GROUP BY season ORDER BY season`);
  out[table] = {};
  for (const row of reader.getRowObjects()) {
    out[table][row.season] = { rows: Number(row.n), points: Number(row.p) };
  }
}
console.log(JSON.stringify(out));
