//! The validation engine: focus nodes from targets ([SHACL §2.1.3](https://www.w3.org/TR/shacl/#targets)),
//! value nodes from paths ([§2.3.1](https://www.w3.org/TR/shacl/#property-paths)), and
//! every SHACL Core constraint component ([§4](https://www.w3.org/TR/shacl/#core-components)).
//! SPARQL-based constraints are delegated to [`sparql`](super::sparql).
//!
//! Nodes are the data graph's own handles (`G::Node`), plus "extra" nodes for shape
//! constants that do not occur in the data (e.g. a `sh:targetNode` absent from it).
//! Conformance checks of nested shapes (`sh:node`, `sh:not`, `sh:and`, …) are
//! memoised per `(shape, node)`; a check that re-enters itself (recursive shapes) is
//! assumed to conform, so recursion always terminates; nesting deeper than
//! [`MAX_DEPTH`] is an error rather than a stack overflow.

pub(crate) mod literal;

use super::Shapes;
use super::data::DataGraph;
use super::error::{RecursionLimit, ValidationError};
use super::ir::{ConstId, Constraint, RangeKind, Shape, ShapeId, Target, node_kind};
use super::path::{PathIr, PropertyPath};
use super::report::{Severity, ValidationResult};
use super::sparql::{self, SparqlViolation};
use oxigraph::model::{Literal, Term, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Maximum nesting of shape evaluations (`sh:node`, `sh:property`, …).
pub(crate) const MAX_DEPTH: u32 = 64;

/// A node of the validation: a data graph handle or an extra (non-data) term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum VNode<N> {
    Data(N),
    Extra(u32),
}

/// Value nodes, borrowed from the graph when possible.
enum Values<'g, N: Clone> {
    Slice(Cow<'g, [N]>),
    Nodes(Vec<VNode<N>>),
    One(VNode<N>),
}

impl<N: Clone + Eq> Values<'_, N> {
    fn len(&self) -> usize {
        match self {
            Self::Slice(s) => s.len(),
            Self::Nodes(v) => v.len(),
            Self::One(_) => 1,
        }
    }

    fn get(&self, i: usize) -> VNode<N> {
        match self {
            Self::Slice(s) => VNode::Data(s[i].clone()),
            Self::Nodes(v) => v[i].clone(),
            Self::One(n) => n.clone(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = VNode<N>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn contains(&self, node: &VNode<N>) -> bool {
        match (self, node) {
            (Self::Slice(s), VNode::Data(n)) => s.contains(n),
            (Self::Slice(_), VNode::Extra(_)) => false,
            (Self::Nodes(v), n) => v.contains(n),
            (Self::One(o), n) => o == n,
        }
    }
}

/// Where results go: collected (top-level and `sh:property`) or only checked.
type Out<'o> = Option<&'o mut Vec<ValidationResult>>;

pub(crate) struct Engine<'a, G: DataGraph> {
    shapes: &'a Shapes,
    g: &'a G,
    consts: Vec<VNode<G::Node>>,
    extras: Vec<Term>,
    cache: FxHashMap<(ShapeId, VNode<G::Node>), bool>,
    in_progress: FxHashSet<(ShapeId, VNode<G::Node>)>,
    depth: u32,
}

fn data_err<E: std::error::Error + Send + Sync + 'static>(e: E) -> ValidationError {
    ValidationError::data(e)
}

impl<'a, G: DataGraph> Engine<'a, G> {
    pub fn new(shapes: &'a Shapes, g: &'a G) -> Result<Self, ValidationError> {
        let mut extras = Vec::new();
        let mut consts = Vec::with_capacity(shapes.consts.len());
        for term in &shapes.consts {
            consts.push(match g.lookup(term.as_ref()).map_err(data_err)? {
                Some(n) => VNode::Data(n),
                None => {
                    extras.push(term.clone());
                    VNode::Extra(u32::try_from(extras.len() - 1).unwrap_or(u32::MAX))
                }
            });
        }
        Ok(Self {
            shapes,
            g,
            consts,
            extras,
            cache: FxHashMap::default(),
            in_progress: FxHashSet::default(),
            depth: 0,
        })
    }

    fn shape(&self, id: ShapeId) -> &'a Shape {
        &self.shapes.shapes[id as usize]
    }

    pub fn term<'t>(&'t self, node: &'t VNode<G::Node>) -> TermRef<'t> {
        match node {
            VNode::Data(n) => self.g.term(n),
            VNode::Extra(i) => self.extras[*i as usize].as_ref(),
        }
    }

    fn const_data(&self, id: ConstId) -> Option<&G::Node> {
        match &self.consts[id as usize] {
            VNode::Data(n) => Some(n),
            VNode::Extra(_) => None,
        }
    }

    /// Focus nodes of a shape's targets, de-duplicated, in target order.
    pub fn focus_nodes(&self, id: ShapeId) -> Result<Vec<VNode<G::Node>>, ValidationError> {
        let mut out = Vec::new();
        let mut seen = FxHashSet::default();
        let mut push = |n: VNode<G::Node>, out: &mut Vec<_>| {
            if seen.insert(n.clone()) {
                out.push(n);
            }
        };
        for target in &self.shape(id).targets {
            match *target {
                Target::Node(c) => push(self.consts[c as usize].clone(), &mut out),
                Target::Class(c) => {
                    if let Some(c) = self.const_data(c) {
                        for n in self.g.instances_of(c).map_err(data_err)? {
                            push(VNode::Data(n), &mut out);
                        }
                    }
                }
                Target::SubjectsOf(p) => {
                    if let Some(p) = self.const_data(p) {
                        for n in self.g.subjects_with_predicate(p).map_err(data_err)? {
                            push(VNode::Data(n), &mut out);
                        }
                    }
                }
                Target::ObjectsOf(p) => {
                    if let Some(p) = self.const_data(p) {
                        for n in self.g.objects_with_predicate(p).map_err(data_err)? {
                            push(VNode::Data(n), &mut out);
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    // ---- paths ----

    fn values(&self, path: &PathIr, focus: &VNode<G::Node>) -> Result<Values<'a, G::Node>, ValidationError> {
        let VNode::Data(f) = focus else {
            // A non-data node has no triples: only zero-length paths reach it.
            let nodes = self.eval_path(path, false, std::slice::from_ref(focus))?;
            return Ok(Values::Nodes(nodes));
        };
        match path {
            PathIr::Predicate(p) => match self.const_data(*p) {
                Some(p) => Ok(Values::Slice(self.g.objects(f, p).map_err(data_err)?)),
                None => Ok(Values::Nodes(Vec::new())),
            },
            PathIr::Inverse(inner) if matches!(**inner, PathIr::Predicate(_)) => {
                let PathIr::Predicate(p) = **inner else {
                    return Ok(Values::Nodes(Vec::new()));
                };
                match self.const_data(p) {
                    Some(p) => Ok(Values::Slice(self.g.subjects(p, f).map_err(data_err)?)),
                    None => Ok(Values::Nodes(Vec::new())),
                }
            }
            _ => Ok(Values::Nodes(self.eval_path(path, false, std::slice::from_ref(focus))?)),
        }
    }

    /// Evaluates `path` (reversed if `reverse`) from `inputs`; output without duplicates.
    fn eval_path(
        &self,
        path: &PathIr,
        reverse: bool,
        inputs: &[VNode<G::Node>],
    ) -> Result<Vec<VNode<G::Node>>, ValidationError> {
        let mut out = Vec::new();
        let mut seen = FxHashSet::default();
        match path {
            PathIr::Predicate(p) => {
                let Some(p) = self.const_data(*p) else {
                    return Ok(out);
                };
                for input in inputs {
                    let VNode::Data(n) = input else { continue };
                    let next = if reverse { self.g.subjects(p, n) } else { self.g.objects(n, p) }
                        .map_err(data_err)?;
                    for m in next.iter() {
                        let m = VNode::Data(m.clone());
                        if seen.insert(m.clone()) {
                            out.push(m);
                        }
                    }
                }
                Ok(out)
            }
            PathIr::Inverse(inner) => self.eval_path(inner, !reverse, inputs),
            PathIr::Sequence(items) => {
                let mut current = inputs.to_vec();
                if reverse {
                    for item in items.iter().rev() {
                        current = self.eval_path(item, reverse, &current)?;
                    }
                } else {
                    for item in items {
                        current = self.eval_path(item, reverse, &current)?;
                    }
                }
                Ok(current)
            }
            PathIr::Alternative(items) => {
                for item in items {
                    for n in self.eval_path(item, reverse, inputs)? {
                        if seen.insert(n.clone()) {
                            out.push(n);
                        }
                    }
                }
                Ok(out)
            }
            PathIr::ZeroOrOne(inner) => {
                for n in inputs.iter().cloned().chain(self.eval_path(inner, reverse, inputs)?) {
                    if seen.insert(n.clone()) {
                        out.push(n);
                    }
                }
                Ok(out)
            }
            PathIr::ZeroOrMore(inner) | PathIr::OneOrMore(inner) => {
                let mut frontier: Vec<VNode<G::Node>> = if matches!(path, PathIr::ZeroOrMore(_)) {
                    inputs.to_vec()
                } else {
                    self.eval_path(inner, reverse, inputs)?
                };
                frontier.retain(|n| seen.insert(n.clone()));
                out.extend(frontier.iter().cloned());
                while !frontier.is_empty() {
                    let mut next = self.eval_path(inner, reverse, &frontier)?;
                    next.retain(|n| seen.insert(n.clone()));
                    out.extend(next.iter().cloned());
                    frontier = next;
                }
                Ok(out)
            }
        }
    }

    // ---- shapes ----

    /// Whether `node` conforms to shape `id` (memoised; re-entrant checks conform).
    fn conforms(&mut self, id: ShapeId, node: &VNode<G::Node>) -> Result<bool, ValidationError> {
        let shape = self.shape(id);
        if shape.deactivated {
            return Ok(true);
        }
        let key = (id, node.clone());
        if let Some(r) = self.cache.get(&key) {
            return Ok(*r);
        }
        if self.in_progress.contains(&key) {
            return Ok(true);
        }
        self.enter(shape, node)?;
        self.in_progress.insert(key.clone());
        let r = self.validate_shape(id, node, None);
        self.in_progress.remove(&key);
        self.depth -= 1;
        let r = r?;
        self.cache.insert(key, r);
        Ok(r)
    }

    fn enter(&mut self, shape: &Shape, node: &VNode<G::Node>) -> Result<(), ValidationError> {
        if self.depth >= MAX_DEPTH {
            return Err(ValidationError::RecursionLimit(Box::new(RecursionLimit {
                shape: shape.node.clone(),
                focus: self.term(node).into_owned(),
            })));
        }
        self.depth += 1;
        Ok(())
    }

    /// Validates `focus` against shape `id`. Returns whether it conforms; in
    /// collecting mode (`out` is `Some`) all results are produced, otherwise
    /// evaluation stops at the first one.
    pub fn validate_shape(
        &mut self,
        id: ShapeId,
        focus: &VNode<G::Node>,
        mut out: Out<'_>,
    ) -> Result<bool, ValidationError> {
        let shape = self.shape(id);
        if shape.deactivated {
            return Ok(true);
        }
        let values = match &shape.path {
            Some((_, path)) => self.values(path, focus)?,
            None => Values::One(focus.clone()),
        };
        let mut ok = true;
        for constraint in &shape.constraints {
            let passed = if constraint.is_nested() {
                self.check_nested(shape, constraint, focus, &values, &mut out)?
            } else {
                self.check(shape, constraint, focus, &values, &mut out)?
            };
            if !passed {
                ok = false;
                if out.is_none() {
                    return Ok(false);
                }
            }
        }
        Ok(ok)
    }

    fn result(
        &self,
        shape: &Shape,
        constraint: &Constraint,
        focus: &VNode<G::Node>,
        value: Option<Term>,
    ) -> ValidationResult {
        ValidationResult {
            focus_node: self.term(focus).into_owned(),
            result_path: shape.path.as_ref().map(|(p, _)| p.clone()),
            value,
            source_shape: shape.node.clone(),
            source_constraint_component: constraint.component().into_owned(),
            source_constraint: None,
            severity: Severity::from_iri(shape.severity.as_ref()),
            messages: if shape.messages.is_empty() {
                vec![Literal::new_simple_literal(default_message(constraint))]
            } else {
                shape.messages.clone()
            },
            details: Vec::new(),
        }
    }

    /// Records a failure; returns `false` (the constraint failed).
    fn fail(
        &self,
        out: &mut Out<'_>,
        shape: &Shape,
        constraint: &Constraint,
        focus: &VNode<G::Node>,
        value: Option<&VNode<G::Node>>,
    ) -> bool {
        if let Some(out) = out {
            let value = value.map(|v| self.term(v).into_owned());
            out.push(self.result(shape, constraint, focus, value));
        }
        false
    }

    fn other_values(
        &self,
        focus: &VNode<G::Node>,
        p: ConstId,
    ) -> Result<Values<'a, G::Node>, ValidationError> {
        match (focus, self.const_data(p)) {
            (VNode::Data(f), Some(p)) => Ok(Values::Slice(self.g.objects(f, p).map_err(data_err)?)),
            _ => Ok(Values::Nodes(Vec::new())),
        }
    }

    fn is_instance(&self, node: &VNode<G::Node>, class: ConstId) -> Result<bool, ValidationError> {
        if let (VNode::Data(n), Some(c)) = (node, self.const_data(class))
            && self.g.is_instance_of(n, c).map_err(data_err)?
        {
            return Ok(true);
        }
        let term = self.term(node);
        if matches!(term, TermRef::Literal(_)) {
            return Ok(false);
        }
        let external = self.g.external_types(term).map_err(data_err)?;
        if external.is_empty() {
            return Ok(false);
        }
        let class_term = &self.shapes.consts[class as usize];
        let class_node = self.const_data(class);
        for t in external {
            if &Term::from(t.clone()) == class_term {
                return Ok(true);
            }
            if let (Some(tn), Some(c)) = (self.g.lookup(t.as_ref().into()).map_err(data_err)?, class_node)
                && self.g.is_subclass_of(&tn, c).map_err(data_err)?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    #[expect(clippy::too_many_lines, reason = "one arm per SHACL Core component")]
    #[inline(never)]
    fn check(
        &mut self,
        shape: &'a Shape,
        c: &'a Constraint,
        focus: &VNode<G::Node>,
        values: &Values<'a, G::Node>,
        out: &mut Out<'_>,
    ) -> Result<bool, ValidationError> {
        let mut ok = true;
        macro_rules! each_value {
            (|$v:ident| $pass:expr) => {
                for $v in values.iter() {
                    if !$pass {
                        ok = self.fail(out, shape, c, focus, Some(&$v));
                        if out.is_none() {
                            return Ok(false);
                        }
                    }
                }
            };
        }
        match c {
            Constraint::Class(class) => each_value!(|v| self.is_instance(&v, *class)?),
            Constraint::Datatype(dt) => {
                each_value!(|v| literal::has_datatype(self.term(&v), dt.as_ref()));
            }
            Constraint::NodeKind(mask) => each_value!(|v| {
                let kind = match self.term(&v) {
                    TermRef::NamedNode(_) => node_kind::IRI,
                    TermRef::BlankNode(_) => node_kind::BLANK,
                    _ => node_kind::LITERAL,
                };
                kind & mask != 0
            }),
            Constraint::MinCount(n) if (values.len() as u64) < *n => {
                return Ok(self.fail(out, shape, c, focus, None));
            }
            Constraint::MaxCount(n) if (values.len() as u64) > *n => {
                return Ok(self.fail(out, shape, c, focus, None));
            }
            Constraint::Range(kind, bound) => each_value!(|v| {
                let ord = literal::compare(self.term(&v), bound.as_ref().into());
                matches!(
                    (kind, ord),
                    (RangeKind::MinExclusive, Some(Ordering::Greater))
                        | (RangeKind::MinInclusive, Some(Ordering::Greater | Ordering::Equal))
                        | (RangeKind::MaxExclusive, Some(Ordering::Less))
                        | (RangeKind::MaxInclusive, Some(Ordering::Less | Ordering::Equal))
                )
            }),
            Constraint::MinLength(n) => {
                each_value!(|v| string_value(self.term(&v)).is_some_and(|s| s.chars().count() as u64 >= *n))
            }
            Constraint::MaxLength(n) => {
                each_value!(|v| string_value(self.term(&v)).is_some_and(|s| s.chars().count() as u64 <= *n))
            }
            Constraint::Pattern(regex) => {
                each_value!(|v| string_value(self.term(&v)).is_some_and(|s| regex.is_match(s)));
            }
            Constraint::LanguageIn(langs) => each_value!(|v| match self.term(&v) {
                TermRef::Literal(l) =>
                    l.language().is_some_and(|tag| langs.iter().any(|r| literal::lang_matches(tag, r))),
                _ => false,
            }),
            Constraint::UniqueLang => {
                let mut tags: Vec<(String, usize)> = Vec::new();
                for v in values.iter() {
                    if let TermRef::Literal(l) = self.term(&v)
                        && let Some(tag) = l.language()
                    {
                        let tag = tag.to_ascii_lowercase();
                        match tags.iter_mut().find(|(t, _)| *t == tag) {
                            Some((_, n)) => *n += 1,
                            None => tags.push((tag, 1)),
                        }
                    }
                }
                for (_, n) in tags {
                    if n > 1 {
                        ok = self.fail(out, shape, c, focus, None);
                        if out.is_none() {
                            return Ok(false);
                        }
                    }
                }
            }
            Constraint::Equals(p) => {
                let others = self.other_values(focus, *p)?;
                each_value!(|v| others.contains(&v));
                for o in others.iter() {
                    if !values.contains(&o) {
                        ok = self.fail(out, shape, c, focus, Some(&o));
                        if out.is_none() {
                            return Ok(false);
                        }
                    }
                }
            }
            Constraint::Disjoint(p) => {
                let others = self.other_values(focus, *p)?;
                each_value!(|v| !others.contains(&v));
            }
            Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                let strict = matches!(c, Constraint::LessThan(_));
                let others = self.other_values(focus, *p)?;
                for v in values.iter() {
                    for o in others.iter() {
                        let ord = literal::compare(self.term(&v), self.term(&o));
                        let pass = match ord {
                            Some(Ordering::Less) => true,
                            Some(Ordering::Equal) => !strict,
                            _ => false,
                        };
                        if !pass {
                            ok = self.fail(out, shape, c, focus, Some(&v));
                            if out.is_none() {
                                return Ok(false);
                            }
                        }
                    }
                }
            }
            Constraint::Closed(allowed) => {
                let allowed: Vec<&G::Node> = allowed.iter().filter_map(|a| self.const_data(*a)).collect();
                for v in values.iter() {
                    let VNode::Data(n) = &v else { continue };
                    for (p, o) in self.g.predicate_objects(n).map_err(data_err)? {
                        if allowed.contains(&&p) {
                            continue;
                        }
                        ok = false;
                        if let Some(results) = out {
                            let mut r = self.result(shape, c, &v, Some(self.g.term(&o).into_owned()));
                            if let TermRef::NamedNode(p) = self.g.term(&p) {
                                r.result_path = Some(PropertyPath::Predicate(p.into_owned()));
                            }
                            results.push(r);
                        } else {
                            return Ok(false);
                        }
                    }
                }
            }
            Constraint::HasValue(value) if !values.contains(&self.consts[*value as usize]) => {
                return Ok(self.fail(out, shape, c, focus, None));
            }
            Constraint::In(list) => {
                each_value!(|v| list.iter().any(|i| self.consts[*i as usize] == v));
            }
            Constraint::Sparql(sc) => {
                let focus_term = self.term(focus).into_owned();
                let violations = sparql::run_constraint(
                    self.g,
                    &self.shapes.graph,
                    shape,
                    sc,
                    &focus_term,
                    out.is_none(),
                )?;
                ok = self.sparql_results(out, shape, c, violations);
            }
            Constraint::Component(cc) => {
                let focus_term = self.term(focus).into_owned();
                let value_terms: Vec<Term> = values.iter().map(|v| self.term(&v).into_owned()).collect();
                let violations = sparql::run_component(
                    self.g,
                    &self.shapes.graph,
                    shape,
                    cc,
                    &focus_term,
                    &value_terms,
                    out.is_none(),
                )?;
                ok = self.sparql_results(out, shape, c, violations);
            }
            // Shape-referencing components: see `check_nested`, called directly by
            // `validate_shape` so that this large frame is not part of recursion.
            _ => {}
        }
        Ok(ok)
    }

    /// `sh:not`, `sh:and`, `sh:or`, `sh:xone`, `sh:node`, `sh:property` and the
    /// qualified value shape components: the only ones that recurse.
    #[inline(never)]
    fn check_nested(
        &mut self,
        shape: &'a Shape,
        c: &'a Constraint,
        focus: &VNode<G::Node>,
        values: &Values<'a, G::Node>,
        out: &mut Out<'_>,
    ) -> Result<bool, ValidationError> {
        let mut ok = true;
        macro_rules! each_value {
            (|$v:ident| $pass:expr) => {
                for $v in values.iter() {
                    if !$pass {
                        ok = self.fail(out, shape, c, focus, Some(&$v));
                        if out.is_none() {
                            return Ok(false);
                        }
                    }
                }
            };
        }
        match c {
            Constraint::Not(s) => each_value!(|v| !self.conforms(*s, &v)?),
            Constraint::And(list) => each_value!(|v| {
                let mut all = true;
                for s in list {
                    if !self.conforms(*s, &v)? {
                        all = false;
                        break;
                    }
                }
                all
            }),
            Constraint::Or(list) => each_value!(|v| {
                let mut any = false;
                for s in list {
                    if self.conforms(*s, &v)? {
                        any = true;
                        break;
                    }
                }
                any
            }),
            Constraint::Xone(list) => each_value!(|v| {
                let mut n = 0;
                for s in list {
                    if self.conforms(*s, &v)? {
                        n += 1;
                    }
                }
                n == 1
            }),
            Constraint::Node(s) => each_value!(|v| self.conforms(*s, &v)?),
            Constraint::Property(s) => {
                for v in values.iter() {
                    let pass = match out {
                        None => self.conforms(*s, &v)?,
                        Some(results) => {
                            let key = (*s, v.clone());
                            if self.in_progress.contains(&key) {
                                true
                            } else {
                                self.enter(self.shape(*s), &v)?;
                                self.in_progress.insert(key.clone());
                                let r = self.validate_shape(*s, &v, Some(results));
                                self.in_progress.remove(&key);
                                self.depth -= 1;
                                r?
                            }
                        }
                    };
                    if !pass {
                        ok = false;
                        if out.is_none() {
                            return Ok(false);
                        }
                    }
                }
            }
            Constraint::QualifiedMin { shape: q, count, siblings }
            | Constraint::QualifiedMax { shape: q, count, siblings } => {
                let mut n = 0u64;
                for v in values.iter() {
                    if self.conforms(*q, &v)? {
                        let mut in_sibling = false;
                        for s in siblings {
                            if self.conforms(*s, &v)? {
                                in_sibling = true;
                                break;
                            }
                        }
                        if !in_sibling {
                            n += 1;
                        }
                    }
                }
                let pass =
                    if matches!(c, Constraint::QualifiedMin { .. }) { n >= *count } else { n <= *count };
                if !pass {
                    return Ok(self.fail(out, shape, c, focus, None));
                }
            }
            _ => {}
        }
        Ok(ok)
    }

    fn sparql_results(
        &self,
        out: &mut Out<'_>,
        shape: &Shape,
        c: &Constraint,
        violations: Vec<SparqlViolation>,
    ) -> bool {
        if violations.is_empty() {
            return true;
        }
        if let Some(results) = out {
            for v in violations {
                results.push(ValidationResult {
                    focus_node: v.focus,
                    result_path: v.path,
                    value: v.value,
                    source_shape: shape.node.clone(),
                    source_constraint_component: c.component().into_owned(),
                    source_constraint: v.source_constraint,
                    severity: Severity::from_iri(shape.severity.as_ref()),
                    messages: if v.messages.is_empty() { shape.messages.clone() } else { v.messages },
                    details: Vec::new(),
                });
            }
        }
        false
    }
}

/// `STR()` of an IRI or literal; `None` for blank nodes.
fn string_value(term: TermRef<'_>) -> Option<&str> {
    match term {
        TermRef::NamedNode(n) => Some(n.as_str()),
        TermRef::Literal(l) => Some(l.value()),
        _ => None,
    }
}

fn default_message(c: &Constraint) -> String {
    match c {
        Constraint::Class(_) => "Value is not an instance of the required class".into(),
        Constraint::Datatype(dt) => format!("Value is not a valid literal of datatype {dt}"),
        Constraint::NodeKind(_) => "Value does not have the required node kind".into(),
        Constraint::MinCount(n) => format!("Fewer than {n} values"),
        Constraint::MaxCount(n) => format!("More than {n} values"),
        Constraint::Range(kind, bound) => {
            let op = match kind {
                RangeKind::MinExclusive => ">",
                RangeKind::MinInclusive => ">=",
                RangeKind::MaxExclusive => "<",
                RangeKind::MaxInclusive => "<=",
            };
            format!("Value is not {op} {bound}")
        }
        Constraint::MinLength(n) => format!("Value is shorter than {n} characters"),
        Constraint::MaxLength(n) => format!("Value is longer than {n} characters"),
        Constraint::Pattern(r) => format!("Value does not match pattern {:?}", r.as_str()),
        Constraint::LanguageIn(langs) => format!("Language tag not in {langs:?}"),
        Constraint::UniqueLang => "Language tag used more than once".into(),
        Constraint::Equals(_) => "Value sets are not equal".into(),
        Constraint::Disjoint(_) => "Value sets are not disjoint".into(),
        Constraint::LessThan(_) => "Value is not less than the other value".into(),
        Constraint::LessThanOrEquals(_) => "Value is not less than or equal to the other value".into(),
        Constraint::Not(_) => "Value conforms to a shape it must not conform to".into(),
        Constraint::And(_) => "Value does not conform to all shapes of sh:and".into(),
        Constraint::Or(_) => "Value does not conform to any shape of sh:or".into(),
        Constraint::Xone(_) => "Value does not conform to exactly one shape of sh:xone".into(),
        Constraint::Node(_) => "Value does not conform to the required node shape".into(),
        Constraint::Property(_) => "Value does not conform to the property shape".into(),
        Constraint::QualifiedMin { count, .. } => {
            format!("Fewer than {count} values conform to the qualified value shape")
        }
        Constraint::QualifiedMax { count, .. } => {
            format!("More than {count} values conform to the qualified value shape")
        }
        Constraint::Closed(_) => "Property is not allowed by the closed shape".into(),
        Constraint::HasValue(_) => "Missing the required value".into(),
        Constraint::In(_) => "Value is not one of the allowed values".into(),
        Constraint::Sparql(_) | Constraint::Component(_) => "SPARQL constraint violated".into(),
    }
}
