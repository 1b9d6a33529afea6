#!/usr/bin/env python3
"""The registry benchmark's peer: Oxigraph alone (pyoxigraph, the same engine and version danhmuc
embeds), writing each submission as one transaction, with nothing around it.

Run by ``benches/registry.py`` with the peer's virtual environment (pyoxigraph is not in the
standard library)::

    python benches/registry_peer.py WORK BASE_NQ JOBS_JSON SINGLE CLIENTS

* ``BASE_NQ``: the bulk datasets as N-Quads, each dataset in the named graph of its IRI; loaded once
  with ``bulk_load`` into ``WORK/base`` and copied afresh for each set of writes.
* ``JOBS_JSON``: ``{set name: [N-Quads text of one submission, …]}``. Each set runs on its own copy
  of the base: its first ``SINGLE`` writes with 1 thread, the rest with ``CLIENTS`` threads.
  ``Store.extend`` is one transaction and releases the GIL, so the threads write concurrently.

No validation, no HTTP, no locks of ours: what each set's quads cost the engine itself. Prints one
JSON object: the load time and, per set and run, the number of writes, the quads written, the wall
time and every latency in seconds.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from pyoxigraph import RdfFormat, Store, parse
from registry import drain


def timed(store: Store, jobs: list[list], clients: int) -> dict:
    wall, times, _ = drain(jobs, clients, lambda _, quads: store.extend(quads))
    return {"clients": clients, "n": len(jobs), "quads": sum(len(j) for j in jobs), "wall": wall, "times": times}


def main() -> int:
    work, base_nq, jobs_json, single, clients = sys.argv[1:6]
    work = Path(work)
    base = work / "base"
    start = time.perf_counter()
    store = Store(str(base))
    store.bulk_load(path=base_nq, format=RdfFormat.N_QUADS)
    store.flush()
    graphs = sum(1 for _ in store.named_graphs())
    del store
    load = time.perf_counter() - start
    sets = {}
    for name, texts in json.loads(Path(jobs_json).read_text(encoding="utf-8")).items():
        jobs = [list(parse(text.encode(), format=RdfFormat.N_QUADS)) for text in texts]
        copy = work / f"store-{name}"
        shutil.copytree(base, copy)
        store = Store(str(copy))
        single_n = int(single)
        sets[name] = [timed(store, jobs[:single_n], 1), timed(store, jobs[single_n:], int(clients))]
        del store
        shutil.rmtree(copy)
    print(json.dumps({"load": load, "base_graphs": graphs, "sets": sets}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
