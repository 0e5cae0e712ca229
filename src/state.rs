//! What every request handler shares.

use sqlx::PgPool;

use crate::crypto::Cipher;

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub cipher: Cipher,
}
