#!/usr/bin/env bash
# Installs the real SPARQL clients that tests/it/clients.rs drives against /sparql, into
# ${DANHMUC_TOOLS:-$HOME/.cache/danhmuc-tools}:
#   venv/  a Python venv with SPARQLWrapper and rdflib (PyPI), pinned below
#   ckan-venv/  CKAN 2.12 with ckanext-dcat 2.4 (PyPI), for tests/clients/ckan_dcat_check.py: its own
#          venv because CKAN declares none of its requirements (its wheel requires only setuptools), so
#          the exact set that imports `ckanext.dcat.processors` on Python 3.11 is pinned below and installed
#          with --no-deps; ckanext-dcat's RDFParser then runs in-process without a database
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
CKAN_PINS=(ckan==2.12.0 ckanext-dcat==2.4.4 ckantoolkit==0.0.7 alembic==1.20.1 babel==2.19.0 blinker==1.9.0
    cachetools==8.0.2 certifi==2026.10.19.post1 charset-normalizer==3.5.3 click==8.5.1 croniter==7.0.0
    dominate==2.9.1 file-keeper==0.2.6 Flask==3.1.3 flask-babel==4.0.0 Flask-Login==0.6.3 frozendict==2.5.1
    geomet==1.1.0 greenlet==3.5.6 idna==3.20 itsdangerous==2.2.0 Jinja2==3.1.6 lxml==6.1.3 Mako==1.4.3
    Markdown==3.11.3 MarkupSafe==3.0.4 msgspec==0.22.0 nh3==0.3.8 packaging==26.4 passlib==1.7.4
    pluggy==1.7.0 polib==1.2.0 PyJWT==2.15.1 PyLD==3.3.0 pyparsing==3.3.3 pysolr==3.11.0
    python-dateutil==4.0.0 python-magic==0.4.27 pytz==2026.6 PyYAML==6.0.4 rdflib==7.6.0 redis==8.1.0
    requests==2.34.2 rq==3.0.0 simplejson==4.3.0 six==1.17.0 SQLAlchemy==2.0.58 typing_extensions==4.16.0
    tzdata==2026.6 tzlocal==5.4.5 urllib3==2.8.0 webassets==3.0.0 Werkzeug==3.1.9 zope.dottedname==7.1)

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
WANT="python: ${PYTHON_PINS[*]}; ckan: ${CKAN_PINS[*]}; npm lock: $(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)"

tools_work() {
    "$TOOLS/venv/bin/python" -c 'import SPARQLWrapper, rdflib' >/dev/null 2>&1 &&
        "$TOOLS/ckan-venv/bin/python" -c 'import ckanext.dcat.processors' >/dev/null 2>&1 &&
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

# CKAN + ckanext-dcat: exactly the pinned set, in a venv of their own.
if ! "$TOOLS/ckan-venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$TOOLS/ckan-venv"
    quiet python3 -m venv "$TOOLS/ckan-venv"
fi
quiet "$TOOLS/ckan-venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps "${CKAN_PINS[@]}"

# Node: exactly the locked tree.
mkdir -p "$TOOLS/node"
cp "$HERE/package.json" "$HERE/package-lock.json" "$TOOLS/node/"
(cd "$TOOLS/node" && quiet npm ci --no-audit --no-fund --no-progress --loglevel=error)

tools_work || fail "the tools were installed but do not load (see $TOOLS)"
echo "$WANT" >"$STAMP"
echo "client tools ready in $TOOLS"
