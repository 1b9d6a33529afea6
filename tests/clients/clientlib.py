"""Shared by the client checks: the queries, an independent baseline, result parsers and a tally.

The baseline is fetched with the standard library (urllib), not with the client under test, and
every client's answers are compared with it: the checks prove answers are *correct*, not only that
a request went through. Graph comparisons need rdflib (the tools' venv has it).
"""

from __future__ import annotations

import csv
import io
import json
import sys
import urllib.parse
import urllib.request
import xml.dom.minidom
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

PREFIXES = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCAT_DATASET = "http://www.w3.org/ns/dcat#Dataset"
DCT_TITLE = "http://purl.org/dc/terms/title"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = XSD + "integer"
XSD_STRING = XSD + "string"
NO_SUCH_TITLE = "Không có bộ dữ liệu nào tên này"

# How many datasets anyone may see.
Q_COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }"

# Every dataset with its Vietnamese titles, an optional date and a column that is never bound
# (empty CSV/TSV cells, absent JSON/XML bindings).
Q_ROWS = (
    PREFIXES
    + """SELECT ?d ?title ?modified ?never WHERE {
  ?d a dcat:Dataset ; dct:title ?title .
  FILTER(lang(?title) = "vi")
  OPTIONAL { ?d dct:modified ?modified }
  OPTIONAL { ?d <urn:danhmuc-test:never> ?never }
}
ORDER BY ?d ?title"""
)


def q_ask_title(title: str) -> str:
    """An ASK whose answer is true exactly when a dataset has this Vietnamese title."""
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    return PREFIXES + f'ASK {{ ?d a dcat:Dataset ; dct:title "{escaped}"@vi }}'


# Datasets, their titles and publishers, plus one fresh blank node per (dataset, title): graphs
# with blank nodes are compared up to isomorphism.
Q_CONSTRUCT = (
    PREFIXES
    + """CONSTRUCT {
  ?d a dcat:Dataset ; dct:title ?title ; dct:publisher ?p .
  ?d rdfs:seeAlso [ rdfs:label ?title ] .
} WHERE {
  ?d a dcat:Dataset ; dct:title ?title .
  OPTIONAL { ?d dct:publisher ?p }
}"""
)


def q_describe(iri: str) -> str:
    return f"DESCRIBE <{iri}>"


# ---------------------------------------------------------------------------------------------
# Terms and rows


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term: kind is 'uri', 'bnode' or 'literal'."""

    kind: str
    value: str
    lang: Optional[str] = None
    datatype: Optional[str] = None

    def key(self) -> tuple:
        """What must survive every results format but CSV (blank node labels are local)."""
        if self.kind == "bnode":
            return ("bnode",)
        lang = self.lang.lower() if self.lang else None
        datatype = None if self.datatype == XSD_STRING else self.datatype
        return (self.kind, self.value, lang, datatype)

    def plain(self) -> str:
        """The CSV form: the lexical form or IRI alone."""
        return "_:" if self.kind == "bnode" else self.value


Row = dict  # variable name -> Term (unbound variables absent)


def rows_from_json(data: bytes) -> tuple[list[str], list[Row]]:
    doc = json.loads(data.decode("utf-8"))
    variables = doc["head"]["vars"]
    rows = []
    for binding in doc["results"]["bindings"]:
        row = {}
        for name, t in binding.items():
            kind = "uri" if t["type"] == "uri" else "bnode" if t["type"] == "bnode" else "literal"
            if t["type"] not in ("uri", "bnode", "literal", "typed-literal"):
                raise ValueError(f"unknown JSON term type {t['type']!r}")
            row[name] = Term(kind, t["value"], t.get("xml:lang"), t.get("datatype"))
        rows.append(row)
    return variables, rows


def boolean_from_json(data: bytes) -> bool:
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc.get("boolean"), bool):
        raise ValueError(f"no boolean in {data[:200]!r}")
    return doc["boolean"]


SRX = "http://www.w3.org/2005/sparql-results#"


def _text(node) -> str:
    return "".join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))


def rows_from_xml_dom(doc) -> tuple[list[str], list[Row]]:
    root = doc.documentElement
    if root.namespaceURI != SRX or root.localName != "sparql":
        raise ValueError(f"not SPARQL results XML: root {root.tagName}")
    variables = [v.getAttribute("name") for v in doc.getElementsByTagNameNS(SRX, "variable")]
    rows = []
    for result in doc.getElementsByTagNameNS(SRX, "result"):
        row = {}
        for binding in result.getElementsByTagNameNS(SRX, "binding"):
            term = next(c for c in binding.childNodes if c.nodeType == c.ELEMENT_NODE)
            name = binding.getAttribute("name")
            if term.localName == "uri":
                row[name] = Term("uri", _text(term))
            elif term.localName == "bnode":
                row[name] = Term("bnode", _text(term))
            elif term.localName == "literal":
                lang = term.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang") or None
                datatype = term.getAttribute("datatype") or None
                row[name] = Term("literal", _text(term), lang, datatype)
            else:
                raise ValueError(f"unknown XML term <{term.tagName}>")
        rows.append(row)
    return variables, rows


def rows_from_xml(data: bytes) -> tuple[list[str], list[Row]]:
    return rows_from_xml_dom(xml.dom.minidom.parseString(data))


def boolean_from_xml_dom(doc) -> bool:
    found = doc.getElementsByTagNameNS(SRX, "boolean")
    if len(found) != 1:
        raise ValueError("no <boolean> in the XML results")
    value = _text(found[0]).strip()
    if value not in ("true", "false"):
        raise ValueError(f"<boolean> is {value!r}")
    return value == "true"


def boolean_from_xml(data: bytes) -> bool:
    return boolean_from_xml_dom(xml.dom.minidom.parseString(data))


def rows_from_csv(data: bytes) -> tuple[list[str], list[dict]]:
    """CSV results: variable -> plain string (the format keeps no term kinds); '' is unbound."""
    text = data.decode("utf-8")
    if "\r\n" not in text:
        raise ValueError("CSV results must end lines with CRLF (RFC 4180, SPARQL 1.1 CSV)")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = list(reader)
    header, body = lines[0], lines[1:]
    return header, [{name: value for name, value in zip(header, line) if value != ""} for line in body]


def _tsv_unescape(s: str) -> str:
    out, i = [], 0
    escapes = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\"}
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            c = s[i + 1]
            if c in escapes:
                out.append(escapes[c])
                i += 2
                continue
            if c in "uU":
                n = 4 if c == "u" else 8
                out.append(chr(int(s[i + 2 : i + 2 + n], 16)))
                i += 2 + n
                continue
        out.append(s[i])
        i += 1
    return "".join(out)


def tsv_term(cell: str) -> Term:
    """One TSV cell (SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax)."""
    if cell.startswith("<") and cell.endswith(">"):
        return Term("uri", cell[1:-1])
    if cell.startswith("_:"):
        return Term("bnode", cell[2:])
    if cell.startswith('"'):
        end = cell.rfind('"')
        if end == 0:
            raise ValueError(f"bad TSV literal {cell!r}")
        lexical, rest = _tsv_unescape(cell[1:end]), cell[end + 1 :]
        if rest.startswith("@"):
            return Term("literal", lexical, rest[1:])
        if rest.startswith("^^<") and rest.endswith(">"):
            return Term("literal", lexical, None, rest[3:-1])
        if rest == "":
            return Term("literal", lexical)
        raise ValueError(f"bad TSV literal {cell!r}")
    if cell in ("true", "false"):
        return Term("literal", cell, None, XSD + "boolean")
    try:
        int(cell)
        return Term("literal", cell, None, XSD_INTEGER)
    except ValueError:
        pass
    if "e" in cell.lower():
        float(cell)
        return Term("literal", cell, None, XSD + "double")
    float(cell)
    return Term("literal", cell, None, XSD + "decimal")


def rows_from_tsv(data: bytes) -> tuple[list[str], list[Row]]:
    text = data.decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    if not all(h.startswith("?") for h in header if h):
        raise ValueError(f"TSV header must name ?variables: {lines[0]!r}")
    variables = [h[1:] for h in header if h]
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(variables):
            raise ValueError(f"TSV row has {len(cells)} cells for {len(variables)} variables: {line!r}")
        rows.append({v: tsv_term(c) for v, c in zip(variables, cells) if c != ""})
    return variables, rows


def boolean_from_text(data: bytes) -> bool:
    """ASK answers in CSV/TSV are not standardised; danhmuc (like Jena) writes the bare word."""
    words = data.decode("utf-8").split()
    if words not in (["true"], ["false"]) and words[-1:] not in (["true"], ["false"]):
        raise ValueError(f"no true/false in {data[:200]!r}")
    return words[-1] == "true"


def full_keys(rows: Iterable[Row]) -> list:
    return sorted(tuple(sorted((k, t.key()) for k, t in row.items())) for row in rows)


def plain_keys(rows: Iterable[dict]) -> list:
    return sorted(
        tuple(sorted((k, t.plain() if isinstance(t, Term) else t) for k, t in row.items())) for row in rows
    )


# ---------------------------------------------------------------------------------------------
# The baseline


def http(url: str, query: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@dataclass
class Baseline:
    """What the endpoint answers over plain HTTP (JSON results, N-Triples graphs)."""

    count: int
    row_variables: list[str]
    rows: list[Row]
    datasets: list[str]
    title: str  # one Vietnamese title
    described: str  # the dataset that title belongs to
    construct_nt: bytes
    describe_nt: bytes

    @staticmethod
    def fetch(url: str) -> "Baseline":
        _, _, body = http(url, Q_COUNT, "application/sparql-results+json")
        _, rows = rows_from_json(body)
        count = int(rows[0]["n"].value)
        if rows[0]["n"].datatype != XSD_INTEGER:
            raise SystemExit(f"baseline: COUNT is not an xsd:integer: {rows[0]['n']}")
        if count < 10:
            raise SystemExit(f"baseline: only {count} datasets; is this the --demo catalogue?")
        _, _, body = http(url, Q_ROWS, "application/sparql-results+json")
        variables, rows = rows_from_json(body)
        datasets = sorted({r["d"].value for r in rows})
        if len(datasets) != count:
            raise SystemExit(f"baseline: {len(datasets)} datasets have a Vietnamese title, COUNT says {count}")
        if any("never" in r for r in rows):
            raise SystemExit("baseline: ?never is bound")
        described = datasets[0]
        title = next(r["title"].value for r in rows if r["d"].value == described)
        _, ct, construct_nt = http(url, Q_CONSTRUCT, "application/n-triples")
        if not ct.startswith("application/n-triples"):
            raise SystemExit(f"baseline: CONSTRUCT as N-Triples came as {ct}")
        _, _, describe_nt = http(url, q_describe(described), "application/n-triples")
        return Baseline(count, variables, rows, datasets, title, described, construct_nt, describe_nt)


# ---------------------------------------------------------------------------------------------
# Graphs (rdflib)


def parse_graph(data, fmt: str):
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=data, format=fmt)
    return graph


_CANONICAL: dict = {}


def _canonical_expected(expected_nt: bytes):
    """The N-Triples answer parsed and canonicalised, once per answer."""
    from rdflib.compare import to_isomorphic

    if expected_nt not in _CANONICAL:
        _CANONICAL[expected_nt] = to_isomorphic(parse_graph(expected_nt, "nt"))
    return _CANONICAL[expected_nt]


def graph_problem(graph, expected_nt: bytes) -> Optional[str]:
    """None when `graph` is isomorphic to the N-Triples `expected_nt`, else what differs."""
    from rdflib.compare import graph_diff, to_isomorphic

    expected = _canonical_expected(expected_nt)
    # rdflib's Dataset/ConjunctiveGraph results: compare the triples, whatever graph they are in.
    if hasattr(graph, "quads") and hasattr(graph, "contexts"):
        import rdflib

        flat = rdflib.Graph()
        for s, p, o, *_ in graph.quads((None, None, None, None)):
            flat.add((s, p, o))
        graph = flat
    if len(graph) != len(expected):
        return f"{len(graph)} triples, expected {len(expected)}"
    got = to_isomorphic(graph)
    if got == expected:
        return None
    _, only_got, only_expected = graph_diff(got, expected)
    extra = sorted(" ".join(t.n3() for t in triple) for triple in only_got)[:3]
    missing = sorted(" ".join(t.n3() for t in triple) for triple in only_expected)[:3]
    return f"not isomorphic to the N-Triples answer: e.g. extra {extra}, missing {missing}"


def check_construct_graph(graph, baseline: Baseline) -> Optional[str]:
    import rdflib

    typed = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(DCAT_DATASET)))
    if len(typed) != baseline.count:
        return f"{len(typed)} dcat:Dataset subjects, COUNT says {baseline.count}"
    title = rdflib.Literal(baseline.title, lang="vi")
    if (rdflib.URIRef(baseline.described), rdflib.URIRef(DCT_TITLE), title) not in graph:
        return f"the title {baseline.title!r}@vi of {baseline.described} is missing"
    return graph_problem(graph, baseline.construct_nt)


def check_describe_graph(graph, baseline: Baseline) -> Optional[str]:
    import rdflib

    s = rdflib.URIRef(baseline.described)
    if (s, rdflib.RDF.type, rdflib.URIRef(DCAT_DATASET)) not in graph:
        return f"DESCRIBE <{baseline.described}> lacks its rdf:type dcat:Dataset"
    if (s, rdflib.URIRef(DCT_TITLE), rdflib.Literal(baseline.title, lang="vi")) not in graph:
        return f"DESCRIBE <{baseline.described}> lacks its title"
    return graph_problem(graph, baseline.describe_nt)


def check_rows(kind: str, variables: list[str], rows: list, baseline: Baseline) -> Optional[str]:
    """Compares SELECT Q_ROWS answers with the baseline; kind 'full' or 'plain' (CSV)."""
    if [v for v in variables] != baseline.row_variables:
        return f"variables {variables}, expected {baseline.row_variables}"
    if len(rows) != len(baseline.rows):
        return f"{len(rows)} rows, expected {len(baseline.rows)}"
    if kind == "plain":
        got, want = plain_keys(rows), plain_keys(baseline.rows)
    else:
        got, want = full_keys(rows), full_keys(baseline.rows)
    if got != want:
        diff = [g for g in got if g not in want][:2]
        return f"rows differ from the JSON baseline, e.g. {diff}"
    return None


def check_count(kind: str, variables: list[str], rows: list, baseline: Baseline) -> Optional[str]:
    if variables != ["n"] or len(rows) != 1:
        return f"expected one row of ?n, got variables {variables} and {len(rows)} rows"
    n = rows[0].get("n")
    if kind == "full":
        if n is None or n.kind != "literal" or n.datatype != XSD_INTEGER:
            return f"?n is {n}, expected an xsd:integer"
        n = n.value
    if str(n) != str(baseline.count):
        return f"?n = {n}, expected {baseline.count}"
    return None


# ---------------------------------------------------------------------------------------------
# The tally


class Checks:
    """Prints one line per check; remembers failures."""

    def __init__(self, client: str):
        self.client = client
        self.failed: list[str] = []
        self.passed = 0

    def run(self, label: str, check: Callable[[], Optional[str]]) -> None:
        try:
            problem = check()
        except Exception as error:  # noqa: BLE001 - any client error is a failed check
            problem = f"{type(error).__name__}: {error}"
            body = getattr(error, "read", None)
            if callable(body):
                try:
                    problem += f" — response: {body()[:300]!r}"
                except Exception:  # noqa: BLE001
                    pass
        if problem:
            problem = " ".join(str(problem).split())  # one line per check
            self.failed.append(label)
            print(f"FAIL {self.client}: {label}: {problem}", flush=True)
        else:
            self.passed += 1
            print(f"ok   {self.client}: {label}", flush=True)

    def finish(self) -> None:
        print(f"{self.client}: {self.passed} passed, {len(self.failed)} failed", flush=True)
        if self.failed:
            print(f"{self.client}: FAILED checks: " + "; ".join(self.failed), file=sys.stderr, flush=True)
            sys.exit(1)


# ---------------------------------------------------------------------------------------------
# curl_check.sh's two steps: write the queries, then judge what curl got.

RESULT_READERS = {
    "application/sparql-results+json": ("full", rows_from_json, boolean_from_json),
    "application/sparql-results+xml": ("full", rows_from_xml, boolean_from_xml),
    "text/csv": ("plain", rows_from_csv, boolean_from_text),
    "text/tab-separated-values": ("full", rows_from_tsv, boolean_from_text),
}
GRAPH_READERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
UPDATE = 'INSERT DATA { <urn:danhmuc-test:s> <urn:danhmuc-test:p> "must not be written" }'


def write_queries(url: str, directory: str) -> None:
    import os

    baseline = Baseline.fetch(url)
    queries = {
        "count.rq": Q_COUNT,
        "rows.rq": Q_ROWS,
        "ask-true.rq": q_ask_title(baseline.title),
        "ask-false.rq": q_ask_title(NO_SUCH_TITLE),
        "construct.rq": Q_CONSTRUCT,
        "describe.rq": q_describe(baseline.described),
        "update.ru": UPDATE,
    }
    for name, text in queries.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"baseline: {baseline.count} datasets, {len(baseline.rows)} rows; DESCRIBE <{baseline.described}>")


def judge_exchange(expect: str, status: str, content_type: str, body: bytes, baseline: Baseline) -> Optional[str]:
    kind, _, media = expect.partition(" ")
    essence = content_type.split(";")[0].strip().lower()
    if kind == "status":
        if status != media:
            return f"HTTP {status}, expected {media}; body {body[:200]!r}"
        if not body.strip():
            return "the refusal has no explanation in its body"
        return None
    if status != "200":
        return f"HTTP {status} ({content_type}): {body[:300].decode('utf-8', 'replace')}"
    if essence != media:
        return f"Content-Type {content_type!r}, expected {media}"
    if media in RESULT_READERS:
        fidelity, read_rows, read_boolean = RESULT_READERS[media]
        if kind in ("ask-true", "ask-false"):
            got = read_boolean(body)
            return None if got is (kind == "ask-true") else f"ASK answered {got}"
        variables, rows = read_rows(body)
        if kind == "count":
            return check_count(fidelity, variables, rows, baseline)
        return check_rows(fidelity, variables, rows, baseline)
    graph = parse_graph(body, GRAPH_READERS[media])
    if kind == "construct":
        return check_construct_graph(graph, baseline)
    if kind == "describe":
        return check_describe_graph(graph, baseline)
    if kind == "service":
        import rdflib

        sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
        endpoints = set(graph.objects(None, sd.endpoint))
        formats = set(graph.objects(None, sd.resultFormat))
        if not endpoints:
            return "the service description has no sd:endpoint"
        if len(formats) < 4:
            return f"the service description lists {len(formats)} result formats"
        return None
    raise ValueError(f"unknown expectation {expect!r}")


def verify_curl(url: str, directory: str) -> None:
    import os

    baseline = Baseline.fetch(url)
    checks = Checks("curl")
    with open(os.path.join(directory, "manifest.tsv"), encoding="utf-8") as manifest:
        for line in manifest:
            label, expect, command, status, content_type, path = line.rstrip("\n").split("\t")
            with open(path, "rb") as f:
                body = f.read()
            checks.run(label, lambda: judge_exchange(expect, status, content_type, body, baseline))
    checks.finish()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write-queries":
        write_queries(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "verify-curl":
        verify_curl(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: clientlib.py write-queries|verify-curl ENDPOINT_URL DIR")
