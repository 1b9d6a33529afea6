//! Who may see a named graph, and the view graph its triples are merged into.

use crate::rdf::ns::{dm, graph};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term};

/// The access class of a named graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Everyone. Merged into the public view (the default graph).
    Public,
    /// Every authenticated organisation. Merged into the restricted view.
    Restricted,
    /// The owning organisation, stewards and admins. Merged into the private view.
    Private,
    /// Stewards and admins only (audit trail, earlier versions). In no view: reached by `GRAPH`.
    Staff,
}

impl Access {
    /// The concept naming this class in the system graph.
    pub fn iri(self) -> NamedNodeRef<'static> {
        match self {
            Self::Public => dm::ACCESS_PUBLIC,
            Self::Restricted => dm::ACCESS_RESTRICTED,
            Self::Private => dm::ACCESS_PRIVATE,
            Self::Staff => dm::ACCESS_STAFF,
        }
    }

    /// Reads a class from the system graph.
    pub fn from_term(term: &Term) -> Option<Self> {
        let Term::NamedNode(n) = term else { return None };
        [Self::Public, Self::Restricted, Self::Private, Self::Staff]
            .into_iter()
            .find(|a| a.iri() == n.as_ref())
    }

    /// The view graph this class's triples are merged into, if any.
    pub fn view(self) -> Option<GraphNameRef<'static>> {
        match self {
            Self::Public => Some(GraphNameRef::DefaultGraph),
            Self::Restricted => Some(graph::VIEW_RESTRICTED.into()),
            Self::Private => Some(graph::VIEW_PRIVATE.into()),
            Self::Staff => None,
        }
    }
}

/// What the store knows of a registered named graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphInfo {
    /// Who may see it.
    pub access: Access,
    /// The organisation that owns it (meaningful for private graphs).
    pub owner: Option<NamedNode>,
}

impl GraphInfo {
    /// A public graph without an owner.
    pub fn public() -> Self {
        Self { access: Access::Public, owner: None }
    }

    /// A graph of the given class owned by `owner`.
    pub fn owned(access: Access, owner: Option<NamedNode>) -> Self {
        Self { access, owner }
    }
}

/// Who is asking. Decides which graphs a query, a page or a feed can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone on the web: public graphs.
    Anonymous,
    /// An authenticated organisation: public and restricted graphs, and its own private ones.
    Member {
        /// The organisation's IRI.
        org: NamedNode,
    },
    /// A steward or an admin: every registered graph.
    Staff,
    /// The operator at the command line: every graph, system graphs included.
    Operator,
}

impl Viewer {
    /// Whether this viewer may see a graph with this registration.
    pub fn may_see(&self, info: &GraphInfo) -> bool {
        self.may_see_class(info.access, info.owner.as_ref())
    }

    /// The same decision from a class and an owner (no `GraphInfo` to build: the feed asks it once per
    /// record of the registry on every page).
    pub fn may_see_class(&self, access: Access, owner: Option<&NamedNode>) -> bool {
        match (self, access) {
            (Self::Operator | Self::Staff, _) | (_, Access::Public) => true,
            (Self::Member { .. }, Access::Restricted) => true,
            (Self::Member { org }, Access::Private) => owner == Some(org),
            (Self::Member { .. } | Self::Anonymous, Access::Staff)
            | (Self::Anonymous, Access::Restricted | Access::Private) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_matrix() {
        let org = NamedNode::new_unchecked("http://example.com/org/a");
        let other = NamedNode::new_unchecked("http://example.com/org/b");
        let member = Viewer::Member { org: org.clone() };
        let private_a = GraphInfo::owned(Access::Private, Some(org));
        let private_b = GraphInfo::owned(Access::Private, Some(other));
        let restricted = GraphInfo::owned(Access::Restricted, None);
        let staff = GraphInfo::owned(Access::Staff, None);
        let cases = [
            (Viewer::Anonymous, [true, false, false, false, false]),
            (member, [true, true, true, false, false]),
            (Viewer::Staff, [true, true, true, true, true]),
            (Viewer::Operator, [true, true, true, true, true]),
        ];
        for (viewer, expected) in cases {
            let seen = [&GraphInfo::public(), &restricted, &private_a, &private_b, &staff]
                .map(|g| viewer.may_see(g));
            assert_eq!(seen, expected, "{viewer:?}");
        }
    }
}
