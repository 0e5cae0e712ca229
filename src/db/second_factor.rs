//! Second factors of staff accounts: the sealed TOTP secret, the newest
//! time step accepted, recovery codes (as hashes), and whether every staff
//! member must have one.

use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::domain::AccountId;

/// An account's second factor as a login checks it.
pub struct Enrolled {
    /// The secret, sealed with the application's key.
    pub sealed_secret: Vec<u8>,
    pub enabled_at: OffsetDateTime,
}

pub async fn enrolled(ex: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<Option<Enrolled>> {
    sqlx::query_as!(
        Enrolled,
        r#"SELECT totp_secret AS "sealed_secret!", totp_enabled_at AS "enabled_at!"
             FROM accounts WHERE id = $1 AND totp_secret IS NOT NULL"#,
        id as AccountId
    )
    .fetch_optional(ex)
    .await
}

/// Takes time step `step` as used, if no later or equal step was: of two
/// logins with one code, even at the same moment, one gets true.
pub async fn accept_step(ex: impl PgExecutor<'_>, id: AccountId, step: i64) -> sqlx::Result<bool> {
    let taken = sqlx::query_scalar!(
        r#"UPDATE accounts SET totp_last_step = $2
            WHERE id = $1 AND totp_secret IS NOT NULL
              AND (totp_last_step IS NULL OR totp_last_step < $2)
        RETURNING id"#,
        id as AccountId,
        step
    )
    .fetch_optional(ex)
    .await?;
    Ok(taken.is_some())
}

/// Turns the second factor on with this secret; `step` is the one whose
/// code confirmed it (it will not log anyone in). False if the account
/// has one already (two set-ups racing: the first one counts).
pub async fn enable(
    ex: impl PgExecutor<'_>,
    id: AccountId,
    sealed_secret: &[u8],
    step: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE accounts
            SET totp_secret = $2, totp_last_step = $3, totp_enabled_at = now(), updated_at = now()
          WHERE id = $1 AND totp_secret IS NULL",
        id as AccountId,
        sealed_secret,
        step
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes the second factor away; true if there was one. Recovery codes go
/// with it (see [`replace_recovery_codes`]).
pub async fn remove(ex: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE accounts
            SET totp_secret = NULL, totp_last_step = NULL, totp_enabled_at = NULL,
                updated_at = now()
          WHERE id = $1 AND totp_secret IS NOT NULL",
        id as AccountId
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The account's recovery codes become exactly these (none: all gone).
pub async fn replace_recovery_codes(
    ex: impl PgExecutor<'_>,
    id: AccountId,
    hashes: &[Vec<u8>],
) -> sqlx::Result<()> {
    sqlx::query!(
        "WITH gone AS (DELETE FROM recovery_codes WHERE account_id = $1)
         INSERT INTO recovery_codes (account_id, code_hash) SELECT $1, unnest($2::bytea[])",
        id as AccountId,
        hashes
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Uses up the recovery code with this hash, if it is the account's and
/// unused: true once, however many logins try it at once.
pub async fn use_recovery_code(
    ex: impl PgExecutor<'_>,
    id: AccountId,
    hash: &[u8],
) -> sqlx::Result<bool> {
    let used = sqlx::query_scalar!(
        r#"UPDATE recovery_codes SET used_at = now()
            WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL
        RETURNING account_id AS "account_id: AccountId""#,
        id as AccountId,
        hash
    )
    .fetch_optional(ex)
    .await?;
    Ok(used.is_some())
}

/// How many of the account's recovery codes are still unused.
pub async fn recovery_codes_left(ex: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM recovery_codes
            WHERE account_id = $1 AND used_at IS NULL"#,
        id as AccountId
    )
    .fetch_one(ex)
    .await
}

/// Whether every staff member must have a second factor.
pub async fn required_for_all(ex: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!("SELECT second_factor_for_all FROM settings")
        .fetch_one(ex)
        .await
}

pub async fn set_required_for_all(ex: impl PgExecutor<'_>, required: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE settings SET second_factor_for_all = $1, updated_at = now()",
        required
    )
    .execute(ex)
    .await?;
    Ok(())
}
