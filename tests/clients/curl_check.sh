#!/usr/bin/env bash
# curl against danhmuc's /sparql: usage: curl_check.sh ENDPOINT_URL
#
# Every way the SPARQL 1.1 Protocol lets a query be sent — GET ?query=, POST form
# (application/x-www-form-urlencoded), POST application/sparql-query — times every media type
# danhmuc offers, asked by Accept header and by format= parameter: SELECT and ASK as SPARQL JSON,
# XML, CSV, TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples, RDF/XML, JSON-LD, N-Quads, TriG.
# Plus wildcards, q-values, gzip, and the refusals (update → 403, nothing acceptable → 406).
# curl only sends; the answers are then judged by clientlib.py (Python; rdflib for graphs, from
# $PYTHON or the tools' venv): status, Content-Type, and content equal to the JSON/N-Triples
# baseline (count, rows and terms, ASK true/false, isomorphic graphs). One line per check.
set -euo pipefail

url="${1:?usage: curl_check.sh ENDPOINT_URL}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${DANHMUC_TOOLS:-$HOME/.cache/danhmuc-tools}"
python="${PYTHON:-$tools/venv/bin/python}"
[[ -x "$python" ]] || python="$(command -v python3)"
command -v curl >/dev/null || { echo "curl: curl is not installed" >&2; exit 2; }
"$python" -c 'import rdflib' 2>/dev/null || {
    echo "curl: $python has no rdflib to compare graphs with (run tests/clients/setup.sh)" >&2
    exit 2
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
manifest="$work/manifest.tsv"
: >"$manifest"

# The queries, written by clientlib so every client asks the same (the ASK and DESCRIBE need the
# baseline's first dataset and its title).
"$python" "$here/clientlib.py" write-queries "$url" "$work"

n=0
# request LABEL EXPECTATION METHOD QUERYFILE [curl args…]: sends one query, notes the outcome.
request() {
    local label="$1" expect="$2" method="$3" query="$4"
    shift 4
    n=$((n + 1))
    local body="$work/body.$n" headers="$work/headers.$n" status
    local args=(-sS --max-time 120 -o "$body" -D "$headers" -w '%{http_code}')
    case "$method" in
    GET) status="$(curl "${args[@]}" -G --data-urlencode "query@$query" "$@" "$url")" || status="curl exit $?" ;;
    POST-form) status="$(curl "${args[@]}" --data-urlencode "query@$query" "$@" "$url")" || status="curl exit $?" ;;
    POST-direct)
        local target="$url" extra=() a
        # Parameters other than the query go in the URL; headers stay headers.
        while (($#)); do
            a="$1"
            shift
            if [[ "$a" == --data-urlencode ]]; then
                target="$target?$1"
                shift
            else
                extra+=("$a")
            fi
        done
        status="$(curl "${args[@]}" -H 'Content-Type: application/sparql-query' \
            --data-binary "@$query" "${extra[@]}" "$target")" || status="curl exit $?"
        ;;
    *) echo "unknown method $method" >&2; exit 2 ;;
    esac
    local content_type
    touch "$body" "$headers"
    content_type="$(tr -d '\r' <"$headers" | awk -F': *' 'tolower($1) == "content-type" { ct = $2 } END { print ct }')"
    printf '%s\t%s\t%s %s\t%s\t%s\t%s\n' "$label" "$expect" "$method" "$*" "$status" "$content_type" "$body" >>"$manifest"
}

# raw LABEL EXPECTATION [curl args…]: any other request, noted the same way.
raw() {
    local label="$1" expect="$2"
    shift 2
    n=$((n + 1))
    local body="$work/body.$n" headers="$work/headers.$n" status content_type
    status="$(curl -sS --max-time 120 -o "$body" -D "$headers" -w '%{http_code}' "$@")" || status="curl exit $?"
    touch "$body" "$headers"
    content_type="$(tr -d '\r' <"$headers" | awk -F': *' 'tolower($1) == "content-type" { ct = $2 } END { print ct }')"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$expect" "curl $*" "$status" "$content_type" "$body" >>"$manifest"
}

declare -A RESULTS=(
    [application/sparql-results+json]=json
    [application/sparql-results+xml]=xml
    [text/csv]=csv
    [text/tab-separated-values]=tsv
)
declare -A GRAPHS=(
    [text/turtle]=turtle
    [application/n-triples]=nt
    [application/rdf+xml]=xml
    [application/ld+json]=json-ld
    [application/n-quads]=nquads
    [application/trig]=trig
)
# format= names danhmuc documents, and the media type each must give.
declare -A RESULT_NAMES=([json]=application/sparql-results+json [xml]=application/sparql-results+xml [csv]=text/csv [tsv]=text/tab-separated-values)
declare -A GRAPH_NAMES=([turtle]=text/turtle [nt]=application/n-triples [rdfxml]=application/rdf+xml [jsonld]=application/ld+json [nquads]=application/n-quads [trig]=application/trig)

for method in GET POST-form POST-direct; do
    for media in "${!RESULTS[@]}"; do
        for q in count rows ask-true ask-false; do
            request "$method Accept $media: $q" "$q $media" "$method" "$work/$q.rq" -H "Accept: $media"
        done
    done
    for media in "${!GRAPHS[@]}"; do
        for q in construct describe; do
            request "$method Accept $media: $q" "$q $media" "$method" "$work/$q.rq" -H "Accept: $media"
        done
    done
    for name in "${!RESULT_NAMES[@]}"; do
        for q in rows ask-true; do
            request "$method format=$name: $q" "$q ${RESULT_NAMES[$name]}" "$method" "$work/$q.rq" \
                --data-urlencode "format=$name"
        done
    done
    for name in "${!GRAPH_NAMES[@]}"; do
        request "$method format=$name: construct" "construct ${GRAPH_NAMES[$name]}" "$method" "$work/construct.rq" \
            --data-urlencode "format=$name"
    done
    # The parameter wins over the header, and output= is its alias.
    request "$method output=csv over Accept JSON: rows" "rows text/csv" "$method" "$work/rows.rq" \
        -H 'Accept: application/sparql-results+json' --data-urlencode "output=csv"
    # Negotiation as tools and browsers do it.
    request "$method no Accept: count" "count application/sparql-results+json" "$method" "$work/count.rq"
    request "$method no Accept: construct" "construct text/turtle" "$method" "$work/construct.rq"
    request "$method Accept */*: rows" "rows application/sparql-results+json" "$method" "$work/rows.rq" -H 'Accept: */*'
    request "$method Accept */*: construct" "construct text/turtle" "$method" "$work/construct.rq" -H 'Accept: */*'
    request "$method Accept q-values: rows" "rows application/sparql-results+xml" "$method" "$work/rows.rq" \
        -H 'Accept: application/sparql-results+json;q=0.5, application/sparql-results+xml, */*;q=0.1'
    request "$method Accept q-values: construct" "construct application/n-triples" "$method" "$work/construct.rq" \
        -H 'Accept: text/turtle;q=0.8, application/n-triples;q=0.9, */*;q=0.1'
    request "$method Accept application/json: rows" "rows application/sparql-results+json" "$method" "$work/rows.rq" \
        -H 'Accept: application/json'
    request "$method Accept application/json: construct" "construct application/ld+json" "$method" "$work/construct.rq" \
        -H 'Accept: application/json'
    request "$method gzip: construct" "construct text/turtle" "$method" "$work/construct.rq" --compressed \
        -H 'Accept: text/turtle'
    request "$method Accept image/png: rows refused" "status 406" "$method" "$work/rows.rq" -H 'Accept: image/png'
done
raw "POST application/sparql-update refused" "status 403" \
    -H 'Content-Type: application/sparql-update' --data-binary "@$work/update.ru" "$url"
raw "POST form update= refused" "status 403" --data-urlencode "update@$work/update.ru" "$url"
raw "GET without a query: service description" "service text/turtle" -H 'Accept: text/turtle' "$url"

exec "$python" "$here/clientlib.py" verify-curl "$url" "$work"
