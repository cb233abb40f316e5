import { api, el, show, errorBox, table, gradeBadge, empty, num } from "/static/app.js";

const fields = [
  ["q", "search", "text", "id, team, date"], ["team", "team", "text", "BOS"], ["season", "season", "text", "2018-19"],
  ["from", "from", "date"], ["to", "to", "date"],
];
const cols = [["date", "date"], ["game_id", "game"], ["away", "away"], ["home", "home"], ["points", "score"], ["grade", "grade"], [null, "providers"], [null, "official boxes"]];

function state() {
  const u = new URLSearchParams(location.search);
  return { params: u, sort: u.get("sort") || "date", order: u.get("order") || "desc", offset: Number(u.get("offset") || 0), limit: 50 };
}

function query(st) {
  const q = new URLSearchParams();
  for (const [k] of fields) if (st.params.get(k)) q.set(k, st.params.get(k));
  for (const k of ["status", "grade"]) if (st.params.get(k)) q.set(k, st.params.get(k));
  q.set("sort", st.sort);
  q.set("order", st.order);
  q.set("limit", st.limit);
  if (st.offset) q.set("offset", st.offset);
  return q;
}

function navigate(q) {
  history.replaceState(null, "", "/games?" + q.toString());
  render();
}

function form(st) {
  const inputs = fields.map(([k, label, type, ph]) => el("label", {}, label, el("input", { name: k, type, placeholder: ph || "", value: st.params.get(k) || "", id: `f-${k}` })));
  const sel = (k, opts) => el("label", {}, k, el("select", { name: k, id: `f-${k}` }, opts.map((o) => {
    const e = el("option", { value: o }, o || "any");
    if ((st.params.get(k) || "") === o) e.selected = true;
    return e;
  })));
  const f = el("form", { class: "filters", id: "filters" }, inputs, sel("status", ["", "final", "scheduled"]), sel("grade", ["", "A", "B", "C", "D", "F", "none"]),
    el("button", { type: "submit" }, "Filter"), el("button", { type: "button", onclick: () => navigate(new URLSearchParams()) }, "Clear"));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(f)) if (String(v).trim()) q.set(k, String(v).trim());
    q.set("sort", st.sort);
    q.set("order", st.order);
    navigate(q);
  });
  return f;
}

async function render() {
  const st = state();
  const head = cols.map(([key, label]) => {
    if (!key) return el("th", {}, label);
    const cls = `sortable${st.sort === key ? ` sorted-${st.order}` : ""}`;
    return el("th", { class: cls, dataset: { sort: key }, onclick: () => {
      const q = new URLSearchParams(location.search);
      q.set("sort", key);
      q.set("order", st.sort === key && st.order === "asc" ? "desc" : "asc");
      q.delete("offset");
      navigate(q);
    } }, label);
  });
  let data;
  try {
    data = await api("/api/v1/games?" + query(st).toString());
  } catch (e) {
    show(el("h1", {}, "Games"), form(st), errorBox(e));
    return;
  }
  const rows = data.games.map((g) => el("tr", { dataset: { game: g.game_id, home: g.home.code, away: g.away.code } },
    el("td", {}, g.date), el("td", {}, el("a", { href: `/games/${g.game_id}` }, g.game_id)),
    el("td", { class: "away" }, g.away.code), el("td", { class: "home" }, g.home.code),
    el("td", { class: "n" }, g.home.pts == null ? g.status : `${g.away.pts} - ${g.home.pts}`),
    el("td", {}, gradeBadge(g.grade)), el("td", { class: "muted" }, g.providers.join(", ")), el("td", { class: "muted" }, g.official_sources.join(", "))));
  const pager = el("div", { class: "pager" },
    el("button", { disabled: st.offset === 0, onclick: () => { const q = new URLSearchParams(location.search); q.set("offset", Math.max(0, st.offset - st.limit)); navigate(q); } }, "← previous"),
    el("span", { id: "count" }, data.total ? `${num(st.offset + 1)}-${num(st.offset + data.games.length)} of ${num(data.total)} games` : "no game matches"),
    el("button", { disabled: st.offset + st.limit >= data.total, onclick: () => { const q = new URLSearchParams(location.search); q.set("offset", st.offset + st.limit); navigate(q); } }, "next →"));
  show(el("h1", {}, "Games"), form(st), el("div", { class: "card" }, data.games.length ? table(head, rows, { id: "games" }) : empty("No game matches these filters."), pager));
}

render();
