import { api, el, show, section, wide, errorBox, pct, num, completenessColor, lineChart, bars, table, empty, gradeBadge, svg } from "/static/app.js";

async function load() {
  const [status, cov, rec, fetches, queue, ver] = await Promise.all([
    api("/api/v1/status"), api("/api/v1/coverage?runs=30"), api("/api/v1/reconcile?limit=1"),
    api("/api/v1/fetches?limit=10"), api("/api/v1/queue?limit=10"), api("/api/v1/verification?limit=5"),
  ]);
  show(
    el("h1", {}, "Overview"),
    summary(status, cov),
    el("div", { class: "grid" },
      wide("Coverage heat map (source / dataset × season, latest reconciliation)", heatmap(cov)),
      section("Completeness trend over runs", trend(cov)),
      section("Queue depth by state", queueDepth(queue)),
      wide("Fetch rate per host (objects per hour, last 24 h of fetches)", fetchRate(fetches)),
      section("Recent failures", failures(queue, fetches)),
      section("Last reconciliation: timing breakdown", timingBreakdown(rec)),
      section("Verification grades", grades(ver)),
    ),
  );
}

function summary(status, cov) {
  const rc = status.row_counts;
  const items = [
    ["database", `${status.dialect} (read-only)`], ["games", num(rc.games ?? 0)], ["plays", num(rc.plays ?? 0)],
    ["players", num(rc.players ?? 0)], ["quarantined", num(rc.quarantine ?? 0)],
    ["lake completeness", cov.latest ? pct(cov.latest.completeness) : "no reconciliation yet"],
  ];
  return el("dl", { class: "kv card", id: "summary" }, items.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function heatmap(cov) {
  if (!cov.latest) return empty(cov.note || "No reconciliation yet: run nbasim reconcile.");
  const rows = cov.axes.sources, seasons = cov.axes.seasons;
  const at = new Map(cov.cells.map((c) => [`${c.source}/${c.dataset}|${c.season}`, c]));
  const body = rows.map((r) => el("tr", {}, el("th", {}, r), seasons.map((s) => {
    const c = at.get(`${r}|${s}`);
    if (!c) return el("td", { class: "cell none" }, "");
    const td = el("td", {
      class: `cell${c.expected ? "" : " none"}${c.estimated ? " estimated" : ""}`,
      title: `${c.source}/${c.dataset} ${c.season}: ${num(c.present)} of ${num(c.expected)} present, ${num(c.missing)} missing, ${num(c.stale)} stale, ${num(c.invalid)} invalid${c.estimated ? " (estimate)" : ""}`,
      dataset: { source: c.source, dataset: c.dataset, season: c.season, expected: c.expected, present: c.present, completeness: c.completeness },
    }, c.expected ? pct(c.completeness, 0) : "–");
    td.style.background = completenessColor(c.completeness, c.expected);
    return td;
  })));
  return el("div", {},
    table([el("th", {}, "source / dataset"), ...seasons.map((s) => el("th", {}, s))], body, { class: "heat", id: "heatmap", dataset: { run: cov.latest.run_id } }),
    el("p", { class: "legend" }, `run ${cov.latest.run_id}, ${cov.latest.finished_at}; italic = estimate; hover a cell for counts`));
}

function trend(cov) {
  if (!cov.runs.length) return empty("No runs yet.");
  const runs = [...cov.runs].reverse(); // oldest first
  const pts = runs.map((r, i) => ({ x: i, y: 100 * r.completeness }));
  if (pts.length === 1) pts.push({ x: 1, y: pts[0].y });
  const c = lineChart(pts, { yMin: 0, yMax: 100, xMax: Math.max(1, pts.length - 1), label: "completeness per run, percent" });
  runs.forEach((r, i) => c.node.append(svg("circle", { cx: c.X(i), cy: c.Y(100 * r.completeness), r: 3, class: "dot" }, svg("title", {}, `${r.run_id} ${r.finished_at}: ${pct(r.completeness)}`))));
  return el("div", { id: "trend" }, c.node, el("p", { class: "legend" }, `${runs.length} run(s), oldest to newest; latest ${pct(cov.runs[0].completeness)} of ${num(cov.runs[0].expected)} expected objects`));
}

function queueDepth(q) {
  if (!q.available) return empty(q.note);
  const order = ["available", "scheduled", "running", "retryable", "pending", "completed", "cancelled", "discarded"];
  const items = order.filter((s) => q.by_state[s]).map((s) => ({ label: s, value: q.by_state[s], class: s }));
  const byQueue = {};
  for (const c of q.by_queue) if (["available", "running", "retryable", "scheduled"].includes(c.state)) byQueue[c.queue] = (byQueue[c.queue] || 0) + c.jobs;
  return el("div", { id: "queue" }, items.length ? bars(items) : empty("The queue is empty."),
    Object.keys(byQueue).length ? el("div", {}, el("h3", {}, "waiting, by queue"), bars(Object.entries(byQueue).map(([k, v]) => ({ label: k, value: v })))) : null);
}

function fetchRate(f) {
  if (!f.hosts.length) return empty("Nothing fetched yet.");
  const max = Math.max(1, ...f.hosts.flatMap((h) => h.per_hour));
  const rows = f.hosts.map((h) => el("tr", { dataset: { host: h.host } }, el("td", {}, h.host), el("td", { class: "muted" }, h.source),
    el("td", {}, el("span", { class: "spark", title: "per hour, oldest to newest" }, h.per_hour.map((v) => {
      const s = el("span", { title: String(v) });
      s.style.height = `${Math.max(1, (24 * v) / max)}px`;
      return s;
    }))),
    el("td", { class: "n" }, num(h.per_hour[23])), el("td", { class: "n" }, num(h.last_24h)), el("td", { class: "n" }, num(h.total))));
  return el("div", { id: "fetches" }, table(["host", "source", "24 h", "last hour", "24 h total", "all time"], rows),
    el("p", { class: "legend" }, `hours up to ${f.window_end}`));
}

function failures(q, f) {
  const rows = [
    ...q.recent_failures.map((j) => el("tr", {}, el("td", {}, "job"), el("td", {}, j.queue), el("td", {}, `${j.kind} #${j.id} (${j.state}, attempt ${j.attempt}/${j.max_attempts})`), el("td", {}, j.error), el("td", {}, j.attempted_at))),
    ...f.recent_failures.map((x) => el("tr", {}, el("td", {}, "fetch"), el("td", {}, x.source), el("td", {}, x.lake_key), el("td", {}, `${x.class} ${x.http_status || ""} ${x.reason}`), el("td", {}, x.last_at))),
  ];
  if (!rows.length) return empty("No recent failures.");
  return el("div", { id: "failures" }, table(["what", "queue / source", "item", "error", "when"], rows));
}

function timingBreakdown(rec) {
  const r = rec.runs[0];
  if (!r) return empty("No reconciliation yet.");
  if (!r.timing) return empty(`Run ${r.run_id} recorded no timing (older than migration 13).`);
  const steps = r.timing.steps;
  const rows = steps.map((s) => el("tr", {}, el("td", {}, s.name), el("td", { class: "n" }, `${s.seconds.toFixed(3)} s`), el("td", { class: "n" }, pct(s.share)),
    el("td", { class: "n" }, `${(s.mem_peak_bytes / 1048576).toFixed(1)} MB`), el("td", {}, s.error || "")));
  return el("div", { id: "timing" },
    el("p", {}, `Run ${r.run_id} (${r.status}, ${r.scan_mode}) finished ${r.finished_at}: ${r.timing.total_seconds.toFixed(2)} s, ${num(r.objects)} objects, ${num(r.gaps)} gaps, ${num(r.tasks)} tasks`),
    bars(steps.map((s) => ({ label: s.name, value: Math.round(s.seconds * 1000) })), { unit: " ms" }),
    table(["step", "time", "share", "heap peak", "error"], rows));
}

function grades(v) {
  if (!v.grades.length) return empty("No verification yet: nbasim verify --all.");
  const run = v.runs[0];
  return el("div", { id: "grades" },
    bars(v.grades.map((g) => ({ label: `grade ${g.value}`, value: g.count }))),
    run ? el("p", { class: "legend" }, `last run ${run.run_id} (${run.scope}): ${num(run.games)} games, ${pct(run.cells_exact_share, 3)} of cells exact, ${num(run.fully_exact)} fully exact`) : null,
    el("p", {}, el("a", { href: "/quality" }, "differences and their causes →")));
}

load().catch((e) => show(el("h1", {}, "Overview"), errorBox(e)));
