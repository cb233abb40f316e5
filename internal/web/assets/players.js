import { api, el, show, errorBox, table, empty } from "/static/app.js";

const q0 = new URLSearchParams(location.search).get("q") || "";
const input = el("input", { type: "search", name: "q", id: "q", placeholder: "name, e.g. doncic", value: q0, autofocus: true });
const results = el("div", { id: "results" });
const form = el("form", { class: "filters" }, el("label", {}, "player", input), el("button", { type: "submit" }, "Search"));
form.addEventListener("submit", (ev) => { ev.preventDefault(); search(input.value.trim()); });

async function search(q) {
  history.replaceState(null, "", q ? `/players?q=${encodeURIComponent(q)}` : "/players");
  if (q.length < 2) {
    results.replaceChildren(empty("Type at least 2 letters of a name (accents and case do not matter)."));
    return;
  }
  try {
    const r = await api(`/api/v1/players?q=${encodeURIComponent(q)}&limit=100`);
    results.replaceChildren(r.players.length ? table(["player", "id", "games", "seasons"], r.players.map((p) =>
      el("tr", {}, el("td", {}, el("a", { href: `/players/${p.player_id}` }, p.name)), el("td", { class: "muted" }, p.player_id), el("td", { class: "n" }, p.games), el("td", {}, p.seasons.join(", ")))))
      : empty(`No player matches “${q}”.`), el("p", { class: "muted" }, `${r.total} match(es)`));
  } catch (e) {
    results.replaceChildren(errorBox(e));
  }
}

show(el("h1", {}, "Players"), el("div", { class: "card" }, form, results));
search(q0);
