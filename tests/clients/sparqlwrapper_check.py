#!/usr/bin/env python3
"""SPARQLWrapper (PyPI) against danhmuc's /sparql: usage: sparqlwrapper_check.py ENDPOINT_URL

For each request style SPARQLWrapper has — GET, POST form (URLENCODED), POST query body
(POSTDIRECTLY) — with and without its format=/output=/results= parameters (setOnlyConneg), it asks
for every return format it knows: SELECT and ASK as JSON, XML, CSV, TSV; CONSTRUCT and DESCRIBE as
TURTLE, N3, XML, RDF, RDFXML, JSONLD, JSON and (by Accept header) N-Triples. Every answer must come with
the media type asked for (SPARQLWrapper's format warnings are errors here) and must equal the
baseline fetched over plain HTTP: the dataset count, every row and term, the ASK answers, and
graphs isomorphic to the N-Triples answer. Last, SPARQLWrapper2's JSON bindings objects.
"""

from __future__ import annotations

import os
import sys
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import clientlib as c  # noqa: E402
from SPARQLWrapper import (  # noqa: E402
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
    SPARQLWrapper2,
)

# A content type that does not match the format asked for is a failure, not a warning ...
warnings.simplefilter("error", RuntimeWarning)
# ... but for a CONSTRUCT, RDF ("give me an rdflib graph") and JSON have no media type in
# SPARQLWrapper: it warns before sending that it asks for */*, which is no fault of the endpoint, nor
# is it one that */* then gets the endpoint's default, Turtle, which SPARQLWrapper also warns of.
warnings.filterwarnings("ignore", message="Sending Accept header '\\*/\\*'", category=RuntimeWarning)
warnings.filterwarnings("ignore", message="Format requested was (RDF|JSON), but N3", category=RuntimeWarning)

STYLES = [
    ("GET", GET, None),
    ("POST form", POST, URLENCODED),
    ("POST direct", POST, POSTDIRECTLY),
]

# What SELECT/ASK may be returned as, and the media type the answer must carry.
RESULT_FORMATS = {
    JSON: "application/sparql-results+json",
    XML: "application/sparql-results+xml",
    CSV: "text/csv",
    TSV: "text/tab-separated-values",
}

# What CONSTRUCT/DESCRIBE may be returned as, and the media type the answer must carry (keyed by
# "Accept only"). RDF and JSON ask with Accept: */* (the endpoint's default, Turtle) but with
# format=rdf (danhmuc: RDF/XML) and format=json (danhmuc: JSON-LD).
GRAPH_FORMATS = {
    TURTLE: {False: "text/turtle", True: "text/turtle"},
    N3: {False: "text/turtle", True: "text/turtle"},
    XML: {False: "application/rdf+xml", True: "application/rdf+xml"},
    RDF: {False: "application/rdf+xml", True: "text/turtle"},
    RDFXML: {False: "application/rdf+xml", True: "application/rdf+xml"},
    JSONLD: {False: "application/ld+json", True: "application/ld+json"},
    JSON: {False: "application/ld+json", True: "text/turtle"},
}
# How to read convert()'s value when it is text (for RDF/XML and JSON-LD it is an rdflib graph).
TEXT_SYNTAX = {"text/turtle": "turtle", "application/n-triples": "nt"}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: sparqlwrapper_check.py ENDPOINT_URL")
    url = sys.argv[1]
    baseline = c.Baseline.fetch(url)
    checks = c.Checks("sparqlwrapper")
    print(f"baseline: {baseline.count} datasets, {len(baseline.rows)} rows; DESCRIBE <{baseline.described}>")

    def wrapper(method, encoding, only_conneg, return_format, query) -> SPARQLWrapper:
        sparql = SPARQLWrapper(url)
        sparql.setMethod(method)
        if encoding:
            sparql.setRequestMethod(encoding)
        sparql.setOnlyConneg(only_conneg)
        sparql.setReturnFormat(return_format)
        sparql.setQuery(query)
        return sparql

    def content_type(result) -> str:
        return result.info().get("content-type", "")

    for style, method, encoding in STYLES:
        for only_conneg in (False, True):
            how = f"{style}, {'Accept only' if only_conneg else 'Accept + format params'}"

            for fmt, media_type in RESULT_FORMATS.items():

                def select_count(fmt=fmt, media_type=media_type):
                    result = wrapper(method, encoding, only_conneg, fmt, c.Q_COUNT).query()
                    ct = content_type(result)
                    if not ct.startswith(media_type):
                        return f"Content-Type {ct!r}, expected {media_type}"
                    converted = result.convert()
                    return count_problem(fmt, converted, baseline)

                def select_rows(fmt=fmt):
                    converted = wrapper(method, encoding, only_conneg, fmt, c.Q_ROWS).query().convert()
                    return rows_problem(fmt, converted, baseline)

                def ask(fmt=fmt, media_type=media_type):
                    for query, expected in ((c.q_ask_title(baseline.title), True), (c.q_ask_title(c.NO_SUCH_TITLE), False)):
                        result = wrapper(method, encoding, only_conneg, fmt, query).query()
                        ct = content_type(result)
                        if not ct.startswith(media_type):
                            return f"Content-Type {ct!r}, expected {media_type}"
                        got = boolean(fmt, result.convert())
                        if got is not expected:
                            return f"ASK answered {got}, expected {expected}"
                    return None

                checks.run(f"{how}: SELECT COUNT as {fmt}", select_count)
                checks.run(f"{how}: SELECT rows as {fmt}", select_rows)
                checks.run(f"{how}: ASK true and false as {fmt}", ask)

            for fmt, media_types in GRAPH_FORMATS.items():
                media_type = media_types[only_conneg]
                for form, query, judge in (
                    ("CONSTRUCT", c.Q_CONSTRUCT, c.check_construct_graph),
                    ("DESCRIBE", c.q_describe(baseline.described), c.check_describe_graph),
                ):

                    def graph(fmt=fmt, media_type=media_type, query=query, judge=judge):
                        result = wrapper(method, encoding, only_conneg, fmt, query).query()
                        ct = content_type(result)
                        if not ct.startswith(media_type):
                            return f"Content-Type {ct!r}, expected {media_type}"
                        converted = result.convert()
                        if isinstance(converted, bytes):
                            converted = c.parse_graph(converted, TEXT_SYNTAX[media_type])
                        return judge(converted, baseline)

                    checks.run(f"{how}: {form} as {fmt}", graph)

            # N-Triples has no SPARQLWrapper constant: ask by Accept header, as its docs suggest.
            for form, query, judge in (
                ("CONSTRUCT", c.Q_CONSTRUCT, c.check_construct_graph),
                ("DESCRIBE", c.q_describe(baseline.described), c.check_describe_graph),
            ):

                def ntriples(query=query, judge=judge):
                    sparql = wrapper(method, encoding, True, N3, query)
                    sparql.addCustomHttpHeader("Accept", "application/n-triples")
                    result = sparql.query()
                    ct = content_type(result)
                    if not ct.startswith("application/n-triples"):
                        return f"Content-Type {ct!r}, expected application/n-triples"
                    return judge(c.parse_graph(result.convert(), "nt"), baseline)

                checks.run(f"{how}: {form} as N-Triples (Accept header)", ntriples)

    # SPARQLWrapper2: the "smart" wrapper that reads JSON bindings into objects.
    def smart():
        sparql = SPARQLWrapper2(url)
        sparql.setQuery(c.Q_ROWS)
        bindings = sparql.query().bindings
        rows = [
            {name: c.Term(v.type if v.type != "typed-literal" else "literal", v.value, v.lang, v.datatype) for name, v in b.items()}
            for b in bindings
        ]
        return c.check_rows("full", baseline.row_variables, rows, baseline)

    checks.run("SPARQLWrapper2 (smart JSON bindings): SELECT rows", smart)
    checks.finish()


def count_problem(fmt, converted, baseline) -> str | None:
    variables, rows, kind = parse_results(fmt, converted)
    return c.check_count(kind, variables, rows, baseline)


def rows_problem(fmt, converted, baseline) -> str | None:
    variables, rows, kind = parse_results(fmt, converted)
    return c.check_rows(kind, variables, rows, baseline)


def parse_results(fmt, converted):
    """SPARQLWrapper's convert() value for SELECT → (variables, rows, 'full'|'plain')."""
    if fmt == JSON:
        if not isinstance(converted, dict):
            raise TypeError(f"JSON convert() gave {type(converted).__name__}")
        import json

        return (*c.rows_from_json(json.dumps(converted).encode()), "full")
    if fmt == XML:
        return (*c.rows_from_xml_dom(converted), "full")
    if fmt == CSV:
        return (*c.rows_from_csv(converted), "plain")
    if fmt == TSV:
        return (*c.rows_from_tsv(converted), "full")
    raise ValueError(fmt)


def boolean(fmt, converted) -> bool:
    if fmt == JSON:
        if not isinstance(converted.get("boolean"), bool):
            raise ValueError(f"no boolean in {converted}")
        return converted["boolean"]
    if fmt == XML:
        return c.boolean_from_xml_dom(converted)
    return c.boolean_from_text(converted)


if __name__ == "__main__":
    main()
