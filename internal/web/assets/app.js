// Shared helpers of the nbasim pages: API calls, a DOM builder that never
// parses HTML (data is always text), formatting, and small SVG charts drawn
// here (no chart library: see docs/architecture.md).

export class APIError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "request failed");
    this.problem = problem;
  }
}

// api fetches a JSON endpoint; a problem+json answer becomes an APIError.
export async function api(path, opts = {}) {
  const r = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: opts.signal });
  const ct = r.headers.get("Content-Type") || "";
  const body = ct.includes("json") ? await r.json() : { title: await r.text() };
  if (!r.ok) throw new APIError(body);
  return body;
}

// el builds an element: el("td", {class: "n", dataset: {x: 1}}, "text", child)
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

const SVGNS = "http://www.w3.org/2000/svg";
export function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  }
  append(e, children);
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k === "class") e.className = v;
    else if (k === "style") Object.assign(e.style, v); // CSSOM: allowed by the CSP, a style attribute is not
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function main() {
  return document.getElementById("main");
}

// show replaces the page content.
export function show(...nodes) {
  const m = main();
  m.replaceChildren(...nodes.flat().filter(Boolean));
}

export function errorBox(err) {
  const p = err.problem || {};
  return el("div", { class: "error", role: "alert" }, el("strong", {}, p.title || "Error"), " ", err.message,
    p.parameter ? el("span", { class: "param" }, ` (parameter ${p.parameter})`) : null);
}

export function section(title, ...children) {
  return el("section", { class: "card" }, el("h2", {}, title), ...children);
}

// wide is a section spanning the whole grid row.
export function wide(title, ...children) {
  return el("section", { class: "card wide" }, el("h2", {}, title), ...children);
}

// mmss renders seconds as M:SS (whole seconds, truncated like the CLI).
export function mmss(seconds) {
  const s = Math.floor(seconds + 1e-6);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

// clock renders seconds as M:SS or M:SS.t.
export function clock(seconds) {
  const t = Math.round(seconds * 10);
  let out = `${Math.floor(t / 600)}:${String(Math.floor((t % 600) / 10)).padStart(2, "0")}`;
  if (t % 10) out += `.${t % 10}`;
  return out;
}

export function signed(n) {
  return (n >= 0 ? "+" : "") + n;
}

export function pct(x, digits = 1) {
  return `${(100 * x).toFixed(digits)}%`;
}

export function num(n) {
  return Number(n).toLocaleString("en-US");
}

export function periodName(p) {
  return p <= 4 ? `Q${p}` : `OT${p - 4}`;
}

// completenessColor: red (0) -> amber -> green (1); grey when nothing is expected.
export function completenessColor(c, expected) {
  if (!expected) return "#d9d9d9";
  const stops = [[0, [196, 50, 50]], [0.5, [230, 160, 40]], [0.9, [190, 200, 60]], [1, [40, 150, 70]]];
  for (let i = 1; i < stops.length; i++) {
    if (c <= stops[i][0]) {
      const [a, ca] = stops[i - 1], [b, cb] = stops[i];
      const f = (c - a) / (b - a);
      const m = ca.map((v, j) => Math.round(v + f * (cb[j] - v)));
      return `rgb(${m[0]},${m[1]},${m[2]})`;
    }
  }
  return "rgb(40,150,70)";
}

export function gradeBadge(g) {
  return g ? el("span", { class: `grade g${g}` }, g) : el("span", { class: "grade none" }, "–");
}

// lineChart draws y over x: points [{x, y}], with optional vertical marks
// [{x, label}] and a y zero line. Returns the SVG and a function mapping x
// to a pixel column.
export function lineChart(points, { width = 640, height = 180, marks = [], yMin, yMax, xMax, zero = false, stepped = false, label = "" } = {}) {
  const pad = { l: 40, r: 10, t: 10, b: 22 };
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const x1 = xMax ?? Math.max(1, ...xs);
  let y0 = yMin ?? Math.min(0, ...ys), y1 = yMax ?? Math.max(1, ...ys);
  if (y0 === y1) y1 = y0 + 1;
  const X = (x) => pad.l + (x / x1) * (width - pad.l - pad.r);
  const Y = (y) => pad.t + (1 - (y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const g = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": label });
  for (const m of marks) {
    g.append(svg("line", { x1: X(m.x), x2: X(m.x), y1: pad.t, y2: height - pad.b, class: "mark" }),
      svg("text", { x: X(m.x) + 3, y: height - 8, class: "axis" }, m.label));
  }
  if (zero && y0 < 0 && y1 > 0) g.append(svg("line", { x1: pad.l, x2: width - pad.r, y1: Y(0), y2: Y(0), class: "zero" }));
  for (const v of [y0, y1]) g.append(svg("text", { x: pad.l - 4, y: Y(v) + 4, class: "axis", "text-anchor": "end" }, Math.round(v * 100) / 100));
  let d = "";
  points.forEach((p, i) => {
    if (i === 0) d += `M${X(p.x)},${Y(p.y)}`;
    else if (stepped) d += `H${X(p.x)}V${Y(p.y)}`;
    else d += `L${X(p.x)},${Y(p.y)}`;
  });
  if (stepped && points.length) d += `H${X(x1)}`;
  g.append(svg("path", { d, class: "line" }));
  return { node: g, X, Y, height, pad };
}

// bars draws labelled horizontal bars: [{label, value, class}].
export function bars(items, { width = 320, unit = "" } = {}) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return el("div", { class: "bars" }, items.map((i) =>
    el("div", { class: "bar-row", dataset: { label: i.label, value: i.value } },
      el("span", { class: "bar-label" }, i.label),
      el("span", { class: "bar-track" }, el("span", { class: `bar ${i.class || ""}`, style: { width: `${(100 * i.value) / max}%` } })),
      el("span", { class: "bar-value" }, num(i.value) + unit))));
}

// table builds a table from header labels and rows of cells.
export function table(head, rows, attrs = {}) {
  return el("table", attrs, el("thead", {}, el("tr", {}, head.map((h) => (h instanceof Node ? h : el("th", {}, h))))),
    el("tbody", {}, rows));
}

export function empty(text) {
  return el("p", { class: "empty" }, text);
}

export function markNav() {
  const page = document.body.dataset.page;
  const map = { game: "games", player: "players" };
  const key = map[page] || page;
  for (const a of document.querySelectorAll("nav a")) if (a.dataset.nav === key) a.classList.add("active");
}
markNav();
