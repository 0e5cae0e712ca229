//! Failed logins, for throttling them per email and per address.

use sqlx::PgExecutor;
use time::OffsetDateTime;

/// How many failures a key has had since `since`, and when the oldest of
/// them was (`None` when there were none).
pub async fn failures_since(
    ex: impl PgExecutor<'_>,
    key: &str,
    since: OffsetDateTime,
) -> sqlx::Result<(i64, Option<OffsetDateTime>)> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", min(at) AS oldest
             FROM login_failures WHERE key = $1 AND at >= $2"#,
        key,
        since
    )
    .fetch_one(ex)
    .await?;
    Ok((row.count, row.oldest))
}

/// Notes one failure under each key.
pub async fn record_failure(ex: impl PgExecutor<'_>, keys: &[String]) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO login_failures (key) SELECT unnest($1::text[])",
        keys
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Forgets a key's failures (after a successful login).
pub async fn clear(ex: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE key = $1", key)
        .execute(ex)
        .await?;
    Ok(())
}

/// Forgets failures older than `before`.
pub async fn prune(ex: impl PgExecutor<'_>, before: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM login_failures WHERE at < $1", before)
        .execute(ex)
        .await?;
    Ok(())
}
