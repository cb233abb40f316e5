#!/usr/bin/env python3
"""Rewrites the "depends on" cells of docs/architecture.md's package map from
`go list` (the imports inside nbasim of every package), so the map states
the import graph; internal/archtest fails when they disagree. Rows of
packages the map lacks are reported, not invented: write their row by hand.

    python3 scripts/archmap.py
"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
mod = "github.com/nbasim/nbasim/"
out = subprocess.run(["go", "list", "-json", "./..."], cwd=root, capture_output=True, text=True, check=True).stdout
deps = {}
for obj in re.split(r"(?m)^}\n", out):
    if not obj.strip():
        continue
    p = json.loads(obj + "}")
    deps[p["ImportPath"][len(mod):]] = sorted(i[len(mod):] for i in p.get("Imports", []) if i.startswith(mod))

def cell(ds):
    return ", ".join(d[len("internal/"):] if d.startswith("internal/") else d for d in ds) or "—"

path = os.path.join(root, "docs", "architecture.md")
lines = open(path).read().split("\n")
row = re.compile(r"^\| `([^`]+)` \|(.*)\| ([^|]*) \|$")
seen = set()
for i, l in enumerate(lines):
    m = row.match(l)
    if not m or not (m.group(1).startswith("internal/") or m.group(1).startswith("cmd/")):
        continue
    pkg = m.group(1)
    seen.add(pkg)
    if pkg in deps:
        lines[i] = "| `%s` |%s| %s |" % (pkg, m.group(2), cell(deps[pkg]))
open(path, "w").write("\n".join(lines))
missing = sorted(p for p in set(deps) - seen if p.startswith("internal/") or p.startswith("cmd/"))
for p in missing:
    print("not in the map (add a row): | `%s` | ... | %s |" % (p, cell(deps[p])), file=sys.stderr)
sys.exit(1 if missing else 0)
