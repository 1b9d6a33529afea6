#!/usr/bin/env python3
"""Data-standards benchmark on the Vietnamese administrative units (63 provinces, 696 districts,
10 047 wards: 10 806 concepts), against the release binary on 127.0.0.1.

1. Converts ``../shared/conformance/vocabularies/vn-admin-units/dvhcvn.json`` to the documented CSV
   (notation, prefLabel@vi, altLabel@vi = the name without its type word, broader) in memory.
2. Makes a fresh store with an organisation, a publisher and a steward token (``danhmuc org add``,
   ``danhmuc token create``), serves it, and times ``POST /api/records`` with ``text/csv`` (parse,
   SHACL profile, qSKOS checks, one store transaction) — **import seconds**; the steward publishes it.
3. **Autocomplete latency**: ``GET /def/dvhc/search?q=…&limit=10`` with queries made from ward names
   (a word prefix of 3–12 letters, diacritics removed half of the time), keep-alive, one client; the
   first request (which builds the index) is timed apart. Reports p50/p95/p99/max. Target p95 < 10 ms.
4. **Diff of two versions of a 10k-concept scheme**: submits a second version (2 % of the wards removed,
   2 % added, 5 % relabelled, 1 % moved to another district, 1 % deprecated), then times
   ``GET /def/dvhc/diff?from=1&to=2`` cold (both versions read from the store) and warm. Target < 1 s.
   The counts in the answer are checked against what was changed.

Standard library only. Report in Markdown on standard output and in ``bench-out/standards.md``.

Usage::

    python3 benches/standards.py                  # ~1 min
    python3 benches/standards.py --danhmuc PATH --queries 5000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_DANHMUC = Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/danhmuc-target")) / "release/danhmuc"
DATA = REPO.parent / "shared/conformance/vocabularies/vn-admin-units/dvhcvn.json"
REPORT = REPO / "bench-out/standards.md"
BASE = "http://bench.test/"
PREFIXES = ["Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Thị trấn "]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{result.stderr}")
    return result.stdout.strip()


def short(name: str) -> str:
    for p in PREFIXES:
        if name.startswith(p) and name[len(p):][:1].isalpha():
            return name[len(p):]
    return ""


def cell(s: str) -> str:
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n') else s


def rows_of(data: dict) -> list[list[str]]:
    rows = []
    for p in data["data"]:
        rows.append([p["level1_id"], p["name"], short(p["name"]), ""])
        for d in p["level2s"]:
            rows.append([d["level2_id"], d["name"], short(d["name"]), p["level1_id"]])
            for w in d["level3s"]:
                rows.append([w["level3_id"], w["name"], short(w["name"]), d["level2_id"]])
    return rows


def to_csv(rows: list[list[str]], extra: bool = False) -> str:
    header = "notation,prefLabel@vi,altLabel@vi,broader" + (",deprecated" if extra else "")
    return header + "\n" + "".join(",".join(cell(c) for c in r) + "\n" for r in rows)


def fold(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not args.danhmuc.exists():
        raise SystemExit(f"no binary at {args.danhmuc}: cargo build --release, or --danhmuc PATH")
    if not DATA.exists():
        raise SystemExit(f"missing {DATA}")
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="danhmuc-bench-standards-"))
    binary = workdir / "danhmuc"
    shutil.copy2(args.danhmuc, binary)
    store = workdir / "store"
    server = None
    try:
        common = ["--data", str(store), "--base-url", BASE]
        run([str(binary), "org", "add", *common, "gso", "--name-vi", "Tổng cục Thống kê", "--name-en", "GSO", "--type", "standards-body"])
        publisher = run([str(binary), "token", "create", *common, "--org", "gso", "--role", "publisher"])
        steward = run([str(binary), "token", "create", *common, "--role", "steward"])
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([str(binary), "serve", *common, "--bind", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=open(workdir / "server.log", "w"))
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

        def request(method: str, path: str, body: bytes | None = None, headers: dict | None = None):
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read()

        data = json.loads(DATA.read_text(encoding="utf-8"))
        rows = rows_of(data)
        assert len(rows) == 10_806, len(rows)
        scheme = BASE + "def/dvhc"
        q = urllib.parse.urlencode({"scheme": scheme, "title_vi": "Danh mục đơn vị hành chính", "version": "2025-03-01"})
        auth = {"Authorization": f"Bearer {publisher}", "Content-Type": "text/csv"}
        log("importing 10 806 concepts")
        t0 = time.perf_counter()
        status, body = request("POST", f"/api/records?{q}", to_csv(rows).encode(), auth)
        import_s = time.perf_counter() - t0
        if status != 201:
            raise SystemExit(f"import: {status} {body[:500]!r}")
        status, body = request("POST", "/api/records/dvhc/status", json.dumps({"status": "stable"}).encode(),
                               {"Authorization": f"Bearer {steward}", "Content-Type": "application/json"})
        assert status == 204, (status, body)

        # Autocomplete.
        wards = [r[1] for r in rows if len(r[0]) == 5]
        queries = []
        for _ in range(args.queries):
            name = short(rng.choice(wards)) or rng.choice(wards)
            words = name.split()
            text = " ".join(words[: rng.randint(1, len(words))])
            text = text[: rng.randint(3, 12)]
            queries.append(fold(text).lower() if rng.random() < 0.5 else text)
        t0 = time.perf_counter()
        status, _ = request("GET", "/def/dvhc/search?limit=10&q=" + urllib.parse.quote("ha noi"))
        first_ms = (time.perf_counter() - t0) * 1000
        assert status == 200
        latencies = []
        empty = 0
        for text in queries:
            t0 = time.perf_counter()
            status, body = request("GET", "/def/dvhc/search?limit=10&q=" + urllib.parse.quote(text))
            latencies.append((time.perf_counter() - t0) * 1000)
            assert status == 200, (status, body)
            empty += not json.loads(body)["results"]
        log(f"{len(queries)} autocomplete queries, {empty} without hits")

        # A second version.
        version2 = [list(r) + [""] for r in rows]
        leaves = [i for i, r in enumerate(version2) if len(r[0]) == 5]
        rng.shuffle(leaves)
        n = len(leaves)
        removed = set(leaves[: n * 2 // 100])
        relabelled = leaves[n * 2 // 100: n * 7 // 100]
        moved = leaves[n * 7 // 100: n * 8 // 100]
        deprecated = leaves[n * 8 // 100: n * 9 // 100]
        districts = [r[0] for r in rows if len(r[0]) == 3]
        for i in relabelled:
            version2[i][1] += " (mới)"
        for i in moved:
            version2[i][3] = rng.choice([d for d in districts if d != version2[i][3]])
        for i in deprecated:
            version2[i][4] = "true"
        added = [[f"9{k:05d}", f"Phường Mới {k}", f"Mới {k}", rng.choice(districts), ""] for k in range(n * 2 // 100)]
        version2 = [r for i, r in enumerate(version2) if i not in removed] + added
        q2 = urllib.parse.urlencode({"scheme": scheme, "version": "2025-07-01"})
        t0 = time.perf_counter()
        status, body = request("POST", f"/api/records?{q2}", to_csv(version2, extra=True).encode(), auth)
        import2_s = time.perf_counter() - t0
        assert status == 200, (status, body[:500])
        t0 = time.perf_counter()
        status, body = request("GET", "/def/dvhc/diff?from=1&to=2", None, {"Accept": "application/json"})
        diff_cold = time.perf_counter() - t0
        assert status == 200, (status, body[:300])
        counts = json.loads(body)["counts"]
        expected = {"added": len(added), "removed": len(removed), "relabelled": len(relabelled),
                    "moved": len(moved), "deprecated": len(deprecated)}
        assert counts == expected, (counts, expected)
        warm = []
        for _ in range(10):
            t0 = time.perf_counter()
            status, body = request("GET", "/def/dvhc/diff?from=1&to=2", None, {"Accept": "application/json"})
            warm.append(time.perf_counter() - t0)
        report = [
            "# Data-standards benchmark",
            "",
            f"- {time.strftime('%Y-%m-%d %H:%M')}, {platform.platform()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
            f"- binary: `{args.danhmuc}`; data: `{DATA.relative_to(REPO.parent)}` (10 806 concepts)",
            "",
            "| measurement | result | target |",
            "| --- | --- | --- |",
            f"| CSV import of 10 806 concepts (`POST /api/records`, text/csv, validation and qSKOS included) | {import_s:.2f} s | seconds |",
            f"| import of a second version (same size) | {import2_s:.2f} s | |",
            f"| autocomplete, first request (builds the index) | {first_ms:.1f} ms | |",
            f"| autocomplete p50 / p95 / p99 / max over {len(latencies)} queries | {percentile(latencies, 50):.2f} / {percentile(latencies, 95):.2f} / {percentile(latencies, 99):.2f} / {max(latencies):.2f} ms | p95 < 10 ms |",
            f"| diff of two 10k-concept versions, cold (both read from the store) | {diff_cold * 1000:.0f} ms | < 1 s |",
            f"| diff, warm (median of 10) | {statistics.median(warm) * 1000:.1f} ms | |",
            "",
            f"Diff counts: {counts}.",
        ]
        text = "\n".join(report) + "\n"
        print(text)
        REPORT.parent.mkdir(exist_ok=True)
        REPORT.write_text(text, encoding="utf-8")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
