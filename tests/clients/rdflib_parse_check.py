#!/usr/bin/env python3
"""rdflib (PyPI) as an independent parser: usage: rdflib_parse_check.py ORIGINAL EXPORT [ORIGINAL EXPORT …]

Each ORIGINAL is an RDF file (Turtle, RDF/XML or JSON-LD, from its extension) that danhmuc imported
into an empty store; EXPORT is what `danhmuc export --format nquads` wrote afterwards. rdflib parses
ORIGINAL on its own; the default graph of EXPORT must be isomorphic to it, and EXPORT must hold no
other graph. Prints one line per file that differs and exits 1 if any did.

Oxigraph stores numbers, booleans and dates by value, so `"30.0"^^xsd:decimal` reads back in its
canonical form `"30"`: literals of those datatypes are compared by value (both sides are mapped to
one lexical form per value), everything else character for character.
"""

from __future__ import annotations

import decimal
import logging
import sys
import warnings

sys.dont_write_bytecode = True  # no __pycache__ in the work tree

import rdflib  # noqa: E402
from rdflib.compare import graph_diff, isomorphic, to_isomorphic  # noqa: E402
from rdflib.namespace import XSD  # noqa: E402

BY_VALUE = {XSD.decimal, XSD.integer, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime}

FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld", "nt": "nt", "nq": "nquads", "trig": "trig"}


def by_value(node):
    """One lexical form per value for the datatypes Oxigraph stores by value."""
    if not (isinstance(node, rdflib.Literal) and node.datatype in BY_VALUE and node.value is not None):
        return node
    value = node.value
    if isinstance(value, decimal.Decimal):
        lexical = format(value.normalize(), "f")
    elif isinstance(value, bool):
        lexical = "true" if value else "false"
    elif isinstance(value, float):
        lexical = repr(value)
    elif hasattr(value, "isoformat"):
        lexical = value.isoformat()
    else:
        lexical = str(value)
    return rdflib.Literal(lexical, datatype=node.datatype)


def normalised(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        out.add((s, p, by_value(o)))
    return out


def main(argv: list[str]) -> int:
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)  # rdflib logs every ill-typed literal it meets
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    failures = 0
    for original, export in zip(argv[0::2], argv[1::2]):
        theirs = normalised(rdflib.Graph().parse(original, format=FORMATS[original.rsplit(".", 1)[-1]]))
        dataset = rdflib.Dataset()
        dataset.parse(export, format="nquads")
        ours = rdflib.Graph()
        others = set()
        for s, p, o, g in dataset.quads((None, None, None, None)):
            if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
                ours.add((s, p, by_value(o)))
            else:
                others.add(str(g))
        if others:
            failures += 1
            print(f"{original}: the export holds other graphs: {sorted(others)}")
        if not isomorphic(theirs, ours):
            failures += 1
            _, only_theirs, only_ours = graph_diff(to_isomorphic(theirs), to_isomorphic(ours))
            print(
                f"{original}: rdflib reads {len(theirs)} triples, danhmuc stored {len(ours)}; "
                f"only rdflib: {sorted(only_theirs)[:3]}; only danhmuc: {sorted(only_ours)[:3]}"
            )
    print(f"{len(argv) // 2} files, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
