#!/usr/bin/env python3
"""Posts held-out datasets to a danhmuc server you started yourself, for profiling and A/B runs.

``registry.py`` starts and stops its own server; this one only submits, so a profiler can be attached
to a server started by hand and two binaries can be compared on the same store. It reuses
``registry.py``'s data, tokens (``~/.cache/danhmuc-bench/stores/registry-100000-tokens.json``, made by a
full ``registry.py`` run) and client, and gives each run's datasets IRIs of their own.

Usage::

    danhmuc serve --data ~/.cache/danhmuc-bench/stores/registry-100000 \\
        --base-url https://registry.example/ --bind 127.0.0.1:18900 --link-check-every 0s
    python3 benches/registry_drive.py PORT COUNT CLIENTS OFFSET [STORE]   # e.g. 18900 500 1 0

``STORE`` names the store whose tokens are used (default ``registry-100000``; ``registry-2000`` after
``registry.py --datasets 2000 --held-out 200``, for quick profiles on a small store).

Prints ``ready`` once every token has been used once (their argon2 check is then remembered), then
one line: submissions/s and p50/p95/p99/max latency in ms.
"""

import importlib.util
import json
import sys
import time
from pathlib import Path

spec = importlib.util.spec_from_file_location("registry", Path(__file__).with_name("registry.py"))
reg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reg)


def main() -> int:
    port, count, clients, offset = (int(a) for a in sys.argv[1:5])
    store = sys.argv[5] if len(sys.argv) > 5 else "registry-100000"
    nt, manifest = reg.generate(reg.DEFAULT_GENERATOR, 103_000)
    invalid = {d["dataset"].rsplit("/", 1)[1] for d in manifest["invalid"]}
    _, datasets = reg.split(nt)
    keys = [k for k in list(datasets)[100_000:] if k not in invalid][offset:offset + count]
    tokens = json.loads((reg.CACHE / f"stores/{store}-tokens.json").read_text())["publishers"]
    tag = f"d{int(time.time())}-"
    jobs = [("".join(datasets[k]).replace(reg.DATASET, f"{reg.DATASET}{tag}").encode(),
             tokens[reg.publisher_of(datasets[k])]) for k in keys]
    client = reg.Client(port)
    for token in {token for _, token in jobs}:
        client.conn.request("GET", "/api/records?page=1&per_page=1", headers={"Authorization": f"Bearer {token}"})
        client.conn.getresponse().read()
    print("ready", flush=True)
    wall, times, failures, _ = reg.submit_all(port, jobs, clients)
    s = reg.percentiles(times)
    print(f"{clients} clients: {len(jobs) / wall:.1f}/s p50 {s['p50']:.1f} p95 {s['p95']:.1f} p99 {s['p99']:.1f} "
          f"max {s['max']:.1f} ms; {len(failures)} failures {failures[:1]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
