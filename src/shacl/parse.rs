//! Compiles a shapes graph ([SHACL §2](https://www.w3.org/TR/shacl/#shapes-graph)) into
//! the IR of [`ir`](super::ir), checking well-formedness as it goes.
//!
//! Which nodes are compiled: every SHACL instance of `sh:NodeShape` / `sh:PropertyShape`,
//! every subject of a target predicate, and (transitively) every shape they reference
//! through `sh:node`, `sh:property`, `sh:not`, `sh:and`, `sh:or`, `sh:xone` and
//! `sh:qualifiedValueShape`. Nodes that merely carry constraint parameters but are
//! neither typed nor targeted nor referenced (e.g. parameter declarations of
//! SPARQL-based components) are never validated and are not compiled.
//!
//! **Undefined shapes.** A node referenced by `sh:property` that has no triples at all
//! in the shapes graph (the DCAT-AP 3.0.1 `dcat-ap-SHACL.ttl` references two such
//! IRIs) cannot be told to be a property shape: it is compiled as a shape without
//! constraints (every node conforms to it, as for any shape node without
//! constraints), and a warning is recorded ([`Shapes::warnings`](super::Shapes::warnings)).
//! A node referenced by `sh:property` that *does* have triples but no `sh:path`
//! is an error.

use super::error::ShapeError;
use super::ir::{ConstId, Constraint, RangeKind, Shape, ShapeId, Target, node_kind};
use super::path::parse_path;
use super::sparql::{self, ComponentDef};
use super::vocab::{rdf, rdfs, sh, xsd};
use oxigraph::model::{
    Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
};
use rustc_hash::{FxHashMap, FxHashSet};

/// Interned constants of the shapes graph.
#[derive(Debug, Default)]
pub(crate) struct Consts {
    pub terms: Vec<Term>,
    ids: FxHashMap<Term, ConstId>,
}

impl Consts {
    pub fn intern(&mut self, term: Term) -> ConstId {
        if let Some(id) = self.ids.get(&term) {
            return *id;
        }
        let id = ConstId::try_from(self.terms.len()).unwrap_or(ConstId::MAX);
        self.terms.push(term.clone());
        self.ids.insert(term, id);
        id
    }
}

/// Output of the compiler.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub shapes: Vec<Shape>,
    pub consts: Vec<Term>,
    /// Shapes that have at least one target, in shapes-graph order.
    pub roots: Vec<ShapeId>,
    pub warnings: Vec<String>,
}

/// Reads an RDF list ([SHACL §1.5](https://www.w3.org/TR/shacl/#syntax-rule-SHACL-list)).
pub(crate) fn read_list(graph: &Graph, head: TermRef<'_>) -> Result<Vec<Term>, String> {
    let mut items = Vec::new();
    let mut seen = FxHashSet::default();
    let mut current = head.into_owned();
    loop {
        let node = match &current {
            Term::NamedNode(n) if n.as_ref() == rdf::NIL => return Ok(items),
            Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
            _ => {
                return Err(format!("malformed list: {current} is a literal, not a list node"));
            }
        };
        if !seen.insert(node.clone()) {
            return Err(format!("malformed list: cycle at {node}"));
        }
        let mut firsts = graph.objects_for_subject_predicate(&node, rdf::FIRST);
        let first = firsts.next().ok_or_else(|| format!("malformed list: {node} has no rdf:first"))?;
        if firsts.next().is_some() {
            return Err(format!("malformed list: {node} has several rdf:first"));
        }
        let mut rests = graph.objects_for_subject_predicate(&node, rdf::REST);
        let rest = rests.next().ok_or_else(|| format!("malformed list: {node} has no rdf:rest"))?;
        if rests.next().is_some() {
            return Err(format!("malformed list: {node} has several rdf:rest"));
        }
        items.push(first.into_owned());
        current = rest.into_owned();
    }
}

/// `rdf:type/rdfs:subClassOf*` closure test within the shapes graph.
pub(crate) fn is_instance_in(graph: &Graph, node: &NamedOrBlankNode, class: NamedNodeRef<'_>) -> bool {
    graph.objects_for_subject_predicate(node, rdf::TYPE).any(|t| is_subclass_in(graph, t, class))
}

fn is_subclass_in(graph: &Graph, sub: TermRef<'_>, sup: NamedNodeRef<'_>) -> bool {
    let mut stack = vec![sub.into_owned()];
    let mut seen = FxHashSet::default();
    while let Some(t) = stack.pop() {
        if t.as_ref() == TermRef::from(sup) {
            return true;
        }
        if !seen.insert(t.clone()) {
            continue;
        }
        let node = match t {
            Term::NamedNode(n) => NamedOrBlankNode::from(n),
            Term::BlankNode(b) => NamedOrBlankNode::from(b),
            _ => continue,
        };
        stack.extend(graph.objects_for_subject_predicate(&node, rdfs::SUB_CLASS_OF).map(TermRef::into_owned));
    }
    false
}

pub(crate) fn as_subject(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// Reads a boolean parameter. Only the term `true` (`"true"^^xsd:boolean`) activates
/// a boolean parameter: the spec compares terms, so `"1"^^xsd:boolean` does not.
pub(crate) fn as_bool(term: TermRef<'_>) -> Option<bool> {
    match term {
        TermRef::Literal(l) if l.datatype() == xsd::BOOLEAN => match l.value() {
            "true" => Some(true),
            "false" | "1" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn as_count(term: TermRef<'_>) -> Option<u64> {
    match term {
        TermRef::Literal(l) if super::core::literal::is_integer_datatype(l.datatype()) => {
            let v = l.value().strip_prefix('+').unwrap_or(l.value());
            v.parse::<u64>().ok()
        }
        _ => None,
    }
}

type PairMaker = fn(ConstId) -> Constraint;
type ListMaker = fn(Vec<ShapeId>) -> Constraint;

struct Compiler<'g> {
    graph: &'g Graph,
    shapes: Vec<Option<Shape>>,
    nodes: Vec<Term>,
    ids: FxHashMap<Term, ShapeId>,
    queue: Vec<ShapeId>,
    consts: Consts,
    components: Option<Vec<ComponentDef>>,
    warnings: Vec<String>,
}

/// Compiles `graph`.
pub(crate) fn compile(graph: &Graph) -> Result<Compiled, ShapeError> {
    let mut c = Compiler {
        graph,
        shapes: Vec::new(),
        nodes: Vec::new(),
        ids: FxHashMap::default(),
        queue: Vec::new(),
        consts: Consts::default(),
        components: None,
        warnings: Vec::new(),
    };
    // Candidate shapes, in graph order, de-duplicated.
    let mut candidates: Vec<NamedOrBlankNode> = Vec::new();
    let mut seen = FxHashSet::default();
    let shape_classes = [sh::NODE_SHAPE, sh::PROPERTY_SHAPE];
    for triple in graph.triples_for_predicate(rdf::TYPE) {
        if shape_classes.iter().any(|c| is_subclass_in(graph, triple.object, *c))
            && seen.insert(triple.subject.into_owned())
        {
            candidates.push(triple.subject.into_owned());
        }
    }
    for p in [sh::TARGET_NODE, sh::TARGET_CLASS, sh::TARGET_SUBJECTS_OF, sh::TARGET_OBJECTS_OF] {
        for triple in graph.triples_for_predicate(p) {
            if seen.insert(triple.subject.into_owned()) {
                candidates.push(triple.subject.into_owned());
            }
        }
    }
    for node in candidates {
        c.shape_ref(Term::from(node));
    }
    while let Some(id) = c.queue.pop() {
        let node = c.nodes[id as usize].clone();
        let shape = c.compile_shape(&node)?;
        c.shapes[id as usize] = Some(shape);
    }
    let mut shapes = Vec::with_capacity(c.shapes.len());
    for (i, s) in c.shapes.into_iter().enumerate() {
        let s = s.ok_or_else(|| ShapeError::new(None, format!("shape #{i} was not compiled")))?;
        shapes.push(s);
    }
    let roots = (0..shapes.len())
        .filter(|i| !shapes[*i].targets.is_empty())
        .map(|i| ShapeId::try_from(i).unwrap_or(ShapeId::MAX))
        .collect();
    Ok(Compiled { shapes, consts: c.consts.terms, roots, warnings: c.warnings })
}

impl Compiler<'_> {
    /// Returns the id of the shape `node`, scheduling its compilation if new.
    fn shape_ref(&mut self, node: Term) -> ShapeId {
        if let Some(id) = self.ids.get(&node) {
            return *id;
        }
        let id = ShapeId::try_from(self.shapes.len()).unwrap_or(ShapeId::MAX);
        self.shapes.push(None);
        self.nodes.push(node.clone());
        self.ids.insert(node, id);
        self.queue.push(id);
        id
    }

    fn shape_value(
        &mut self,
        shape: &Term,
        param: NamedNodeRef<'_>,
        value: TermRef<'_>,
    ) -> Result<ShapeId, ShapeError> {
        match value {
            TermRef::NamedNode(_) | TermRef::BlankNode(_) => Ok(self.shape_ref(value.into_owned())),
            _ => Err(ShapeError::new(
                Some(shape.clone()),
                format!("the value {value} of {param} is not a shape (IRI or blank node)"),
            )),
        }
    }

    fn shape_list(
        &mut self,
        shape: &Term,
        param: NamedNodeRef<'_>,
        head: TermRef<'_>,
    ) -> Result<Vec<ShapeId>, ShapeError> {
        let items = read_list(self.graph, head)
            .map_err(|e| ShapeError::new(Some(shape.clone()), format!("{param}: {e}")))?;
        items.iter().map(|i| self.shape_value(shape, param, i.as_ref())).collect()
    }

    fn err(shape: &Term, problem: impl Into<String>) -> ShapeError {
        ShapeError::new(Some(shape.clone()), problem)
    }

    fn values(&self, subject: &NamedOrBlankNode, p: NamedNodeRef<'_>) -> Vec<Term> {
        self.graph.objects_for_subject_predicate(subject, p).map(TermRef::into_owned).collect()
    }

    fn single(
        &self,
        shape: &Term,
        subject: &NamedOrBlankNode,
        p: NamedNodeRef<'_>,
    ) -> Result<Option<Term>, ShapeError> {
        let mut values = self.values(subject, p);
        if values.len() > 1 {
            return Err(Self::err(shape, format!("{p} has {} values, at most one is allowed", values.len())));
        }
        Ok(values.pop())
    }

    fn count(
        &self,
        shape: &Term,
        subject: &NamedOrBlankNode,
        p: NamedNodeRef<'_>,
    ) -> Result<Option<u64>, ShapeError> {
        match self.single(shape, subject, p)? {
            None => Ok(None),
            Some(v) => as_count(v.as_ref()).map(Some).ok_or_else(|| {
                Self::err(shape, format!("{p} must be a non-negative xsd:integer, found {v}"))
            }),
        }
    }

    fn iri(shape: &Term, p: NamedNodeRef<'_>, v: &Term) -> Result<NamedNode, ShapeError> {
        match v {
            Term::NamedNode(n) => Ok(n.clone()),
            _ => Err(Self::err(shape, format!("the value {v} of {p} must be an IRI"))),
        }
    }

    #[expect(clippy::too_many_lines, reason = "one arm per SHACL Core parameter")]
    fn compile_shape(&mut self, node: &Term) -> Result<Shape, ShapeError> {
        let graph = self.graph;
        let Some(subject) = as_subject(node) else {
            return Err(Self::err(node, "a shape must be an IRI or a blank node"));
        };
        let has_triples = graph.triples_for_subject(&subject).next().is_some();

        let deactivated = match self.single(node, &subject, sh::DEACTIVATED)? {
            None => false,
            Some(v) => as_bool(v.as_ref())
                .ok_or_else(|| Self::err(node, format!("sh:deactivated must be a boolean, found {v}")))?,
        };
        let severity = match self.single(node, &subject, sh::SEVERITY)? {
            None => sh::VIOLATION.into_owned(),
            Some(v) => Self::iri(node, sh::SEVERITY, &v)?,
        };
        let mut messages = Vec::new();
        for m in self.values(&subject, sh::MESSAGE) {
            match m {
                Term::Literal(l) => messages.push(l),
                other => {
                    return Err(Self::err(node, format!("sh:message must be a literal, found {other}")));
                }
            }
        }
        let path = match self.single(node, &subject, sh::PATH)? {
            None => None,
            Some(p) => {
                let consts = &mut self.consts;
                Some(
                    parse_path(graph, p.as_ref(), &mut |n| consts.intern(n.clone().into()), 0)
                        .map_err(|e| Self::err(node, format!("invalid sh:path: {e}")))?,
                )
            }
        };
        let is_property = path.is_some();
        if !is_property {
            if is_instance_in(graph, &subject, sh::PROPERTY_SHAPE) {
                return Err(Self::err(node, "a sh:PropertyShape must have a value for sh:path"));
            }
            if graph.subjects_for_predicate_object(sh::PROPERTY, node).next().is_some() {
                if has_triples {
                    return Err(Self::err(
                        node,
                        "a value of sh:property must be a property shape with sh:path",
                    ));
                }
                self.warnings.push(format!(
                    "shape {node} is referenced by sh:property but never defined: treated as a shape without constraints"
                ));
            }
        }

        // Targets.
        let mut targets = Vec::new();
        for v in self.values(&subject, sh::TARGET_NODE) {
            targets.push(Target::Node(self.consts.intern(v)));
        }
        for v in self.values(&subject, sh::TARGET_CLASS) {
            let class = Self::iri(node, sh::TARGET_CLASS, &v)?;
            targets.push(Target::Class(self.consts.intern(class.into())));
        }
        if let Term::NamedNode(n) = node
            && is_instance_in(graph, &subject, rdfs::CLASS)
        {
            let id = self.consts.intern(n.clone().into());
            if !targets.iter().any(|t| matches!(t, Target::Class(c) if *c == id)) {
                targets.push(Target::Class(id));
            }
        }
        for v in self.values(&subject, sh::TARGET_SUBJECTS_OF) {
            let p = Self::iri(node, sh::TARGET_SUBJECTS_OF, &v)?;
            targets.push(Target::SubjectsOf(self.consts.intern(p.into())));
        }
        for v in self.values(&subject, sh::TARGET_OBJECTS_OF) {
            let p = Self::iri(node, sh::TARGET_OBJECTS_OF, &v)?;
            targets.push(Target::ObjectsOf(self.consts.intern(p.into())));
        }

        // Constraints.
        let mut constraints = Vec::new();
        for v in self.values(&subject, sh::CLASS) {
            let c = Self::iri(node, sh::CLASS, &v)?;
            constraints.push(Constraint::Class(self.consts.intern(c.into())));
        }
        for v in self.values(&subject, sh::DATATYPE) {
            constraints.push(Constraint::Datatype(Self::iri(node, sh::DATATYPE, &v)?));
        }
        for v in self.values(&subject, sh::NODE_KIND) {
            let kind = match &v {
                Term::NamedNode(n) => match n.as_ref() {
                    sh::IRI => node_kind::IRI,
                    sh::BLANK_NODE => node_kind::BLANK,
                    sh::LITERAL => node_kind::LITERAL,
                    sh::BLANK_NODE_OR_IRI => node_kind::BLANK | node_kind::IRI,
                    sh::BLANK_NODE_OR_LITERAL => node_kind::BLANK | node_kind::LITERAL,
                    sh::IRI_OR_LITERAL => node_kind::IRI | node_kind::LITERAL,
                    _ => 0,
                },
                _ => 0,
            };
            if kind == 0 {
                return Err(Self::err(node, format!("invalid sh:nodeKind {v}")));
            }
            constraints.push(Constraint::NodeKind(kind));
        }
        let min_count = self.count(node, &subject, sh::MIN_COUNT)?;
        let max_count = self.count(node, &subject, sh::MAX_COUNT)?;
        if is_property {
            if let Some(n) = min_count {
                constraints.push(Constraint::MinCount(n));
            }
            if let Some(n) = max_count {
                constraints.push(Constraint::MaxCount(n));
            }
        } else if min_count.is_some() || max_count.is_some() {
            self.warnings
                .push(format!("node shape {node}: sh:minCount/sh:maxCount ignored (property shapes only)"));
        }
        for (p, kind) in [
            (sh::MIN_EXCLUSIVE, RangeKind::MinExclusive),
            (sh::MIN_INCLUSIVE, RangeKind::MinInclusive),
            (sh::MAX_EXCLUSIVE, RangeKind::MaxExclusive),
            (sh::MAX_INCLUSIVE, RangeKind::MaxInclusive),
        ] {
            if let Some(v) = self.single(node, &subject, p)? {
                match v {
                    Term::Literal(l) => constraints.push(Constraint::Range(kind, l)),
                    other => {
                        return Err(Self::err(node, format!("{p} must be a literal, found {other}")));
                    }
                }
            }
        }
        if let Some(n) = self.count(node, &subject, sh::MIN_LENGTH)? {
            constraints.push(Constraint::MinLength(n));
        }
        if let Some(n) = self.count(node, &subject, sh::MAX_LENGTH)? {
            constraints.push(Constraint::MaxLength(n));
        }
        let patterns = self.values(&subject, sh::PATTERN);
        if !patterns.is_empty() {
            let flags = match self.single(node, &subject, sh::FLAGS)? {
                None => String::new(),
                Some(Term::Literal(l)) => l.value().to_owned(),
                Some(other) => {
                    return Err(Self::err(node, format!("sh:flags must be a string, found {other}")));
                }
            };
            for p in patterns {
                let Term::Literal(l) = &p else {
                    return Err(Self::err(node, format!("sh:pattern must be a string, found {p}")));
                };
                let regex = super::core::literal::build_regex(l.value(), &flags)
                    .map_err(|e| Self::err(node, format!("bad sh:pattern {p}: {e}")))?;
                constraints.push(Constraint::Pattern(Box::new(regex)));
            }
        }
        for v in self.values(&subject, sh::LANGUAGE_IN) {
            let items =
                read_list(graph, v.as_ref()).map_err(|e| Self::err(node, format!("sh:languageIn: {e}")))?;
            let mut langs = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Term::Literal(l) => langs.push(l.value().to_ascii_lowercase()),
                    other => {
                        return Err(Self::err(node, format!("sh:languageIn member {other} is not a string")));
                    }
                }
            }
            constraints.push(Constraint::LanguageIn(langs));
        }
        if let Some(v) = self.single(node, &subject, sh::UNIQUE_LANG)? {
            let b = as_bool(v.as_ref())
                .ok_or_else(|| Self::err(node, format!("sh:uniqueLang must be a boolean, found {v}")))?;
            if b && is_property {
                constraints.push(Constraint::UniqueLang);
            }
        }
        let pair_params: [(NamedNodeRef<'_>, PairMaker); 4] = [
            (sh::EQUALS, Constraint::Equals),
            (sh::DISJOINT, Constraint::Disjoint),
            (sh::LESS_THAN, Constraint::LessThan),
            (sh::LESS_THAN_OR_EQUALS, Constraint::LessThanOrEquals),
        ];
        for (p, make) in pair_params {
            for v in self.values(&subject, p) {
                let iri = Self::iri(node, p, &v)?;
                if !is_property && (p == sh::LESS_THAN || p == sh::LESS_THAN_OR_EQUALS) {
                    self.warnings.push(format!("node shape {node}: {p} ignored (property shapes only)"));
                    continue;
                }
                constraints.push(make(self.consts.intern(iri.into())));
            }
        }
        for v in self.values(&subject, sh::NOT) {
            let s = self.shape_value(node, sh::NOT, v.as_ref())?;
            constraints.push(Constraint::Not(s));
        }
        let list_params: [(NamedNodeRef<'_>, ListMaker); 3] =
            [(sh::AND, Constraint::And), (sh::OR, Constraint::Or), (sh::XONE, Constraint::Xone)];
        for (p, make) in list_params {
            for v in self.values(&subject, p) {
                let list = self.shape_list(node, p, v.as_ref())?;
                constraints.push(make(list));
            }
        }
        for v in self.values(&subject, sh::NODE) {
            let s = self.shape_value(node, sh::NODE, v.as_ref())?;
            constraints.push(Constraint::Node(s));
        }
        for v in self.values(&subject, sh::PROPERTY) {
            let s = self.shape_value(node, sh::PROPERTY, v.as_ref())?;
            constraints.push(Constraint::Property(s));
        }
        self.qualified(node, &subject, is_property, &mut constraints)?;
        if let Some(v) = self.single(node, &subject, sh::CLOSED)? {
            let closed = as_bool(v.as_ref())
                .ok_or_else(|| Self::err(node, format!("sh:closed must be a boolean, found {v}")))?;
            if closed {
                let mut allowed = Vec::new();
                for ps in self.values(&subject, sh::PROPERTY) {
                    if let Some(ps) = as_subject(&ps) {
                        for p in self.values(&ps, sh::PATH) {
                            if let Term::NamedNode(_) = p {
                                allowed.push(self.consts.intern(p));
                            }
                        }
                    }
                }
                for v in self.values(&subject, sh::IGNORED_PROPERTIES) {
                    let items = read_list(graph, v.as_ref())
                        .map_err(|e| Self::err(node, format!("sh:ignoredProperties: {e}")))?;
                    for item in items {
                        allowed.push(self.consts.intern(item));
                    }
                }
                constraints.push(Constraint::Closed(allowed));
            }
        }
        for v in self.values(&subject, sh::HAS_VALUE) {
            constraints.push(Constraint::HasValue(self.consts.intern(v)));
        }
        for v in self.values(&subject, sh::IN) {
            let items = read_list(graph, v.as_ref()).map_err(|e| Self::err(node, format!("sh:in: {e}")))?;
            let ids = items.into_iter().map(|i| self.consts.intern(i)).collect();
            constraints.push(Constraint::In(ids));
        }
        // SHACL-SPARQL.
        let public_path = path.as_ref().map(|(p, _)| p);
        for v in self.values(&subject, sh::SPARQL) {
            if let Some(c) = sparql::compile_constraint(graph, node, public_path, &v)? {
                constraints.push(Constraint::Sparql(Box::new(c)));
            }
        }
        if self.components.is_none() {
            self.components = Some(sparql::find_components(graph)?);
        }
        if let Some(components) = &self.components {
            for def in components {
                for c in def.instantiate(graph, node, &subject, public_path)? {
                    constraints.push(Constraint::Component(Box::new(c)));
                }
            }
        }

        Ok(Shape { node: node.clone(), path, targets, constraints, severity, messages, deactivated })
    }

    fn qualified(
        &mut self,
        node: &Term,
        subject: &NamedOrBlankNode,
        is_property: bool,
        constraints: &mut Vec<Constraint>,
    ) -> Result<(), ShapeError> {
        let qvs = self.values(subject, sh::QUALIFIED_VALUE_SHAPE);
        if qvs.is_empty() {
            return Ok(());
        }
        if !is_property {
            self.warnings
                .push(format!("node shape {node}: sh:qualifiedValueShape ignored (property shapes only)"));
            return Ok(());
        }
        let min = self.count(node, subject, sh::QUALIFIED_MIN_COUNT)?;
        let max = self.count(node, subject, sh::QUALIFIED_MAX_COUNT)?;
        let disjoint = match self.single(node, subject, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)? {
            None => false,
            Some(v) => as_bool(v.as_ref()).ok_or_else(|| {
                Self::err(node, format!("sh:qualifiedValueShapesDisjoint must be a boolean, found {v}"))
            })?,
        };
        for q in qvs {
            let shape = self.shape_value(node, sh::QUALIFIED_VALUE_SHAPE, q.as_ref())?;
            let mut siblings = Vec::new();
            if disjoint {
                // Sibling shapes: qualified value shapes of the other property shapes
                // of every shape that has this one as sh:property (SHACL §4.7.3).
                let parents: Vec<NamedOrBlankNode> = self
                    .graph
                    .subjects_for_predicate_object(sh::PROPERTY, node)
                    .map(NamedOrBlankNodeRef::into_owned)
                    .collect();
                for parent in parents {
                    for ps in self.values(&parent, sh::PROPERTY) {
                        let Some(ps) = as_subject(&ps) else { continue };
                        for sq in self.values(&ps, sh::QUALIFIED_VALUE_SHAPE) {
                            if sq != q {
                                let id = self.shape_value(node, sh::QUALIFIED_VALUE_SHAPE, sq.as_ref())?;
                                if !siblings.contains(&id) {
                                    siblings.push(id);
                                }
                            }
                        }
                    }
                }
            }
            if let Some(count) = min {
                constraints.push(Constraint::QualifiedMin { shape, count, siblings: siblings.clone() });
            }
            if let Some(count) = max {
                constraints.push(Constraint::QualifiedMax { shape, count, siblings });
            }
        }
        Ok(())
    }
}

/// Message literal helper used by several modules.
pub(crate) fn literal_messages(graph: &Graph, node: &NamedOrBlankNode) -> Vec<Literal> {
    graph
        .objects_for_subject_predicate(node, sh::MESSAGE)
        .filter_map(|t| match t {
            TermRef::Literal(l) => Some(l.into_owned()),
            _ => None,
        })
        .collect()
}
