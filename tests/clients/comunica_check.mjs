// Comunica (@comunica/query-sparql, npm) against danhmuc's /sparql.
// Usage: node comunica_check.mjs ENDPOINT_URL   (Comunica is loaded from $DANHMUC_TOOLS/node,
// default ~/.cache/danhmuc-tools/node, as tests/clients/setup.sh installs it).
//
// QueryEngine with the endpoint as a `sparql` source: queryBindings (SELECT), queryBoolean (ASK)
// and queryQuads (CONSTRUCT, DESCRIBE), first as Comunica asks by itself (SPARQL JSON results,
// Turtle), then with the Accept header rewritten by a custom `fetch` (a context option) to every
// other format Comunica's endpoint fetcher can read: SPARQL XML results; N-Triples, N-Quads, TriG.
// Every request Comunica sends must be answered 200 with the media type it asked for. Comunica
// federates, so the same queries also run over two sources (the endpoint and an empty in-memory
// store), which makes Comunica split them into per-pattern requests and join locally; the answers
// must be unchanged. All answers are compared with a baseline fetched with plain fetch(): the dataset count,
// every row and term, ASK answers, graphs isomorphic to the N-Triples answer.

import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const tools = process.env.DANHMUC_TOOLS || join(homedir(), '.cache', 'danhmuc-tools');
const require = createRequire(join(tools, 'node', 'package.json'));
let QueryEngine, N3, isomorphic;
try {
  ({ QueryEngine } = require('@comunica/query-sparql'));
  N3 = require('n3');
  ({ isomorphic } = require('rdf-isomorphic'));
} catch (error) {
  console.error(`comunica: cannot load Comunica from ${tools}/node (run tests/clients/setup.sh): ${error.message}`);
  process.exit(2);
}

const url = process.argv[2];
if (!url || process.argv.length !== 3) {
  console.error('usage: node comunica_check.mjs ENDPOINT_URL');
  process.exit(2);
}

const PREFIXES = `PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
`;
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const Q_COUNT = `${PREFIXES}SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }`;
const Q_ROWS = `${PREFIXES}SELECT ?d ?title ?modified ?never WHERE {
  ?d a dcat:Dataset ; dct:title ?title .
  FILTER(lang(?title) = "vi")
  OPTIONAL { ?d dct:modified ?modified }
  OPTIONAL { ?d <urn:danhmuc-test:never> ?never }
}
ORDER BY ?d ?title`;
const askTitle = (title) => `${PREFIXES}ASK { ?d a dcat:Dataset ; dct:title ${JSON.stringify(title)}@vi }`;
const NO_SUCH_TITLE = 'Không có bộ dữ liệu nào tên này';
const Q_CONSTRUCT = `${PREFIXES}CONSTRUCT {
  ?d a dcat:Dataset ; dct:title ?title ; dct:publisher ?p .
  ?d rdfs:seeAlso [ rdfs:label ?title ] .
} WHERE {
  ?d a dcat:Dataset ; dct:title ?title .
  OPTIONAL { ?d dct:publisher ?p }
}`;

// ---------------------------------------------------------------------------------------------
// Terms

/** A comparable key for an RDF/JS term or a SPARQL JSON term. */
function key(term) {
  if (!term) return null;
  if (term.termType) {
    if (term.termType === 'NamedNode') return `uri|${term.value}`;
    if (term.termType === 'BlankNode') return 'bnode';
    if (term.termType !== 'Literal') throw new Error(`unexpected term type ${term.termType}`);
    const lang = term.language ? term.language.toLowerCase() : '';
    let datatype = term.datatype ? term.datatype.value : '';
    if (lang || datatype === RDF_LANG_STRING || datatype === `${XSD}string`) datatype = '';
    return `lit|${term.value}|${lang}|${datatype}`;
  }
  if (term.type === 'uri') return `uri|${term.value}`;
  if (term.type === 'bnode') return 'bnode';
  const lang = term['xml:lang'] ? term['xml:lang'].toLowerCase() : '';
  const datatype = lang || term.datatype === `${XSD}string` ? '' : (term.datatype || '');
  return `lit|${term.value}|${lang}|${datatype}`;
}

function rowKeys(rows) {
  return rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]))).sort();
}

/** Comunica bindings → {variable: key} (unbound variables absent). */
function bindingRows(bindings) {
  return bindings.map((binding) => {
    const row = {};
    for (const [variable, term] of binding) row[variable.value] = key(term);
    return row;
  });
}

async function parseNTriples(text) {
  return new N3.Parser({ format: 'application/n-triples' }).parse(text);
}

// ---------------------------------------------------------------------------------------------
// The baseline, over plain fetch()

async function plain(query, accept) {
  const response = await fetch(`${url}?${new URLSearchParams({ query })}`, { headers: { accept } });
  if (!response.ok) throw new Error(`baseline: HTTP ${response.status}: ${await response.text()}`);
  return response;
}

const baseline = {};
{
  const count = await (await plain(Q_COUNT, 'application/sparql-results+json')).json();
  baseline.count = Number(count.results.bindings[0].n.value);
  const rows = await (await plain(Q_ROWS, 'application/sparql-results+json')).json();
  baseline.variables = rows.head.vars;
  baseline.rows = rows.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, t]) => [k, key(t)])));
  baseline.datasets = [...new Set(rows.results.bindings.map((b) => b.d.value))].sort();
  if (baseline.count < 10 || baseline.datasets.length !== baseline.count) {
    console.error(`comunica: baseline is inconsistent: COUNT ${baseline.count}, ${baseline.datasets.length} datasets with titles`);
    process.exit(1);
  }
  baseline.described = baseline.datasets[0];
  baseline.title = rows.results.bindings.find((b) => b.d.value === baseline.described).title.value;
  baseline.construct = await parseNTriples(await (await plain(Q_CONSTRUCT, 'application/n-triples')).text());
  baseline.describe = await parseNTriples(
    await (await plain(`DESCRIBE <${baseline.described}>`, 'application/n-triples')).text(),
  );
  console.log(`baseline: ${baseline.count} datasets, ${baseline.rows.length} rows; DESCRIBE <${baseline.described}>`);
}

// ---------------------------------------------------------------------------------------------
// Comunica, with a fetch that records (and optionally re-asks) every request

const engine = new QueryEngine();

/**
 * Runs `work(context)` and checks every HTTP exchange Comunica made. `accept` rewrites the Accept
 * header of requests Comunica sends for `kind` ('results' or 'graph') answers.
 */
async function withComunica(sources, accept, work, minRequests = 1) {
  const exchanges = [];
  const recordingFetch = async (input, init = {}) => {
    const headers = new Headers(init.headers || {});
    const asked = headers.get('accept') || '';
    if (accept && asked) {
      const isGraph = /turtle|n-triples|rdf/.test(asked) && !/sparql-results/.test(asked);
      const rewrite = isGraph ? accept.graph : accept.results;
      if (rewrite) headers.set('accept', rewrite);
    }
    const response = await fetch(input, { ...init, headers });
    exchanges.push({
      method: init.method || 'GET',
      url: String(input),
      accept: headers.get('accept') || '',
      contentType: response.headers.get('content-type') || '',
      status: response.status,
    });
    return response;
  };
  const context = { sources, fetch: recordingFetch, lenient: false };
  const problem = await work(context);
  if (problem) return problem;
  if (process.env.CLIENT_CHECK_VERBOSE) {
    for (const e of exchanges) console.log(`    ${e.method} ${decodeURIComponent(e.url).slice(0, 160)} Accept: ${e.accept} → ${e.status} ${e.contentType}`);
  }
  if (exchanges.length < minRequests) return `Comunica sent ${exchanges.length} requests, expected at least ${minRequests}`;
  for (const e of exchanges) {
    if (e.status !== 200) return `${e.method} ${e.url} (Accept: ${e.accept}) answered HTTP ${e.status}`;
    const wanted = e.accept.split(',').map((m) => m.split(';')[0].trim());
    if (!wanted.includes(e.contentType.split(';')[0].trim())) {
      return `${e.method} ${e.url} asked for ${e.accept} and got Content-Type ${e.contentType}`;
    }
  }
  return null;
}

const failed = [];
let passed = 0;
async function check(label, fn) {
  let problem;
  try {
    problem = await fn();
  } catch (error) {
    problem = `${error.name}: ${error.message}`.split('\n').slice(0, 6).join('\n    ');
  }
  if (problem) {
    failed.push(label);
    console.log(`FAIL comunica: ${label}: ${problem}`);
  } else {
    passed += 1;
    console.log(`ok   comunica: ${label}`);
  }
}

async function selectCount(context) {
  const bindings = await (await engine.queryBindings(Q_COUNT, context)).toArray();
  if (bindings.length !== 1) return `${bindings.length} rows for COUNT`;
  const n = bindings[0].get('n');
  if (!n || n.termType !== 'Literal' || n.datatype.value !== `${XSD}integer`) return `?n is ${n && n.value}, not an xsd:integer`;
  if (Number(n.value) !== baseline.count) return `?n = ${n.value}, expected ${baseline.count}`;
  return null;
}

async function selectRows(query, context) {
  const stream = await engine.queryBindings(query, context);
  const metadata = await stream.getProperty?.('variables');
  const bindings = await stream.toArray();
  const rows = bindingRows(bindings);
  if (metadata) {
    const names = metadata.map((v) => (v.variable || v).value);
    if (JSON.stringify(names) !== JSON.stringify(baseline.variables)) {
      return `variables ${names}, expected ${baseline.variables}`;
    }
  }
  if (rows.length !== baseline.rows.length) return `${rows.length} rows, expected ${baseline.rows.length}`;
  const got = rowKeys(rows);
  const want = rowKeys(baseline.rows);
  const differing = got.filter((g, i) => g !== want[i]);
  if (differing.length) return `rows differ from the JSON baseline, e.g. ${differing[0]}`;
  // ORDER BY ?d must hold.
  const order = rows.map((r) => r.d);
  const sorted = [...order].sort();
  if (JSON.stringify(order) !== JSON.stringify(sorted)) return 'ORDER BY ?d was not kept';
  return null;
}

async function ask(context) {
  for (const [query, expected] of [[askTitle(baseline.title), true], [askTitle(NO_SUCH_TITLE), false]]) {
    const answer = await engine.queryBoolean(query, context);
    if (answer !== expected) return `ASK answered ${answer}, expected ${expected}`;
  }
  return null;
}

async function quads(query, expected, extra, context) {
  const got = await (await engine.queryQuads(query, context)).toArray();
  if (got.length !== expected.length) return `${got.length} triples, expected ${expected.length}`;
  const problem = extra(got);
  if (problem) return problem;
  const flat = got.map((q) => N3.DataFactory.quad(q.subject, q.predicate, q.object));
  if (!isomorphic(flat, expected)) return 'not isomorphic to the N-Triples answer';
  return null;
}

function constructExtra(got) {
  const datasets = new Set(
    got
      .filter((q) => q.predicate.value.endsWith('#type') && q.object.value === 'http://www.w3.org/ns/dcat#Dataset')
      .map((q) => q.subject.value),
  );
  if (datasets.size !== baseline.count) return `${datasets.size} dcat:Dataset subjects, COUNT says ${baseline.count}`;
  return null;
}

function describeExtra(got) {
  const hasTitle = got.some(
    (q) => q.subject.value === baseline.described && q.predicate.value === 'http://purl.org/dc/terms/title' &&
      q.object.value === baseline.title && q.object.language === 'vi',
  );
  return hasTitle ? null : `DESCRIBE <${baseline.described}> lacks its title`;
}

const single = [{ type: 'sparql', value: url }];
const variants = [
  ['as Comunica asks (SPARQL JSON, Turtle)', null],
  ['SPARQL XML results (Accept rewritten)', { results: 'application/sparql-results+xml' }],
  ['N-Triples (Accept rewritten)', { graph: 'application/n-triples' }],
  ['N-Quads (Accept rewritten)', { graph: 'application/n-quads' }],
  ['TriG (Accept rewritten)', { graph: 'application/trig' }],
];

for (const [how, accept] of variants) {
  if (!accept || accept.results) {
    await check(`${how}: queryBindings SELECT COUNT`, () => withComunica(single, accept, selectCount));
    await check(`${how}: queryBindings SELECT rows`, () => withComunica(single, accept, (ctx) => selectRows(Q_ROWS, ctx)));
    await check(`${how}: queryBoolean ASK true and false`, () => withComunica(single, accept, ask));
  }
  if (!accept || accept.graph) {
    await check(`${how}: queryQuads CONSTRUCT`, () =>
      withComunica(single, accept, (ctx) => quads(Q_CONSTRUCT, baseline.construct, constructExtra, ctx)));
    await check(`${how}: queryQuads DESCRIBE`, () =>
      withComunica(single, accept, (ctx) => quads(`DESCRIBE <${baseline.described}>`, baseline.describe, describeExtra, ctx)));
  }
}

// Federation: with a second (empty) source Comunica cannot hand the endpoint the whole query; it
// sends one request per triple pattern (with ASKs and COUNTs to plan) and joins the answers itself.
const federated = () => [{ type: 'sparql', value: url }, { type: 'rdfjs', value: new N3.Store() }];
for (const [how, accept] of variants.slice(0, 2)) {
  const label = `federated with an empty local store, ${how}`;
  await check(`${label}: SELECT COUNT`, () => withComunica(federated(), accept, selectCount, 2));
  await check(`${label}: SELECT rows`, () => withComunica(federated(), accept, (ctx) => selectRows(Q_ROWS, ctx), 2));
  await check(`${label}: ASK true and false`, () => withComunica(federated(), accept, ask, 2));
  await check(`${label}: CONSTRUCT`, () =>
    withComunica(federated(), accept, (ctx) => quads(Q_CONSTRUCT, baseline.construct, constructExtra, ctx), 2));
}

console.log(`comunica: ${passed} passed, ${failed.length} failed`);
if (failed.length) {
  console.error(`comunica: FAILED checks: ${failed.join('; ')}`);
  process.exit(1);
}
