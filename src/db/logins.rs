//! Login attempts, for throttling them per account, per account and
//! address, and per address.

use sqlx::PgExecutor;
use time::OffsetDateTime;

/// The key an email is counted under: its staff account when there is one,
/// else the email, lower-cased the way account lookups lower it.
pub async fn account_key(ex: impl PgExecutor<'_>, email: &str) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"SELECT coalesce(
                  (SELECT 'account:' || id FROM accounts
                    WHERE lower(email) = lower($1) AND kind = 'staff'),
                  'email:' || lower($1)) AS "key!""#,
        email
    )
    .fetch_one(ex)
    .await
}

/// How many attempts each key has had since `since`, and when the oldest
/// of them was; keys without attempts are left out.
pub async fn attempts_since(
    ex: impl PgExecutor<'_>,
    keys: &[String],
    since: OffsetDateTime,
) -> sqlx::Result<Vec<(String, i64, OffsetDateTime)>> {
    let rows = sqlx::query!(
        r#"SELECT key, count(*) AS "count!", min(at) AS "oldest!"
             FROM login_attempts WHERE key = ANY($1) AND at >= $2
            GROUP BY key"#,
        keys,
        since
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.key, r.count, r.oldest))
        .collect())
}

/// Notes one attempt under each key; returns the rows, to forget them if
/// the attempt succeeds.
pub async fn note_attempt(ex: impl PgExecutor<'_>, keys: &[String]) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "INSERT INTO login_attempts (key) SELECT unnest($1::text[]) RETURNING id",
        keys
    )
    .fetch_all(ex)
    .await
}

/// Forgets these attempts and every attempt under `keys` (after a success).
pub async fn forget(ex: impl PgExecutor<'_>, ids: &[i64], keys: &[String]) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM login_attempts WHERE id = ANY($1) OR key = ANY($2)",
        ids,
        keys
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Forgets attempts older than `before`.
pub async fn prune(ex: impl PgExecutor<'_>, before: OffsetDateTime) -> sqlx::Result<()> {
    sqlx::query!("DELETE FROM login_attempts WHERE at < $1", before)
        .execute(ex)
        .await?;
    Ok(())
}
