//! The status lifecycle of a record, after UKGovLD registry-core and ISO/IEC 11179-6.
//!
//! ```text
//! submitted → experimental | stable
//! experimental → stable | retired | superseded
//! stable → retired | superseded        (superseded needs a successor, recorded both ways)
//! any → invalid
//! ```
//! Only the six leaf statuses are ever set. `valid` (experimental + stable) and `deprecated`
//! (superseded + retired) are filters. The same table is data in `vocab/registry.ttl` (`dm:nextState`);
//! a test keeps the two in step.

use oxigraph::model::NamedNodeRef;
use std::fmt;
use std::str::FromStr;

/// A record's registration status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Proposed, awaiting a steward's decision.
    Submitted,
    /// Accepted for trial use; may change.
    Experimental,
    /// Accepted and maintained.
    Stable,
    /// Replaced by a successor record.
    Superseded,
    /// Withdrawn from use; kept as a tombstone.
    Retired,
    /// Found to be wrong; seen only by its owner and stewards.
    Invalid,
}

/// Every status, in lifecycle order.
pub const ALL: [Status; 6] = [
    Status::Submitted,
    Status::Experimental,
    Status::Stable,
    Status::Superseded,
    Status::Retired,
    Status::Invalid,
];

impl Status {
    /// The short name used in the API (`stable`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Experimental => "experimental",
            Self::Stable => "stable",
            Self::Superseded => "superseded",
            Self::Retired => "retired",
            Self::Invalid => "invalid",
        }
    }

    /// The status concept in `vocab/registry.ttl`.
    pub fn iri(self) -> NamedNodeRef<'static> {
        NamedNodeRef::new_unchecked(match self {
            Self::Submitted => "https://w3id.org/danhmuc/ns#status-submitted",
            Self::Experimental => "https://w3id.org/danhmuc/ns#status-experimental",
            Self::Stable => "https://w3id.org/danhmuc/ns#status-stable",
            Self::Superseded => "https://w3id.org/danhmuc/ns#status-superseded",
            Self::Retired => "https://w3id.org/danhmuc/ns#status-retired",
            Self::Invalid => "https://w3id.org/danhmuc/ns#status-invalid",
        })
    }

    /// The status a concept IRI names.
    pub fn from_iri(iri: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.iri().as_str() == iri)
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [Status] {
        use Status::{Experimental, Invalid, Retired, Stable, Superseded};
        match self {
            Self::Submitted => &[Experimental, Stable, Invalid],
            Self::Experimental => &[Stable, Superseded, Retired, Invalid],
            Self::Stable => &[Superseded, Retired, Invalid],
            Self::Superseded | Self::Retired => &[Invalid],
            Self::Invalid => &[],
        }
    }

    /// Whether a record may move from this status to `to`.
    pub fn may_become(self, to: Status) -> bool {
        self.next().contains(&to)
    }

    /// Whether records with this status face the public (feeds, search) at all; `submitted` and
    /// `invalid` are seen only by their owner and stewards.
    pub fn is_public_facing(self) -> bool {
        !matches!(self, Self::Submitted | Self::Invalid)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A status name that is not one of the six.
#[derive(Debug, thiserror::Error)]
#[error("unknown status {0:?}: use submitted, experimental, stable, superseded, retired or invalid")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.into_iter().find(|status| status.name() == s).ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

/// A status filter of a listing: one status or an abstract group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Exactly this status.
    Is(Status),
    /// `valid`: experimental or stable.
    Valid,
    /// `deprecated`: superseded or retired.
    Deprecated,
}

impl StatusFilter {
    /// Whether a status passes the filter.
    pub fn accepts(self, status: Status) -> bool {
        match self {
            Self::Is(s) => s == status,
            Self::Valid => matches!(status, Status::Experimental | Status::Stable),
            Self::Deprecated => matches!(status, Status::Superseded | Status::Retired),
        }
    }
}

impl FromStr for StatusFilter {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "valid" => Ok(Self::Valid),
            "deprecated" => Ok(Self::Deprecated),
            other => other.parse().map(Self::Is),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use std::collections::BTreeSet;

    #[test]
    fn the_table_in_code_is_the_table_in_the_vocabulary() {
        let turtle = crate::bundled::find(crate::bundled::VOCAB_FILES, "registry.ttl").expect("bundled");
        let mut from_vocab = BTreeSet::new();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.expect("registry.ttl parses");
            if quad.predicate.as_str() == "https://w3id.org/danhmuc/ns#nextState" {
                let from = Status::from_iri(quad.subject.to_string().trim_matches(['<', '>']))
                    .expect("a leaf status");
                let to = Status::from_iri(quad.object.to_string().trim_matches(['<', '>']))
                    .expect("a leaf status");
                from_vocab.insert((from, to));
            }
        }
        let from_code: BTreeSet<_> =
            ALL.into_iter().flat_map(|s| s.next().iter().map(move |t| (s, *t))).collect();
        assert_eq!(from_vocab, from_code);
    }

    #[test]
    fn names_and_filters() {
        for status in ALL {
            assert_eq!(status.name().parse::<Status>().expect("round trip"), status);
        }
        assert!("approved".parse::<Status>().is_err());
        let valid: StatusFilter = "valid".parse().expect("filter");
        assert!(
            valid.accepts(Status::Stable)
                && valid.accepts(Status::Experimental)
                && !valid.accepts(Status::Retired)
        );
        let deprecated: StatusFilter = "deprecated".parse().expect("filter");
        assert!(deprecated.accepts(Status::Superseded) && !deprecated.accepts(Status::Submitted));
    }
}
