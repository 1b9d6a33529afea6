//! SHACL property paths ([SHACL §2.3.1](https://www.w3.org/TR/shacl/#property-paths)):
//! the public [`PropertyPath`] (used in reports), its compiled form with interned
//! predicates, parsing from the shapes graph, conversion to RDF and to SPARQL algebra.

use super::vocab::{rdf, sh};
use oxigraph::model::{BlankNode, Graph, NamedNode, NamedOrBlankNode, Term, TermRef, Triple};
use spargebra::algebra::PropertyPathExpression;
use std::fmt;

/// A SHACL property path, with the predicates as IRIs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PropertyPath {
    /// A predicate path: the IRI itself.
    Predicate(NamedNode),
    /// `[ sh:inversePath p ]`.
    Inverse(Box<PropertyPath>),
    /// A sequence path: an RDF list of paths.
    Sequence(Vec<PropertyPath>),
    /// `[ sh:alternativePath ( p1 p2 … ) ]`.
    Alternative(Vec<PropertyPath>),
    /// `[ sh:zeroOrMorePath p ]`.
    ZeroOrMore(Box<PropertyPath>),
    /// `[ sh:oneOrMorePath p ]`.
    OneOrMore(Box<PropertyPath>),
    /// `[ sh:zeroOrOnePath p ]`.
    ZeroOrOne(Box<PropertyPath>),
}

impl PropertyPath {
    /// Writes this path as RDF ([SHACL §2.3.1](https://www.w3.org/TR/shacl/#property-paths))
    /// into `graph` with fresh blank nodes and returns the path node.
    pub fn to_rdf(&self, graph: &mut Graph) -> Term {
        match self {
            Self::Predicate(p) => p.clone().into(),
            Self::Sequence(items) => list_to_rdf(items, graph),
            Self::Alternative(items) => {
                let list = list_to_rdf(items, graph);
                wrap(graph, sh::ALTERNATIVE_PATH, list)
            }
            Self::Inverse(p) => {
                let inner = p.to_rdf(graph);
                wrap(graph, sh::INVERSE_PATH, inner)
            }
            Self::ZeroOrMore(p) => {
                let inner = p.to_rdf(graph);
                wrap(graph, sh::ZERO_OR_MORE_PATH, inner)
            }
            Self::OneOrMore(p) => {
                let inner = p.to_rdf(graph);
                wrap(graph, sh::ONE_OR_MORE_PATH, inner)
            }
            Self::ZeroOrOne(p) => {
                let inner = p.to_rdf(graph);
                wrap(graph, sh::ZERO_OR_ONE_PATH, inner)
            }
        }
    }

    /// The equivalent SPARQL property path expression (used for `$PATH`).
    pub fn to_sparql(&self) -> PropertyPathExpression {
        fn fold(
            items: &[PropertyPath],
            f: fn(Box<PropertyPathExpression>, Box<PropertyPathExpression>) -> PropertyPathExpression,
        ) -> PropertyPathExpression {
            let mut iter = items.iter().map(PropertyPath::to_sparql);
            let first = iter.next().unwrap_or_else(|| PropertyPathExpression::NegatedPropertySet(Vec::new()));
            iter.fold(first, |acc, e| f(Box::new(acc), Box::new(e)))
        }
        match self {
            Self::Predicate(p) => PropertyPathExpression::NamedNode(p.clone()),
            Self::Inverse(p) => PropertyPathExpression::Reverse(Box::new(p.to_sparql())),
            Self::Sequence(items) => fold(items, PropertyPathExpression::Sequence),
            Self::Alternative(items) => fold(items, PropertyPathExpression::Alternative),
            Self::ZeroOrMore(p) => PropertyPathExpression::ZeroOrMore(Box::new(p.to_sparql())),
            Self::OneOrMore(p) => PropertyPathExpression::OneOrMore(Box::new(p.to_sparql())),
            Self::ZeroOrOne(p) => PropertyPathExpression::ZeroOrOne(Box::new(p.to_sparql())),
        }
    }

    /// The predicate if this is a plain predicate path.
    pub fn as_predicate(&self) -> Option<&NamedNode> {
        match self {
            Self::Predicate(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for PropertyPath {
    /// SPARQL property path syntax.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn join(f: &mut fmt::Formatter<'_>, items: &[PropertyPath], sep: &str) -> fmt::Result {
            f.write_str("(")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "{item}")?;
            }
            f.write_str(")")
        }
        match self {
            Self::Predicate(p) => write!(f, "{p}"),
            Self::Inverse(p) => write!(f, "^{p}"),
            Self::Sequence(items) => join(f, items, " / "),
            Self::Alternative(items) => join(f, items, " | "),
            Self::ZeroOrMore(p) => write!(f, "{p}*"),
            Self::OneOrMore(p) => write!(f, "{p}+"),
            Self::ZeroOrOne(p) => write!(f, "{p}?"),
        }
    }
}

fn wrap(graph: &mut Graph, predicate: oxigraph::model::NamedNodeRef<'_>, object: Term) -> Term {
    let node = BlankNode::default();
    graph.insert(&Triple::new(node.clone(), predicate, object));
    node.into()
}

fn list_to_rdf(items: &[PropertyPath], graph: &mut Graph) -> Term {
    let mut tail: Term = rdf::NIL.into_owned().into();
    for item in items.iter().rev() {
        let value = item.to_rdf(graph);
        let node = BlankNode::default();
        graph.insert(&Triple::new(node.clone(), rdf::FIRST, value));
        graph.insert(&Triple::new(node.clone(), rdf::REST, tail));
        tail = node.into();
    }
    tail
}

/// Index of an interned constant of the shapes graph (see `ir::Consts`).
pub(crate) type ConstId = u32;

/// A compiled path: predicates are interned constants, resolved per data graph.
#[derive(Debug, Clone)]
pub(crate) enum PathIr {
    Predicate(ConstId),
    Inverse(Box<PathIr>),
    Sequence(Vec<PathIr>),
    Alternative(Vec<PathIr>),
    ZeroOrMore(Box<PathIr>),
    OneOrMore(Box<PathIr>),
    ZeroOrOne(Box<PathIr>),
}

/// Parses the path rooted at `node` in the shapes graph.
///
/// `intern` interns a predicate IRI into a [`ConstId`].
pub(crate) fn parse_path(
    graph: &Graph,
    node: TermRef<'_>,
    intern: &mut dyn FnMut(&NamedNode) -> ConstId,
    depth: usize,
) -> Result<(PropertyPath, PathIr), String> {
    if depth > 64 {
        return Err("path is nested too deeply (cyclic path structure?)".into());
    }
    let bnode = match node {
        TermRef::NamedNode(n) => {
            let n = n.into_owned();
            let id = intern(&n);
            return Ok((PropertyPath::Predicate(n), PathIr::Predicate(id)));
        }
        TermRef::BlankNode(b) => b,
        _ => return Err(format!("path {node} is a literal")),
    };
    let subject = NamedOrBlankNode::from(bnode.into_owned());
    if graph.object_for_subject_predicate(&subject, rdf::FIRST).is_some() {
        let items = super::parse::read_list(graph, node)?;
        if items.is_empty() {
            return Err("sequence path is an empty list".into());
        }
        let mut public = Vec::with_capacity(items.len());
        let mut ir = Vec::with_capacity(items.len());
        for item in items {
            let (p, i) = parse_path(graph, item.as_ref(), intern, depth + 1)?;
            public.push(p);
            ir.push(i);
        }
        return Ok((PropertyPath::Sequence(public), PathIr::Sequence(ir)));
    }
    let mut found = None;
    for (predicate, kind) in [
        (sh::INVERSE_PATH, 0u8),
        (sh::ALTERNATIVE_PATH, 1),
        (sh::ZERO_OR_MORE_PATH, 2),
        (sh::ONE_OR_MORE_PATH, 3),
        (sh::ZERO_OR_ONE_PATH, 4),
    ] {
        let mut values = graph.objects_for_subject_predicate(&subject, predicate);
        if let Some(value) = values.next() {
            if values.next().is_some() || found.is_some() {
                return Err(format!("path node {subject} has more than one path operator"));
            }
            found = Some((kind, value.into_owned()));
        }
    }
    let Some((kind, value)) = found else {
        return Err(format!("blank node {subject} is not a well-formed SHACL path"));
    };
    if kind == 1 {
        let items = super::parse::read_list(graph, value.as_ref())?;
        if items.is_empty() {
            return Err("sh:alternativePath has an empty list".into());
        }
        let mut public = Vec::with_capacity(items.len());
        let mut ir = Vec::with_capacity(items.len());
        for item in items {
            let (p, i) = parse_path(graph, item.as_ref(), intern, depth + 1)?;
            public.push(p);
            ir.push(i);
        }
        return Ok((PropertyPath::Alternative(public), PathIr::Alternative(ir)));
    }
    let (p, i) = parse_path(graph, value.as_ref(), intern, depth + 1)?;
    let (p, i) = (Box::new(p), Box::new(i));
    Ok(match kind {
        0 => (PropertyPath::Inverse(p), PathIr::Inverse(i)),
        2 => (PropertyPath::ZeroOrMore(p), PathIr::ZeroOrMore(i)),
        3 => (PropertyPath::OneOrMore(p), PathIr::OneOrMore(i)),
        _ => (PropertyPath::ZeroOrOne(p), PathIr::ZeroOrOne(i)),
    })
}
