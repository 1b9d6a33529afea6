//! The compiled ("intermediate") representation of a shapes graph: shapes are
//! addressed by [`ShapeId`], constants (IRIs and literals mentioned by constraints)
//! are interned as [`ConstId`]s and resolved once per data graph.

use super::path::{PathIr, PropertyPath};
use super::sparql::{ComponentConstraint, SparqlConstraint};
use super::vocab::sh;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term};
use regex::Regex;

pub(crate) use super::path::ConstId;

/// Index of a compiled shape.
pub(crate) type ShapeId = u32;

/// One compiled shape ([SHACL §2.1](https://www.w3.org/TR/shacl/#shapes)).
#[derive(Debug)]
pub(crate) struct Shape {
    /// The shape node (IRI or blank node of the shapes graph).
    pub node: Term,
    /// `Some` iff this is a property shape.
    pub path: Option<(PropertyPath, PathIr)>,
    pub targets: Vec<Target>,
    pub constraints: Vec<Constraint>,
    pub severity: NamedNode,
    pub messages: Vec<Literal>,
    pub deactivated: bool,
}

/// A target declaration ([SHACL §2.1.3](https://www.w3.org/TR/shacl/#targets)).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    Node(ConstId),
    /// `sh:targetClass` and implicit class targets.
    Class(ConstId),
    SubjectsOf(ConstId),
    ObjectsOf(ConstId),
}

/// Node kind bit set for `sh:nodeKind`.
pub(crate) mod node_kind {
    pub const IRI: u8 = 1;
    pub const BLANK: u8 = 2;
    pub const LITERAL: u8 = 4;
}

/// Which of the four range components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RangeKind {
    MinExclusive,
    MinInclusive,
    MaxExclusive,
    MaxInclusive,
}

/// One constraint ([SHACL §4](https://www.w3.org/TR/shacl/#core-components)).
#[derive(Debug)]
pub(crate) enum Constraint {
    Class(ConstId),
    Datatype(NamedNode),
    NodeKind(u8),
    MinCount(u64),
    MaxCount(u64),
    Range(RangeKind, Literal),
    MinLength(u64),
    MaxLength(u64),
    Pattern(Box<Regex>),
    LanguageIn(Vec<String>),
    UniqueLang,
    Equals(ConstId),
    Disjoint(ConstId),
    LessThan(ConstId),
    LessThanOrEquals(ConstId),
    Not(ShapeId),
    And(Vec<ShapeId>),
    Or(Vec<ShapeId>),
    Xone(Vec<ShapeId>),
    Node(ShapeId),
    Property(ShapeId),
    QualifiedMin { shape: ShapeId, count: u64, siblings: Vec<ShapeId> },
    QualifiedMax { shape: ShapeId, count: u64, siblings: Vec<ShapeId> },
    Closed(Vec<ConstId>),
    HasValue(ConstId),
    In(Vec<ConstId>),
    Sparql(Box<SparqlConstraint>),
    Component(Box<ComponentConstraint>),
}

impl Constraint {
    /// Whether the component refers to other shapes (and so may recurse).
    pub fn is_nested(&self) -> bool {
        matches!(
            self,
            Self::Not(_)
                | Self::And(_)
                | Self::Or(_)
                | Self::Xone(_)
                | Self::Node(_)
                | Self::Property(_)
                | Self::QualifiedMin { .. }
                | Self::QualifiedMax { .. }
        )
    }

    /// The IRI of the constraint component.
    pub fn component(&self) -> NamedNodeRef<'_> {
        match self {
            Self::Class(_) => sh::CLASS_CONSTRAINT_COMPONENT,
            Self::Datatype(_) => sh::DATATYPE_CONSTRAINT_COMPONENT,
            Self::NodeKind(_) => sh::NODE_KIND_CONSTRAINT_COMPONENT,
            Self::MinCount(_) => sh::MIN_COUNT_CONSTRAINT_COMPONENT,
            Self::MaxCount(_) => sh::MAX_COUNT_CONSTRAINT_COMPONENT,
            Self::Range(RangeKind::MinExclusive, _) => sh::MIN_EXCLUSIVE_CONSTRAINT_COMPONENT,
            Self::Range(RangeKind::MinInclusive, _) => sh::MIN_INCLUSIVE_CONSTRAINT_COMPONENT,
            Self::Range(RangeKind::MaxExclusive, _) => sh::MAX_EXCLUSIVE_CONSTRAINT_COMPONENT,
            Self::Range(RangeKind::MaxInclusive, _) => sh::MAX_INCLUSIVE_CONSTRAINT_COMPONENT,
            Self::MinLength(_) => sh::MIN_LENGTH_CONSTRAINT_COMPONENT,
            Self::MaxLength(_) => sh::MAX_LENGTH_CONSTRAINT_COMPONENT,
            Self::Pattern(_) => sh::PATTERN_CONSTRAINT_COMPONENT,
            Self::LanguageIn(_) => sh::LANGUAGE_IN_CONSTRAINT_COMPONENT,
            Self::UniqueLang => sh::UNIQUE_LANG_CONSTRAINT_COMPONENT,
            Self::Equals(_) => sh::EQUALS_CONSTRAINT_COMPONENT,
            Self::Disjoint(_) => sh::DISJOINT_CONSTRAINT_COMPONENT,
            Self::LessThan(_) => sh::LESS_THAN_CONSTRAINT_COMPONENT,
            Self::LessThanOrEquals(_) => sh::LESS_THAN_OR_EQUALS_CONSTRAINT_COMPONENT,
            Self::Not(_) => sh::NOT_CONSTRAINT_COMPONENT,
            Self::And(_) => sh::AND_CONSTRAINT_COMPONENT,
            Self::Or(_) => sh::OR_CONSTRAINT_COMPONENT,
            Self::Xone(_) => sh::XONE_CONSTRAINT_COMPONENT,
            Self::Node(_) => sh::NODE_CONSTRAINT_COMPONENT,
            Self::Property(_) => sh::PROPERTY_CONSTRAINT_COMPONENT,
            Self::QualifiedMin { .. } => sh::QUALIFIED_MIN_COUNT_CONSTRAINT_COMPONENT,
            Self::QualifiedMax { .. } => sh::QUALIFIED_MAX_COUNT_CONSTRAINT_COMPONENT,
            Self::Closed(_) => sh::CLOSED_CONSTRAINT_COMPONENT,
            Self::HasValue(_) => sh::HAS_VALUE_CONSTRAINT_COMPONENT,
            Self::In(_) => sh::IN_CONSTRAINT_COMPONENT,
            Self::Sparql(_) => sh::SPARQL_CONSTRAINT_COMPONENT,
            Self::Component(c) => c.component.as_ref(),
        }
    }
}
