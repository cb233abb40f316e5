import { api, el, show, section, errorBox, table, mmss, signed, empty } from "/static/app.js";

const id = document.body.dataset.param;
const cols = ["MIN", "PTS", "FGM-A", "3PM-A", "FTM-A", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF", "+/-"];
const cells = (s) => [mmss(s.seconds_played), s.pts, `${s.fgm}-${s.fga}`, `${s.fg3m}-${s.fg3a}`, `${s.ftm}-${s.fta}`, s.oreb, s.dreb, s.reb, s.ast, s.stl, s.blk, s.tov, s.pf, signed(s.plus_minus)]
  .map((v) => el("td", { class: "n" }, v));

async function load() {
  const p = await api(`/api/v1/players/${encodeURIComponent(id)}`);
  const totals = p.totals.map((t) => el("tr", {}, el("td", {}, t.season), el("td", { class: "n" }, t.games), cells(t),
    el("td", { class: "n" }, (t.pts / t.games).toFixed(1))));
  const games = p.games.map((g) => el("tr", { dataset: { game: g.game_id } }, el("td", {}, g.date), el("td", {}, el("a", { href: `/games/${g.game_id}` }, g.game_id)),
    el("td", {}, `${g.team} ${g.home ? "vs" : "at"} ${g.opponent}`), el("td", { class: "muted" }, g.source), cells(g)));
  show(el("h1", {}, p.name || p.player_id, el("span", { class: "muted" }, ` · ${p.player_id}`)),
    section("Season totals", totals.length ? table(["season", "games", ...cols, "PTS/G"], totals, { id: "totals" }) : empty("No games.")),
    section(`Game log (${p.games.length} games; the official line when one exists, else the derived one)`,
      games.length ? table(["date", "game", "matchup", "source", ...cols], games, { id: "gamelog" }) : empty("No games.")));
}

load().catch((e) => show(el("h1", {}, `Player ${id}`), errorBox(e)));
