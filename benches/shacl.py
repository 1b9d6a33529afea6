#!/usr/bin/env python3
"""SHACL benchmark: `danhmuc validate` against pySHACL and pyrudof on generated DCAT-AP data.

Every engine validates the same generated N-Triples file (``gen_dcat.py --seed 42``, 10 000 and
100 000 datasets) against the same shapes, each in its own process, timed from the outside
(wall time, and peak RSS from ``wait4``):

* ``dcat-ap-3.0.1``: the official DCAT-AP 3.0.1 ``html-shacl/shapes.ttl`` + ``range.ttl``, as published.
* ``dcat-ap-3.0.1 fixed``: the same, with the five ``sh:shape`` (not a SHACL term; engines ignore it)
  replaced by the ``sh:node`` that is meant. Written to a temporary directory at run time. Only this
  copy checks the datatype of ``dct:issued``/``dct:modified``, so only it finds the generator's
  ``bad_issued`` defects.
* ``dcat-ap-vn``: danhmuc's bundled national profile (``--profile dcat-ap-vn``; the peers get
  ``shapes/dcat-ap-vn.ttl``, the file the profile is built from).

Peers (pinned, installed by this script into ``~/.cache/danhmuc-bench/venv``):

* pySHACL: ``pyshacl.validate(graph, shacl_graph=…, inference='none', advanced=True, inplace=True)``
  on an rdflib ``Graph``. ``inplace`` only skips the defensive copy of the data graph that
  ``advanced=True`` makes otherwise (the shapes have no rules, so nothing is written to it).
* pyrudof: ``Rudof.read_data`` (N-Triples), ``read_shacl``, ``validate_shacl()`` (native engine).
  ``read_shacl`` replaces the shapes graph, so peers read one N-Triples file that merges the shapes
  files (made once with rdflib).

A peer's figure is its own time from starting to parse the data to the end of validation (Python
start-up, imports and our result extraction excluded, which favours the peers); its process is killed
after ``--peer-timeout`` seconds (300) and reported as "did not finish in 300 s". A peer that did not
finish at one size is not run at the larger ones. danhmuc's figure is the wall time of the whole
``danhmuc validate --format text`` process (parse, validate, write the report, exit), the median of
``--repeat`` runs. A separate ``--format turtle`` run gives danhmuc's results for the comparison.

Correctness: every engine's results are reduced to (severity, constraint component, result path,
focus node) and compared as multisets; for the fixed official shapes and for dcat-ap-vn, the datasets
with ``sh:Violation`` results (a distribution counts for its dataset; the official ``range.ttl``
``sh:class`` results, which fire on every vocabulary IRI because the data graph does not contain the
EU authority tables, are left out) must be exactly the generator's ``--manifest`` defects.

Per-submission latency comes from ``examples/shacl_latency.rs`` (``cargo build --release --examples``).

Usage::

    python3 benches/shacl.py                        # 10k and 100k; peers capped at 300 s a run
    python3 benches/shacl.py --sizes 10000 --skip-peers
    python3 benches/shacl.py --danhmuc target/release/danhmuc --repeat 5

Standard library only (Python 3.11), apart from the pip-installed peers it drives. The report goes to
standard output and ``bench-out/shacl.md``; progress goes to standard error.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import json
import operator
import os
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CACHE = Path.home() / ".cache" / "danhmuc-bench"
VENV = CACHE / "venv"
DEFAULT_DANHMUC = Path.home() / ".cache" / "danhmuc-target" / "release" / "danhmuc"
DEFAULT_GENERATOR = SHARED / "tools" / "gen_dcat.py"
DEFAULT_OFFICIAL = SHARED / "conformance" / "dcat-ap" / "3.0.1" / "html-shacl"
DEFAULT_LATENCY = Path.home() / ".cache" / "danhmuc-target" / "release" / "examples" / "shacl_latency"
VN_SHAPES = REPO / "shapes" / "dcat-ap-vn.ttl"
REPORT = REPO / "bench-out" / "shacl.md"

SEED = 42
PYSHACL_VERSION = "0.40.1"
PYRUDOF_VERSION = "0.3.35"
PEER_PACKAGES = (f"pyshacl=={PYSHACL_VERSION}", f"pyrudof=={PYRUDOF_VERSION}")
PEERS = ("pyshacl", "pyrudof")

# Targets from the issue.
SPEEDUP_TARGET = 10.0  # fastest peer time / danhmuc time, at 10k datasets
RSS_10K_TARGET = 0.5e9  # bytes
WALL_100K_TARGET = 30.0  # seconds
RSS_100K_TARGET = 2e9  # bytes
LATENCY_P95_TARGET_MS = 5.0

# Bounds on everything this script starts.
GENERATOR_TIMEOUT_S = 1800
PIP_TIMEOUT_S = 900
DANHMUC_TIMEOUT_S = 600
MERGE_TIMEOUT_S = 120
LATENCY_TIMEOUT_S = 600
PEER_MAX_RSS = 16 << 30  # a peer growing past this is killed, like a timeout

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SHAPE_TYPO = re.compile(r"\bsh:shape\b")
DATASET_OF = re.compile(r"^(https://registry\.example/dataset/\d+)(?:/|$)")
COMPLEX_PATH = "(complex path)"

# A result, engine-independent: (severity, component, path, focus node); IRIs bare, severity and
# component by local name, every blank node as "_:" (labels are not comparable across engines).
Key = tuple[str, str, str, str]


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
    print(f"[shacl] {message}", file=sys.stderr, flush=True)


def warm_page_cache(path: Path) -> None:
    """Reads a file to the end, so every engine starts with it in the page cache."""
    with path.open("rb") as f:
        while f.read(8 << 20):
            pass


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}" if seconds < 100 else f"{seconds:.0f}"


def fmt_bytes(n: float) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


# --------------------------------------------------------------------------------------------
# Running a process: wall time, peak RSS, time and memory caps


@dataclasses.dataclass
class Run:
    """One finished (or killed) process."""

    argv: list[str]
    wall_s: float
    max_rss: int  # bytes, from wait4 (the process itself, not the script)
    returncode: int | None  # None when killed by the caps
    killed: str = ""  # why it was killed, if it was
    stdout: Path | None = None
    stderr: str = ""

    @property
    def finished(self) -> bool:
        return self.returncode is not None


def vm_rss(pid: int) -> int:
    """Current resident set of `pid` in bytes (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_measured(argv: Sequence[str | os.PathLike[str]], stdout: Path, timeout_s: float,
                 max_rss: int | None = None) -> Run:
    """Runs `argv` with standard output to `stdout`, through the small `_measure` harness.

    Linux keeps the parent's peak RSS as a floor of a child's ru_maxrss across fork + exec (and
    vfork), and this script grows to hundreds of MB while it reads reports: measuring from here would
    charge that to the child. So a fresh, small Python process (`shacl.py _measure`) spawns the
    command, enforces the caps (time, and RSS polled from /proc) and reports the command's wall time
    and `wait4` ru_maxrss as JSON. Its process group is killed if anything goes wrong here.
    """
    argv = [str(a) for a in argv]
    result = stdout.with_name(stdout.name + ".measure.json")
    errors = stdout.with_name(stdout.name + ".stderr")
    result.unlink(missing_ok=True)
    harness = [sys.executable, str(Path(__file__).resolve()), "_measure", str(timeout_s), str(max_rss or 0),
               str(stdout), str(errors), str(result), "--", *argv]
    process = subprocess.Popen(harness, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        process.wait(timeout=timeout_s + 120)
    except BaseException:
        with_suppressed_kill(process.pid)
        raise
    if process.returncode != 0 or not result.exists():
        raise SystemExit(f"the measuring harness failed (exit {process.returncode}) for {shlex.join(argv)}")
    m = json.loads(result.read_text())
    stderr = errors.read_text(encoding="utf-8", errors="replace")[-4000:] if errors.exists() else ""
    return Run(argv, m["wall_s"], m["max_rss"], m["returncode"], m["killed"], stdout, stderr)


def measure_harness(timeout_s: float, max_rss: int, out: str, err: str, result: str, argv: list[str]) -> None:
    """`shacl.py _measure`: spawns `argv` (posix_spawn, from this small process), waits, kills it
    past `timeout_s` or `max_rss` bytes of RSS, and writes {wall_s, max_rss, returncode, killed}."""
    writing = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, out, writing, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, err, writing, 0o644)]
    start = time.monotonic()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    killed = ""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        elapsed = time.monotonic() - start
        if elapsed > timeout_s:
            killed = f"did not finish in {timeout_s:.0f} s"
        elif max_rss and vm_rss(pid) > max_rss:
            killed = f"killed past {fmt_bytes(max_rss)} RSS"
        if killed:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02 if elapsed < 2 else 0.2)
    wall = time.monotonic() - start
    with open(result, "w", encoding="utf-8") as f:
        json.dump({"wall_s": wall, "max_rss": usage.ru_maxrss * 1024,
                   "returncode": None if killed else os.waitstatus_to_exitcode(status), "killed": killed}, f)


def with_suppressed_kill(pid: int) -> None:
    """Kills a process group we started (on Ctrl-C or an error) and reaps it."""
    try:
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


# --------------------------------------------------------------------------------------------
# Set-up: data, shapes, peers


@dataclasses.dataclass
class Data:
    datasets: int
    nt: Path
    manifest: dict
    triples: int

    def defects(self) -> dict[str, str]:
        """Dataset IRI -> defect kind, from the generator's manifest."""
        return {d["dataset"]: d["defect"] for d in self.manifest["invalid"]}


def ensure_data(generator: Path, datasets: int, commands: CommandLog) -> Data:
    """The N-Triples file and manifest for `datasets` datasets, generated once and cached
    (the same file names as benches/foundation.py, so either script reuses the other's files)."""
    nt = CACHE / f"dcat-{datasets}-seed{SEED}.nt"
    manifest = CACHE / f"dcat-{datasets}-seed{SEED}.json"
    commands.add(["python3", generator, "--datasets", datasets, "--seed", SEED,
                  "--out", nt, "--manifest", manifest])
    if not (nt.exists() and manifest.exists()):
        log(f"generating {datasets} datasets into {nt}")
        partial_nt = nt.with_suffix(".partial.nt")  # the generator picks the syntax from the extension
        partial_manifest = manifest.with_suffix(".partial.json")
        subprocess.run([sys.executable, str(generator), "--datasets", str(datasets), "--seed", str(SEED),
                        "--out", str(partial_nt), "--manifest", str(partial_manifest)],
                       check=True, stderr=subprocess.DEVNULL, timeout=GENERATOR_TIMEOUT_S)
        partial_nt.replace(nt)  # only complete files get the cached names
        partial_manifest.replace(manifest)
    meta = json.loads(manifest.read_text())
    if meta.get("seed") != SEED or meta.get("datasets") != datasets:
        raise SystemExit(f"{manifest}: not seed {SEED} / {datasets} datasets; delete it to regenerate")
    return Data(datasets, nt, meta, int(meta.get("triples") or 0))


@dataclasses.dataclass
class ShapesConfig:
    """One shapes graph, as each engine is given it."""

    name: str
    description: str
    danhmuc_args: list[str]  # the shapes part of `danhmuc validate`
    files: list[Path]  # what the peers read (merged into one N-Triples file for them)
    check_manifest: bool  # whether the violations must be exactly the manifest's defects
    official: bool  # range.ttl's sh:class results are left out of the manifest check
    merged: Path | None = None


def shapes_configs(official: Path, tmp: Path) -> list[ShapesConfig]:
    shapes, rng = official / "shapes.ttl", official / "range.ttl"
    text = shapes.read_text(encoding="utf-8")
    fixed = tmp / "shapes-fixed.ttl"
    fixed.write_text(SHAPE_TYPO.sub("sh:node", text), encoding="utf-8")
    typos = len(SHAPE_TYPO.findall(text))
    return [
        ShapesConfig("dcat-ap-3.0.1",
                     "official `shapes.ttl` + `range.ttl` as published",
                     ["--shapes", str(shapes), "--shapes", str(rng)], [shapes, rng], False, True),
        ShapesConfig("dcat-ap-3.0.1 fixed",
                     f"the same with its {typos} `sh:shape` replaced by `sh:node` (copy in a temp dir)",
                     ["--shapes", str(fixed), "--shapes", str(rng)], [fixed, rng], True, True),
        ShapesConfig("dcat-ap-vn",
                     "danhmuc's bundled profile (`--profile dcat-ap-vn`; peers: `shapes/dcat-ap-vn.ttl`)",
                     ["--profile", "dcat-ap-vn"], [VN_SHAPES], True, False),
    ]


def ensure_peers(commands: CommandLog) -> Path:
    """Creates the venv and installs the pinned peers if needed. Returns the venv's Python."""
    python = VENV / "bin" / "python"
    check = [str(python), "-c", "from importlib.metadata import version as v; "
             "print(v('pyshacl'), v('pyrudof'))"]
    commands.add(["python3", "-m", "venv", VENV])
    commands.add([VENV / "bin" / "pip", "install", *PEER_PACKAGES])
    if python.exists():
        probe = subprocess.run(check, capture_output=True, text=True, timeout=60)
        if probe.returncode == 0 and probe.stdout.split() == [PYSHACL_VERSION, PYRUDOF_VERSION]:
            return python
    log(f"installing {' '.join(PEER_PACKAGES)} into {VENV}")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=PIP_TIMEOUT_S)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES],
                   check=True, timeout=PIP_TIMEOUT_S)
    subprocess.run(check, check=True, capture_output=True, timeout=60)
    return python


def merge_shapes(python: Path, config: ShapesConfig, tmp: Path, commands: CommandLog) -> None:
    """One N-Triples file with every triple of the config's shapes files (rdflib, in the venv)."""
    out = tmp / (re.sub(r"\W+", "-", config.name) + ".nt")
    argv = [str(python), str(Path(__file__).resolve()), "_merge", str(out), *map(str, config.files)]
    commands.add(argv)
    subprocess.run(argv, check=True, timeout=MERGE_TIMEOUT_S)
    config.merged = out


# --------------------------------------------------------------------------------------------
# Peer workers (run by the venv's Python: `shacl.py _peer ENGINE DATA SHAPES.nt KEYS.tsv`)


def worker_merge(out: str, files: Sequence[str]) -> None:
    import rdflib  # noqa: PLC0415 (venv only)

    graph = rdflib.Graph()
    for f in files:
        graph.parse(f, format="turtle")
    graph.serialize(out, format="nt", encoding="utf-8")


def worker_peer(engine: str, data: str, shapes: str, keys_out: str) -> None:
    """Validates, prints {"load_s", "validate_s", "conforms"} as JSON, writes the results' keys.

    The timed part is parsing the data plus validation, nothing else."""
    if engine == "pyshacl":
        import pyshacl  # noqa: PLC0415
        import rdflib  # noqa: PLC0415

        shapes_graph = rdflib.Graph().parse(shapes, format="nt")
        start = time.perf_counter()
        data_graph = rdflib.Graph().parse(data, format="nt")
        loaded = time.perf_counter()
        conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="none",
                                               advanced=True, inplace=True)
        done = time.perf_counter()

        def term(t: object) -> str:
            if isinstance(t, rdflib.BNode):
                return "_:"
            return str(t) if isinstance(t, rdflib.URIRef) else t.n3()  # type: ignore[attr-defined]

        sh = rdflib.Namespace(SH)
        rows = []
        for top in report.subjects(rdflib.RDF.type, sh.ValidationReport):
            for r in report.objects(top, sh.result):  # sh:detail results are not results
                path = report.value(r, sh.resultPath)
                rows.append((local_name(str(report.value(r, sh.resultSeverity))),
                             local_name(str(report.value(r, sh.sourceConstraintComponent))),
                             "" if path is None else COMPLEX_PATH if isinstance(path, rdflib.BNode) else str(path),
                             term(report.value(r, sh.focusNode))))
    elif engine == "pyrudof":
        import pyrudof  # noqa: PLC0415

        rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        rudof.read_shacl(shapes, format=pyrudof.ShaclFormat.NTriples)
        start = time.perf_counter()
        rudof.read_data(data, format=pyrudof.RDFFormat.NTriples)
        loaded = time.perf_counter()
        report = rudof.validate_shacl()
        done = time.perf_counter()
        conforms = report.conforms

        def node(s: str | None) -> str:
            s = s or ""
            return "_:" if s.startswith("_:") else s.strip("<>") if s.startswith("<") else s

        rows = []
        for e in report:
            path = e.path or ""
            if path and not re.match(r"^<?[a-z][a-z0-9+.-]*:[^\s<>]*>?$", path):
                path = COMPLEX_PATH
            rows.append((local_name(e.severity), local_name(e.constraint_component), node(path),
                         node(e.focus_node)))
    else:
        raise SystemExit(f"unknown peer {engine}")
    with open(keys_out, "w", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(json.dumps({"load_s": loaded - start, "validate_s": done - loaded, "conforms": bool(conforms),
                      "results": len(rows)}))


# --------------------------------------------------------------------------------------------
# danhmuc's Turtle report -> keys (a streaming reader for the Turtle that Oxigraph writes)

_TOKEN = re.compile(r"""
    (?P<ws>\s+|\#[^\n]*)
  | (?P<iri><[^>]*>)
  | (?P<bnode>_:[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)
  | (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|"(?:[^"\\\n]|\\.)*")
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<caret>\^\^)
  | (?P<keyword>(?:a|true|false)(?![\w:-]))
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<pname>[A-Za-z_][\w.-]*?:(?:[\w%:-]|\\.|\.(?=[\w%:-]))*|:(?:[\w%:-]|\.(?=[\w%:-]))*)
  | (?P<punct>[;,.\[\]()])
""", re.X)
_LONGEST_TOKEN = 1 << 16  # a chunk is only cut this far from its end, far beyond any token here


def turtle_tokens(path: Path) -> Iterator[tuple[str, str]]:
    """(kind, text) tokens of a Turtle file, read in chunks; comments and spaces dropped."""
    with path.open("r", encoding="utf-8") as f:
        buf, pos, eof = "", 0, False
        while True:
            if not eof and len(buf) - pos < _LONGEST_TOKEN:
                chunk = f.read(8 << 20)
                eof = not chunk
                buf, pos = buf[pos:] + chunk, 0
            if pos >= len(buf):
                return
            m = _TOKEN.match(buf, pos)
            if not m:
                raise ValueError(f"{path}: cannot read Turtle near {buf[pos:pos + 60]!r}")
            pos = m.end()
            kind = m.lastgroup
            if kind != "ws":
                yield kind, m.group()


class TurtleReader:
    """Recursive-descent reader of Turtle triples (prefixes, `a`, lists, `[]`, literals)."""

    def __init__(self, path: Path) -> None:
        self.tokens = turtle_tokens(path)
        self.peeked: tuple[str, str] | None = None
        self.prefixes: dict[str, str] = {}
        self.fresh = 0

    def peek(self) -> tuple[str, str] | None:
        if self.peeked is None:
            self.peeked = next(self.tokens, None)
        return self.peeked

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ValueError("unexpected end of Turtle")
        self.peeked = None
        return token

    def expect(self, text: str) -> None:
        kind, got = self.take()
        if got != text:
            raise ValueError(f"expected {text!r}, got {got!r}")

    def bnode(self) -> str:
        self.fresh += 1
        return f"_:anon{self.fresh}"

    def triples(self) -> Iterator[tuple[str, str, str]]:
        while (token := self.peek()) is not None:
            kind, text = token
            if text in ("@prefix", "PREFIX") or (kind == "lang" and text == "@prefix"):
                self.take()
                name = self.take()[1]
                iri = self.take()[1]
                self.prefixes[name[:-1]] = iri[1:-1]
                if self.peek() == ("punct", "."):
                    self.take()
                continue
            if kind == "lang" and text == "@base" or text == "BASE":
                raise ValueError("@base is not expected in a report")
            out: list[tuple[str, str, str]] = []
            subject = self.term(out)
            if self.peek() != ("punct", "."):
                self.predicate_objects(subject, out)
            self.expect(".")
            yield from out

    def predicate_objects(self, subject: str, out: list) -> None:
        while True:
            predicate = self.term(out)
            while True:
                out.append((subject, predicate, self.term(out)))
                if self.peek() != ("punct", ","):
                    break
                self.take()
            while self.peek() == ("punct", ";"):
                self.take()
            if self.peek() in (("punct", "."), ("punct", "]"), None):
                return

    def term(self, out: list) -> str:
        kind, text = self.take()
        if kind == "iri":
            return text[1:-1]
        if kind == "pname":
            prefix, _, local = text.partition(":")
            return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        if kind == "keyword":
            return RDF + "type" if text == "a" else f'"{text}"^^boolean'
        if kind == "bnode":
            return text
        if kind == "string" or kind == "number":
            literal = text
            if self.peek() and self.peek()[0] == "lang":
                literal += self.take()[1]
            elif self.peek() == ("caret", "^^"):
                self.take()
                literal += "^^" + self.term(out)
            return literal
        if text == "[":
            node = self.bnode()
            if self.peek() != ("punct", "]"):
                self.predicate_objects(node, out)
            self.expect("]")
            return node
        if text == "(":
            head = rest = RDF + "nil"
            items = []
            while self.peek() != ("punct", ")"):
                items.append(self.term(out))
            self.take()
            for item in reversed(items):
                cell = self.bnode()
                out.append((cell, RDF + "first", item))
                out.append((cell, RDF + "rest", rest))
                rest = cell
            return rest if items else head
        raise ValueError(f"unexpected Turtle token {text!r}")


def danhmuc_keys(report: Path) -> collections.Counter[Key]:
    """The results of danhmuc's Turtle report (objects of sh:result; sh:detail ones left out)."""
    wanted = {SH + p: p for p in ("resultSeverity", "sourceConstraintComponent", "resultPath", "focusNode")}
    props: dict[str, dict[str, str]] = {}
    results: list[str] = []
    for s, p, o in TurtleReader(report).triples():
        if p == SH + "result":
            results.append(o)
        elif p in wanted:
            props.setdefault(s, {})[wanted[p]] = o
    keys: collections.Counter[Key] = collections.Counter()
    for r in results:
        d = props.get(r, {})
        path = d.get("resultPath", "")
        focus = d.get("focusNode", "")
        keys[(local_name(d.get("resultSeverity", "")), local_name(d.get("sourceConstraintComponent", "")),
              COMPLEX_PATH if path.startswith("_:") else path, "_:" if focus.startswith("_:") else focus)] += 1
    return keys


# danhmuc's text report: "[Severity] FOCUS[ PATH]: MESSAGE[ (value V)]", one line per result.
_TEXT_LINE = re.compile(r"^\[(\w+)\] (<[^>]*>|_:\S+|\"(?:[^\"\\]|\\.)*\"\S*)(?: (<[^>]*>|.+?))?: (.*)$")
# The message danhmuc gives a sh:class result when the shape has no sh:message (range.ttl has none).
_DEFAULT_CLASS_MESSAGE = "Value is not an instance of the required class"
TEXT_COMPONENT = "(text report)"


def danhmuc_text_keys(report: Path) -> collections.Counter[Key]:
    """Results from danhmuc's text report, when the Turtle one could not be had.

    The text has no constraint component: it is "ClassConstraintComponent" where danhmuc's default
    sh:class message stands (what the manifest check needs for range.ttl), else TEXT_COMPONENT."""
    keys: collections.Counter[Key] = collections.Counter()
    with report.open(encoding="utf-8") as f:
        f.readline()  # the summary
        for line in f:
            m = _TEXT_LINE.match(line.rstrip("\n"))
            if not m:
                raise ValueError(f"{report}: unexpected line {line[:120]!r}")
            severity, focus, path, message = m.groups()
            component = "ClassConstraintComponent" if message.startswith(_DEFAULT_CLASS_MESSAGE) else TEXT_COMPONENT
            path = path or ""
            keys[(severity, component,
                  path[1:-1] if re.fullmatch(r"<[^>]*>", path) else COMPLEX_PATH if path else "",
                  "_:" if focus.startswith("_:") else focus[1:-1] if focus.startswith("<") else focus)] += 1
    return keys


def comparable(reference: collections.Counter[Key], other: collections.Counter[Key]
               ) -> tuple[collections.Counter[Key], collections.Counter[Key]]:
    """Both multisets without the component when one side comes from danhmuc's text report."""
    if not any(k[1] == TEXT_COMPONENT for k in reference):
        return reference, other

    def project(keys: collections.Counter[Key]) -> collections.Counter[Key]:
        out: collections.Counter[Key] = collections.Counter()
        for (sev, _comp, path, focus), n in keys.items():
            out[(sev, "", path, focus)] += n
        return out

    return project(reference), project(other)


def read_keys(path: Path) -> collections.Counter[Key]:
    keys: collections.Counter[Key] = collections.Counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            keys[tuple(parts)] += 1  # type: ignore[index]
    return keys


# --------------------------------------------------------------------------------------------
# Measurements


@dataclasses.dataclass
class EngineResult:
    """What one engine did with one shapes config at one size."""

    engine: str
    runs: list[Run]
    time_s: float | None = None  # the compared figure (see the module docstring)
    inner: dict | None = None  # a peer's own timings
    keys: collections.Counter[Key] | None = None
    note: str = ""
    turtle: Run | None = None  # danhmuc's --format turtle run

    @property
    def max_rss(self) -> int:
        return max(r.max_rss for r in self.runs) if self.runs else 0

    @property
    def finished(self) -> bool:
        return self.keys is not None


@dataclasses.dataclass
class Case:
    data: Data
    config: ShapesConfig
    engines: dict[str, EngineResult]


def bench_danhmuc(danhmuc: Path, data: Data, config: ShapesConfig, repeat: int, tmp: Path,
                  turtle_timeout_s: float, turtle_max_rss: int, commands: CommandLog) -> EngineResult:
    """`repeat` timed `--format text` runs, then one `--format turtle` run for the exact results
    (capped: past the caps the results come from the last text report instead)."""
    runs = []
    for i in range(repeat):
        argv = [str(danhmuc), "validate", *config.danhmuc_args, "--format", "text", str(data.nt)]
        commands.add(argv)
        run = run_measured(argv, tmp / "danhmuc.txt", DANHMUC_TIMEOUT_S)
        if run.returncode not in (0, 1):
            raise SystemExit(f"danhmuc failed ({run.returncode or run.killed}): {run.stderr}")
        runs.append(run)
        log(f"  danhmuc text run {i + 1}/{repeat}: {run.wall_s:.2f} s, {fmt_bytes(run.max_rss)}")
    with (tmp / "danhmuc.txt").open(encoding="utf-8") as f:
        summary = f.readline().strip()
    argv = [str(danhmuc), "validate", *config.danhmuc_args, "--format", "turtle", str(data.nt)]
    commands.add(argv)
    turtle = run_measured(argv, tmp / "danhmuc.ttl", turtle_timeout_s, turtle_max_rss)
    if turtle.finished and turtle.returncode not in (0, 1):
        raise SystemExit(f"danhmuc failed ({turtle.returncode}): {turtle.stderr}")
    note = f"`--format turtle`: {fmt_s(turtle.wall_s)} s, {fmt_bytes(turtle.max_rss)}"
    if turtle.finished:
        log(f"  danhmuc turtle run: {turtle.wall_s:.2f} s, {fmt_bytes(turtle.max_rss)}; reading the report")
        keys = danhmuc_keys(tmp / "danhmuc.ttl")
        source = tmp / "danhmuc.ttl"
    else:
        note = f"`--format turtle` {turtle.killed} (after {fmt_s(turtle.wall_s)} s): results read from the text report"
        log(f"  danhmuc turtle run {turtle.killed} after {turtle.wall_s:.0f} s; reading the text report")
        keys = danhmuc_text_keys(tmp / "danhmuc.txt")
        source = tmp / "danhmuc.txt"
    (tmp / "danhmuc.ttl").unlink()
    stated = re.search(r"(\d+) result", summary)
    if not stated or int(stated.group(1)) != sum(keys.values()):
        raise SystemExit(f"danhmuc's text summary ({summary!r}) and {source.name} "
                         f"({sum(keys.values())} results) disagree")
    return EngineResult("danhmuc", runs, statistics.median(r.wall_s for r in runs), None, keys,
                        note, turtle)


def bench_peer(python: Path, engine: str, data: Data, config: ShapesConfig, timeout_s: float,
               tmp: Path, commands: CommandLog) -> EngineResult:
    keys_file = tmp / f"{engine}.tsv"
    keys_file.unlink(missing_ok=True)
    argv = [str(python), str(Path(__file__).resolve()), "_peer", engine, str(data.nt),
            str(config.merged), str(keys_file)]
    commands.add(argv)
    run = run_measured(argv, tmp / f"{engine}.out", timeout_s, PEER_MAX_RSS)
    if not run.finished:
        log(f"  {engine}: {run.killed} (peak RSS {fmt_bytes(run.max_rss)})")
        return EngineResult(engine, [run], note=run.killed)
    if run.returncode != 0:
        code = run.returncode
        how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
        last = run.stderr.strip().splitlines()[-1][:200] if run.stderr.strip() else "no message"
        log(f"  {engine} failed after {run.wall_s:.0f} s ({how}, peak RSS {fmt_bytes(run.max_rss)}): {run.stderr}")
        return EngineResult(engine, [run], note=f"failed after {fmt_s(run.wall_s)} s ({how}): {last}")
    inner = json.loads(Path(run.stdout).read_text().strip().splitlines()[-1])
    keys = read_keys(keys_file)
    keys_file.unlink()
    log(f"  {engine}: load {inner['load_s']:.1f} s + validate {inner['validate_s']:.1f} s, "
        f"process {run.wall_s:.1f} s, {fmt_bytes(run.max_rss)}, {sum(keys.values())} results")
    return EngineResult(engine, [run], inner["load_s"] + inner["validate_s"], inner, keys)


# --------------------------------------------------------------------------------------------
# Correctness


def by_severity(keys: collections.Counter[Key]) -> dict[str, int]:
    out: dict[str, int] = collections.Counter()
    for k, n in keys.items():
        out[k[0]] += n
    return out


def severity_text(keys: collections.Counter[Key]) -> str:
    counts = by_severity(keys)
    order = ["Violation", "Warning", "Info"]
    parts = [f"{counts[s]:,} {s[0]}" for s in order if counts.get(s)]
    parts += [f"{n:,} {s}" for s, n in sorted(counts.items()) if s not in order]
    return f"{sum(keys.values()):,}" + (f" ({', '.join(parts)})" if parts else "")


def dataset_of(focus: str) -> str | None:
    m = DATASET_OF.match(focus)
    return m.group(1) if m else None


@dataclasses.dataclass
class ManifestCheck:
    ok: bool
    found: int
    expected: int
    missing: dict[str, list[str]]  # defect kind -> datasets not reported
    extra: list[str]  # reported datasets (or other focus nodes) without a defect


def check_manifest(keys: collections.Counter[Key], case: Case) -> ManifestCheck:
    """Datasets with sh:Violation results (for the official shapes, range.ttl's sh:class results
    aside) vs the manifest."""
    data = case.data
    defects = data.defects()
    found = set()
    for (severity, component, _path, focus), _n in keys.items():
        if severity != "Violation" or (case.config.official and component == "ClassConstraintComponent"):
            continue
        found.add(dataset_of(focus) or f"(not a dataset) {focus}")
    missing: dict[str, list[str]] = collections.defaultdict(list)
    for ds, kind in sorted(defects.items()):
        if ds not in found:
            missing[kind].append(ds)
    extra = sorted(found - defects.keys())
    return ManifestCheck(not missing and not extra, len(found), len(defects), dict(missing), extra)


def describe_diff(reference: collections.Counter[Key], other: collections.Counter[Key],
                  name: str, limit: int = 8) -> list[str]:
    """Lines describing how `other` differs from danhmuc's results (grouped, then examples)."""
    only_ref = reference - other
    only_other = other - reference
    lines = []
    for label, diff in ((f"only danhmuc", only_ref), (f"only {name}", only_other)):
        if not diff:
            continue
        groups: collections.Counter[tuple[str, str, str]] = collections.Counter()
        for (sev, comp, path, _focus), n in diff.items():
            groups[(sev, comp, path)] += n
        for (sev, comp, path), n in groups.most_common(limit):
            examples = [k[3] for k in diff if k[:3] == (sev, comp, path)][:3]
            lines.append(f"{label}: {n} × {sev} {comp} `{path or '-'}` (e.g. {', '.join(examples)})")
    return lines


# --------------------------------------------------------------------------------------------
# Latency


@dataclasses.dataclass
class Latency:
    shapes: str
    line: str
    p50_ms: float | None
    p95_ms: float | None


def parse_duration_ms(text: str) -> float:
    """Rust's Debug form of a Duration (e.g. 57.81µs, 4.39ms, 1.2s) in milliseconds."""
    m = re.fullmatch(r"([\d.]+)(ns|µs|us|ms|s)", text)
    if not m:
        raise ValueError(f"not a duration: {text}")
    return float(m.group(1)) * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]


def bench_latency(binary: Path, data: Data, submissions: int, configs: Sequence[ShapesConfig],
                  tmp: Path, commands: CommandLog) -> list[Latency]:
    out = []
    for config in configs:
        argv = [str(binary), str(data.nt), str(submissions), *map(str, config.files)]
        commands.add(argv)
        run = run_measured(argv, tmp / "latency.out", LATENCY_TIMEOUT_S)
        text = Path(run.stdout).read_text().strip() if run.stdout else ""
        m = re.search(r"p50 (\S+) p95 (\S+)", text)
        if run.returncode != 0 or not m:
            out.append(Latency(config.name, f"failed: {run.killed or run.stderr.strip()[-200:]}", None, None))
            continue
        out.append(Latency(config.name, text, parse_duration_ms(m.group(1)), parse_duration_ms(m.group(2))))
        log(f"  latency {config.name}: {text}")
    return out


# --------------------------------------------------------------------------------------------
# Report


def environment(danhmuc: Path, python: Path | None, latency_bin: Path | None) -> list[str]:
    def output(argv: list[str]) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    def built(path: Path) -> str:
        return datetime.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0)
    revision = output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]) or "no commit yet"
    lines = [
        f"- machine: {cpu}, {os.cpu_count()} cores, {memory_kb / 2**20:.0f} GiB, Linux {platform.release()}",
        f"- danhmuc: `{danhmuc}` ({output([str(danhmuc), '--version'])}, built {built(danhmuc)}, repo {revision})",
    ]
    if python:
        lines.append(f"- peers: pySHACL {PYSHACL_VERSION} (rdflib "
                     f"{output([str(python), '-c', 'import rdflib; print(rdflib.__version__)'])}), "
                     f"pyrudof {PYRUDOF_VERSION}; Python "
                     f"{output([str(python), '-c', 'import platform; print(platform.python_version())'])}")
    if latency_bin:
        lines.append(f"- latency: `{latency_bin}` (built {built(latency_bin)})")
    lines.append(f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}; load average at the end "
                 f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min): other work skews figures")
    return lines


def engine_cell_time(r: EngineResult) -> str:
    if r.engine == "danhmuc":
        return fmt_s(r.time_s or 0)
    if not r.finished:
        return r.note or "—"
    assert r.inner is not None
    return f"{fmt_s(r.time_s or 0)} ({fmt_s(r.inner['load_s'])} + {fmt_s(r.inner['validate_s'])})"


def results_table(cases: Sequence[Case]) -> list[str]:
    out = ["| datasets | shapes | engine | time (s) | process wall (s) | peak RSS | results (V/W/I) "
           "| = danhmuc | manifest |",
           "| ---: | --- | --- | ---: | ---: | ---: | --- | :---: | --- |"]
    for case in cases:
        ref = case.engines["danhmuc"].keys
        for name, r in case.engines.items():
            wall = fmt_s(statistics.median(x.wall_s for x in r.runs)) if r.runs else "—"
            rss = (fmt_bytes(r.max_rss) if r.finished else f"≥ {fmt_bytes(r.max_rss)}") if r.runs else "—"
            same = "" if name == "danhmuc" else ("—" if not r.finished else verdict(operator.eq(*comparable(ref, r.keys))))
            manifest = "—"
            if r.finished and case.config.check_manifest:
                m = check_manifest(r.keys, case)
                manifest = f"{verdict(m.ok)} {m.found}/{m.expected}"
            elif r.finished:
                m = check_manifest(r.keys, case)
                manifest = f"({m.found}/{m.expected})"
            results = severity_text(r.keys) if r.finished else "—"
            out.append(f"| {case.data.datasets:,} | {case.config.name} | {name} | {engine_cell_time(r)} | {wall} "
                       f"| {rss} | {results} | {same} | {manifest} |")
    return out


def targets_table(cases: Sequence[Case], latencies: Sequence[Latency], timeout_s: float) -> list[str]:
    out = ["| target | measured | |", "| --- | --- | :---: |"]
    for case in cases:
        if case.data.datasets != 10_000:
            continue
        d = case.engines["danhmuc"]
        peers = [r for n, r in case.engines.items() if n != "danhmuc"]
        done = [r for r in peers if r.finished and r.time_s]
        if not peers:
            continue
        if done:
            best = min(done, key=lambda r: r.time_s or 0)
            ratio = (best.time_s or 0) / (d.time_s or 1)
            text = f"{ratio:.0f}× ({best.engine} {fmt_s(best.time_s or 0)} s / danhmuc {fmt_s(d.time_s or 0)} s)"
            ok = ratio >= SPEEDUP_TARGET
        else:
            bound = timeout_s / (d.time_s or 1)
            text, ok = f"> {bound:.0f}× (no peer finished in {timeout_s:.0f} s)", bound >= SPEEDUP_TARGET
        out.append(f"| speed-up vs fastest peer, 10k, {case.config.name} (≥ {SPEEDUP_TARGET:.0f}×) | {text} "
                   f"| {verdict(ok)} |")
    for case in cases:
        d = case.engines["danhmuc"]
        if case.data.datasets == 10_000:
            out.append(f"| danhmuc peak RSS, 10k, {case.config.name} (≤ {fmt_bytes(RSS_10K_TARGET)}) "
                       f"| {fmt_bytes(d.max_rss)} | {verdict(d.max_rss <= RSS_10K_TARGET)} |")
        if case.data.datasets == 100_000:
            out.append(f"| danhmuc wall, 100k, {case.config.name} (< {WALL_100K_TARGET:.0f} s) "
                       f"| {fmt_s(d.time_s or 0)} s | {verdict((d.time_s or 0) < WALL_100K_TARGET)} |")
            out.append(f"| danhmuc peak RSS, 100k, {case.config.name} (< {fmt_bytes(RSS_100K_TARGET)}) "
                       f"| {fmt_bytes(d.max_rss)} | {verdict(d.max_rss < RSS_100K_TARGET)} |")
    for lat in latencies:
        if lat.p95_ms is None:
            out.append(f"| submission latency p95, {lat.shapes} (< {LATENCY_P95_TARGET_MS:.0f} ms) | {lat.line} | ❌ |")
        else:
            out.append(f"| submission latency p95, {lat.shapes} (< {LATENCY_P95_TARGET_MS:.0f} ms) "
                       f"| p50 {lat.p50_ms:.3f} ms, p95 {lat.p95_ms:.3f} ms "
                       f"| {verdict(lat.p95_ms < LATENCY_P95_TARGET_MS)} |")
    return out


def correctness_section(cases: Sequence[Case]) -> list[str]:
    out = []
    for case in cases:
        d = case.engines["danhmuc"]
        assert d.keys is not None
        out.append(f"**{case.data.datasets:,} datasets, {case.config.name}**")
        out.append("")
        groups: collections.Counter[tuple[str, str, str]] = collections.Counter()
        for (sev, comp, path, _f), n in d.keys.items():
            groups[(sev, comp, path)] += n
        out.append(f"danhmuc: {d.note}. Results by severity, component, path: "
                   + "; ".join(f"{n:,} {sev} {comp} `{local_name(path) if path else '-'}`"
                               for (sev, comp, path), n in sorted(groups.items())) + ".")
        for name, r in case.engines.items():
            if name == "danhmuc":
                continue
            if not r.finished:
                out.append(f"- {name}: {r.note or 'not run'}")
            else:
                ref, other = comparable(d.keys, r.keys)
                what = ("severity, path, focus node: danhmuc's from its text report"
                        if ref is not d.keys else "severity, component, path, focus node")
                if ref == other:
                    out.append(f"- {name}: same {sum(r.keys.values()):,} results ({what}), exactly.")
                else:
                    out.append(f"- {name}: **differs** ({sum(r.keys.values()):,} results vs danhmuc "
                               f"{sum(d.keys.values()):,}; {what}):")
                    out += [f"  - {line}" for line in describe_diff(ref, other, name)]
        for name, r in case.engines.items():
            if not r.finished:
                continue
            m = check_manifest(r.keys, case)
            label = "manifest" if case.config.check_manifest else "manifest (not expected to match)"
            if m.ok:
                line = (f"- {label}, {name}: the {m.found} datasets with violations are exactly the "
                        f"{m.expected} injected defects ({', '.join(f'{n} {k}' for k, n in case.data.manifest['invalid_counts'].items())}).")
            else:
                parts = [f"{len(v)} {k} not found (e.g. {', '.join(v[:2])})" for k, v in m.missing.items()]
                if m.extra:
                    parts.append(f"{len(m.extra)} without a defect (e.g. {', '.join(m.extra[:3])})")
                line = f"- {label}, {name}: {m.found} found vs {m.expected} injected; " + "; ".join(parts) + "."
            out.append(line)
        out.append("")
    return out


def render_report(danhmuc: Path, python: Path | None, latency_bin: Path | None, cases: Sequence[Case],
                  configs: Sequence[ShapesConfig], latencies: Sequence[Latency], args: argparse.Namespace,
                  commands: CommandLog) -> str:
    out = ["# SHACL benchmark: danhmuc vs pySHACL and pyrudof", "",
           *environment(danhmuc, python, latency_bin), "", "Shapes:", ""]
    out += [f"- **{c.name}**: {c.description}" for c in configs]
    sizes = sorted({c.data.datasets for c in cases})
    out += ["", "Data: " + "; ".join(
        f"{c.data.datasets:,} datasets = {c.data.triples:,} triples, {c.data.manifest['invalid_total']} "
        f"injected defects" for c in cases if c.config is configs[0] and c.data.datasets in sizes) + ".", ""]
    out += ["## Targets", "", *targets_table(cases, latencies, args.peer_timeout), ""]
    out += ["## Runs", "",
            f"*time*: danhmuc = wall time of the whole `validate --format text` process, median of "
            f"{args.repeat}; a peer = its own load + validate time (interpreter start-up, imports and result "
            f"extraction left out), killed after {args.peer_timeout:.0f} s. *process wall*: the whole process. "
            "*peak RSS*: `wait4` ru_maxrss of that process. *results*: V/W/I = sh:Violation/Warning/Info. "
            "*= danhmuc*: same multiset of (severity, component, path, focus node). *manifest*: datasets with "
            "violations (distributions count for their dataset; range.ttl's sh:class results aside) / "
            "injected defects; in brackets where the shapes are not expected to find them all.", "",
            *results_table(cases), ""]
    if latencies:
        out += ["## Per-submission latency", "",
                "`shacl_latency DATA N SHAPES…` (`examples/shacl_latency.rs`): each dataset's own triples "
                "(the dataset, its distributions and contact point, ≈ 42 triples) are built into a fresh "
                "graph and validated alone, N times; the figure is build + validate. Nothing else is in that "
                "graph (no publisher `foaf:Agent`), so `sh:class` constraints on other resources fail and every "
                "submission is non-conforming; this is the engine's share of a submission, not an HTTP "
                "round trip.", ""]
        out += [f"- {lat.shapes}: `{lat.line}`" for lat in latencies]
        out.append("")
    out += ["## Correctness", "", *correctness_section(cases)]
    out += ["## Commands", "", "```sh", "python3 " + shlex.join(sys.argv), *commands.lines(), "```", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated dataset counts")
    parser.add_argument("--skip-peers", action="store_true", help="only run danhmuc (no venv needed)")
    parser.add_argument("--danhmuc", type=Path, default=DEFAULT_DANHMUC, help="the danhmuc binary")
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="gen_dcat.py")
    parser.add_argument("--official", type=Path, default=DEFAULT_OFFICIAL,
                        help="directory with DCAT-AP 3.0.1 html-shacl shapes.ttl and range.ttl")
    parser.add_argument("--repeat", type=int, default=3, help="timed danhmuc runs per case (median)")
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="seconds before a peer run is killed")
    parser.add_argument("--turtle-timeout", type=float, default=300.0,
                        help="seconds before danhmuc's --format turtle run is killed")
    parser.add_argument("--turtle-max-rss", type=float, default=4.0,
                        help="GB of RSS past which danhmuc's --format turtle run is killed")
    parser.add_argument("--latency", type=Path, default=DEFAULT_LATENCY,
                        help="the `shacl_latency` example binary ('' to skip)")
    parser.add_argument("--latency-submissions", type=int, default=10_000,
                        help="submissions timed by the latency example (from the 10k file)")
    parser.add_argument("--out", type=Path, default=REPORT, help="where the Markdown report goes")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes comma-separated integers")
    if not args.sizes or min(args.sizes) <= 0:
        parser.error("--sizes needs at least one positive dataset count")
    if args.repeat < 1 or args.peer_timeout <= 0 or args.latency_submissions < 1:
        parser.error("--repeat, --peer-timeout and --latency-submissions must be positive")
    if not args.danhmuc.is_file():
        parser.error(f"no danhmuc binary at {args.danhmuc} (build it with cargo build --release)")
    for f in ("shapes.ttl", "range.ttl"):
        if not (args.official / f).is_file():
            parser.error(f"no {f} in {args.official}")
    return args


def stop_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM/SIGHUP end the run like Ctrl-C: the running child is killed, temp files removed."""
    log(f"stopped by {signal.Signals(signum).name}")
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    commands = CommandLog()
    CACHE.mkdir(parents=True, exist_ok=True)
    danhmuc = args.danhmuc.resolve()
    python = None if args.skip_peers else ensure_peers(commands)
    latency_bin = args.latency if str(args.latency) not in ("", ".") and args.latency.is_file() else None
    if latency_bin is None and str(args.latency) not in ("", "."):
        log(f"no latency binary at {args.latency}: build it with "
            "`cargo build --release --examples`; skipping latency")
    cases: list[Case] = []
    latencies: list[Latency] = []
    with tempfile.TemporaryDirectory(prefix="danhmuc-shacl-bench-") as tmp_name:
        tmp = Path(tmp_name)
        configs = shapes_configs(args.official, tmp)
        if python:
            for config in configs:
                merge_shapes(python, config, tmp, commands)
        gave_up: set[tuple[str, str]] = set()  # (peer, config) that did not finish at a smaller size
        for datasets in args.sizes:
            data = ensure_data(args.generator, datasets, commands)
            log(f"{datasets} datasets ({data.triples:,} triples): warming the page cache")
            warm_page_cache(data.nt)
            for config in configs:
                log(f"{datasets} datasets, {config.name}")
                engines = {"danhmuc": bench_danhmuc(danhmuc, data, config, args.repeat, tmp, args.turtle_timeout,
                                                    int(args.turtle_max_rss * 1e9), commands)}
                for peer in PEERS if python else ():
                    if (peer, config.name) in gave_up:
                        engines[peer] = EngineResult(peer, [], note=f"not run: did not finish in "
                                                     f"{args.peer_timeout:.0f} s at a smaller size")
                        continue
                    result = bench_peer(python, peer, data, config, args.peer_timeout, tmp, commands)
                    if not result.finished:
                        gave_up.add((peer, config.name))
                    engines[peer] = result
                cases.append(Case(data, config, engines))
        if latency_bin:
            data = ensure_data(args.generator, 10_000, commands)
            log(f"latency: {args.latency_submissions} submissions")
            latencies = bench_latency(latency_bin, data, args.latency_submissions,
                                      [c for c in configs if c.name != "dcat-ap-3.0.1"], tmp, commands)
        report = render_report(danhmuc, python, latency_bin, cases, configs, latencies, args, commands)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    log(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        sep = sys.argv.index("--")
        measure_harness(float(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:7], sys.argv[sep + 1:])
    elif len(sys.argv) > 1 and sys.argv[1] == "_peer":
        worker_peer(*sys.argv[2:6])
    elif len(sys.argv) > 1 and sys.argv[1] == "_merge":
        worker_merge(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(main())
