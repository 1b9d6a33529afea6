//! Browser sessions of agencies that signed in with their API token (`/signin`).
//!
//! **Invariant:** a session holds the token it was opened with, server-side; every request that
//! carries the session cookie is authenticated again through `Registry::authenticate` (cached), so a
//! signed-in browser is exactly the `Viewer` of its token everywhere, and a revoked token ends its
//! sessions at once. The cookie is a random id (256 bits), `HttpOnly`, `SameSite=Strict`, `Secure`
//! when the base URL is https. The map is bounded (`MAX_SESSIONS`) and entries expire (`TTL`).
//! Every POST form carries a CSRF token: the session's own, or (before sign-in) a random value in its
//! own cookie; both are compared in constant time.

use rustc_hash::FxHashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "dm_session";
/// The pre-session CSRF cookie's name (sign-in and anonymous forms).
pub const CSRF_COOKIE: &str = "dm_csrf";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "lang";
/// How long a session lasts.
pub const TTL: Duration = Duration::from_secs(8 * 3600);
/// At most this many sessions at once; the one closest to expiry goes first.
pub const MAX_SESSIONS: usize = 10_000;

/// One signed-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    /// The API token it signed in with (never sent back to the browser).
    pub token: String,
    /// Its CSRF token.
    pub csrf: String,
    /// The organisation's registry id (e.g. `so-tttt-ha-noi`), if any.
    pub org_id: Option<String>,
    /// The organisation's name (vi, en).
    pub org_name: (String, String),
    expires: Instant,
}

/// The session map.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<FxHashMap<String, Session>>,
}

/// 32 random bytes as hex (never a guessable fallback: an error when the OS has no randomness).
pub fn random_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// Equality that takes the same time wherever the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Sessions {
    /// Opens a session; answers its id.
    pub fn open(
        &self,
        token: String,
        org_id: Option<String>,
        org_name: (String, String),
    ) -> Result<String, getrandom::Error> {
        let id = random_id()?;
        let now = Instant::now();
        let session = Session { token, csrf: random_id()?, org_id, org_name, expires: now + TTL };
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MAX_SESSIONS {
            map.retain(|_, s| s.expires > now);
        }
        while map.len() >= MAX_SESSIONS {
            let Some(oldest) = map.iter().min_by_key(|(_, s)| s.expires).map(|(k, _)| k.clone()) else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(id.clone(), session);
        Ok(id)
    }

    /// The live session with this id.
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let session = map.get(id)?;
        if session.expires <= Instant::now() {
            map.remove(id);
            return None;
        }
        Some(session.clone())
    }

    /// Ends a session.
    pub fn close(&self, id: &str) {
        self.map.lock().unwrap_or_else(PoisonError::into_inner).remove(id);
    }

    /// How many sessions are open.
    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no session is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_open_get_close_and_stay_bounded() {
        let sessions = Sessions::default();
        let id = sessions.open("dmk_x".into(), Some("org".into()), ("A".into(), "B".into())).expect("random");
        assert_eq!(id.len(), 64);
        let session = sessions.get(&id).expect("open");
        assert_eq!(session.token, "dmk_x");
        assert_eq!(session.csrf.len(), 64);
        assert_ne!(session.csrf, id);
        assert!(sessions.get("nope").is_none());
        sessions.close(&id);
        assert!(sessions.get(&id).is_none());
        for _ in 0..MAX_SESSIONS + 5 {
            sessions.open("t".into(), None, (String::new(), String::new())).expect("random");
        }
        assert_eq!(sessions.len(), MAX_SESSIONS);
    }

    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
