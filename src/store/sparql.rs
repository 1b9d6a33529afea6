//! SPARQL query evaluation with visibility, cancellation and a result-size cap.
//!
//! The caller's dataset is decided here and nowhere else:
//! - the default graph is the public view (the store's default graph, see the module docs of `store`);
//!   `FROM` / `default-graph-uri` may narrow it to named graphs the caller may see;
//! - `GRAPH` patterns range over the named graphs the caller may see; `FROM NAMED` /
//!   `named-graph-uri` may narrow that list. A graph the caller may not see is replaced by an empty one,
//!   so naming it yields nothing (and does not reveal whether it exists).
//!
//! HTTP `SERVICE` calls are always off.

use super::{QueryError, Store, Viewer};
use crate::rdf::ns::graph;
use oxigraph::model::GraphNameRef;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::{
    CancellationToken, DefaultServiceHandler, QueryDatasetSpecification, QueryResults, QuerySolution,
    QuerySolutionIter, SparqlEvaluator, Variable,
};

/// A parsed query with the dataset parameters of the SPARQL protocol.
#[derive(Debug, Clone)]
pub struct QueryRequest {
    /// The query.
    pub query: spargebra::Query,
    /// `default-graph-uri` parameters; when present they replace the query's `FROM`.
    pub default_graphs: Vec<NamedNode>,
    /// `named-graph-uri` parameters; when present they replace the query's `FROM NAMED`.
    pub named_graphs: Vec<NamedNode>,
}

/// Parses a SPARQL query (not an update).
pub fn parse_query(
    text: &str,
    base_iri: Option<&str>,
) -> Result<spargebra::Query, spargebra::SparqlSyntaxError> {
    // The base IRI comes from our validated configuration; an unusable one is simply not applied.
    let parser =
        base_iri.and_then(|base| spargebra::SparqlParser::new().with_base_iri(base).ok()).unwrap_or_default();
    parser.parse_query(text)
}

/// Refuses every `SERVICE` call, whatever features Oxigraph was built with: a public endpoint must
/// not make requests on a caller's behalf.
struct NoServices;

/// A `SERVICE` call was refused.
#[derive(Debug, thiserror::Error)]
#[error("SERVICE <{0}> is not available: this endpoint does not make federated queries")]
pub struct ServiceRefused(String);

impl DefaultServiceHandler for NoServices {
    type Error = ServiceRefused;

    fn handle(
        &self,
        service_name: &NamedNode,
        _pattern: &spargebra::algebra::GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, ServiceRefused> {
        Err(ServiceRefused(service_name.as_str().to_owned()))
    }
}

/// The answer to a query, bounded by the row cap.
#[derive(Debug)]
pub enum QueryAnswer {
    /// `SELECT`.
    Solutions {
        /// The projected variables.
        variables: Vec<Variable>,
        /// At most the row cap.
        rows: Vec<QuerySolution>,
        /// Whether rows were left out because of the cap.
        truncated: bool,
    },
    /// `ASK`.
    Boolean(bool),
    /// `CONSTRUCT` / `DESCRIBE`.
    Graph {
        /// At most the row cap.
        triples: Vec<Triple>,
        /// Whether triples were left out because of the cap.
        truncated: bool,
    },
}

impl Store {
    /// Evaluates a query as `viewer` sees the store, returning at most `max_rows` rows or triples.
    /// `cancel` stops it from another thread (the time limit).
    pub fn evaluate(
        &self,
        request: QueryRequest,
        viewer: &Viewer,
        max_rows: usize,
        cancel: &CancellationToken,
    ) -> Result<QueryAnswer, QueryError> {
        // GRAPH patterns are the only way to reach named graphs; listing the visible ones costs a
        // look-up per graph, so it is done only for queries that can use them. The serialised
        // algebra writes the keyword in capitals; a false positive costs time, never correctness.
        let uses_named_graphs = request.query.to_string().contains("GRAPH");
        let mut prepared = SparqlEvaluator::new()
            .with_default_service_handler(NoServices)
            .with_cancellation_token(cancel.clone())
            .for_query(request.query);
        self.restrict_dataset(
            prepared.dataset_mut(),
            viewer,
            &request.default_graphs,
            &request.named_graphs,
            uses_named_graphs,
        );
        match prepared.on_store(&self.inner).execute()? {
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let mut rows = Vec::new();
                let mut truncated = false;
                for solution in solutions {
                    let solution = solution?;
                    if rows.len() == max_rows {
                        truncated = true;
                        break;
                    }
                    rows.push(solution);
                }
                Ok(QueryAnswer::Solutions { variables, rows, truncated })
            }
            QueryResults::Boolean(value) => Ok(QueryAnswer::Boolean(value)),
            QueryResults::Graph(graph) => {
                let mut triples = Vec::new();
                let mut truncated = false;
                for triple in graph {
                    let triple = triple?;
                    if triples.len() == max_rows {
                        truncated = true;
                        break;
                    }
                    triples.push(triple);
                }
                Ok(QueryAnswer::Graph { triples, truncated })
            }
        }
    }

    fn restrict_dataset(
        &self,
        dataset: &mut QueryDatasetSpecification,
        viewer: &Viewer,
        default_graphs: &[NamedNode],
        named_graphs: &[NamedNode],
        uses_named_graphs: bool,
    ) {
        let hide = |name: &NamedNode| {
            if self.may_see(viewer, name.as_ref()) { name.clone() } else { graph::NOTHING.into_owned() }
        };
        // Default graph: the protocol parameters win over FROM; without either, the views the viewer
        // may see (and a member's own private graphs).
        let requested_default: Option<Vec<NamedNode>> = if default_graphs.is_empty() {
            dataset.default_graph_graphs().filter(|_| !dataset.is_default_dataset()).map(|gs| {
                gs.iter()
                    .filter_map(|g| match g {
                        GraphName::NamedNode(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect()
            })
        } else {
            Some(default_graphs.to_vec())
        };
        let requested_named: Option<Vec<NamedNode>> = if named_graphs.is_empty() {
            dataset.available_named_graphs().map(|gs| {
                gs.iter()
                    .filter_map(|g| match g {
                        NamedOrBlankNode::NamedNode(n) => Some(n.clone()),
                        NamedOrBlankNode::BlankNode(_) => None,
                    })
                    .collect()
            })
        } else {
            Some(named_graphs.to_vec())
        };
        match requested_default {
            Some(gs) if !gs.is_empty() => {
                dataset.set_default_graph(gs.iter().map(|g| hide(g).into()).collect());
            }
            _ => dataset.set_default_graph(self.default_graph_of(viewer)),
        }
        let named: Vec<NamedOrBlankNode> = match (requested_named, viewer) {
            (Some(gs), _) => gs.iter().map(|g| hide(g).into()).collect(),
            // All named graphs, without a list to check against.
            (None, Viewer::Operator) => return,
            (None, _) if uses_named_graphs => self.visible_named_graphs(viewer).as_ref().clone(),
            (None, _) => Vec::new(),
        };
        dataset.set_available_named_graphs(named);
    }

    /// The graphs whose union is a viewer's default graph.
    fn default_graph_of(&self, viewer: &Viewer) -> Vec<GraphName> {
        let view = |g: GraphNameRef<'static>| GraphName::from(g);
        match viewer {
            Viewer::Anonymous => vec![GraphName::DefaultGraph],
            Viewer::Member { org } => {
                let mut graphs = vec![GraphName::DefaultGraph, view(graph::VIEW_RESTRICTED.into())];
                graphs.extend(self.private_graphs_of(org).into_iter().map(GraphName::from));
                graphs
            }
            Viewer::Staff | Viewer::Operator => vec![
                GraphName::DefaultGraph,
                view(graph::VIEW_RESTRICTED.into()),
                view(graph::VIEW_PRIVATE.into()),
            ],
        }
    }
}
