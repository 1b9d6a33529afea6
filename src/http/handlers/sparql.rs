//! `/sparql`: the [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/) query operation,
//! a [Service Description](https://www.w3.org/TR/sparql11-service-description/) for machines and a
//! query page for people. Updates are refused: writes go through the registry API.

use crate::http::auth::Caller;
use crate::http::error::HttpError;
use crate::http::negotiate::{choose, prefers_html};
use crate::http::ui::Ui;
use crate::http::{AppState, blocking};
use crate::rdf::io::{self, JSON_LD};
use crate::rdf::ns::{formats, sd};
use crate::store::{QueryAnswer, QueryError, QueryRequest, parse_query};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, NamedNode, Triple};
use oxigraph::sparql::CancellationToken;
use oxigraph::sparql::results::QueryResultsFormat;
use serde::Serialize;

/// The header that says an answer was cut at the row limit; its value is the limit.
pub const TRUNCATED_HEADER: &str = "danhmuc-result-truncated";

const UPDATE_REFUSED: &str = "SPARQL Update is not accepted: /sparql is a read-only query endpoint.\n\
Records are written through the registry API (POST /api/records with an API token), which validates every change.";

/// What `SELECT` and `ASK` answers can be, in order of preference.
const RESULT_OFFERS: [(&str, QueryResultsFormat); 6] = [
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ("application/json", QueryResultsFormat::Json),
    ("application/xml", QueryResultsFormat::Xml),
];

/// What `CONSTRUCT` and `DESCRIBE` answers (and the service description) can be.
const GRAPH_OFFERS: [(&str, RdfFormat); 8] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("application/ld+json", JSON_LD),
    ("application/n-quads", RdfFormat::NQuads),
    ("application/trig", RdfFormat::TriG),
    ("application/json", JSON_LD),
    // Turtle is N3; rdflib asks for N3 only.
    ("text/n3", RdfFormat::Turtle),
];

/// The protocol parameters, from the URL or a form body.
#[derive(Debug, Default)]
struct Params {
    query: Option<String>,
    update: bool,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    /// Every `format` / `output` value, in order (SPARQLWrapper sends several).
    formats: Vec<String>,
}

impl Params {
    fn parse(encoded: &[u8], into: &mut Self) -> Result<(), HttpError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded)
            .map_err(|e| HttpError::BadRequest(format!("malformed parameters: {e}")))?;
        for (name, value) in pairs {
            match name.as_str() {
                "query" => into.query = Some(value),
                "update" => into.update = true,
                "default-graph-uri" => into.default_graphs.push(value),
                "named-graph-uri" => into.named_graphs.push(value),
                "format" | "output" => into.formats.push(value),
                _ => {}
            }
        }
        Ok(())
    }
}

/// `GET /sparql`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ui: Ui,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let mut params = Params::default();
    Params::parse(raw.unwrap_or_default().as_bytes(), &mut params)?;
    if params.query.is_none() && !params.update {
        return describe_service(&state, &ui, &headers);
    }
    answer(state, &caller, params, &headers).await
}

/// `POST /sparql`: a form (`application/x-www-form-urlencoded`) or a bare query
/// (`application/sparql-query`); graph parameters may also be in the URL.
pub async fn post(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let limit = state.app.config.limits.sparql_body_bytes;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HttpError::PayloadTooLarge(format!(
                "the request body is larger than the {limit} bytes /sparql accepts"
            ))
        } else {
            HttpError::BadRequest(rejection.body_text())
        }
    })?;
    let mut params = Params::default();
    Params::parse(raw.unwrap_or_default().as_bytes(), &mut params)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match content_type.as_str() {
        "application/x-www-form-urlencoded" => Params::parse(&body, &mut params)?,
        "application/sparql-query" => {
            params.query = Some(
                String::from_utf8(body.to_vec())
                    .map_err(|_| HttpError::BadRequest("the query is not valid UTF-8".into()))?,
            );
        }
        "application/sparql-update" => return Err(HttpError::Forbidden(UPDATE_REFUSED.into())),
        other => {
            return Err(HttpError::UnsupportedMediaType(format!(
                "POST /sparql takes application/x-www-form-urlencoded or application/sparql-query, not {other:?}"
            )));
        }
    }
    if params.query.is_none() && !params.update {
        return Err(HttpError::BadRequest("the request has no query parameter".into()));
    }
    answer(state, &caller, params, &headers).await
}

/// How an answer will be written.
#[derive(Clone, Copy)]
enum Output {
    Results(QueryResultsFormat),
    Graph(RdfFormat),
}

impl Output {
    fn media_type(self) -> &'static str {
        match self {
            Self::Results(f) => f.media_type(),
            Self::Graph(f) => f.media_type(),
        }
    }
}

fn negotiate(
    query: &spargebra::Query,
    formats: &[String],
    accept: Option<&str>,
) -> Result<Output, HttpError> {
    let graph_form = matches!(query, spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. });
    let by_name = |name: &str| -> Option<Output> {
        if name.contains(',') {
            // A list of media types, like an Accept header (SPARQLWrapper sends one as `format`).
            return if graph_form {
                choose(Some(name), &GRAPH_OFFERS).map(Output::Graph)
            } else {
                choose(Some(name), &RESULT_OFFERS).map(Output::Results)
            };
        }
        if graph_form {
            io::format_from_name(name).or_else(|| io::format_from_media_type(name)).map(Output::Graph)
        } else {
            io::results_format_from_name(name).map(Output::Results)
        }
    };
    // The first `format`/`output` value that names a format for this query form wins.
    if let Some(output) = formats.iter().find_map(|f| by_name(f)) {
        return Ok(output);
    }
    if let Some(name) = formats.first() {
        return Err(HttpError::BadRequest(format!("unknown result format {name:?}")));
    }
    let chosen = if graph_form {
        choose(accept, &GRAPH_OFFERS).map(Output::Graph)
    } else {
        choose(accept, &RESULT_OFFERS).map(Output::Results)
    };
    chosen.ok_or_else(|| {
        let offers: Vec<&str> = if graph_form {
            GRAPH_OFFERS.iter().map(|(m, _)| *m).collect()
        } else {
            RESULT_OFFERS.iter().map(|(m, _)| *m).collect()
        };
        HttpError::NotAcceptable(format!(
            "this answer can be given as {}; the Accept header allows none of them",
            offers.join(", ")
        ))
    })
}

fn graph_iris(values: &[String]) -> Result<Vec<NamedNode>, HttpError> {
    values
        .iter()
        .map(|v| {
            NamedNode::new(v).map_err(|e| HttpError::BadRequest(format!("invalid graph IRI {v:?}: {e}")))
        })
        .collect()
}

async fn answer(
    state: AppState,
    caller: &Caller,
    params: Params,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    if params.update {
        return Err(HttpError::Forbidden(UPDATE_REFUSED.into()));
    }
    let text = params.query.unwrap_or_default();
    let base = state.app.config.base_url.as_str();
    let query = match parse_query(&text, Some(base)) {
        Ok(query) => query,
        Err(error) => {
            if spargebra::SparqlParser::new().parse_update(&text).is_ok() {
                return Err(HttpError::Forbidden(UPDATE_REFUSED.into()));
            }
            return Err(HttpError::BadRequest(format!("invalid SPARQL query: {error}")));
        }
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let output = negotiate(&query, &params.formats, accept)?;
    let request = QueryRequest {
        query,
        default_graphs: graph_iris(&params.default_graphs)?,
        named_graphs: graph_iris(&params.named_graphs)?,
    };
    let limits = state.app.config.limits.clone();
    let store = state.app.store.clone();
    let viewer = caller.viewer();
    let token = CancellationToken::new();
    let work = {
        let token = token.clone();
        blocking::run(move || {
            let answer = store.evaluate(request, &viewer, limits.max_rows, &token).map_err(|e| match e {
                QueryError::Cancelled => HttpError::Timeout("the query was cancelled".into()),
                QueryError::Evaluation(m) => HttpError::BadRequest(m),
                e @ QueryError::Storage(_) => HttpError::internal(e),
            })?;
            write_answer(&answer, output)
        })
    };
    let (body, truncated) = match tokio::time::timeout(limits.query_timeout, work).await {
        Ok(result) => result?,
        Err(_) => {
            token.cancel();
            state.metrics.query_timeouts.inc();
            return Err(HttpError::Timeout(format!(
                "the query ran longer than the {} s limit and was cancelled; narrow it (LIMIT, more selective patterns) and try again",
                limits.query_timeout.as_secs_f32()
            )));
        }
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(output.media_type()));
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if truncated {
        headers.insert(TRUNCATED_HEADER, HeaderValue::from(limits.max_rows));
    }
    Ok(response)
}

/// Serialises an answer; returns the bytes and whether it was truncated.
fn write_answer(answer: &QueryAnswer, output: Output) -> Result<(Vec<u8>, bool), HttpError> {
    let mut body = Vec::new();
    let truncated = match (answer, output) {
        (QueryAnswer::Solutions { variables, rows, truncated }, Output::Results(format)) => {
            io::write_solutions(format, variables, rows, &mut body).map_err(HttpError::internal)?;
            *truncated
        }
        (QueryAnswer::Boolean(value), Output::Results(format)) => {
            io::write_boolean(format, *value, &mut body).map_err(HttpError::internal)?;
            false
        }
        (QueryAnswer::Graph { triples, truncated }, Output::Graph(format)) => {
            io::write_triples(format, triples, &mut body).map_err(HttpError::internal)?;
            *truncated
        }
        _ => return Err(HttpError::internal("answer and output format disagree")),
    };
    Ok((body, truncated))
}

/// An example query on the query page.
#[derive(Serialize)]
struct Example {
    /// Message key of its title (`i18n/portal.*.json`).
    title: &'static str,
    query: &'static str,
}

#[derive(Serialize)]
struct SparqlPage<'a> {
    endpoint: String,
    examples: &'a [Example],
}

const EXAMPLES: [Example; 6] = [
    Example {
        title: "sparql.ex.per_publisher",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n\nSELECT ?publisher ?name (COUNT(?dataset) AS ?datasets) WHERE {\n  ?dataset a dcat:Dataset ; dct:publisher ?publisher .\n  OPTIONAL { ?publisher foaf:name ?name FILTER(lang(?name) = \"vi\") }\n}\nGROUP BY ?publisher ?name\nORDER BY DESC(?datasets)",
    },
    Example {
        title: "sparql.ex.recent",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\n\nSELECT ?dataset ?title ?modified WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title ; dct:modified ?modified .\n  FILTER(lang(?title) = \"vi\")\n}\nORDER BY DESC(?modified)\nLIMIT 50",
    },
    Example {
        title: "sparql.ex.title_word",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\n\nSELECT ?dataset ?title WHERE {\n  ?dataset a dcat:Dataset ; dct:title ?title .\n  FILTER(CONTAINS(LCASE(STR(?title)), \"hà nội\"))\n}\nLIMIT 100",
    },
    Example {
        title: "sparql.ex.services",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX dct: <http://purl.org/dc/terms/>\n\nSELECT ?service ?title ?endpoint WHERE {\n  ?service a dcat:DataService ; dct:title ?title ; dcat:endpointURL ?endpoint .\n}",
    },
    Example {
        title: "sparql.ex.themes",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n\nSELECT ?theme ?label (COUNT(?dataset) AS ?datasets) WHERE {\n  ?dataset a dcat:Dataset ; dcat:theme ?theme .\n  OPTIONAL { ?theme skos:prefLabel ?label FILTER(lang(?label) = \"vi\") }\n}\nGROUP BY ?theme ?label\nORDER BY DESC(?datasets)",
    },
    Example {
        title: "sparql.ex.one_dataset",
        query: "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n\nCONSTRUCT {\n  ?dataset ?p ?o .\n  ?distribution ?dp ?do .\n} WHERE {\n  { SELECT ?dataset WHERE { ?dataset a dcat:Dataset } LIMIT 1 }\n  ?dataset ?p ?o .\n  OPTIONAL { ?dataset dcat:distribution ?distribution . ?distribution ?dp ?do }\n}",
    },
];

/// `GET /sparql` without a query: the query page for browsers, a service description for machines.
fn describe_service(state: &AppState, ui: &Ui, headers: &HeaderMap) -> Result<Response, HttpError> {
    let endpoint = format!("{}sparql", state.app.config.base_url);
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let machine_types: Vec<&str> = GRAPH_OFFERS.iter().map(|(m, _)| *m).collect();
    if prefers_html(accept, &machine_types) {
        let page = SparqlPage { endpoint, examples: &EXAMPLES };
        return Ok(state.templates.render("sparql.html", ui, &page)?.into_response());
    }
    let format = choose(accept, &GRAPH_OFFERS).ok_or_else(|| {
        HttpError::NotAcceptable(format!(
            "the service description can be given as {}",
            machine_types.join(", ")
        ))
    })?;
    let service = NamedNode::new_unchecked(endpoint);
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd::SERVICE),
        Triple::new(service.clone(), sd::ENDPOINT, service.clone()),
        Triple::new(service.clone(), sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY),
        Triple::new(service.clone(), sd::FEATURE, sd::UNION_DEFAULT_GRAPH),
        Triple::new(service.clone(), sd::DEFAULT_DATASET, dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd::DATASET),
        Triple::new(dataset, sd::DEFAULT_GRAPH, default_graph.clone()),
        Triple::new(default_graph, rdf::TYPE, sd::GRAPH),
    ];
    for format in [
        formats::SPARQL_RESULTS_JSON,
        formats::SPARQL_RESULTS_XML,
        formats::SPARQL_RESULTS_CSV,
        formats::SPARQL_RESULTS_TSV,
        formats::TURTLE,
        formats::N_TRIPLES,
        formats::RDF_XML,
        formats::JSON_LD,
    ] {
        triples.push(Triple::new(service.clone(), sd::RESULT_FORMAT, format));
    }
    let mut body = Vec::new();
    io::write_triples(format, &triples, &mut body).map_err(HttpError::internal)?;
    Ok(([(header::CONTENT_TYPE, format.media_type()), (header::VARY, "Accept")], body).into_response())
}
