import { api, el, show, section, errorBox, table, gradeBadge, empty, num, bars, pct } from "/static/app.js";

const u = new URLSearchParams(location.search);

function filterForm(fields, onSubmit) {
  const f = el("form", { class: "filters" }, fields.map(([k, label, ph]) => el("label", {}, label, el("input", { name: k, value: u.get(k) || "", placeholder: ph || "" }))),
    el("button", { type: "submit" }, "Filter"));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams(location.search);
    for (const [k, v] of new FormData(f)) {
      if (String(v).trim()) q.set(k, String(v).trim());
      else q.delete(k);
    }
    location.search = q.toString();
  });
  return f;
}

async function load() {
  const qq = new URLSearchParams();
  for (const k of ["source", "q"]) if (u.get(k)) qq.set(k, u.get(k));
  qq.set("limit", "100");
  const vq = new URLSearchParams({ limit: "100" });
  if (u.get("grade")) vq.set("grade", u.get("grade"));
  if (u.get("cause")) vq.set("cause", u.get("cause"));
  const [quar, ver] = await Promise.all([api("/api/v1/quarantine?" + qq), api("/api/v1/verification?" + vq)]);
  const qrows = quar.items.map((i) => el("tr", {}, el("td", {}, i.source), el("td", {}, i.game_id ? el("a", { href: `/games/${i.game_id}` }, i.game_id) : ""), el("td", {}, i.key),
    el("td", { class: "muted" }, i.position), el("td", {}, i.reason), el("td", {}, i.created_at)));
  const drows = ver.differences.map((d) => el("tr", {}, el("td", {}, el("a", { href: `/games/${d.game_id}` }, d.game_id)), el("td", {}, d.source), el("td", {}, d.name),
    el("td", {}, d.stat), el("td", { class: "n" }, d.derived), el("td", { class: "n" }, d.official), el("td", {}, d.cause)));
  const grows = ver.games.filter((g) => g.grade !== "A").map((g) => el("tr", {}, el("td", {}, el("a", { href: `/games/${g.game_id}` }, g.game_id)), el("td", {}, g.date || ""),
    el("td", {}, `${g.away_code || ""} at ${g.home_code || ""}`), el("td", {}, gradeBadge(g.grade)), el("td", {}, g.source), el("td", { class: "n" }, `${num(g.cells_exact)}/${num(g.cells)}`),
    el("td", {}, g.error || g.degraded_reasons || "")));
  const run = ver.runs[0];
  show(el("h1", {}, "Data quality"),
    el("div", { class: "grid" },
      section("Verification grades", ver.grades.length ? bars(ver.grades.map((g) => ({ label: `grade ${g.value}`, value: g.count }))) : empty("No verification yet."),
        run ? el("p", { class: "muted" }, `last run ${run.run_id} (${run.scope}): ${pct(run.cells_exact_share, 3)} of ${num(run.cells)} cells exact`) : null),
      section("Differences by cause", ver.causes.length ? bars(ver.causes.map((c) => ({ label: c.value, value: c.count }))) : empty("No differences."))),
    section(`Games below grade A (worst first)`, grows.length ? table(["game", "date", "matchup", "grade", "official", "cells exact", "note"], grows, { id: "worst" }) : empty("Every verified game is grade A.")),
    section(`Differences (${num(ver.differences.length)} shown)`, filterForm([["cause", "cause (exact)"], ["grade", "grade", "B"]]),
      drows.length ? table(["game", "official", "player", "stat", "derived", "official", "cause"], drows, { id: "differences" }) : empty("No differences.")),
    section(`Quarantine (${num(quar.total)} items)`, el("p", { class: "muted" }, quar.by_source.map((s) => `${s.value || "?"}: ${num(s.count)}`).join(" · ")),
      filterForm([["source", "source", "bbref/boxscores"], ["q", "text", "team totals"]]),
      qrows.length ? table(["source", "game", "key", "position", "reason", "when"], qrows, { id: "quarantine" }) : empty("Nothing quarantined.")));
}

load().catch((e) => show(el("h1", {}, "Data quality"), errorBox(e)));
