#!/usr/bin/env python3
"""Foundation benchmark: danhmuc against stock Oxigraph 0.5.13 on generated DCAT-AP data.

Two measurements, each against a peer built on the same Oxigraph release that danhmuc embeds:

* **Import** -- ``danhmuc import`` of an N-Triples file into a fresh store, against pyoxigraph's
  ``Store(path).bulk_load(path=FILE, format=RdfFormat.N_TRIPLES)`` on the same file, in the same
  run, into fresh directories, with the page cache warmed the same way before every run. Each tool
  runs as its own process; the figure is the wall time of that process (open the store, load,
  flush, exit). Runs alternate between the tools.
* **Queries** -- the largest store is served by ``danhmuc serve`` (``/sparql``) and the
  pyoxigraph-loaded store by the stock ``oxigraph serve`` (``/query``), both on 127.0.0.1. Four
  portal queries go through HTTP on keep-alive connections; after a warm-up, timed runs alternate
  between the servers, and both servers must give the same answers.

Peers (``oxigraph`` and ``pyoxigraph``, pinned) are installed by this script into a virtual
environment under ``~/.cache/danhmuc-bench/venv``; generated data is cached next to it. The
Markdown report goes to standard output and to ``bench-out/foundation.md``.

Usage::

    python3 benches/foundation.py                          # 10k and 100k datasets, import + queries
    python3 benches/foundation.py --sizes 10000 --skip-queries
    python3 benches/foundation.py --danhmuc target/release/danhmuc

Standard library only (Python 3.11), apart from the pip-installed peers it drives.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import http.client
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "danhmuc-bench"
VENV = CACHE / "venv"
DEFAULT_DANHMUC = Path.home() / ".cache" / "danhmuc-target" / "release" / "danhmuc"
DEFAULT_GENERATOR = REPO.parent / "shared" / "tools" / "gen_dcat.py"
REPORT = REPO / "bench-out" / "foundation.md"

OXIGRAPH_VERSION = "0.5.13"
PEER_PACKAGES = (f"oxigraph=={OXIGRAPH_VERSION}", f"pyoxigraph=={OXIGRAPH_VERSION}")
SEED = 42
HOST = "127.0.0.1"

# Targets from the issue.
IMPORT_TARGET = 0.9  # danhmuc throughput / pyoxigraph throughput, at the largest size
SCAN_TARGET = 1.1  # danhmuc median / stock median, scanning queries
CONSTRUCT_TARGET_MS = 1.0  # danhmuc median - stock median, point CONSTRUCT

SERVER_START_TIMEOUT_S = 180.0
REQUEST_TIMEOUT_S = 120.0

# Run by the venv's Python: open, bulk-load, flush, close; prints its own timings as JSON.
PYOXIGRAPH_LOADER = """\
import json, sys, time
from pyoxigraph import RdfFormat, Store
start = time.perf_counter()
store = Store(sys.argv[2])
opened = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=RdfFormat.N_TRIPLES)
store.flush()
loaded = time.perf_counter()
del store
print(json.dumps({"open_s": opened - start, "load_s": loaded - opened}))
"""

PREFIXES = """\
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
"""

# A word that occurs in generated English titles (about 3.9 % of datasets), and a valid dataset
# with three distributions that exists at every size from 10k up (same seed, same prefix of data).
TITLE_WORD = "hydrology"
SAMPLE_DATASET = "https://registry.example/dataset/004242"


# --------------------------------------------------------------------------------------------
# Small helpers


class CommandLog:
    """The exact commands the benchmark ran, in order, each once, for the report."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, argv: Sequence[str | os.PathLike[str]]) -> None:
        self._seen.setdefault(shlex.join(str(a) for a in argv), None)

    def lines(self) -> list[str]:
        return list(self._seen)


def log(message: str) -> None:
    """Progress on standard error, so standard output stays the report."""
    print(f"[foundation] {message}", file=sys.stderr, flush=True)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def warm_page_cache(path: Path) -> None:
    """Reads a file to the end, so every import starts with it in the page cache."""
    with path.open("rb") as f:
        while f.read(8 << 20):
            pass


def snapshot_binary(binary: Path) -> Path:
    """Copies the binary under test into the cache, so that a rebuild during the run cannot swap it."""
    copy = CACHE / "danhmuc-under-test"
    shutil.copy2(binary, copy)
    return copy


def fresh_dir(path: Path) -> Path:
    """Removes `path` and whatever was in it, and flushes dirty pages so runs start even."""
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.sync()
    return path


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def human_count(n: int) -> str:
    return f"{n / 1e6:.2f} M" if n >= 1_000_000 else f"{n / 1e3:.0f} k"


# --------------------------------------------------------------------------------------------
# Set-up: peers and data


def ensure_peers(commands: CommandLog) -> tuple[Path, Path]:
    """Creates the venv and installs the pinned peers if needed. Returns (python, oxigraph CLI)."""
    python = VENV / "bin" / "python"
    cli = VENV / "bin" / "oxigraph"
    check = [str(python), "-c", "import pyoxigraph; print(pyoxigraph.__version__)"]
    if python.exists() and cli.exists():
        probe = subprocess.run(check, capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == OXIGRAPH_VERSION:
            commands.add(["python3", "-m", "venv", VENV])
            commands.add([VENV / "bin" / "pip", "install", *PEER_PACKAGES])
            return python, cli
    log(f"installing {' '.join(PEER_PACKAGES)} into {VENV}")
    for argv in (
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES],
    ):
        commands.add(argv)
        subprocess.run(argv, check=True)
    subprocess.run(check, check=True, capture_output=True)
    return python, cli


def ensure_data(generator: Path, datasets: int, commands: CommandLog) -> tuple[Path, dict]:
    """The N-Triples file and manifest for `datasets` datasets, generated once and cached."""
    nt = CACHE / f"dcat-{datasets}-seed{SEED}.nt"
    manifest = CACHE / f"dcat-{datasets}-seed{SEED}.json"
    argv = [
        "python3", generator, "--datasets", str(datasets), "--seed", str(SEED),
        "--out", nt, "--manifest", manifest,
    ]
    commands.add(argv)
    if not (nt.exists() and manifest.exists()):
        log(f"generating {datasets} datasets into {nt}")
        # The generator picks the syntax from the extension, so the extension stays last.
        partial_nt = nt.with_suffix(".partial.nt")
        partial_manifest = manifest.with_suffix(".partial.json")
        subprocess.run(
            [sys.executable, str(generator), "--datasets", str(datasets), "--seed", str(SEED),
             "--out", str(partial_nt), "--manifest", str(partial_manifest)],
            check=True, stderr=subprocess.DEVNULL,
        )
        # Rename only complete files, so an interrupted run never leaves a truncated cache.
        partial_nt.replace(nt)
        partial_manifest.replace(manifest)
    return nt, json.loads(manifest.read_text())


# --------------------------------------------------------------------------------------------
# Import


@dataclasses.dataclass
class ImportRun:
    """One import: wall time of the whole process, and the time the tool reports itself."""

    wall_s: float
    inner_s: float
    store_bytes: int


@dataclasses.dataclass
class ImportResult:
    """Every run of every tool at one size."""

    datasets: int
    triples: int
    file_bytes: int
    runs: dict[str, list[ImportRun]]

    def best(self, tool: str) -> float:
        return min(r.wall_s for r in self.runs[tool])

    def median(self, tool: str) -> float:
        return statistics.median(r.wall_s for r in self.runs[tool])


DANHMUC_IMPORT_LINE = re.compile(r"imported \d+ files?, (\d+) triples in ([\d.]+) s")


@dataclasses.dataclass
class Outcome:
    """What an importer says about itself: its own seconds (NaN if none) and triples (if it says)."""

    inner_s: float
    triples: int | None = None


def import_danhmuc(danhmuc: Path, nt: Path, store: Path, commands: CommandLog) -> Outcome:
    """Runs `danhmuc import`, which reports its own time and triple count."""
    argv = [str(danhmuc), "import", "--data", str(store), str(nt)]
    commands.add(argv)
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    match = DANHMUC_IMPORT_LINE.search(done.stdout)
    if not match:
        raise RuntimeError(f"unexpected danhmuc import output: {done.stdout!r} {done.stderr!r}")
    return Outcome(float(match.group(2)), int(match.group(1)))


def import_pyoxigraph(python: Path, nt: Path, store: Path, commands: CommandLog) -> Outcome:
    """Runs pyoxigraph's bulk loader in a fresh interpreter, timed around bulk_load + flush."""
    argv = [str(python), "-c", PYOXIGRAPH_LOADER, str(nt), str(store)]
    commands.add(argv)
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    return Outcome(json.loads(done.stdout)["load_s"])


def import_oxigraph_cli(cli: Path, nt: Path, store: Path, commands: CommandLog) -> Outcome:
    """Runs the stock `oxigraph load`, which reports no figure of its own."""
    argv = [str(cli), "load", "--location", str(store), "--file", str(nt)]
    commands.add(argv)
    subprocess.run(argv, check=True, capture_output=True)
    return Outcome(math.nan)


def store_dir(tool: str, datasets: int) -> Path:
    return CACHE / "stores" / f"{tool}-{datasets}"


def bench_import(
    datasets: int,
    nt: Path,
    manifest: dict,
    runs: int,
    tools: dict[str, Callable[[Path, Path], Outcome]],
    commands: CommandLog,
) -> ImportResult:
    """Imports `nt` `runs` times with each tool, alternating the order; keeps the last stores."""
    result = ImportResult(datasets, manifest["triples"], nt.stat().st_size, {t: [] for t in tools})
    order = list(tools)
    for i in range(runs):
        for tool in order if i % 2 == 0 else reversed(order):
            store = fresh_dir(store_dir(tool, datasets))
            warm_page_cache(nt)
            start = time.perf_counter()
            outcome = tools[tool](nt, store)
            wall = time.perf_counter() - start
            if outcome.triples is not None and outcome.triples != result.triples:
                raise RuntimeError(f"{tool} imported {outcome.triples} triples, expected {result.triples}")
            run = ImportRun(wall, outcome.inner_s, dir_size(store))
            result.runs[tool].append(run)
            log(f"import {datasets}: {tool} run {i + 1}/{runs}: {wall:.2f} s wall "
                f"({result.triples / wall:,.0f} triples/s), store {run.store_bytes / 1e6:.0f} MB")
    return result


# --------------------------------------------------------------------------------------------
# Servers and HTTP


class SparqlClient:
    """One keep-alive HTTP connection to a SPARQL endpoint on 127.0.0.1."""

    def __init__(self, port: int, path: str) -> None:
        self.port = port
        self.path = path
        self._conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)

    def get(self, query: str, accept: str) -> tuple[float, int, bytes]:
        """GETs a query; returns (seconds until the whole body was read, status, body)."""
        target = f"{self.path}?{urllib.parse.urlencode({'query': query})}"
        for attempt in (1, 2):  # one reconnect if the server closed an idle connection
            try:
                start = time.perf_counter()
                self._conn.request("GET", target, headers={"Accept": accept})
                response = self._conn.getresponse()
                body = response.read()
                return time.perf_counter() - start, response.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._conn.close()


@dataclasses.dataclass
class Server:
    """A SPARQL server this script started, and a client for it."""

    name: str
    process: subprocess.Popen
    client: SparqlClient


@contextlib.contextmanager
def running_server(name: str, argv: list[str], port: int, path: str, log_file: Path) -> Iterator[Server]:
    """Starts a server, waits until it answers `ASK {}`, and always stops it afterwards."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        client = SparqlClient(port, path)
        try:
            wait_until_ready(name, process, client, log_file)
            yield Server(name, process, client)
        finally:
            client.close()
            stop_process(process)


def wait_until_ready(name: str, process: subprocess.Popen, client: SparqlClient, log_file: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log_file}")
        try:
            _, status, _ = client.get("ASK {}", "application/sparql-results+json")
            if status == 200:
                return
        except OSError:
            client.close()
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer within {SERVER_START_TIMEOUT_S:.0f} s; see {log_file}")


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 15 s, of this one process."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# --------------------------------------------------------------------------------------------
# Queries


@dataclasses.dataclass(frozen=True)
class PortalQuery:
    """A query a portal page would send, and how to compare two servers' answers."""

    key: str
    title: str
    text: str
    construct: bool = False
    # Name of a variable whose values, in order, must agree (ORDER BY ... LIMIT with possible
    # ties); None compares the answers as multisets of rows / triples.
    ordered_by: str | None = None

    @property
    def accept(self) -> str:
        return "application/n-triples" if self.construct else "application/sparql-results+json"


QUERIES = (
    PortalQuery(
        "publishers", "datasets per publisher",
        PREFIXES + "SELECT ?p (COUNT(?d) AS ?n) WHERE { ?d a dcat:Dataset ; dct:publisher ?p } GROUP BY ?p",
    ),
    PortalQuery(
        "newest", "newest 50 by dct:modified",
        PREFIXES + "SELECT ?d ?t ?m WHERE {\n  ?d a dcat:Dataset ; dct:modified ?m ; dct:title ?t .\n"
        '  FILTER(LANG(?t) = "en")\n} ORDER BY DESC(?m) LIMIT 50',
        ordered_by="m",
    ),
    PortalQuery(
        "title-word", f'title contains "{TITLE_WORD}"',
        PREFIXES + "SELECT ?d ?t WHERE {\n  ?d a dcat:Dataset ; dct:title ?t .\n"
        f'  FILTER(CONTAINS(LCASE(STR(?t)), "{TITLE_WORD}"))\n}}',
    ),
    PortalQuery(
        "construct", "CONSTRUCT one dataset + distributions",
        PREFIXES + f"CONSTRUCT {{ <{SAMPLE_DATASET}> ?p ?o . ?x ?q ?y }}\n"
        f"WHERE {{ <{SAMPLE_DATASET}> ?p ?o OPTIONAL {{ <{SAMPLE_DATASET}> dcat:distribution ?x . ?x ?q ?y }} }}",
        construct=True,
    ),
)


BLANK_NODE_LABEL = re.compile(r"_:[A-Za-z0-9_.-]+")


def answer_signature(query: PortalQuery, body: bytes) -> tuple[int, object]:
    """(number of results, something equal for equal answers) of a response body.

    Each bulk load gives blank nodes fresh random labels, so labels are blanked out before comparing.
    """
    if query.construct:
        lines = sorted(
            BLANK_NODE_LABEL.sub("_:", line)
            for line in body.decode().splitlines()
            if line.strip() and not line.startswith("#")
        )
        return len(lines), lines
    bindings = json.loads(body)["results"]["bindings"]
    for binding in bindings:
        for term in binding.values():
            if term.get("type") == "bnode":
                term["value"] = ""
    if query.ordered_by:
        return len(bindings), [b.get(query.ordered_by, {}).get("value") for b in bindings]
    rows = sorted(json.dumps(b, sort_keys=True) for b in bindings)
    return len(rows), rows


@dataclasses.dataclass
class QueryResult:
    """Timings (ms) per server for one query, and whether the answers agreed."""

    query: PortalQuery
    results: int
    same_answers: bool
    samples_ms: dict[str, list[float]]

    def median(self, server: str) -> float:
        return statistics.median(self.samples_ms[server])

    def p95(self, server: str) -> float:
        return percentile(self.samples_ms[server], 0.95)


def timed_request(server: Server, query: PortalQuery) -> tuple[float, bytes]:
    seconds, status, body = server.client.get(query.text, query.accept)
    if status != 200:
        raise RuntimeError(f"{server.name} answered {status} to {query.key}: {body[:500]!r}")
    return seconds * 1000.0, body


def bench_query(servers: Sequence[Server], query: PortalQuery, warmup: int, runs: int) -> QueryResult:
    """Warm-up, answer check, then `runs` timed requests per server in alternating order."""
    signatures = {}
    for server in servers:
        for _ in range(warmup):
            _, body = timed_request(server, query)
        signatures[server.name] = answer_signature(query, body)
    counts = {name: sig[0] for name, sig in signatures.items()}
    same = len({json.dumps(sig[1]) for sig in signatures.values()}) == 1
    if len(set(counts.values())) != 1:
        log(f"WARNING {query.key}: result counts differ: {counts}")
    elif not same:
        log(f"WARNING {query.key}: same count, different answers")
    samples: dict[str, list[float]] = {s.name: [] for s in servers}
    for i in range(runs):
        for server in servers if i % 2 == 0 else list(reversed(servers)):
            ms, _ = timed_request(server, query)
            samples[server.name].append(ms)
    result = QueryResult(query, next(iter(counts.values())), same, samples)
    log(f"query {query.key}: " + ", ".join(
        f"{n} median {result.median(n):.2f} ms p95 {result.p95(n):.2f} ms" for n in samples))
    return result


def bench_queries(
    danhmuc: Path, cli: Path, datasets: int, args: argparse.Namespace, commands: CommandLog
) -> list[QueryResult]:
    """Serves both stores of size `datasets` and runs every portal query against both."""
    for tool in ("danhmuc", "pyoxigraph"):
        if not store_dir(tool, datasets).is_dir():
            raise RuntimeError(f"no {tool} store for {datasets} datasets: run without --skip-import first")
    ours, theirs = free_port(), free_port()
    danhmuc_argv = [str(danhmuc), "serve", "--data", str(store_dir("danhmuc", datasets)),
                    "--bind", f"{HOST}:{ours}"]
    stock_argv = [str(cli), "serve", "--location", str(store_dir("pyoxigraph", datasets)),
                  "--bind", f"{HOST}:{theirs}"]
    commands.add(danhmuc_argv)
    commands.add(stock_argv)
    logs = CACHE / "logs"
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(running_server("danhmuc", danhmuc_argv, ours, "/sparql", logs / "danhmuc-serve.log")),
            stack.enter_context(running_server("oxigraph", stock_argv, theirs, "/query", logs / "oxigraph-serve.log")),
        ]
        log(f"servers up: danhmuc on {ours}, oxigraph on {theirs}")
        results = []
        for query in QUERIES:
            runs = args.construct_runs if query.construct else args.query_runs
            results.append(bench_query(servers, query, args.warmup, runs))
        return results


# --------------------------------------------------------------------------------------------
# Report


def verdict(ok: bool) -> str:
    return "✅ met" if ok else "❌ missed"


def import_table(results: Sequence[ImportResult], largest: int) -> list[str]:
    tools = list(results[0].runs)
    lines = [
        "| datasets | triples | tool | runs: wall s | best s | median s | triples/s (best) "
        "| reported s (best run) | store MB | danhmuc / pyoxigraph throughput | target |",
        "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        for tool in tools:
            runs = r.runs[tool]
            best = min(runs, key=lambda run: run.wall_s)
            inner = "—" if math.isnan(best.inner_s) else f"{best.inner_s:.2f}"
            ratio = target = ""
            if tool == "danhmuc":
                value = r.best("pyoxigraph") / r.best("danhmuc")
                ratio = f"**{value:.3f}** (median {r.median('pyoxigraph') / r.median('danhmuc'):.3f})"
                target = f"≥ {IMPORT_TARGET} {verdict(value >= IMPORT_TARGET)}" if r.datasets == largest else "—"
            lines.append(
                f"| {r.datasets:,} | {human_count(r.triples)} | {tool} | "
                f"{', '.join(f'{run.wall_s:.2f}' for run in runs)} | {r.best(tool):.2f} | {r.median(tool):.2f} | "
                f"{r.triples / r.best(tool):,.0f} | {inner} | {best.store_bytes / 1e6:.0f} | {ratio} | {target} |"
            )
    return lines


def query_table(results: Sequence[QueryResult]) -> list[str]:
    lines = [
        "| query | results | same answers | runs | danhmuc median / p95 ms | oxigraph median / p95 ms "
        "| danhmuc / stock (median) | target |",
        "|---|---:|:---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ours, stock = r.median("danhmuc"), r.median("oxigraph")
        if r.query.construct:
            delta = ours - stock
            measure = f"{ours / stock:.2f}× ({delta:+.2f} ms)"
            target = f"≤ +{CONSTRUCT_TARGET_MS:g} ms {verdict(delta <= CONSTRUCT_TARGET_MS)}"
        else:
            measure = f"**{ours / stock:.2f}×**"
            target = f"≤ {SCAN_TARGET}× {verdict(ours / stock <= SCAN_TARGET)}"
        lines.append(
            f"| {r.query.title} | {r.results:,} | {'yes' if r.same_answers else '**no**'} | "
            f"{len(r.samples_ms['danhmuc'])} | {ours:.2f} / {r.p95('danhmuc'):.2f} | "
            f"{stock:.2f} / {r.p95('oxigraph'):.2f} | {measure} | {target} |"
        )
    return lines


def environment(danhmuc: Path, original: Path) -> list[str]:
    def output(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            return "?"

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0)
    built = datetime.datetime.fromtimestamp(danhmuc.stat().st_mtime).isoformat(timespec="seconds")
    revision = output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]) or "no commit yet"
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores, {memory_kb / 2**20:.0f} GiB, Linux {platform.release()}",
        f"- danhmuc: `{original}` ({output([str(danhmuc), '--version'])}, built {built}, repo {revision}), "
        f"run from a copy at `{danhmuc}`",
        f"- peers: pyoxigraph {OXIGRAPH_VERSION} and the `oxigraph` {OXIGRAPH_VERSION} server "
        f"from PyPI, Python {platform.python_version()}",
        f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}; load average now "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min): other work on the machine skews figures",
    ]


def render_report(
    danhmuc: Path,
    original: Path,
    imports: Sequence[ImportResult],
    queries: Sequence[QueryResult] | None,
    query_size: int | None,
    commands: CommandLog,
) -> str:
    largest = max(r.datasets for r in imports) if imports else 0
    out = ["# Foundation benchmark: danhmuc vs stock Oxigraph", "", *environment(danhmuc, original), ""]
    if imports:
        out += [
            "## Import (N-Triples, fresh store, page cache warm)", "",
            "Wall time of the whole process (open store, bulk load, flush, exit); runs alternate between "
            "tools. Throughput ratio = pyoxigraph best time / danhmuc best time; “reported s” is the "
            "tool's own load+flush time (danhmuc's summary line; pyoxigraph timed around `bulk_load` + `flush`).",
            "", *import_table(imports, largest), "",
        ]
    if queries:
        out += [
            f"## Portal queries over HTTP ({query_size:,} datasets)", "",
            "Keep-alive `http.client`, GET, time until the whole body is read; warm-up first, then timed "
            "runs alternating between the servers. danhmuc `/sparql` (anonymous: the public view, which is "
            "the default graph) vs stock `oxigraph serve` `/query` on the pyoxigraph-loaded store.",
            "", *query_table(queries), "",
            "<details><summary>Query texts</summary>", "",
        ]
        for q in QUERIES:
            out += [f"**{q.title}** (`Accept: {q.accept}`)", "", "```sparql", q.text, "```", ""]
        out += ["</details>", ""]
    out += ["## Commands", "", "```sh", "python3 " + shlex.join(sys.argv), *commands.lines(), "```", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated dataset counts; queries run on the largest")
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC, help="the danhmuc binary")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="gen_dcat.py")
    parser.add_argument("--skip-import", action="store_true",
                        help="reuse the stores a previous run left in the cache")
    parser.add_argument("--skip-queries", action="store_true", help="only measure the import")
    parser.add_argument("--import-runs", type=int, default=None,
                        help="imports per tool and size [default: 3 up to 20k datasets, else 2]")
    parser.add_argument("--with-oxigraph-load", action="store_true",
                        help="also time the stock `oxigraph load` CLI as a third importer")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per query and server")
    parser.add_argument("--query-runs", type=int, default=20, help="timed runs of each scanning query")
    parser.add_argument("--construct-runs", type=int, default=200, help="timed runs of the CONSTRUCT")
    parser.add_argument("--out", type=Path, default=REPORT, help="where the Markdown report goes")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    if not args.sizes or min(args.sizes) <= 0:
        parser.error("--sizes needs at least one positive dataset count")
    if min(args.warmup, args.query_runs, args.construct_runs) < 1 or (args.import_runs or 1) < 1:
        parser.error("run counts must be at least 1")
    if not args.danhmuc.is_file():
        parser.error(f"no danhmuc binary at {args.danhmuc} (build it with cargo build --release)")
    return args


def write_report(args: argparse.Namespace, report: str) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)


def exit_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM / SIGHUP unwind like an exception, so `finally` blocks stop the servers."""
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, exit_on_signal)
    commands = CommandLog()
    CACHE.mkdir(parents=True, exist_ok=True)
    python, cli = ensure_peers(commands)
    original = args.danhmuc.resolve()
    danhmuc = snapshot_binary(original)
    importers = {
        "danhmuc": lambda nt, store: import_danhmuc(danhmuc, nt, store, commands),
        "pyoxigraph": lambda nt, store: import_pyoxigraph(python, nt, store, commands),
    }
    if args.with_oxigraph_load:
        importers["oxigraph load"] = lambda nt, store: import_oxigraph_cli(cli, nt, store, commands)

    imports = []
    for datasets in args.sizes:
        nt, manifest = ensure_data(args.generator, datasets, commands)
        if not args.skip_import:
            runs = args.import_runs or (3 if datasets <= 20_000 else 2)
            imports.append(bench_import(datasets, nt, manifest, runs, importers, commands))
    query_size = args.sizes[-1]
    # Written now too, so that the import figures survive if the query phase is interrupted.
    write_report(args, render_report(danhmuc, original, imports, None, query_size, commands))

    queries = None
    if not args.skip_queries:
        queries = bench_queries(danhmuc, cli, query_size, args, commands)

    report = render_report(danhmuc, original, imports, queries, query_size, commands)
    write_report(args, report)
    print(report)
    log(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
