//! SHACL-SPARQL ([SHACL §5–6](https://www.w3.org/TR/shacl/#sparql-constraints)):
//! `sh:sparql` SELECT constraints and SPARQL-based constraint components
//! (`sh:validator`, `sh:nodeValidator`, `sh:propertyValidator`; ASK and SELECT).
//!
//! **Pre-binding** ([§5.6](https://www.w3.org/TR/shacl/#pre-binding)) is implemented as
//! the substitution the spec defines, on the parsed algebra (never by pasting strings):
//! every occurrence of a pre-bound variable (`$this`, `$value`, `$currentShape`,
//! `$shapesGraph`, parameters) is replaced by its value — in triple patterns, paths,
//! `GRAPH` names and expressions (`BOUND(?v)` becomes `true`), inside sub-queries and
//! `EXISTS` too — and `$PATH` triple patterns become SPARQL property path patterns.
//! The algebra has no blank-node constants, so a blank-node value is substituted by a
//! reserved IRI in patterns (mapped back to the blank node by the dataset view) and by
//! a reserved zero-argument custom function in expressions. The restrictions of §5.6.1
//! (no `MINUS`, `SERVICE`, `VALUES`, no `AS ?v` for pre-bound variables, sub-queries
//! must project the pre-bound variables) are checked when the shapes are compiled:
//! violations are [`ShapeError`]s.
//!
//! Queries are evaluated with `spareval` over `SparqlView`, a `QueryableDataset`
//! whose default graph is the [`DataGraph`] itself (no copy) and whose only named graph
//! is the shapes graph, named by `$shapesGraph`.

use super::data::DataGraph;
use super::error::{ShapeError, ValidationError};
use super::ir::Shape;
use super::parse::{as_bool, as_subject, is_instance_in, literal_messages};
use super::path::PropertyPath;
use super::vocab::{owl, sh};
use oxigraph::model::{Graph, Literal, NamedNode, NamedOrBlankNode, Term, TermRef, Variable};
use rustc_hash::{FxHashMap, FxHashSet};
use spareval::{InternalQuad, QueryEvaluator, QueryResults, QueryableDataset};
use spargebra::algebra::{
    AggregateExpression, Expression, Function, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};
use spargebra::{Query, SparqlParser};
use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// IRI naming the shapes graph in the SPARQL dataset (the value of `$shapesGraph`).
pub const SHAPES_GRAPH_IRI: &str = "urn:x-danhmuc:shacl:shapes-graph";
const BNODE_PREFIX: &str = "urn:x-danhmuc:shacl:prebound:";
const BNODE_FN_PREFIX: &str = "urn:x-danhmuc:shacl:prebound-fn:";
const NO_MATCH_IRI: &str = "urn:x-danhmuc:shacl:no-match";

/// A compiled `sh:sparql` constraint.
#[derive(Debug)]
pub(crate) struct SparqlConstraint {
    pub node: Term,
    query: Query,
    messages: Vec<Literal>,
}

/// A compiled validator of a SPARQL-based constraint component.
#[derive(Debug)]
pub(crate) struct ValidatorDef {
    node: Term,
    query: Query,
    ask: bool,
    messages: Vec<Literal>,
}

#[derive(Debug)]
struct ParamDef {
    path: NamedNode,
    var: Variable,
    optional: bool,
}

/// A SPARQL-based constraint component ([§6](https://www.w3.org/TR/shacl/#sparql-constraint-components)).
#[derive(Debug)]
pub(crate) struct ComponentDef {
    iri: Term,
    params: Vec<ParamDef>,
    validator: Option<Arc<ValidatorDef>>,
    node_validator: Option<Arc<ValidatorDef>>,
    property_validator: Option<Arc<ValidatorDef>>,
}

/// A component instantiated on a shape, with its parameter values.
#[derive(Debug)]
pub(crate) struct ComponentConstraint {
    pub component: NamedNode,
    validator: Arc<ValidatorDef>,
    bindings: Vec<(Variable, Term)>,
}

/// One violation found by a SPARQL-based constraint.
#[derive(Debug)]
pub(crate) struct SparqlViolation {
    pub focus: Term,
    pub path: Option<PropertyPath>,
    pub value: Option<Term>,
    pub messages: Vec<Literal>,
    pub source_constraint: Option<Term>,
}

fn shape_err(node: &Term, problem: impl Into<String>) -> ShapeError {
    ShapeError::new(Some(node.clone()), problem)
}

/// Prefix declarations reachable from `node` via `sh:prefixes` (and `owl:imports`).
fn prefixes(graph: &Graph, node: &NamedOrBlankNode) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<Term> =
        graph.objects_for_subject_predicate(node, sh::PREFIXES).map(TermRef::into_owned).collect();
    let mut seen = FxHashSet::default();
    while let Some(t) = stack.pop() {
        if !seen.insert(t.clone()) {
            continue;
        }
        let Some(s) = as_subject(&t) else { continue };
        for decl in graph.objects_for_subject_predicate(&s, sh::DECLARE) {
            let Some(d) = as_subject(&decl.into_owned()) else {
                continue;
            };
            let prefix = graph.object_for_subject_predicate(&d, sh::PREFIX);
            let ns = graph.object_for_subject_predicate(&d, sh::NAMESPACE_PROP);
            match (prefix, ns) {
                (Some(TermRef::Literal(p)), Some(TermRef::Literal(n))) => {
                    out.push((p.value().to_owned(), n.value().to_owned()));
                }
                _ => return Err(format!("malformed prefix declaration {d}")),
            }
        }
        stack.extend(graph.objects_for_subject_predicate(&s, owl::IMPORTS).map(TermRef::into_owned));
    }
    Ok(out)
}

fn parse_query(graph: &Graph, node: &Term, text: &str) -> Result<Query, ShapeError> {
    let subject = as_subject(node).ok_or_else(|| shape_err(node, "SPARQL node is a literal"))?;
    let mut parser = SparqlParser::new();
    for (prefix, ns) in prefixes(graph, &subject).map_err(|e| shape_err(node, e))? {
        parser = parser
            .with_prefix(&prefix, &ns)
            .map_err(|e| shape_err(node, format!("bad prefix {prefix}: <{ns}>: {e}")))?;
    }
    parser.parse_query(text).map_err(|e| shape_err(node, format!("invalid SPARQL query: {e}")))
}

fn single_string(
    graph: &Graph,
    node: &Term,
    p: oxigraph::model::NamedNodeRef<'_>,
) -> Result<Option<String>, ShapeError> {
    let subject = as_subject(node).ok_or_else(|| shape_err(node, "SPARQL node is a literal"))?;
    let values: Vec<Term> =
        graph.objects_for_subject_predicate(&subject, p).map(TermRef::into_owned).collect();
    match values.as_slice() {
        [] => Ok(None),
        [Term::Literal(l)] => Ok(Some(l.value().to_owned())),
        [other] => Err(shape_err(node, format!("{p} must be a string literal, found {other}"))),
        _ => Err(shape_err(node, format!("{p} must have a single value"))),
    }
}

fn is_deactivated(graph: &Graph, node: &NamedOrBlankNode) -> bool {
    graph.objects_for_subject_predicate(node, sh::DEACTIVATED).any(|v| as_bool(v) == Some(true))
}

/// Compiles the value `node` of `sh:sparql` on `shape` (`None` if deactivated).
pub(crate) fn compile_constraint(
    graph: &Graph,
    shape: &Term,
    path: Option<&PropertyPath>,
    node: &Term,
) -> Result<Option<SparqlConstraint>, ShapeError> {
    let Some(subject) = as_subject(node) else {
        return Err(shape_err(shape, format!("sh:sparql value {node} is a literal")));
    };
    if is_deactivated(graph, &subject) {
        return Ok(None);
    }
    let Some(text) = single_string(graph, node, sh::SELECT)? else {
        return Err(shape_err(node, "a SPARQL constraint needs exactly one sh:select"));
    };
    let query = parse_query(graph, node, &text)?;
    let Query::Select { pattern, .. } = &query else {
        return Err(shape_err(node, "sh:select must hold a SELECT query"));
    };
    check_prebinding(pattern, &["this", "shapesGraph", "currentShape"], &["this"])
        .map_err(|e| shape_err(node, e))?;
    if path.is_none() && mentions_var(pattern, "PATH") {
        return Err(shape_err(node, "$PATH used in a constraint of a node shape"));
    }
    Ok(Some(SparqlConstraint { node: node.clone(), query, messages: literal_messages(graph, &subject) }))
}

fn compile_validator(
    graph: &Graph,
    component: &Term,
    node: &Term,
    params: &[ParamDef],
) -> Result<ValidatorDef, ShapeError> {
    let subject =
        as_subject(node).ok_or_else(|| shape_err(component, format!("validator {node} is a literal")))?;
    let ask_text = single_string(graph, node, sh::ASK)?;
    let select_text = single_string(graph, node, sh::SELECT)?;
    let (text, ask) = match (ask_text, select_text) {
        (Some(t), None) => (t, true),
        (None, Some(t)) => (t, false),
        _ => {
            return Err(shape_err(node, "a validator needs exactly one of sh:ask and sh:select"));
        }
    };
    let query = parse_query(graph, node, &text)?;
    let pattern = match (&query, ask) {
        (Query::Ask { pattern, .. }, true) | (Query::Select { pattern, .. }, false) => pattern,
        _ => {
            return Err(shape_err(node, "sh:ask must hold an ASK query, sh:select a SELECT query"));
        }
    };
    let mut prebound: Vec<&str> = vec!["this", "shapesGraph", "currentShape"];
    let mut required: Vec<&str> = vec!["this"];
    if ask {
        prebound.push("value");
        required.push("value");
    }
    for p in params {
        prebound.push(p.var.as_str());
        if mentions_var(pattern, p.var.as_str()) {
            required.push(p.var.as_str());
        }
    }
    check_prebinding(pattern, &prebound, &required).map_err(|e| shape_err(node, e))?;
    Ok(ValidatorDef { node: node.clone(), query, ask, messages: literal_messages(graph, &subject) })
}

/// Finds all SPARQL-based constraint components of the shapes graph.
pub(crate) fn find_components(graph: &Graph) -> Result<Vec<ComponentDef>, ShapeError> {
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    let candidates: Vec<NamedOrBlankNode> = graph
        .triples_for_predicate(sh::PARAMETER)
        .map(|t| t.subject.into_owned())
        .filter(|s| seen.insert(s.clone()))
        .collect();
    for subject in candidates {
        if !is_instance_in(graph, &subject, sh::CONSTRAINT_COMPONENT) {
            continue;
        }
        let iri = Term::from(subject.clone());
        let mut params = Vec::new();
        for p in graph.objects_for_subject_predicate(&subject, sh::PARAMETER) {
            let Some(pnode) = as_subject(&p.into_owned()) else {
                return Err(shape_err(&iri, "a parameter must be an IRI or blank node"));
            };
            let Some(TermRef::NamedNode(path)) = graph.object_for_subject_predicate(&pnode, sh::PATH) else {
                return Err(shape_err(&iri, format!("parameter {pnode} needs an IRI sh:path")));
            };
            let local = local_name(path.as_str());
            let var = Variable::new(local)
                .map_err(|_| shape_err(&iri, format!("parameter path {path} has no valid local name")))?;
            let optional =
                graph.objects_for_subject_predicate(&pnode, sh::OPTIONAL).any(|v| as_bool(v) == Some(true));
            params.push(ParamDef { path: path.into_owned(), var, optional });
        }
        let validator_of = |p| -> Result<Option<Arc<ValidatorDef>>, ShapeError> {
            match graph.object_for_subject_predicate(&subject, p) {
                None => Ok(None),
                Some(v) => Ok(Some(Arc::new(compile_validator(graph, &iri, &v.into_owned(), &params)?))),
            }
        };
        let validator = validator_of(sh::VALIDATOR)?;
        let node_validator = validator_of(sh::NODE_VALIDATOR)?;
        let property_validator = validator_of(sh::PROPERTY_VALIDATOR)?;
        if let Some(v) = &validator
            && !v.ask
        {
            return Err(shape_err(&iri, "sh:validator must be an ASK validator"));
        }
        out.push(ComponentDef { iri, params, validator, node_validator, property_validator });
    }
    Ok(out)
}

fn local_name(iri: &str) -> &str {
    iri.rfind(['#', '/', ':']).map_or(iri, |i| &iri[i + 1..])
}

impl ComponentDef {
    /// The constraints this component contributes to `shape` (one per combination of
    /// parameter values; none unless every mandatory parameter has a value).
    pub(crate) fn instantiate(
        &self,
        graph: &Graph,
        shape: &Term,
        subject: &NamedOrBlankNode,
        path: Option<&PropertyPath>,
    ) -> Result<Vec<ComponentConstraint>, ShapeError> {
        let mut combos: Vec<Vec<(Variable, Term)>> = vec![Vec::new()];
        let mut any = false;
        for p in &self.params {
            let values: Vec<Term> =
                graph.objects_for_subject_predicate(subject, &p.path).map(TermRef::into_owned).collect();
            if values.is_empty() {
                if p.optional {
                    continue;
                }
                return Ok(Vec::new());
            }
            any = true;
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    values.iter().map(move |v| {
                        let mut c = c.clone();
                        c.push((p.var.clone(), v.clone()));
                        c
                    })
                })
                .collect();
        }
        if !any {
            return Ok(Vec::new());
        }
        let validator = if path.is_some() {
            self.property_validator.as_ref().or(self.validator.as_ref())
        } else {
            self.node_validator.as_ref().or(self.validator.as_ref())
        };
        let Some(validator) = validator else {
            return Ok(Vec::new());
        };
        if path.is_none() && mentions_var(query_pattern(&validator.query), "PATH") {
            return Err(shape_err(shape, "$PATH used by a validator applied to a node shape"));
        }
        let Term::NamedNode(component) = &self.iri else {
            return Err(shape_err(&self.iri, "a constraint component must be an IRI"));
        };
        Ok(combos
            .into_iter()
            .map(|bindings| ComponentConstraint {
                component: component.clone(),
                validator: Arc::clone(validator),
                bindings,
            })
            .collect())
    }
}

fn query_pattern(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Ask { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. } => pattern,
    }
}

// ---- pre-binding restrictions (§5.6.1) ----

fn check_prebinding(pattern: &GraphPattern, prebound: &[&str], required: &[&str]) -> Result<(), String> {
    fn expr(e: &Expression, prebound: &[&str], required: &[&str]) -> Result<(), String> {
        let mut result = Ok(());
        visit_expression(e, &mut |p| {
            if result.is_ok() {
                result = walk(p, prebound, required, false);
            }
        });
        result
    }
    fn walk(p: &GraphPattern, prebound: &[&str], required: &[&str], top: bool) -> Result<(), String> {
        match p {
            GraphPattern::Minus { .. } => Err("MINUS is not allowed in SHACL-SPARQL queries".into()),
            GraphPattern::Service { .. } => Err("SERVICE is not allowed in SHACL-SPARQL queries".into()),
            GraphPattern::Values { .. } => Err("VALUES is not allowed in SHACL-SPARQL queries".into()),
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } => Ok(()),
            GraphPattern::Join { left, right } | GraphPattern::Union { left, right } => {
                walk(left, prebound, required, false)?;
                walk(right, prebound, required, false)
            }
            GraphPattern::LeftJoin { left, right, expression } => {
                walk(left, prebound, required, false)?;
                walk(right, prebound, required, false)?;
                expression.as_ref().map_or(Ok(()), |e| expr(e, prebound, required))
            }
            GraphPattern::Filter { expr: e, inner } => {
                expr(e, prebound, required)?;
                walk(inner, prebound, required, top)
            }
            GraphPattern::Graph { inner, .. } => walk(inner, prebound, required, false),
            GraphPattern::Extend { inner, variable, expression } => {
                if prebound.contains(&variable.as_str()) {
                    return Err(format!("AS ?{} assigns a pre-bound variable", variable.as_str()));
                }
                expr(expression, prebound, required)?;
                walk(inner, prebound, required, top)
            }
            GraphPattern::OrderBy { inner, expression } => {
                for o in expression {
                    let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = o;
                    expr(e, prebound, required)?;
                }
                walk(inner, prebound, required, top)
            }
            GraphPattern::Project { inner, variables } => {
                if !top {
                    for r in required {
                        if !variables.iter().any(|v| v.as_str() == *r) {
                            return Err(format!("a sub-query must project the pre-bound variable ?{r}"));
                        }
                    }
                }
                walk(inner, prebound, required, false)
            }
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => walk(inner, prebound, required, top),
            other => {
                let GraphPattern::Group { inner, aggregates, .. } = other else {
                    return Err("unsupported SPARQL construct".into());
                };
                for (v, a) in aggregates {
                    if prebound.contains(&v.as_str()) {
                        return Err(format!("AS ?{} assigns a pre-bound variable", v.as_str()));
                    }
                    if let AggregateExpression::FunctionCall { expr: e, .. } = a {
                        expr(e, prebound, required)?;
                    }
                }
                walk(inner, prebound, required, top)
            }
        }
    }
    walk(pattern, prebound, required, true)
}

/// Calls `f` on every graph pattern nested in `e` (`EXISTS`).
fn visit_expression(e: &Expression, f: &mut dyn FnMut(&GraphPattern)) {
    match e {
        Expression::Exists(p) => f(p),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            visit_expression(a, f);
            visit_expression(b, f);
        }
        Expression::In(a, list) => {
            visit_expression(a, f);
            list.iter().for_each(|x| visit_expression(x, f));
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => visit_expression(a, f),
        Expression::If(a, b, c) => {
            visit_expression(a, f);
            visit_expression(b, f);
            visit_expression(c, f);
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter().for_each(|x| visit_expression(x, f));
        }
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
    }
}

/// Whether variable `name` occurs anywhere in the pattern (walks the algebra with
/// an empty substitution that records look-ups of `name`).
fn mentions_var(pattern: &GraphPattern, name: &str) -> bool {
    let probe =
        Subst { vars: FxHashMap::default(), path: None, probe: Some(name), hit: std::cell::Cell::new(false) };
    let _ = probe.pattern(pattern);
    probe.hit.get()
}

// ---- substitution (§5.6 pre-binding) ----

#[derive(Debug, Clone)]
enum Repl {
    /// An IRI or literal, substituted as a constant.
    Term(Term),
    /// A blank node: reserved IRI in patterns, reserved function in expressions.
    Blank { iri: NamedNode, func: NamedNode },
}

struct Subst<'s> {
    vars: FxHashMap<&'s str, Repl>,
    path: Option<PropertyPathExpression>,
    probe: Option<&'s str>,
    hit: std::cell::Cell<bool>,
}

impl Subst<'_> {
    fn lookup(&self, v: &Variable) -> Option<&Repl> {
        if self.probe == Some(v.as_str()) {
            self.hit.set(true);
        }
        self.vars.get(v.as_str())
    }

    fn term(&self, t: &TermPattern) -> TermPattern {
        if let TermPattern::Variable(v) = t {
            match self.lookup(v) {
                Some(Repl::Term(Term::NamedNode(n))) => return TermPattern::NamedNode(n.clone()),
                Some(Repl::Term(Term::Literal(l))) => return TermPattern::Literal(l.clone()),
                Some(Repl::Blank { iri, .. }) => return TermPattern::NamedNode(iri.clone()),
                _ => {}
            }
        }
        t.clone()
    }

    fn named(&self, t: &NamedNodePattern) -> NamedNodePattern {
        if let NamedNodePattern::Variable(v) = t {
            match self.lookup(v) {
                Some(Repl::Term(Term::NamedNode(n))) => {
                    return NamedNodePattern::NamedNode(n.clone());
                }
                Some(_) => {
                    return NamedNodePattern::NamedNode(NamedNode::new_unchecked(NO_MATCH_IRI));
                }
                None => {}
            }
        }
        t.clone()
    }

    fn bgp(&self, patterns: &[TriplePattern]) -> GraphPattern {
        let mut plain = Vec::new();
        let mut paths = Vec::new();
        for t in patterns {
            let is_path = matches!(&t.predicate, NamedNodePattern::Variable(v) if v.as_str() == "PATH");
            if self.probe == Some("PATH") && is_path {
                self.hit.set(true);
            }
            match (&self.path, is_path) {
                (Some(path), true) => paths.push(GraphPattern::Path {
                    subject: self.term(&t.subject),
                    path: path.clone(),
                    object: self.term(&t.object),
                }),
                _ => plain.push(TriplePattern {
                    subject: self.term(&t.subject),
                    predicate: self.named(&t.predicate),
                    object: self.term(&t.object),
                }),
            }
        }
        let mut result = GraphPattern::Bgp { patterns: plain };
        for p in paths {
            result = GraphPattern::Join { left: Box::new(result), right: Box::new(p) };
        }
        result
    }

    fn expr(&self, e: &Expression) -> Expression {
        let b = |x: &Expression| Box::new(self.expr(x));
        match e {
            Expression::Variable(v) => match self.lookup(v) {
                Some(Repl::Term(Term::NamedNode(n))) => Expression::NamedNode(n.clone()),
                Some(Repl::Term(Term::Literal(l))) => Expression::Literal(l.clone()),
                Some(Repl::Blank { func, .. }) => {
                    Expression::FunctionCall(Function::Custom(func.clone()), Vec::new())
                }
                _ => e.clone(),
            },
            Expression::Bound(v) => match self.lookup(v) {
                Some(_) => Expression::Literal(Literal::from(true)),
                None => e.clone(),
            },
            Expression::NamedNode(_) | Expression::Literal(_) => e.clone(),
            Expression::Or(x, y) => Expression::Or(b(x), b(y)),
            Expression::And(x, y) => Expression::And(b(x), b(y)),
            Expression::Equal(x, y) => Expression::Equal(b(x), b(y)),
            Expression::SameTerm(x, y) => Expression::SameTerm(b(x), b(y)),
            Expression::Greater(x, y) => Expression::Greater(b(x), b(y)),
            Expression::GreaterOrEqual(x, y) => Expression::GreaterOrEqual(b(x), b(y)),
            Expression::Less(x, y) => Expression::Less(b(x), b(y)),
            Expression::LessOrEqual(x, y) => Expression::LessOrEqual(b(x), b(y)),
            Expression::Add(x, y) => Expression::Add(b(x), b(y)),
            Expression::Subtract(x, y) => Expression::Subtract(b(x), b(y)),
            Expression::Multiply(x, y) => Expression::Multiply(b(x), b(y)),
            Expression::Divide(x, y) => Expression::Divide(b(x), b(y)),
            Expression::In(x, list) => Expression::In(b(x), list.iter().map(|i| self.expr(i)).collect()),
            Expression::UnaryPlus(x) => Expression::UnaryPlus(b(x)),
            Expression::UnaryMinus(x) => Expression::UnaryMinus(b(x)),
            Expression::Not(x) => Expression::Not(b(x)),
            Expression::Exists(p) => Expression::Exists(Box::new(self.pattern(p))),
            Expression::If(x, y, z) => Expression::If(b(x), b(y), b(z)),
            Expression::Coalesce(list) => Expression::Coalesce(list.iter().map(|i| self.expr(i)).collect()),
            Expression::FunctionCall(f, list) => {
                Expression::FunctionCall(f.clone(), list.iter().map(|i| self.expr(i)).collect())
            }
        }
    }

    fn pattern(&self, p: &GraphPattern) -> GraphPattern {
        let b = |x: &GraphPattern| Box::new(self.pattern(x));
        match p {
            GraphPattern::Bgp { patterns } => self.bgp(patterns),
            GraphPattern::Path { subject, path, object } => GraphPattern::Path {
                subject: self.term(subject),
                path: path.clone(),
                object: self.term(object),
            },
            GraphPattern::Join { left, right } => GraphPattern::Join { left: b(left), right: b(right) },
            GraphPattern::LeftJoin { left, right, expression } => GraphPattern::LeftJoin {
                left: b(left),
                right: b(right),
                expression: expression.as_ref().map(|e| self.expr(e)),
            },
            GraphPattern::Filter { expr, inner } => {
                GraphPattern::Filter { expr: self.expr(expr), inner: b(inner) }
            }
            GraphPattern::Union { left, right } => GraphPattern::Union { left: b(left), right: b(right) },
            GraphPattern::Graph { name, inner } => {
                GraphPattern::Graph { name: self.named(name), inner: b(inner) }
            }
            GraphPattern::Extend { inner, variable, expression } => GraphPattern::Extend {
                inner: b(inner),
                variable: variable.clone(),
                expression: self.expr(expression),
            },
            GraphPattern::Minus { left, right } => GraphPattern::Minus { left: b(left), right: b(right) },
            GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy {
                inner: b(inner),
                expression: expression
                    .iter()
                    .map(|o| match o {
                        OrderExpression::Asc(e) => OrderExpression::Asc(self.expr(e)),
                        OrderExpression::Desc(e) => OrderExpression::Desc(self.expr(e)),
                    })
                    .collect(),
            },
            GraphPattern::Project { inner, variables } => {
                for v in variables {
                    let _ = self.lookup(v);
                }
                GraphPattern::Project { inner: b(inner), variables: variables.clone() }
            }
            GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: b(inner) },
            GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: b(inner) },
            GraphPattern::Slice { inner, start, length } => {
                GraphPattern::Slice { inner: b(inner), start: *start, length: *length }
            }
            GraphPattern::Group { inner, variables, aggregates } => GraphPattern::Group {
                inner: b(inner),
                variables: variables.clone(),
                aggregates: aggregates
                    .iter()
                    .map(|(v, a)| {
                        let a = match a {
                            AggregateExpression::FunctionCall { name, expr, distinct } => {
                                AggregateExpression::FunctionCall {
                                    name: name.clone(),
                                    expr: self.expr(expr),
                                    distinct: *distinct,
                                }
                            }
                            AggregateExpression::CountSolutions { .. } => a.clone(),
                        };
                        (v.clone(), a)
                    })
                    .collect(),
            },
            // VALUES and SERVICE are rejected when compiling.
            _ => p.clone(),
        }
    }
}

// ---- evaluation ----

/// A term of the SPARQL view: a data graph node, or any other term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ViewTerm<N> {
    Data(N),
    Other(Term),
}

/// Error of [`SparqlView`].
#[derive(Debug)]
pub(crate) struct ViewError(Box<dyn Error + Send + Sync + 'static>);

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Error for ViewError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// The SPARQL dataset: default graph = data graph, named graph = shapes graph.
pub(crate) struct SparqlView<'a, G: DataGraph> {
    g: &'a G,
    shapes_graph: &'a Graph,
    blank_values: Arc<Vec<(NamedNode, Term)>>,
}

impl<'a, G: DataGraph> SparqlView<'a, G> {
    fn internal(
        g: &G,
        blank_values: &[(NamedNode, Term)],
        term: Term,
    ) -> Result<ViewTerm<G::Node>, ViewError> {
        if let Term::NamedNode(n) = &term
            && n.as_str().starts_with(BNODE_PREFIX)
            && let Some((_, t)) = blank_values.iter().find(|(iri, _)| iri == n)
        {
            return Self::internal(g, &[], t.clone());
        }
        Ok(match g.lookup(term.as_ref()).map_err(|e| ViewError(Box::new(e)))? {
            Some(n) => ViewTerm::Data(n),
            None => ViewTerm::Other(term),
        })
    }
}

type QuadResult<N> = Result<InternalQuad<ViewTerm<N>>, ViewError>;

impl<'a, G: DataGraph + 'a> QueryableDataset<'a> for SparqlView<'a, G> {
    type InternalTerm = ViewTerm<G::Node>;
    type Error = ViewError;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&ViewTerm<G::Node>>,
        predicate: Option<&ViewTerm<G::Node>>,
        object: Option<&ViewTerm<G::Node>>,
        graph_name: Option<Option<&ViewTerm<G::Node>>>,
    ) -> impl Iterator<Item = QuadResult<G::Node>> + use<'a, G> {
        let g: &'a G = self.g;
        let shapes_graph: &'a Graph = self.shapes_graph;
        let is_shapes_graph = |t: &ViewTerm<G::Node>| matches!(t, ViewTerm::Other(Term::NamedNode(n)) if n.as_str() == SHAPES_GRAPH_IRI);
        let (default_graph, shapes) = match graph_name {
            Some(None) => (true, false),
            Some(Some(name)) => (false, is_shapes_graph(name)),
            None => (false, true),
        };
        let mut out: Vec<QuadResult<G::Node>> = Vec::new();
        if default_graph {
            // Pattern terms outside the data graph match nothing.
            let data = |t: Option<&ViewTerm<G::Node>>| match t {
                None => Some(None),
                Some(ViewTerm::Data(n)) => Some(Some(n.clone())),
                Some(ViewTerm::Other(_)) => None,
            };
            if let (Some(s), Some(p), Some(o)) = (data(subject), data(predicate), data(object)) {
                let iter = g.triples_matching(s.as_ref(), p.as_ref(), o.as_ref()).map(|r| {
                    r.map(|[s, p, o]| InternalQuad {
                        subject: ViewTerm::Data(s),
                        predicate: ViewTerm::Data(p),
                        object: ViewTerm::Data(o),
                        graph_name: None,
                    })
                    .map_err(|e| ViewError(Box::new(e)))
                });
                let boxed: Box<dyn Iterator<Item = QuadResult<G::Node>> + 'a> = Box::new(iter);
                return boxed;
            }
        } else if shapes {
            let ext = |t: Option<&ViewTerm<G::Node>>| {
                t.map(|t| match t {
                    ViewTerm::Data(n) => g.term(n).into_owned(),
                    ViewTerm::Other(t) => t.clone(),
                })
            };
            let (s, p, o) = (ext(subject), ext(predicate), ext(object));
            let name = ViewTerm::Other(Term::NamedNode(NamedNode::new_unchecked(SHAPES_GRAPH_IRI)));
            let matches = |t: &oxigraph::model::TripleRef<'_>| {
                s.as_ref().is_none_or(|s| TermRef::from(t.subject) == s.as_ref())
                    && p.as_ref().is_none_or(|p| TermRef::from(t.predicate) == p.as_ref())
                    && o.as_ref().is_none_or(|o| t.object == o.as_ref())
            };
            let mut handle = |t: oxigraph::model::TripleRef<'_>| {
                if !matches(&t) {
                    return;
                }
                let quad = (|| {
                    Ok(InternalQuad {
                        subject: Self::internal(g, &[], TermRef::from(t.subject).into_owned())?,
                        predicate: Self::internal(g, &[], TermRef::from(t.predicate).into_owned())?,
                        object: Self::internal(g, &[], t.object.into_owned())?,
                        graph_name: Some(name.clone()),
                    })
                })();
                out.push(quad);
            };
            match s.as_ref().and_then(as_subject) {
                Some(subj) => shapes_graph.triples_for_subject(&subj).for_each(&mut handle),
                None => shapes_graph.iter().for_each(&mut handle),
            }
        }
        let boxed: Box<dyn Iterator<Item = QuadResult<G::Node>> + 'a> = Box::new(out.into_iter());
        boxed
    }

    fn internalize_term(&self, term: Term) -> Result<ViewTerm<G::Node>, ViewError> {
        Self::internal(self.g, &self.blank_values, term)
    }

    fn externalize_term(&self, term: ViewTerm<G::Node>) -> Result<Term, ViewError> {
        Ok(match term {
            ViewTerm::Data(n) => self.g.term(&n).into_owned(),
            ViewTerm::Other(t) => t,
        })
    }
}

/// Evaluates `query` with `bindings` pre-bound. Returns solutions (SELECT) or the
/// boolean (ASK) as a single empty solution when true.
fn evaluate<G: DataGraph>(
    g: &G,
    shapes_graph: &Graph,
    query: &Query,
    bindings: &[(Variable, Term)],
    path: Option<&PropertyPath>,
    first_only: bool,
) -> Result<Evaluated, String> {
    let mut vars: FxHashMap<&str, Repl> = FxHashMap::default();
    let mut blank_values = Vec::new();
    let mut evaluator = QueryEvaluator::new();
    for (i, (v, t)) in bindings.iter().enumerate() {
        let repl = match t {
            Term::BlankNode(_) => {
                let iri = NamedNode::new_unchecked(format!("{BNODE_PREFIX}{i}"));
                let func = NamedNode::new_unchecked(format!("{BNODE_FN_PREFIX}{i}"));
                blank_values.push((iri.clone(), t.clone()));
                let value = t.clone();
                evaluator = evaluator.with_custom_function(func.clone(), move |_| Some(value.clone()));
                Repl::Blank { iri, func }
            }
            _ => Repl::Term(t.clone()),
        };
        vars.insert(v.as_str(), repl);
    }
    let subst = Subst {
        vars,
        path: path.map(PropertyPath::to_sparql),
        probe: None,
        hit: std::cell::Cell::new(false),
    };
    let rewritten = match query {
        Query::Select { dataset, pattern, base_iri } => Query::Select {
            dataset: dataset.clone(),
            pattern: subst.pattern(pattern),
            base_iri: base_iri.clone(),
        },
        Query::Ask { dataset, pattern, base_iri } => Query::Ask {
            dataset: dataset.clone(),
            pattern: subst.pattern(pattern),
            base_iri: base_iri.clone(),
        },
        _ => return Err("only SELECT and ASK queries are supported".into()),
    };
    let view = SparqlView { g, shapes_graph, blank_values: Arc::new(blank_values) };
    let results = evaluator.prepare(&rewritten).execute(view).map_err(|e| e.to_string())?;
    match results {
        QueryResults::Boolean(b) => Ok(Evaluated::Boolean(b)),
        QueryResults::Solutions(solutions) => {
            let mut rows = Vec::new();
            for s in solutions {
                let s = s.map_err(|e| e.to_string())?;
                rows.push(s.iter().map(|(v, t)| (v.as_str().to_owned(), t.clone())).collect::<Vec<_>>());
                if first_only {
                    break;
                }
            }
            Ok(Evaluated::Rows(rows))
        }
        QueryResults::Graph(_) => Err("unexpected graph result".into()),
    }
}

enum Evaluated {
    Boolean(bool),
    Rows(Vec<Vec<(String, Term)>>),
}

fn get<'r>(row: &'r [(String, Term)], name: &str) -> Option<&'r Term> {
    row.iter().find(|(n, _)| n == name).map(|(_, t)| t)
}

/// Replaces `{?var}` / `{$var}` in message templates.
fn instantiate_messages(
    templates: &[Literal],
    row: &[(String, Term)],
    bindings: &[(Variable, Term)],
) -> Vec<Literal> {
    templates
        .iter()
        .map(|m| {
            let mut text = m.value().to_owned();
            let all =
                row.iter().map(|(n, t)| (n.as_str(), t)).chain(bindings.iter().map(|(v, t)| (v.as_str(), t)));
            for (name, term) in all {
                let shown = match term {
                    Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                };
                text = text.replace(&format!("{{?{name}}}"), &shown).replace(&format!("{{${name}}}"), &shown);
            }
            match m.language() {
                Some(lang) => Literal::new_language_tagged_literal_unchecked(text, lang),
                None => Literal::new_simple_literal(text),
            }
        })
        .collect()
}

fn common_bindings(shape: &Shape, focus: &Term) -> Vec<(Variable, Term)> {
    vec![
        (Variable::new_unchecked("this"), focus.clone()),
        (Variable::new_unchecked("shapesGraph"), NamedNode::new_unchecked(SHAPES_GRAPH_IRI).into()),
        (Variable::new_unchecked("currentShape"), shape.node.clone()),
    ]
}

fn rows_to_violations(
    rows: Vec<Vec<(String, Term)>>,
    shape: &Shape,
    focus: &Term,
    templates: &[Literal],
    bindings: &[(Variable, Term)],
    source_constraint: Option<&Term>,
    constraint_node: &Term,
) -> Result<Vec<SparqlViolation>, ValidationError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(Term::Literal(l)) = get(&row, "failure")
            && (l.value() == "true" || l.value() == "1")
        {
            return Err(ValidationError::sparql(
                &shape.node,
                constraint_node,
                "the query reported ?failure = true".into(),
            ));
        }
        let path = match get(&row, "path") {
            Some(Term::NamedNode(p)) => Some(PropertyPath::Predicate(p.clone())),
            _ => shape.path.as_ref().map(|(p, _)| p.clone()),
        };
        let value = get(&row, "value").cloned().or_else(|| shape.path.is_none().then(|| focus.clone()));
        let messages = match get(&row, "message") {
            Some(Term::Literal(l)) => vec![l.clone()],
            _ => instantiate_messages(templates, &row, bindings),
        };
        out.push(SparqlViolation {
            focus: get(&row, "this").cloned().unwrap_or_else(|| focus.clone()),
            path,
            value,
            messages,
            source_constraint: source_constraint.cloned(),
        });
    }
    Ok(out)
}

/// Runs a `sh:sparql` constraint for one focus node.
pub(crate) fn run_constraint<G: DataGraph>(
    g: &G,
    shapes_graph: &Graph,
    shape: &Shape,
    c: &SparqlConstraint,
    focus: &Term,
    first_only: bool,
) -> Result<Vec<SparqlViolation>, ValidationError> {
    let bindings = common_bindings(shape, focus);
    let path = shape.path.as_ref().map(|(p, _)| p);
    let result = evaluate(g, shapes_graph, &c.query, &bindings, path, first_only)
        .map_err(|message| ValidationError::sparql(&shape.node, &c.node, message))?;
    let Evaluated::Rows(rows) = result else {
        return Ok(Vec::new());
    };
    let messages = if c.messages.is_empty() { &shape.messages } else { &c.messages };
    rows_to_violations(rows, shape, focus, messages, &bindings, Some(&c.node), &c.node)
}

/// Runs a SPARQL-based component for one focus node and its value nodes.
pub(crate) fn run_component<G: DataGraph>(
    g: &G,
    shapes_graph: &Graph,
    shape: &Shape,
    c: &ComponentConstraint,
    focus: &Term,
    values: &[Term],
    first_only: bool,
) -> Result<Vec<SparqlViolation>, ValidationError> {
    let v = &c.validator;
    let mut bindings = common_bindings(shape, focus);
    bindings.extend(c.bindings.iter().cloned());
    let path = shape.path.as_ref().map(|(p, _)| p);
    let err = |message| ValidationError::sparql(&shape.node, &v.node, message);
    if v.ask {
        let mut out = Vec::new();
        for value in values {
            let mut b = bindings.clone();
            b.push((Variable::new_unchecked("value"), value.clone()));
            let conforms = match evaluate(g, shapes_graph, &v.query, &b, path, true).map_err(err)? {
                Evaluated::Boolean(x) => x,
                Evaluated::Rows(_) => true,
            };
            if !conforms {
                let row = vec![("value".to_owned(), value.clone())];
                out.push(SparqlViolation {
                    focus: focus.clone(),
                    path: path.cloned(),
                    value: Some(value.clone()),
                    messages: instantiate_messages(&v.messages, &row, &b),
                    source_constraint: None,
                });
                if first_only {
                    break;
                }
            }
        }
        return Ok(out);
    }
    let Evaluated::Rows(rows) =
        evaluate(g, shapes_graph, &v.query, &bindings, path, first_only).map_err(err)?
    else {
        return Ok(Vec::new());
    };
    rows_to_violations(rows, shape, focus, &v.messages, &bindings, None, &v.node)
}
