#!/usr/bin/env python3
"""Portal benchmark: the HTML pages people load, under load, on a store of 100k datasets.

What it does, against the release binary on 127.0.0.1 (the store ``benches/registry.py`` builds,
``~/.cache/danhmuc-bench/stores/registry-100000``; a publisher token for part 2 is made once with the
CLI and kept next to it):

1. Starts ``danhmuc serve`` on the store (no link checks) and drives each page below with ``wrk``
   (Debian package ``wrk``) at 64 connections, ``--duration`` seconds after a 2 s warm-up, as a browser
   asks (``Accept: text/html`` and ``Accept-Encoding: gzip, deflate, br, zstd``, as Chromium and
   Firefox send it); the home, one-dataset and search-with-facet pages are also asked without
   compression (``Accept-Encoding`` absent), as ``curl`` does. Every answer must be 200.

   - the home page, in Vietnamese and in English;
   - one dataset page, asked again and again (anonymous readers share one rendering);
   - 10 000 different dataset pages in rotation: more than the 4 096 pages the server keeps, so most
     are rendered for the request;
   - the search page with words and a facet filter, and 2 400 different search pages in rotation.
2. One client, sequential requests, the pages rendered for every request: the same pages asked by an
   agency signed in with its token (its view includes its restricted records, so nothing is shared).
3. The peer, in the same run and the same way: what a portal that renders from SPARQL must at least
   ask of the same server's endpoint for the same pages (``DESCRIBE`` of the dataset; the theme counts
   and the newest datasets for the home page), without rendering anything.

The portal issue's targets at 64 connections: home p95 < 10 ms, dataset page p95 < 5 ms, search page
with facets p95 < 20 ms. Markdown on standard output and in ``bench-out/portal.md`` (git-ignored).

Usage::

    python3 benches/portal.py
    python3 benches/portal.py --store DIR --duration 10 --connections 64
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from search import (DEFAULT_DANHMUC, DEFAULT_STORE, MIXED_WORDS, WRK_SCRIPT, free_port, log, wait_for, write_report,
                    wrk)

HERE = Path(__file__).resolve().parent
REPORT = HERE.parent / "bench-out/portal.md"
HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
BASE = "https://registry.example/"  # the base the store's records were minted under (benches/registry.py)
ECON = "http://publications.europa.eu/resource/authority/data-theme/ECON"

# What browsers send (Chromium, Firefox); the server answers gzip.
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"

ROTATION_SCRIPT = """
wrk.headers["Accept"] = "%s"
%s
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""

HOME_PEER = [
    """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?theme (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dcat:theme ?theme } GROUP BY ?theme ORDER BY DESC(?n)""",
    """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?d ?m WHERE { ?d a dcat:Dataset ; dct:modified ?m } ORDER BY DESC(?m) LIMIT 8""",
]


def lua_list(paths: list[str]) -> str:
    return ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)


def sequential(port: int, path: str, headers: dict[str, str], n: int) -> tuple[float, float, float]:
    """First request, then the median and p95 of `n` more, one keep-alive client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for _ in range(n + 1):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
    conn.close()
    rest = sorted(times[1:]) or times
    return times[0], statistics.median(rest), rest[max(int(len(rest) * 0.95) - 1, 0)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--requests", type=int, default=50, help="sequential requests per page (part 2)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not args.store.is_dir():
        raise SystemExit(f"no store at {args.store}: run benches/registry.py first")
    binary = Path(tempfile.mkdtemp()) / "danhmuc"
    shutil.copy2(args.danhmuc, binary)
    # A publisher token of the first organisation, made once and kept next to the store.
    token_file = args.store.with_name(args.store.name + "-portal-token.txt")
    if not token_file.is_file():
        run = lambda *argv: subprocess.run([str(binary), *argv, "--data", str(args.store), "--base-url", BASE],  # noqa: E731
                                           capture_output=True, text=True, check=True).stdout
        org = run("org", "list").split("\t", 1)[0]
        token_file.write_text(run("token", "create", "--org", org, "--role", "publisher").strip())
    token = token_file.read_text().strip()
    work = binary.parent
    lines = [f"# Portal benchmark ({datetime.date.today()})", "",
             f"Store: `{args.store}`; binary copied from `{args.danhmuc}`; `nproc` = {os.cpu_count()}; "
             f"load average before: {os.getloadavg()[0]:.2f}.", ""]
    port = free_port()
    started = time.time()
    server = subprocess.Popen(
        [str(binary), "serve", "--data", str(args.store), "--bind", f"127.0.0.1:{port}", "--base-url", BASE,
         "--link-check-every", "0s"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"},
    )
    try:
        wait_for(port)
        log(f"serving after {time.time() - started:.1f} s")
        ids: list[str] = []
        for page in range(1, 101):
            query = urllib.parse.urlencode({"kind": "dataset", "per_page": 100, "page": page, "sort": "title"})
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?{query}") as r:
                ids += [h["id"] for h in json.load(r)["hits"]]
        one = ids[len(ids) // 2]
        first_home = sequential(port, "/", {"Accept": HTML}, 0)[0]

        searches = [f"/search?q={w.replace(' ', '+')}&page={p}" for p in range(1, 81) for w in MIXED_WORDS]
        facet_search = "/search?" + urllib.parse.urlencode({"q": "ha noi", "theme": ECON})
        runs = [
            ("home page (vi)", ["/"], 10, True),
            ("home page (vi)", ["/"], 10, False),
            ("home page (en)", ["/?lang=en"], 10, True),
            ("one dataset page", [f"/dataset/{one}"], 5, True),
            ("one dataset page", [f"/dataset/{one}"], 5, False),
            (f"{len(ids)} dataset pages in rotation", [f"/dataset/{i}" for i in ids], 5, True),
            ("search page, words + theme facet", [facet_search], 20, True),
            ("search page, words + theme facet", [facet_search], 20, False),
            (f"{len(searches)} search pages in rotation", searches, 20, True),
        ]
        lines += [f"Anonymous readers, `wrk -t2 -c{args.connections} -d{args.duration}s`, `Accept: text/html`; "
                  f"gzip: `Accept-Encoding: {BROWSER_ENCODINGS}` as browsers send it, none: no `Accept-Encoding`:", "",
                  "| page | encoding | p50 ms | p95 ms | p99 ms | req/s | target p95 | met |",
                  "|---|---|---|---|---|---|---|---|"]
        for name, paths, target, browser in runs:
            script = work / f"run-{len(paths)}-{abs(hash(name))}-{browser}.lua"
            encoding = f'wrk.headers["Accept-Encoding"] = "{BROWSER_ENCODINGS}"' if browser else ""
            script.write_text(ROTATION_SCRIPT % (HTML, encoding, lua_list(paths)) + WRK_SCRIPT)
            url = f"http://127.0.0.1:{port}/"
            wrk(url, args.connections, 2, script)  # warm-up
            result = wrk(url, args.connections, args.duration, script)
            met = "yes" if result["p95"] < target else "**no**"
            coding = "gzip" if browser else "none"
            log(f"{name} ({coding}): p95 {result['p95']:.2f} ms, {result['rps']:.0f} req/s")
            lines.append(f"| {name} | {coding} | {result['p50']:.2f} | {result['p95']:.2f} | {result['p99']:.2f} "
                         f"| {result['rps']:.0f} | < {target} ms | {met} |")

        signed = {"Accept": HTML, "Authorization": f"Bearer {token}"}
        sequential(port, "/", signed, 0)  # the token's argon2 check, once
        pages = [("home page", "/"), ("dataset page", f"/dataset/{ids[7]}"), ("search page, words + theme facet", facet_search)]
        rendered = {name: sequential(port, path, signed, args.requests) for name, path in pages}
        peers = []
        for name, queries in [("home page", HOME_PEER),
                              ("dataset page", [f"DESCRIBE <{BASE}dataset/{ids[7]}>"])]:
            def ask(queries: list[str] = queries) -> float:
                total = 0.0
                for q in queries:
                    request = urllib.request.Request(f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": q}),
                                                     headers={"Accept": "application/sparql-results+json, text/turtle"})
                    began = time.perf_counter()
                    with urllib.request.urlopen(request, timeout=300) as r:
                        r.read()
                    total += (time.perf_counter() - began) * 1000
                return total
            ask()
            peers.append((name, statistics.median(ask() for _ in range(5))))
        lines += ["", f"Rendered for every request (signed in with a publisher token; one keep-alive client, "
                  f"{args.requests} requests after the first):", "",
                  "| page | first ms | median ms | p95 ms |", "|---|---|---|---|",
                  f"| home page, first anonymous request after start | {first_home:.1f} | – | – |"]
        lines += [f"| {name} | {f:.1f} | {m:.2f} | {p:.2f} |" for name, (f, m, p) in rendered.items()]
        lines += ["", "Peer in the same run: the SPARQL a portal rendering from the endpoint must at least ask "
                  "(same server, anonymous, median of 5; nothing rendered):", "",
                  "| page | SPARQL ms | danhmuc rendered ms | ratio |", "|---|---|---|---|"]
        for name, peer in peers:
            mine = rendered[name][1]
            lines.append(f"| {name} | {peer:.1f} | {mine:.2f} | **{peer / mine:.0f}×** |")
    finally:
        server.terminate()
        server.wait()
    write_report(REPORT, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
