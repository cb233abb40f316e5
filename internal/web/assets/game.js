import { api, el, show, section, errorBox, table, gradeBadge, empty, mmss, signed, clock, lineChart, svg, num, pct } from "/static/app.js";

const id = document.body.dataset.param;
const m = {}; // page state

const statCols = ["MIN", "PTS", "FG", "3P", "FT", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF", "+/-"];

function statValues(s, team) {
  return [mmss(s.seconds_played), s.pts, `${s.fgm}-${s.fga}`, `${s.fg3m}-${s.fg3a}`, `${s.ftm}-${s.fta}`, s.oreb, s.dreb, s.reb, s.ast, s.stl, s.blk, s.tov, s.pf, team ? "" : signed(s.plus_minus)].map(String);
}

function statCells(s, team) {
  return statValues(s, team).map((x, i) => el("td", { class: "n", dataset: { col: statCols[i] } }, x));
}

function teamNote(t) {
  const ppp = t.possessions > 0 ? `, ${(t.pts / t.possessions).toFixed(3)} points per possession` : "";
  return `team rebounds ${t.team_oreb} off / ${t.team_dreb} def, team turnovers ${t.team_tov} (in TOV), possessions ${t.possessions}${ppp}`;
}

// boxTable builds one team's table and returns it with its view: the
// cells of each row by player, so that the next box of the same game
// updates them in place.
function boxTable(box, side) {
  const t = box.teams[side];
  const view = { rows: new Map() };
  const row = (key, cls, nameCls, name, s, team) => {
    const cells = statCells(s, team);
    const name_ = el("td", { class: nameCls }, name);
    const tr = el("tr", { class: cls, dataset: { player: key } }, name_, cells);
    view.rows.set(key, { tr, name: name_, cells });
    return tr;
  };
  const rows = box.players.filter((p) => p.side === side).map((p) => row(p.player_id, p.dnp ? "dnp" : "", p.starter ? "name starter" : "name", p.name, p, false));
  rows.push(row("TEAM", "team", "name", "TEAM", t, true));
  const five = box.on_court[side];
  view.note = el("p", { class: "teamnote" }, teamNote(t));
  view.five = five.length ? el("span", { class: "five" }, five.map((p) => p.name).join(", ")) : null;
  const node = el("div", { class: "teambox", id: `box-${side}`, dataset: { side, code: t.code } },
    table([el("th", {}, t.code || side), ...statCols.map((c) => el("th", { class: "n" }, c))], rows),
    view.note, view.five ? el("p", { class: "teamnote oncourt-line", dataset: { side } }, "on court: ", view.five) : null);
  return { node, view };
}

// setText writes a node's text only when it changed (no layout work for
// the cells a move of the slider leaves alone).
function setText(n, v) {
  if (n.textContent !== v) n.textContent = v;
}

function setClass(n, v) {
  if (n.className !== v) n.className = v;
}

// boxShape is what the tables' structure depends on: the same shape is
// updated in place, another one is built anew.
function boxShape(box) {
  const ids = (side) => box.players.filter((p) => p.side === side).map((p) => p.player_id).join(",");
  return [box.game_id, box.provider, box.teams.away.code, box.teams.home.code, box.degraded ? box.degraded_reasons.join(";") : "",
    ids("away"), ids("home"), box.on_court.away.length > 0, box.on_court.home.length > 0].join("|");
}

function renderBox(box) {
  m.scoreAway.textContent = box.score.away;
  m.scoreHome.textContent = box.score.home;
  m.momentLabel.textContent = box.moment.label;
  const shape = boxShape(box);
  if (m.boxView && m.boxView.shape === shape) {
    // the same players: only the numbers, the classes and the fives change
    for (const side of ["away", "home"]) {
      const v = m.boxView[side];
      for (const p of box.players) {
        if (p.side !== side) continue;
        const r = v.rows.get(p.player_id);
        setClass(r.tr, p.dnp ? "dnp" : "");
        setClass(r.name, p.starter ? "name starter" : "name");
        statValues(p, false).forEach((x, i) => setText(r.cells[i], x));
      }
      const t = box.teams[side];
      statValues(t, true).forEach((x, i) => setText(v.rows.get("TEAM").cells[i], x));
      setText(v.note, teamNote(t));
      if (v.five) setText(v.five, box.on_court[side].map((p) => p.name).join(", "));
    }
  } else {
    const away = boxTable(box, "away"), home = boxTable(box, "home");
    m.box.replaceChildren(...[box.degraded ? el("div", { class: "error" }, "degraded: " + box.degraded_reasons.join("; ")) : null, away.node, home.node].filter(Boolean));
    m.boxView = { shape, away: away.view, home: home.view };
  }
  m.box.dataset.elapsed = String(box.moment.elapsed_seconds);
  m.box.dataset.label = box.moment.label;
}

// The slider: at most one request in flight, always for the latest
// position (a drag sends no request for the positions it passes while one
// is out). When an answer comes and the slider has moved since, the next
// request leaves first and the older answer is drawn while it travels, so
// the box keeps moving during a drag and shows the last position one round
// trip after the drag stops. No abort: with an input every frame and a
// round trip longer than a frame, aborting would starve the box until the
// drag pauses. The page URL follows once the slider rests (a history
// update per answer would be throttled by the browser).
// window.__nbasimLatency holds, per box drawn, the milliseconds from the
// input of its position to the box on screen; __nbasimRender the drawing
// time alone (the browser test reads them, docs/web.md has the figures).
let pending = null, inflight = false, urlTimer = 0;
window.__nbasimLatency = [];
window.__nbasimRender = [];
function seek(t, from) {
  t = Math.max(0, Math.min(m.game.final_elapsed_seconds, t));
  if (from !== "slider") m.slider.value = String(t);
  moveCursor(t);
  pending = { t, at: performance.now() };
  if (!inflight) send();
}
function send() {
  const req = pending;
  pending = null;
  inflight = true;
  api(`/api/v1/games/${m.game.game_id}/box?elapsed=${req.t}`).then((box) => {
    inflight = false;
    if (pending) send(); // the latest position first, then draw this one
    const r0 = performance.now();
    renderBox(box);
    const done = performance.now();
    window.__nbasimRender.push(done - r0);
    window.__nbasimLatency.push(done - req.at);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => history.replaceState(null, "", `/games/${m.game.game_id}?elapsed=${req.t}`), 250);
  }, (e) => {
    inflight = false;
    m.box.replaceChildren(errorBox(e));
    m.boxView = null;
    if (pending) send();
  });
}

function moveCursor(t) {
  if (!m.chart) return;
  const x = m.chart.X(t);
  m.cursor.setAttribute("x1", x);
  m.cursor.setAttribute("x2", x);
}

function flowChart(flow) {
  const pts = [{ x: 0, y: 0 }, ...flow.points.map((p) => ({ x: p.elapsed_seconds, y: p.margin }))];
  const lim = Math.max(5, ...pts.map((p) => Math.abs(p.y)));
  const c = lineChart(pts, {
    width: 900, height: 200, stepped: true, zero: true, yMin: -lim, yMax: lim, xMax: flow.final_elapsed_seconds,
    marks: flow.periods.map((p) => ({ x: p.start_elapsed_seconds, label: p.label })), label: "score margin over the game",
  });
  c.node.append(svg("text", { x: c.pad.l + 4, y: 12, class: "axis" }, `${flow.home_code} ahead ↑`), svg("text", { x: c.pad.l + 4, y: c.height - c.pad.b - 4, class: "axis" }, `${flow.away_code} ahead ↓`));
  m.cursor = svg("line", { y1: c.pad.t, y2: c.height - c.pad.b, class: "cursor" });
  c.node.append(m.cursor);
  const hit = svg("rect", { x: c.pad.l, y: 0, width: c.X(flow.final_elapsed_seconds) - c.pad.l, height: c.height, class: "hit" });
  hit.addEventListener("click", (ev) => {
    const r = c.node.getBoundingClientRect();
    const px = ((ev.clientX - r.left) / r.width) * 900;
    const t = ((px - c.pad.l) / (c.X(flow.final_elapsed_seconds) - c.pad.l)) * flow.final_elapsed_seconds;
    seek(Math.round(t), "chart");
  });
  c.node.append(hit);
  m.chart = c;
  return el("div", { id: "scoreflow", dataset: { points: flow.points.length } }, c.node);
}

// winProb fills holder with the simulated home win probability after every
// event (GET /api/v1/games/{id}/winprob; docs/sim.md). It runs after the
// page is shown: simulating every event takes a few seconds.
async function winProb(game, holder) {
  try {
    const wp = await api(`/api/v1/games/${game.game_id}/winprob?n=200`);
    const pts = [{ x: 0, y: wp.pregame_home_win_prob }, ...wp.points.map((p) => ({ x: p.elapsed_seconds, y: p.home_win_prob }))];
    const end = Math.max(game.final_elapsed_seconds, ...pts.map((p) => p.x));
    const c = lineChart(pts, {
      width: 900, height: 200, yMin: 0, yMax: 1, xMax: end,
      marks: wp.periods.map((p) => ({ x: p.start_elapsed_seconds, label: p.label })), label: `${wp.home_code} win probability over the game`,
    });
    c.node.append(svg("text", { x: c.pad.l + 4, y: 12, class: "axis" }, `${wp.home_code} wins ↑ (pregame ${(100 * wp.pregame_home_win_prob).toFixed(1)}%, ${wp.simulations_per_point} simulations a point)`));
    holder.replaceChildren(el("div", { id: "winprob", dataset: { points: wp.points.length } }, c.node));
  } catch (e) {
    holder.replaceChildren(errorBox(e));
  }
}

function stintsTable(st) {
  if (!st.stints.length) return empty("No stints.");
  const rows = st.stints.map((s) => el("tr", { dataset: { side: s.side } }, el("td", {}, s.side), el("td", {}, s.period <= 4 ? `Q${s.period}` : `OT${s.period - 4}`),
    el("td", {}, s.from_clock), el("td", {}, s.to_clock), el("td", { class: "n" }, mmss(s.seconds)), el("td", { class: "n" }, s.pts_for), el("td", { class: "n" }, s.pts_against),
    el("td", { class: "n" }, signed(s.plus_minus)), el("td", {}, s.players.map((p) => p.name).join(", "))));
  const lrows = st.lineups.map((l) => el("tr", {}, el("td", {}, l.side), el("td", { class: "n" }, l.stints), el("td", { class: "n" }, mmss(l.seconds)),
    el("td", { class: "n" }, l.pts_for), el("td", { class: "n" }, l.pts_against), el("td", { class: "n" }, signed(l.plus_minus)), el("td", {}, l.players.map((p) => p.name).join(", "))));
  return el("div", {},
    el("h3", {}, "Lineups (whole game)"), table(["side", "stints", "MIN", "for", "against", "+/-", "five"], lrows, { id: "lineups" }),
    el("h3", {}, "Stints"), table(["side", "period", "from", "to", "MIN", "for", "against", "+/-", "players"], rows, { id: "stints" }));
}

function verification(v) {
  if (!v.results.length) return empty(v.note || "Not verified.");
  return el("div", { id: "verification" }, v.results.map((r) => el("div", {},
    el("p", {}, gradeBadge(r.grade), ` against ${r.source} (derived from ${r.provider}): ${num(r.cells_exact)} of ${num(r.cells)} cells exact, minutes within 1 s for ${r.minutes_ok}/${r.minutes_compared} players, plus-minus exact for ${r.plus_minus_ok}`,
      r.error ? el("span", { class: "error" }, r.error) : null),
    r.quirks ? el("p", { class: "muted" }, `quirks handled: ${r.quirks}`) : null,
    (r.differences || []).length ? table(["scope", "side", "player", "stat", "derived", "official", "cause"], r.differences.map((d) =>
      el("tr", {}, el("td", {}, d.scope), el("td", {}, d.side), el("td", {}, d.name), el("td", {}, d.stat), el("td", { class: "n" }, d.derived), el("td", { class: "n" }, d.official), el("td", {}, d.cause))))
      : el("p", { class: "muted" }, "No difference: every cell equals the official box."))));
}

async function load() {
  const game = await api(`/api/v1/games/${encodeURIComponent(id)}`);
  m.game = game;
  const title = el("h1", {}, `${game.away.code} at ${game.home.code}`, el("span", { class: "muted" }, ` · ${game.date} · ${game.game_id} `), gradeBadge(game.grade));
  const facts = el("dl", { class: "kv" },
    el("dt", {}, "final"), el("dd", {}, game.home.pts == null ? game.status : `${game.away.code} ${game.away.pts} - ${game.home.pts} ${game.home.code}`),
    el("dt", {}, "play-by-play"), el("dd", {}, game.providers.join(", ") || "none"),
    el("dt", {}, "official boxes"), el("dd", {}, game.official_sources.join(", ") || "none"),
    el("dt", {}, "season"), el("dd", {}, `${game.season} ${game.season_type}`));
  if (!game.provider) {
    show(title, el("div", { class: "card" }, facts, empty(game.note)));
    return;
  }
  const [flow, st, ver] = await Promise.all([api(`/api/v1/games/${game.game_id}/scoreflow`), api(`/api/v1/games/${game.game_id}/stints`), api(`/api/v1/games/${game.game_id}/verification`)]);
  m.scoreAway = el("span", { id: "score-away" }, "");
  m.scoreHome = el("span", { id: "score-home" }, "");
  m.momentLabel = el("span", { class: "moment", id: "moment" }, "");
  m.slider = el("input", { type: "range", id: "slider", min: 0, max: game.final_elapsed_seconds, step: 1, value: game.final_elapsed_seconds, "aria-label": "game time, seconds since the opening tip" });
  m.slider.addEventListener("input", () => seek(Number(m.slider.value), "slider"));
  const at = el("input", { type: "text", id: "at", placeholder: "Q3 7:02", size: 9 });
  const atForm = el("form", {}, at, el("button", { type: "submit" }, "Go"));
  atForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const b = await api(`/api/v1/games/${game.game_id}/box?at=${encodeURIComponent(at.value)}`);
      m.slider.value = String(b.moment.elapsed_seconds);
      moveCursor(b.moment.elapsed_seconds);
      renderBox(b);
    } catch (e) {
      m.box.replaceChildren(errorBox(e));
      m.boxView = null;
    }
  });
  m.box = el("div", { id: "box" });
  m.winprob = el("div", { id: "winprob-holder" }, el("p", { class: "muted" }, "Simulating the game from every event…"));
  const periodButtons = el("div", { class: "periods" }, game.periods.map((p) => el("button", { type: "button", onclick: () => seek(p.start_elapsed_seconds, "button") }, `${p.label} start`)),
    el("button", { type: "button", onclick: () => seek(game.final_elapsed_seconds, "button") }, "final"));
  show(title, el("div", { class: "card" }, facts),
    section("Box score at a moment",
      el("div", { class: "scoreboard" }, el("span", { class: "team" }, game.away.code, m.scoreAway), "–", el("span", { class: "team" }, m.scoreHome, game.home.code), m.momentLabel),
      el("div", { class: "timeline" }, m.slider, atForm), periodButtons, flowChart(flow), m.box),
    section("Win probability (simulated)", m.winprob),
    section("Verification: derived vs official", verification(ver)),
    section("Lineups and stints", stintsTable(st)));
  const q = new URLSearchParams(location.search);
  const start = q.get("elapsed") !== null ? Number(q.get("elapsed")) : game.final_elapsed_seconds;
  seek(Number.isFinite(start) ? start : game.final_elapsed_seconds, "init");
  winProb(game, m.winprob);
}

load().catch((e) => show(el("h1", {}, `Game ${id}`), errorBox(e)));
