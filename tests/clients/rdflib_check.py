#!/usr/bin/env python3
"""rdflib's SPARQLStore (PyPI) against danhmuc's /sparql: usage: rdflib_check.py ENDPOINT_URL

A Graph over SPARQLStore(endpoint) for each request method rdflib has (GET, POST with a query body,
POST_FORM) and each returnFormat it can ask for: SELECT and ASK as xml and json (plus csv and tsv
for SELECT: rdflib cannot read an ASK answer in those), CONSTRUCT and DESCRIBE as every RDF syntax
danhmuc writes (xml, turtle, n3, nt, json-ld, trig, nquads). g.query() answers must equal the
baseline fetched over plain HTTP: the dataset count, every row and term, the ASK answers, and
graphs isomorphic to the N-Triples answer. Then the store API, which writes its own SPARQL:
g.triples(), `in`, g.objects().
"""

from __future__ import annotations

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import clientlib as c  # noqa: E402
import rdflib  # noqa: E402
from rdflib.plugins.stores.sparqlstore import SPARQLStore  # noqa: E402

METHODS = ["GET", "POST", "POST_FORM"]
RESULT_FORMATS = ["xml", "json", "csv", "tsv"]
ASK_FORMATS = ["xml", "json"]
# returnFormat → what rdflib puts in Accept (checked against what danhmuc answers).
GRAPH_FORMATS = ["xml", "turtle", "n3", "nt", "json-ld", "trig", "nquads"]

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def term(node) -> c.Term:
    if isinstance(node, rdflib.URIRef):
        return c.Term("uri", str(node))
    if isinstance(node, rdflib.BNode):
        return c.Term("bnode", str(node))
    if isinstance(node, rdflib.Literal):
        return c.Term("literal", str(node), node.language, str(node.datatype) if node.datatype else None)
    raise TypeError(f"unexpected term {node!r}")


def rows_of(result, plain: bool):
    if result.type != "SELECT":
        raise TypeError(f"a SELECT answer was read as {result.type}")
    variables = [str(v) for v in result.vars]
    rows = []
    for row in result:
        values = row.asdict()
        rows.append({k: (str(v) if plain else term(v)) for k, v in values.items()})
    return variables, rows


def store(url: str, method: str, fmt: str) -> rdflib.Graph:
    return rdflib.Graph(store=SPARQLStore(url, returnFormat=fmt, method=method))


def query(g: rdflib.Graph, text: str):
    """g.query(), with rdflib's way of reporting a failed POST (a tuple) made an exception."""
    try:
        result = g.query(text)
    except ValueError as error:
        # rdflib's GET hides the HTTP error: repeat the request to show what the endpoint said.
        raise RuntimeError(f"{error} — the same request answered {replay(g.store, text)}") from error
    if isinstance(result, tuple):
        raise RuntimeError(f"the endpoint answered {result[1]}")
    return result


def replay(sparql_store: SPARQLStore, text: str) -> str:
    import urllib.error
    import urllib.parse
    import urllib.request

    accept = sparql_store.response_mime_types()
    request = urllib.request.Request(
        sparql_store.query_endpoint + "?" + urllib.parse.urlencode({"query": text}), headers={"Accept": accept}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return f"HTTP {response.status} {response.headers.get('Content-Type')} (Accept: {accept})"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code} (Accept: {accept}): {error.read()[:200].decode('utf-8', 'replace')}"


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: rdflib_check.py ENDPOINT_URL")
    url = sys.argv[1]
    baseline = c.Baseline.fetch(url)
    checks = c.Checks("rdflib")
    print(f"baseline: {baseline.count} datasets, {len(baseline.rows)} rows; DESCRIBE <{baseline.described}>")

    for method in METHODS:
        for fmt in RESULT_FORMATS:
            # CSV keeps no term kinds: rdflib guesses IRIs from http(s):// and makes the rest plain literals.
            plain = fmt == "csv"

            def count(fmt=fmt, plain=plain):
                variables, rows = rows_of(query(store(url, method, fmt), c.Q_COUNT), plain)
                return c.check_count("plain" if plain else "full", variables, rows, baseline)

            def select(fmt=fmt, plain=plain):
                variables, rows = rows_of(query(store(url, method, fmt), c.Q_ROWS), plain)
                return c.check_rows("plain" if plain else "full", variables, rows, baseline)

            checks.run(f"{method}: SELECT COUNT as {fmt}", count)
            checks.run(f"{method}: SELECT rows as {fmt}", select)

        for fmt in ASK_FORMATS:

            def ask(fmt=fmt):
                g = store(url, method, fmt)
                for text, expected in ((c.q_ask_title(baseline.title), True), (c.q_ask_title(c.NO_SUCH_TITLE), False)):
                    result = query(g, text)
                    if result.type != "ASK":
                        return f"an ASK answer was read as {result.type}"
                    if result.askAnswer is not expected:
                        return f"ASK answered {result.askAnswer}, expected {expected}"
                return None

            checks.run(f"{method}: ASK true and false as {fmt}", ask)

        for fmt in GRAPH_FORMATS:
            for form, text, judge in (
                ("CONSTRUCT", c.Q_CONSTRUCT, c.check_construct_graph),
                ("DESCRIBE", c.q_describe(baseline.described), c.check_describe_graph),
            ):

                def graph(fmt=fmt, text=text, judge=judge, form=form):
                    result = query(store(url, method, fmt), text)
                    if result.type not in ("CONSTRUCT", "DESCRIBE"):
                        return f"a {form} answer was read as {result.type}"
                    return judge(result.graph, baseline)

                checks.run(f"{method}: {form} as {fmt}", graph)

        # The store API: rdflib writes the SPARQL itself.
        def triples(method=method):
            g = store(url, method, "xml")
            datasets = sorted(str(s) for s, _, _ in g.triples((None, rdflib.RDF.type, DCAT.Dataset)))
            if datasets != baseline.datasets:
                return f"g.triples() found {len(datasets)} datasets, expected {baseline.count}"
            subject = rdflib.URIRef(baseline.described)
            if (subject, rdflib.RDF.type, DCAT.Dataset) not in g:
                return f"<{baseline.described}> a dcat:Dataset is not `in` the graph"
            if (subject, rdflib.RDF.type, DCAT.Catalog) in g:
                return f"<{baseline.described}> a dcat:Catalog is `in` the graph"
            titles = set(g.objects(subject, DCT.title))
            if rdflib.Literal(baseline.title, lang="vi") not in titles:
                return f"g.objects() gave titles {titles}, without {baseline.title!r}@vi"
            return None

        checks.run(f"{method}: store API (triples, in, objects)", triples)

    checks.finish()


if __name__ == "__main__":
    main()
