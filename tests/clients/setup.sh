#!/usr/bin/env bash
# Installs the real SPARQL clients that tests/it/clients.rs drives against /sparql, into
# ${DANHMUC_TOOLS:-$HOME/.cache/danhmuc-tools}:
#   venv/  a Python venv with SPARQLWrapper and rdflib (PyPI), pinned below
#   node/  Comunica (@comunica/query-sparql) with n3 and rdf-isomorphic (npm registry), pinned
#          exactly by package.json and package-lock.json beside this script (npm ci)
# Node 20: Comunica 5.3+ depends on undici 8, which needs Node >= 22.19 and fails to load on Node 20
# ("Cannot read properties of undefined (reading 'bind')"), so package.json overrides undici with
# 7.x (Node >= 20.18.1; the same API Comunica 5.2 used). Comunica 4.5.0, the last without undici,
# is no way out: on today's npm tree it reads language-tagged literals from SPARQL endpoints wrongly
# (sparqljson-parse 3.3 passes {language} to an rdf-data-factory 1.x that takes it for a datatype).
# Idempotent: a stamp file records what was installed, and a run whose stamp matches (and whose
# tools still load) does nothing. Prints only its last line on success; fails loudly otherwise.
set -euo pipefail

PYTHON_PINS=(SPARQLWrapper==2.0.0 rdflib==7.6.0 pyparsing==3.3.3)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${DANHMUC_TOOLS:-$HOME/.cache/danhmuc-tools}"
STAMP="$TOOLS/.stamp"

fail() {
    echo "tests/clients/setup.sh: $*" >&2
    exit 1
}

# Runs a command with its output in a log, shown only when it fails.
quiet() {
    local log status=0
    log="$(mktemp)"
    "$@" >"$log" 2>&1 || status=$?
    if ((status != 0)); then
        cat "$log" >&2
        rm -f "$log"
        fail "failed (exit $status): $*"
    fi
    rm -f "$log"
}

command -v sha256sum >/dev/null || fail "sha256sum is missing"
WANT="python: ${PYTHON_PINS[*]}; npm lock: $(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)"

tools_work() {
    "$TOOLS/venv/bin/python" -c 'import SPARQLWrapper, rdflib' >/dev/null 2>&1 &&
        (cd "$TOOLS/node" && node -e 'require("@comunica/query-sparql"); require("n3"); require("rdf-isomorphic")') >/dev/null 2>&1
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]] && tools_work; then
    echo "client tools ready in $TOOLS"
    exit 0
fi

command -v python3 >/dev/null || fail "python3 is missing"
command -v node >/dev/null || fail "node is missing (Node >= 20.18.1 is needed)"
command -v npm >/dev/null || fail "npm is missing"
command -v curl >/dev/null || fail "curl is missing"
node -e 'const [a, b, c] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && (b > 18 || (b === 18 && c >= 1))) ? 0 : 1)' ||
    fail "Node $(node --version) is too old: Comunica 5 with undici 7 needs Node >= 20.18.1"

mkdir -p "$TOOLS"
rm -f "$STAMP"

# Python: a fresh venv when there is none or it no longer runs (e.g. its interpreter went away).
if ! "$TOOLS/venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$TOOLS/venv"
    quiet python3 -m venv "$TOOLS/venv"
fi
quiet "$TOOLS/venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet "${PYTHON_PINS[@]}"

# Node: exactly the locked tree.
mkdir -p "$TOOLS/node"
cp "$HERE/package.json" "$HERE/package-lock.json" "$TOOLS/node/"
(cd "$TOOLS/node" && quiet npm ci --no-audit --no-fund --no-progress --loglevel=error)

tools_work || fail "the tools were installed but do not load (see $TOOLS)"
echo "$WANT" >"$STAMP"
echo "client tools ready in $TOOLS"
