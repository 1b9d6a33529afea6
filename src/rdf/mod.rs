//! Shared RDF helpers used by every layer below `http`: vocabulary constants ([`ns`]),
//! RDF syntaxes and SPARQL result formats ([`io`]).

pub mod io;
pub mod ns;
