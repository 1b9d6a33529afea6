//! Organisations and API tokens.
//!
//! An organisation is a publisher record (`{base}publisher/{id}`, a public `foaf:Agent`). Tokens live
//! in the unregistered system graph `urn:danhmuc:graph:tokens` as salted argon2 hashes; only the
//! operator can query it.

use super::kind::Kind;
use super::record::{Record, names};
use super::tokens::{self, Role};
use super::{Principal, Registry, RegistryError, WriteOutcome};
use crate::rdf::ns::{dct, dm, foaf, graph};
use crate::store::{GraphChange, GraphWrite};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxsdatatypes::DateTime;
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use std::sync::PoisonError;

/// The kind of a publishing organisation (`dm:OrganisationType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgType {
    /// A ministry or ministry-level agency.
    Ministry,
    /// A province or centrally-run city.
    Province,
    /// A state enterprise.
    Enterprise,
    /// A standards body.
    StandardsBody,
    /// Anything else.
    Other,
}

impl OrgType {
    fn iri(self) -> &'static str {
        match self {
            Self::Ministry => "https://w3id.org/danhmuc/ns#orgtype-ministry",
            Self::Province => "https://w3id.org/danhmuc/ns#orgtype-province",
            Self::Enterprise => "https://w3id.org/danhmuc/ns#orgtype-state-enterprise",
            Self::StandardsBody => "https://w3id.org/danhmuc/ns#orgtype-standards-body",
            Self::Other => "https://w3id.org/danhmuc/ns#orgtype-other",
        }
    }
}

impl fmt::Display for OrgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ministry => "ministry",
            Self::Province => "province",
            Self::Enterprise => "enterprise",
            Self::StandardsBody => "standards-body",
            Self::Other => "other",
        })
    }
}

impl FromStr for OrgType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "ministry" => Self::Ministry,
            "province" => Self::Province,
            "enterprise" => Self::Enterprise,
            "standards-body" => Self::StandardsBody,
            "other" => Self::Other,
            _ => {
                return Err(format!(
                    "unknown organisation type {s:?}: use ministry, province, enterprise, standards-body or other"
                ));
            }
        })
    }
}

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrg {
    /// Its id: `{base}publisher/{id}`.
    pub id: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Its type.
    pub org_type: OrgType,
    /// Home page.
    pub homepage: Option<String>,
    /// Contact e-mail.
    pub email: Option<String>,
}

/// A token as listed (never its secret or hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Public id.
    pub id: String,
    /// Role.
    pub role: Role,
    /// Organisation.
    pub org: Option<NamedNode>,
    /// A label for people.
    pub label: Option<String>,
    /// When it was made.
    pub created: String,
    /// Whether it was revoked.
    pub revoked: bool,
    /// For stewards: the record kinds in scope.
    pub scope: Vec<Kind>,
}

impl Registry {
    /// The IRI of organisation `id`.
    pub fn org_iri(&self, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}publisher/{id}", self.base))
    }

    /// Registers an organisation (admins).
    pub fn add_org(&self, principal: &Principal, org: &NewOrg) -> Result<WriteOutcome, RegistryError> {
        if principal.role != Role::Admin {
            return Err(RegistryError::Forbidden("only an admin may add organisations".into()));
        }
        if org.id.is_empty()
            || !org.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(RegistryError::BadRequest(format!(
                "organisation id {:?}: use lowercase letters, digits and hyphens",
                org.id
            )));
        }
        let iri = self.org_iri(&org.id);
        let mut triples = vec![
            Triple::new(iri.clone(), rdf::TYPE, foaf::AGENT),
            Triple::new(
                iri.clone(),
                rdf::TYPE,
                NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/Organization"),
            ),
            Triple::new(
                iri.clone(),
                foaf::NAME,
                Literal::new_language_tagged_literal_unchecked(&org.name_vi, "vi"),
            ),
            Triple::new(
                iri.clone(),
                foaf::NAME,
                Literal::new_language_tagged_literal_unchecked(&org.name_en, "en"),
            ),
            Triple::new(iri.clone(), dct::TYPE, NamedNode::new_unchecked(org.org_type.iri())),
            Triple::new(iri.clone(), dm::ORG_TYPE, NamedNode::new_unchecked(org.org_type.iri())),
            Triple::new(iri.clone(), dct::IDENTIFIER, Literal::new_simple_literal(&org.id)),
        ];
        if let Some(homepage) = &org.homepage {
            let page = NamedNode::new(homepage)
                .map_err(|e| RegistryError::BadRequest(format!("homepage {homepage:?}: {e}")))?;
            triples.push(Triple::new(
                iri.clone(),
                NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/homepage"),
                page,
            ));
        }
        if let Some(email) = &org.email {
            let mbox = NamedNode::new(format!("mailto:{email}"))
                .map_err(|e| RegistryError::BadRequest(format!("email {email:?}: {e}")))?;
            triples.push(Triple::new(
                iri.clone(),
                NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/mbox"),
                mbox,
            ));
        }
        let submission =
            super::submission::Submission { triples, main: iri.clone().into(), kind: Kind::Publisher };
        let existing = self.id_of(iri.as_str());
        self.write_submission(principal, &submission, existing.as_deref(), None, Some(&iri))
    }

    /// The organisations, in registration order.
    pub fn orgs(&self) -> Vec<Record> {
        self.list(
            &super::ListFilter { kind: Some(Kind::Publisher), ..Default::default() },
            &crate::store::Viewer::Staff,
        )
    }

    /// Makes a token and returns it (the only time it is shown) with its id.
    pub fn create_token(
        &self,
        principal: &Principal,
        role: Role,
        org: Option<&str>,
        label: Option<&str>,
        scope: &[Kind],
    ) -> Result<(String, String), RegistryError> {
        if principal.role != Role::Admin {
            return Err(RegistryError::Forbidden("only an admin may create tokens".into()));
        }
        let org = match org {
            Some(id) => {
                let iri = self.org_iri(id);
                if self.id_of(iri.as_str()).is_none() {
                    return Err(RegistryError::BadRequest(format!("no organisation {id}; add it first")));
                }
                Some(iri)
            }
            None if role == Role::Publisher => {
                return Err(RegistryError::BadRequest("a publisher token needs --org".into()));
            }
            None => None,
        };
        let new = tokens::generate().map_err(|e| RegistryError::BadRequest(e.to_string()))?;
        let subject = names::token(&new.id);
        let mut triples = vec![
            Triple::new(subject.clone(), rdf::TYPE, dm::API_TOKEN),
            Triple::new(subject.clone(), dm::TOKEN_HASH, Literal::new_simple_literal(&new.hash)),
            Triple::new(subject.clone(), dm::ROLE, NamedNode::new_unchecked(role.iri())),
            Triple::new(
                subject.clone(),
                dct::CREATED,
                Literal::new_typed_literal(DateTime::now().to_string(), xsd::DATE_TIME),
            ),
        ];
        if let Some(org) = org {
            triples.push(Triple::new(subject.clone(), dm::OWNER, org));
        }
        if let Some(label) = label {
            triples.push(Triple::new(subject.clone(), rdfs::LABEL, Literal::new_simple_literal(label)));
        }
        for kind in scope {
            triples.push(Triple::new(subject.clone(), dm::SCOPE, Literal::new_simple_literal(kind.name())));
        }
        self.store.write(&[GraphWrite {
            name: graph::TOKENS.into_owned(),
            change: GraphChange::Add(triples),
            registration: None,
            content_hash: None,
        }])?;
        Ok((new.token, new.id))
    }

    /// Every token (never secrets).
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, RegistryError> {
        let triples = self.store.graph_triples(graph::TOKENS)?;
        let mut found: Vec<TokenInfo> = Vec::new();
        for t in triples
            .iter()
            .filter(|t| t.predicate == rdf::TYPE && t.object == Term::from(dm::API_TOKEN.into_owned()))
        {
            let NamedOrBlankNode::NamedNode(subject) = &t.subject else { continue };
            let Some(id) = subject.as_str().strip_prefix("urn:danhmuc:token:") else { continue };
            let values = |p| {
                triples
                    .iter()
                    .filter(move |t| t.subject == NamedOrBlankNode::from(subject.clone()) && t.predicate == p)
                    .map(|t| &t.object)
            };
            let literal = |p| {
                values(p).find_map(|o| match o {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
            };
            let Some(role) = values(dm::ROLE).find_map(|o| match o {
                Term::NamedNode(n) => Role::from_iri(n.as_str()),
                _ => None,
            }) else {
                continue;
            };
            found.push(TokenInfo {
                id: id.to_owned(),
                role,
                org: values(dm::OWNER).find_map(|o| match o {
                    Term::NamedNode(n) => Some(n.clone()),
                    _ => None,
                }),
                label: literal(rdfs::LABEL),
                created: literal(dct::CREATED).unwrap_or_default(),
                revoked: values(dm::REVOKED).next().is_some(),
                scope: values(dm::SCOPE)
                    .filter_map(|o| match o {
                        Term::Literal(l) => l.value().parse().ok(),
                        _ => None,
                    })
                    .collect(),
            });
        }
        found.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        Ok(found)
    }

    /// Revokes a token (admins). It stops working at once.
    pub fn revoke_token(&self, principal: &Principal, id: &str) -> Result<(), RegistryError> {
        if principal.role != Role::Admin {
            return Err(RegistryError::Forbidden("only an admin may revoke tokens".into()));
        }
        if !self.tokens()?.iter().any(|t| t.id == id) {
            return Err(RegistryError::NotFound(format!("token {id}")));
        }
        let revoked = Literal::new_typed_literal(DateTime::now().to_string(), xsd::DATE_TIME);
        self.store.write(&[GraphWrite {
            name: graph::TOKENS.into_owned(),
            change: GraphChange::Add(vec![Triple::new(names::token(id), dm::REVOKED, revoked)]),
            registration: None,
            content_hash: None,
        }])?;
        self.verified.lock().unwrap_or_else(PoisonError::into_inner).retain(|_, p| p.token != id);
        Ok(())
    }

    /// Who a presented bearer token is, if it is valid and not revoked.
    pub fn authenticate(&self, token: &str) -> Result<Option<Principal>, RegistryError> {
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(principal) = self.verified.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Some(principal.clone()));
        }
        let Some((id, secret)) = tokens::split(token) else { return Ok(None) };
        let triples = self.store.graph_triples(graph::TOKENS)?;
        let subject: NamedOrBlankNode = names::token(id).into();
        let hash = triples.iter().find_map(|t| {
            match (&t.object, t.subject == subject && t.predicate == dm::TOKEN_HASH) {
                (Term::Literal(l), true) => Some(l.value().to_owned()),
                _ => None,
            }
        });
        let Some(hash) = hash else { return Ok(None) };
        if !tokens::verify(secret, &hash) {
            return Ok(None);
        }
        let Some(info) = self.tokens()?.into_iter().find(|t| t.id == id && !t.revoked) else {
            return Ok(None);
        };
        let principal = Principal { token: info.id, role: info.role, org: info.org, scope: info.scope };
        self.verified.lock().unwrap_or_else(PoisonError::into_inner).insert(key, principal.clone());
        Ok(Some(principal))
    }
}
