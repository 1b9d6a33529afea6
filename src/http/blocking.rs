//! The one bridge from async handlers to the synchronous services and store.

use super::error::HttpError;

/// Runs blocking work (store access, validation, serialisation) on tokio's blocking pool.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    tokio::task::spawn_blocking(work).await.map_err(HttpError::internal)?
}
