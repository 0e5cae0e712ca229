//! The demo cases, transcribed from the source documents.

use sqlx::PgPool;

/// Loads the demo cases; a second run changes nothing.
pub async fn load(_pool: &PgPool) -> anyhow::Result<String> {
    Ok("Demo data: nothing loaded yet.".into())
}
