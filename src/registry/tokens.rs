//! API tokens: `dmk_{id}_{secret}`, shown once, stored only as a salted argon2 hash.
//!
//! Verifying argon2 costs tens of milliseconds by design, so a token verified once is remembered (by
//! the SHA-256 of the presented token) until it is revoked or the process ends.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::fmt;
use std::str::FromStr;

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Writes its own organisation's records.
    Publisher,
    /// Reviews and changes the status of any record (of the types in its scope).
    Steward,
    /// Everything, organisations and tokens included.
    Admin,
}

impl Role {
    /// The short name (`publisher`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Publisher => "publisher",
            Self::Steward => "steward",
            Self::Admin => "admin",
        }
    }

    /// The role concept in `vocab/registry.ttl`.
    pub fn iri(self) -> &'static str {
        match self {
            Self::Publisher => "https://w3id.org/danhmuc/ns#role-publisher",
            Self::Steward => "https://w3id.org/danhmuc/ns#role-steward",
            Self::Admin => "https://w3id.org/danhmuc/ns#role-admin",
        }
    }

    /// The role a concept IRI names.
    pub fn from_iri(iri: &str) -> Option<Self> {
        [Self::Publisher, Self::Steward, Self::Admin].into_iter().find(|r| r.iri() == iri)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Publisher, Self::Steward, Self::Admin]
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| format!("unknown role {s:?}: use publisher, steward or admin"))
    }
}

/// A freshly made token: the secret to hand out once, and what to store.
pub struct NewToken {
    /// The whole token, `dmk_{id}_{secret}`. Never stored.
    pub token: String,
    /// The public part, used to find the stored hash and to name the token in lists and logs.
    pub id: String,
    /// The salted argon2 hash of the secret (PHC string).
    pub hash: String,
}

/// Something went wrong making or checking a token (the system's random source, argon2 itself).
#[derive(Debug, thiserror::Error)]
#[error("token error: {0}")]
pub struct TokenError(String);

fn random_bytes<const N: usize>() -> Result<[u8; N], TokenError> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).map_err(|e| TokenError(e.to_string()))?;
    Ok(bytes)
}

/// Makes a new token with 256 bits of secret.
pub fn generate() -> Result<NewToken, TokenError> {
    let id = hex::encode(random_bytes::<6>()?);
    let secret = hex::encode(random_bytes::<32>()?);
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|e| TokenError(e.to_string()))?;
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| TokenError(e.to_string()))?
        .to_string();
    Ok(NewToken { token: format!("dmk_{id}_{secret}"), id, hash })
}

/// Splits a presented token into its id and secret, if it has our shape.
pub fn split(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("dmk_")?;
    let (id, secret) = rest.split_once('_')?;
    let is_hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (is_hex(id, 12) && is_hex(secret, 64)).then_some((id, secret))
}

/// Whether `secret` matches a stored hash.
pub fn verify(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(secret.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_against_their_hash_only() {
        let a = generate().expect("token");
        let b = generate().expect("token");
        let (id, secret) = split(&a.token).expect("our shape");
        assert_eq!(id, a.id);
        assert!(verify(secret, &a.hash));
        assert!(!verify(secret, &b.hash), "another token's hash");
        assert!(!a.hash.contains(secret), "the secret is not stored");
        assert!(split("dmk_zz_00").is_none() && split("Bearer x").is_none());
        assert_eq!("steward".parse::<Role>(), Ok(Role::Steward));
        assert_eq!(Role::from_iri(Role::Admin.iri()), Some(Role::Admin));
    }
}
