#!/usr/bin/env python3
"""Plot box-mcp sessions' latencies over the session as an SVG.

    scripts/latency-plot.py OUT.svg LABEL=DUMP [LABEL=DUMP ...]

Each DUMP is a file of "call ms" lines, as NBASIM_MCP_BOX_DUMP writes them
(BenchmarkBoxScoreSession*, test/mcp-ts/box-session.mjs). For every window
of 500 calls the plot draws the window's p99 (solid) and p50 (dashed), one
colour per session, and the 2 ms target; the legend gives each session's
p50 and p99 over all its calls. Standard library only.
"""
import sys

WINDOW = 500
W, H = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 200, 20, 40
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def quantile(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(p * len(s)))]


def load(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) != 2:
                sys.exit(f"{path}:{n}: want 'call ms', got {line!r}")
            out.append(float(parts[1]))
    if not out:
        sys.exit(f"{path}: no calls")
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, series = argv[1], []
    for arg in argv[2:]:
        label, sep, path = arg.partition("=")
        if not sep:
            sys.exit(f"{arg}: want LABEL=DUMP")
        series.append((label, load(path)))
    calls = max(len(xs) for _, xs in series)
    windows = [[quantile(xs[i:i + WINDOW], q) for i in range(0, len(xs) - WINDOW + 1, WINDOW)] for q in (0.99, 0.5) for _, xs in series]
    top = max(3.0, max(max(w) for w in windows if w) * 1.1)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(call):
        return LEFT + pw * call / calls

    def y(ms):
        return TOP + ph * (1 - min(ms, top) / top)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="white" stroke="#999"/>']
    step = 0.5 if top <= 4 else 1.0
    ms = 0.0
    while ms <= top:
        svg.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(ms):.1f}" y2="{y(ms):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{LEFT - 6}" y="{y(ms) + 4:.1f}" text-anchor="end">{ms:g}</text>')
        ms += step
    for c in range(0, calls + 1, 2000):
        svg.append(f'<text x="{x(c):.1f}" y="{TOP + ph + 16}" text-anchor="middle">{c}</text>')
    svg.append(f'<text x="{LEFT + pw / 2}" y="{H - 6}" text-anchor="middle">call (windows of {WINDOW})</text>')
    svg.append(f'<text x="14" y="{TOP + ph / 2}" transform="rotate(-90 14 {TOP + ph / 2})" text-anchor="middle">latency, ms</text>')
    svg.append(f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(2):.1f}" y2="{y(2):.1f}" stroke="#000" stroke-dasharray="2,3"/>')
    svg.append(f'<text x="{LEFT + pw - 4}" y="{y(2) - 4:.1f}" text-anchor="end">2 ms</text>')
    for k, (label, xs) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        for q, dash in ((0.99, ""), (0.5, ' stroke-dasharray="5,3"')):
            pts = [(x(i + WINDOW / 2), y(quantile(xs[i:i + WINDOW], q))) for i in range(0, len(xs) - WINDOW + 1, WINDOW)]
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"{dash}/>')
        ly = TOP + 14 + 34 * k
        svg.append(f'<line x1="{W - RIGHT + 12}" x2="{W - RIGHT + 32}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        svg.append(f'<text x="{W - RIGHT + 38}" y="{ly + 4}">{label}</text>')
        svg.append(f'<text x="{W - RIGHT + 38}" y="{ly + 18}" fill="#555">p50 {quantile(xs, 0.5):.2f}, p99 {quantile(xs, 0.99):.2f} ms</text>')
    svg.append(f'<text x="{W - RIGHT + 12}" y="{TOP + ph}" fill="#555">solid: p99, dashed: p50</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main(sys.argv)
