#!/usr/bin/env python3
"""Harvest benchmark: one danhmuc harvests another's DCAT-AP feed; feed page latency.

Source A is the store ``benches/registry.py`` leaves behind (``~/.cache/danhmuc-bench/stores/
registry-100000``: 100k dataset records under 99 publishers), served by ``danhmuc serve`` on
127.0.0.1 with that address as its base URL, so the feed's paging links point back to it. Then:

1. **Feed latency**: ``GET /catalog?page=1`` and ``?page=1000`` (100 a page, Turtle; the last page when
   the public feed has fewer), 5 warm-up
   requests, then ``--requests`` timed ones each, keep-alive; p50 and p95.
2. **Harvest**: a fresh store B with one organisation and a ``dcat`` source on
   ``A/catalog?per_page=1000``; ``danhmuc harvest run`` (a separate process, peak RSS from ``wait4``)
   with ``--harvest-max-pages P`` for each P of ``--pages`` (default 2, 10: 2 000 and 10 000
   datasets; add 100 for the whole feed). A capped pass is partial, so it retires nothing; each P runs
   on its own fresh store. Peak memory must stay flat as P grows.
3. **Re-harvest**: the same run again on the same store: nothing changed, so no record is written.

Reports datasets/s, wall time and peak RSS per run in Markdown on standard output and in
``bench-out/harvest.md``. Standard library only.

Usage::

    python3 benches/registry.py                 # once, to make the source store
    python3 benches/harvest.py                  # P = 2 and 10 pages of 1 000
    python3 benches/harvest.py --pages 2,10,100 # the whole 100k feed too (long)
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "danhmuc-bench"
DEFAULT_DANHMUC = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/danhmuc-target")) / "release/danhmuc"
REPORT = REPO / "bench-out/harvest.md"


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{result.stderr}")
    return result.stdout.strip()


def measured(argv: list[str]) -> tuple[float, int, int, str]:
    """Runs argv; returns wall seconds, its own peak RSS in bytes (wait4), exit code, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}\n{stderr}")
    return wall, usage.ru_maxrss * 1024, process.returncode, stdout


def wait_for(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def latency(port: int, path: str, requests: int) -> dict[str, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    times = []
    for i in range(5 + requests):
        start = time.perf_counter()
        conn.request("GET", path, headers={"Accept": "text/turtle"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or not body:
            raise SystemExit(f"{path}: {response.status}")
        if i >= 5:
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "bytes": len(body)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC)
    parser.add_argument("--source-store", type=Path, default=CACHE / "stores" / "registry-100000")
    parser.add_argument("--pages", default="2,10", help="comma-separated page caps (1 000 datasets a page)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per feed page")
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args()
    if not args.source_store.exists():
        raise SystemExit(f"no source store at {args.source_store}: run `python3 benches/registry.py` first")
    binary = CACHE / "danhmuc-harvest-under-test"
    shutil.copy2(args.danhmuc, binary)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log_file = CACHE / "logs" / "harvest-source.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    source = subprocess.Popen([str(binary), "serve", "--data", str(args.source_store), "--base-url", base,
                               "--bind", f"127.0.0.1:{port}"], stdout=log_file.open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    rows = []
    try:
        wait_for(port)
        # The anonymous feed lists public datasets only: page 1000, or the last page when there are fewer.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/catalog?page=1", headers={"Accept": "application/n-triples"})
        first = conn.getresponse().read().decode()
        last = max(int(m) for m in re.findall(r"hydra/core#last> <[^>]*[?&]page=(\d+)", first))
        pages = {}
        for page in (1, min(1000, last)):
            pages[page] = latency(port, f"/catalog?page={page}", args.requests)
            log(f"feed page {page}: p50 {pages[page]['p50']:.1f} ms, p95 {pages[page]['p95']:.1f} ms")
        for cap in [int(p) for p in args.pages.split(",")]:
            store = CACHE / "stores" / f"harvested-{cap}"
            shutil.rmtree(store, ignore_errors=True)
            common = ["--data", str(store), "--base-url", "https://harvester.example/"]
            run([str(binary), "org", "add", "mirror", *common, "--name-vi", "Bản sao", "--name-en", "Mirror"])
            run([str(binary), "harvest", "add", *common, "--org", "mirror", "--url",
                 f"{base}catalog?per_page=1000"])
            for label in ("harvest", "re-harvest"):
                wall, rss, code, out = measured([str(binary), "harvest", "run", *common, "--harvest-allow",
                                                 "127.0.0.1", "--harvest-max-pages", str(cap)])
                fields = dict(f.split("=", 1) for f in out.splitlines()[0].split("\t")[2].split())
                seen = int(fields["seen"])
                rows.append((label, cap, wall, rss, fields, seen))
                log(f"{label} {cap} pages: {seen} datasets in {wall:.1f} s ({seen / wall:.0f}/s), "
                    f"peak RSS {rss / 2**20:.0f} MB: {out.splitlines()[0]}")
    finally:
        os.killpg(source.pid, signal.SIGTERM)
        source.wait(timeout=60)
    lines = [
        "# Harvest benchmark", "",
        f"- {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
        f"{os.cpu_count()} CPUs, load average (1/5/15 min) at the end: "
        + " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- source: `danhmuc serve` on `{args.source_store}` (made by `benches/registry.py`); "
        f"command: `python3 benches/harvest.py --pages {args.pages}`", "",
        "| feed page (100 datasets, Turtle) | p50 | p95 | bytes |", "| --- | --- | --- | --- |",
        *[f"| `/catalog?page={p}` | {s['p50']:.1f} ms | {s['p95']:.1f} ms | {s['bytes']:,} |"
          for p, s in pages.items()], "",
        "| run | pages of 1 000 | datasets | wall | datasets/s | peak RSS | created / updated / unchanged / invalid |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[f"| {label} | {cap} | {seen:,} | {wall:.1f} s | {seen / wall:.0f} | {rss / 2**20:.0f} MB | "
          f"{f['created']} / {f['updated']} / {f['unchanged']} / {f['invalid']} |"
          for label, cap, wall, rss, f, seen in rows],
        "",
        "Peak RSS is the `danhmuc harvest run` process's own (`wait4`); each page cap runs on a fresh "
        "store. A capped pass is partial: it withdraws nothing.",
    ]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
