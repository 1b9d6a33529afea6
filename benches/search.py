#!/usr/bin/env python3
"""Search benchmark: index build time and search latency under load, on a store of 100k datasets.

What it does, against the release binary on 127.0.0.1:

1. ``danhmuc reindex`` on the store (default: the 100k-dataset registry store that
   ``benches/registry.py`` builds, ``~/.cache/danhmuc-bench/stores/registry-100000``): the time to
   build the search index from nothing.
2. Starts ``danhmuc serve`` on the store and drives ``GET /api/search`` with ``wrk`` (Debian package
   ``wrk``) at 64 connections for each query below, ``--duration`` seconds each after a warm-up:
   diacritic-free words, a broad word matching most records, the empty search (every record, all
   facets counted), words with a facet filter, and a title sort. Every answer must be 200.
3. The peer, in the same run: the same "ha noi" question asked of the same server's SPARQL endpoint
   the way a portal without a search index would (``CONTAINS`` over ``LCASE`` titles, which still
   misses the diacritic-free spelling), timed sequentially (it is too slow for 64 connections).

Reports p50/p95/p99 and requests/s per query, the index build time and the SPARQL/index ratio, in
Markdown on standard output and in ``bench-out/search.md`` (git-ignored). The portal issue's target for
the search page is p95 < 20 ms at 64 connections.

Usage::

    python3 benches/search.py                       # the 100k registry store
    python3 benches/search.py --store DIR --duration 10
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = Path.home() / ".cache" / "danhmuc-bench"
DEFAULT_STORE = CACHE / "stores" / "registry-100000"
DEFAULT_DANHMUC = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/danhmuc-target")) / "release/danhmuc"
REPORT = REPO / "bench-out/search.md"
BASE = "https://registry.example/"  # the base the store's records were minted under (benches/registry.py)

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\\n", summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6))
end
"""

QUERIES = [
    ("words without diacritics", {"q": "ha noi"}),
    ("two words, many matches", {"q": "thong ke"}),
    ("a word in every title", {"q": "nam"}),
    ("empty search, all facets", {}),
    ("words + facet filter", {"q": "bao cao", "kind": "dataset", "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC"}),
    ("title sort, page 5", {"q": "so lieu", "sort": "title", "page": "5"}),
    ("words + minimum rating", {"q": "so lieu", "min_rating": "good"}),
]

# Words for the "many different searches" run: more distinct searches than the server's answer cache
# holds (512), so most are computed, as for real traffic with a long tail.
MIXED_WORDS = ["ha noi", "thong ke", "bao cao", "giao thong", "dan so", "doanh nghiep", "nha o", "y te",
               "giao duc", "dat dai", "moi truong", "nong nghiep", "thue", "hai quan", "lao dong", "du lich",
               "quang nam", "yen bai", "bac lieu", "da nang", "can tho", "hai phong", "so lieu", "tong hop",
               "hanh chinh", "dang ky", "xay dung", "nam 2018", "nam 2013", "nam 2020"]
MIXED_SCRIPT = """
local paths = {}
local words = {%s}
for page = 1, 80 do
  for _, w in ipairs(words) do
    table.insert(paths, "/api/search?q=" .. w .. "&page=" .. page)
  end
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""

SPARQL_PEER = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t FILTER(CONTAINS(LCASE(?t), "hà nội")) } LIMIT 20"""


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def write_report(path: Path, lines: list[str]) -> None:
    """The Markdown report, to `path` (git-ignored `bench-out/`) and standard output."""
    report = "\n".join(lines) + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(report)
    sys.stdout.write(report)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 300.0) -> None:
    started = time.time()
    while time.time() - started < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def wrk(url: str, connections: int, duration: int, script: Path) -> dict[str, float]:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), url]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if not match:
        raise SystemExit(f"no result from wrk:\n{out}")
    requests, errors, p50, p95, p99, seconds = match.groups()
    if int(errors):
        raise SystemExit(f"{errors} failed requests on {url}:\n{out}")
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99), "rps": int(requests) / float(seconds)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--skip-reindex", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not args.store.is_dir():
        raise SystemExit(f"no store at {args.store}: run benches/registry.py first")
    binary = Path(tempfile.mkdtemp()) / "danhmuc"
    shutil.copy2(args.danhmuc, binary)
    lines = [f"# Search benchmark ({datetime.date.today()})", "", f"Store: `{args.store}`; binary copied from `{args.danhmuc}`.", ""]

    build = None
    if not args.skip_reindex:
        log("danhmuc reindex …")
        started = time.time()
        out = subprocess.run([str(binary), "reindex", "--data", str(args.store)], capture_output=True, text=True, check=True)
        build = time.time() - started
        lines += [f"Index build (`danhmuc reindex`, wall clock incl. opening the store): **{build:.1f} s** — {out.stdout.strip()}", ""]
        log(out.stdout.strip())

    port = free_port()
    server = subprocess.Popen(
        [str(binary), "serve", "--data", str(args.store), "--bind", f"127.0.0.1:{port}", "--base-url", BASE],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"},
    )
    try:
        wait_for(port)
        script = Path(tempfile.mkdtemp()) / "report.lua"
        script.write_text(WRK_SCRIPT)
        lines += [f"`GET /api/search` under `wrk -t2 -c{args.connections} -d{args.duration}s`:", "",
                  "| query | total hits | p50 ms | p95 ms | p99 ms | req/s | p95 < 20 ms |", "|---|---|---|---|---|---|---|"]
        index_p50 = None
        for name, params in QUERIES:
            url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode(params)
            with urllib.request.urlopen(url) as r:
                total = json.load(r)["total"]
            wrk(url, args.connections, 2, script)  # warm-up
            result = wrk(url, args.connections, args.duration, script)
            log(f"{name}: {total} hits, p95 {result['p95']:.2f} ms, {result['rps']:.0f} req/s")
            ok = "yes" if result["p95"] < 20 else "**no**"
            lines.append(f"| {name} `{urllib.parse.urlencode(params)}` | {total} | {result['p50']:.2f} | {result['p95']:.2f} | {result['p99']:.2f} | {result['rps']:.0f} | {ok} |")
            if index_p50 is None:
                single = []
                for _ in range(20):
                    started = time.perf_counter()
                    urllib.request.urlopen(url).read()
                    single.append((time.perf_counter() - started) * 1000)
                index_p50 = statistics.median(single)
        mixed = Path(script.parent) / "mixed.lua"
        quoted = ", ".join('"' + w.replace(" ", "+") + '"' for w in MIXED_WORDS)
        mixed.write_text(MIXED_SCRIPT % quoted + WRK_SCRIPT)
        base = f"http://127.0.0.1:{port}/"
        wrk(base, args.connections, 2, mixed)
        result = wrk(base, args.connections, args.duration, mixed)
        log(f"mixed: p95 {result['p95']:.2f} ms, {result['rps']:.0f} req/s")
        ok = "yes" if result["p95"] < 20 else "**no**"
        lines.append(f"| {len(MIXED_WORDS) * 80} different searches in rotation ({len(MIXED_WORDS)} word pairs × 80 pages; more than the 512 answers cached) | – | {result['p50']:.2f} | {result['p95']:.2f} | {result['p99']:.2f} | {result['rps']:.0f} | {ok} |")
        sparql = []
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": SPARQL_PEER})
        for _ in range(5):
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=120).read()
            sparql.append((time.perf_counter() - started) * 1000)
        peer = statistics.median(sparql)
        lines += ["", "Peer in the same run, one client, median of sequential requests:", "",
                  "| the \"ha noi\" question | median ms |", "|---|---|",
                  f"| `/api/search?q=ha+noi` (index; finds the diacritic-free spelling, counts 9 facets) | {index_p50:.2f} |",
                  f"| SPARQL `CONTAINS(LCASE(?title), \"hà nội\")` LIMIT 20 (no facets) | {peer:.1f} |",
                  "", f"Ratio SPARQL / index: **{peer / index_p50:.0f}×**."]
    finally:
        server.terminate()
        server.wait()
    write_report(REPORT, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
