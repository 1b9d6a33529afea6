"""ckanext-dcat's own RDF parser (profile euro_dcat_ap_3) reads every page of a danhmuc feed.

Usage: ckan_dcat_check.py FIRST_PAGE_URL EXPECTED_DATASETS

It does what ckanext-dcat's RDF harvester does, without CKAN's database: fetch a page (HEAD first,
as ckanext-dcat does), take the RDF format from Content-Type, parse it with RDFParser, collect
the datasets, follow RDFParser.next_page() until there is none (a page seen twice is a failure).
Every dataset must come out with title, notes, publisher, resources, licence, tags, issued,
modified and identifier. "Licence": CKAN's license_id when the licence is in CKAN's register, else
the dct:license CKAN keeps on the dataset's resources (EU and national licence IRIs are not in
CKAN's default register). Exit 0 when all holds; each failure is printed.
"""

from __future__ import annotations

import sys
import urllib.request

from ckan.common import config

config["ckanext.dcat.rdf.profiles"] = "euro_dcat_ap_3"

from ckanext.dcat.processors import RDFParser  # noqa: E402  (after the configuration)

MAX_PAGES = 1000


def fetch(url: str) -> tuple[str, bytes]:
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=60) as response:
        length = response.headers.get("Content-Length")
        if length is None or int(length) <= 0:
            raise AssertionError(f"HEAD {url}: no Content-Length")
    with urllib.request.urlopen(url, timeout=60) as response:
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        body = response.read()
        if int(response.headers.get("Content-Length", "-1")) != len(body):
            raise AssertionError(f"GET {url}: Content-Length does not match the body")
        return content_type, body


def extra(dataset: dict, key: str):
    for item in dataset.get("extras", []):
        if item.get("key") == key and item.get("value"):
            return item["value"]
    return dataset.get(key)


def main() -> int:
    first, expected = sys.argv[1], int(sys.argv[2])
    failures: list[str] = []
    seen_pages: set[str] = set()
    datasets: dict[str, dict] = {}
    url = first
    pages = 0
    while url:
        if url in seen_pages:
            failures.append(f"page {url} was linked twice (a paging cycle)")
            break
        if pages >= MAX_PAGES:
            failures.append("more than {MAX_PAGES} pages")
            break
        seen_pages.add(url)
        pages += 1
        content_type, body = fetch(url)
        body.decode("utf-8")  # ckanext-dcat decodes as UTF-8 whatever the charset says
        parser = RDFParser()
        parser.parse(body, _format=content_type)
        for dataset in parser.datasets():
            uri = extra(dataset, "uri")
            if uri in datasets:
                failures.append(f"{uri} is on two pages")
            datasets[uri] = dataset
        url = parser.next_page()
    if len(datasets) != expected:
        failures.append(f"{len(datasets)} datasets read over {pages} pages, expected {expected}")
    for uri, dataset in datasets.items():
        resources = dataset.get("resources") or []
        licence = dataset.get("license_id") or next((r.get("license") for r in resources if r.get("license")), None)
        checks = {
            "title": dataset.get("title"),
            "notes": dataset.get("notes"),
            "publisher": extra(dataset, "publisher_uri") and extra(dataset, "publisher_name"),
            "resources": resources and all(r.get("url") for r in resources),
            "licence": licence,
            "tags": dataset.get("tags"),
            "issued": extra(dataset, "issued"),
            "modified": extra(dataset, "modified"),
            "identifier": extra(dataset, "identifier"),
        }
        missing = [name for name, value in checks.items() if not value]
        if missing:
            failures.append(f"{uri}: no {', '.join(missing)}")
    for failure in failures:
        print(failure)
    print(f"ckanext-dcat read {len(datasets)} datasets from {pages} pages; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
