//! Staff and partner accounts, and their API tokens.

use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::domain::{AccountId, AccountKind, Language, Role, TokenId, TokenScope};

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: AccountId,
    pub kind: AccountKind,
    pub email: Option<String>,
    pub name: String,
    pub role: Role,
    pub restricted_clearance: bool,
    pub disabled_at: Option<OffsetDateTime>,
    /// Logs in with a second factor.
    pub second_factor: bool,
}

pub struct NewAccount<'a> {
    pub kind: AccountKind,
    pub email: Option<&'a str>,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub restricted_clearance: bool,
}

pub async fn insert(ex: impl PgExecutor<'_>, account: &NewAccount<'_>) -> sqlx::Result<AccountId> {
    let id = AccountId::new();
    sqlx::query!(
        r#"INSERT INTO accounts (id, kind, email, name, password_hash, role, restricted_clearance)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        id as AccountId,
        account.kind as AccountKind,
        account.email,
        account.name,
        account.password_hash,
        account.role as Role,
        account.restricted_clearance,
    )
    .execute(ex)
    .await?;
    Ok(id)
}

pub async fn by_email(ex: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as!(
        AccountRow,
        r#"SELECT id AS "id: AccountId", kind AS "kind: AccountKind", email, name,
                  role AS "role: Role", restricted_clearance, disabled_at,
                  totp_secret IS NOT NULL AS "second_factor!"
             FROM accounts WHERE lower(email) = lower($1)"#,
        email
    )
    .fetch_optional(ex)
    .await
}

pub async fn any_admin(ex: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin') AS "x!""#)
        .fetch_one(ex)
        .await
}

pub async fn insert_token(
    ex: impl PgExecutor<'_>,
    account_id: AccountId,
    name: Option<&str>,
    scope: TokenScope,
    token_hash: &[u8],
    expires_at: Option<OffsetDateTime>,
) -> sqlx::Result<TokenId> {
    let id = TokenId::new();
    sqlx::query!(
        r#"INSERT INTO api_tokens (id, account_id, name, scope, token_hash, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        id as TokenId,
        account_id as AccountId,
        name,
        scope as TokenScope,
        token_hash,
        expires_at,
    )
    .execute(ex)
    .await?;
    Ok(id)
}

/// A live token and its account as it is now.
pub struct TokenGrant {
    pub token_id: TokenId,
    pub scope: TokenScope,
    pub account_id: AccountId,
    pub role: Role,
    pub restricted_clearance: bool,
    /// The use was written down (the first in a minute): worth a line in
    /// the security log.
    pub noted: bool,
}

/// Finds a token that is not revoked or expired, of an enabled account, and
/// notes its use. The use is written at most once a minute per token, so
/// reads do not each cost a write.
pub async fn use_token(
    ex: impl PgExecutor<'_>,
    token_hash: &[u8],
) -> sqlx::Result<Option<TokenGrant>> {
    sqlx::query_as!(
        TokenGrant,
        r#"WITH live AS (
               SELECT t.id AS token_id, t.scope, a.id AS account_id, a.role,
                      a.restricted_clearance, t.last_used_at
                 FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                WHERE t.token_hash = $1 AND t.revoked_at IS NULL
                  AND (t.expires_at IS NULL OR t.expires_at > now()) AND a.disabled_at IS NULL
           ), noted AS (
               UPDATE api_tokens SET last_used_at = now()
                WHERE id IN (SELECT token_id FROM live
                              WHERE last_used_at IS NULL
                                 OR last_used_at < now() - interval '1 minute')
               RETURNING id
           )
           SELECT token_id AS "token_id!: TokenId", scope AS "scope!: TokenScope",
                  account_id AS "account_id!: AccountId", role AS "role!: Role",
                  restricted_clearance AS "restricted_clearance!",
                  EXISTS (SELECT 1 FROM noted) AS "noted!"
             FROM live"#,
        token_hash
    )
    .fetch_optional(ex)
    .await
}

/// A token as an admin sees it: never the token itself.
pub struct TokenInfo {
    pub id: TokenId,
    pub name: Option<String>,
    pub scope: TokenScope,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// One token, whoever's it is.
pub async fn token(ex: impl PgExecutor<'_>, id: TokenId) -> sqlx::Result<Option<TokenInfo>> {
    sqlx::query_as!(
        TokenInfo,
        r#"SELECT id AS "id: TokenId", name, scope AS "scope: TokenScope", created_at, expires_at,
                  last_used_at, revoked_at
             FROM api_tokens WHERE id = $1"#,
        id as TokenId
    )
    .fetch_optional(ex)
    .await
}

/// Adds requests to tokens' counts of the day.
pub async fn add_usage(
    ex: impl PgExecutor<'_>,
    day: time::Date,
    tokens: &[TokenId],
    requests: &[i64],
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO token_usage (token_id, day, requests)
           SELECT t, $1, n FROM unnest($2::uuid[], $3::bigint[]) AS u (t, n)
           ON CONFLICT (token_id, day) DO UPDATE
              SET requests = token_usage.requests + excluded.requests"#,
        day,
        tokens as &[TokenId],
        requests
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// A token's requests by day, from `since` on, newest first.
pub async fn usage_of(
    ex: impl PgExecutor<'_>,
    token: TokenId,
    since: time::Date,
) -> sqlx::Result<Vec<(time::Date, i64)>> {
    let rows = sqlx::query!(
        "SELECT day, requests FROM token_usage WHERE token_id = $1 AND day >= $2
          ORDER BY day DESC",
        token as TokenId,
        since
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.requests)).collect())
}

pub async fn tokens_of(
    ex: impl PgExecutor<'_>,
    account_id: AccountId,
) -> sqlx::Result<Vec<TokenInfo>> {
    sqlx::query_as!(
        TokenInfo,
        r#"SELECT id AS "id: TokenId", name, scope AS "scope: TokenScope", created_at, expires_at,
                  last_used_at, revoked_at
             FROM api_tokens WHERE account_id = $1 ORDER BY created_at"#,
        account_id as AccountId
    )
    .fetch_all(ex)
    .await
}

/// Revokes a token; false if there is no such live token.
pub async fn revoke_token(ex: impl PgExecutor<'_>, id: TokenId) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
        id as TokenId
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A staff account as a browser session needs it, with its password hash
/// (for checking a login, and so that a new password ends old sessions).
#[derive(Debug, Clone)]
pub struct StaffLogin {
    pub id: AccountId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub restricted_clearance: bool,
    pub language: Language,
    pub password_hash: String,
    /// Counted up to end every session of the account.
    pub session_epoch: i32,
    /// The account has a second factor.
    pub second_factor: bool,
    /// The account must have one: admins always, everyone when the
    /// registry says so.
    pub second_factor_required: bool,
}

/// An enabled staff account with a password, by email (any case).
pub async fn staff_by_email(
    ex: impl PgExecutor<'_>,
    email: &str,
) -> sqlx::Result<Option<StaffLogin>> {
    sqlx::query_as!(
        StaffLogin,
        r#"SELECT id AS "id: AccountId", email AS "email!", name, role AS "role: Role",
                  restricted_clearance, language AS "language: Language",
                  password_hash AS "password_hash!", session_epoch,
                  totp_secret IS NOT NULL AS "second_factor!",
                  role = 'admin' OR (SELECT second_factor_for_all FROM settings)
                      AS "second_factor_required!"
             FROM accounts
            WHERE lower(email) = lower($1) AND kind = 'staff' AND disabled_at IS NULL
              AND password_hash IS NOT NULL"#,
        email
    )
    .fetch_optional(ex)
    .await
}

/// An enabled staff account, by id: read on every request of a session, so
/// that disabling an account or changing its role counts at once.
pub async fn staff_by_id(
    ex: impl PgExecutor<'_>,
    id: AccountId,
) -> sqlx::Result<Option<StaffLogin>> {
    sqlx::query_as!(
        StaffLogin,
        r#"SELECT id AS "id: AccountId", email AS "email!", name, role AS "role: Role",
                  restricted_clearance, language AS "language: Language",
                  password_hash AS "password_hash!", session_epoch,
                  totp_secret IS NOT NULL AS "second_factor!",
                  role = 'admin' OR (SELECT second_factor_for_all FROM settings)
                      AS "second_factor_required!"
             FROM accounts
            WHERE id = $1 AND kind = 'staff' AND disabled_at IS NULL
              AND password_hash IS NOT NULL"#,
        id as AccountId
    )
    .fetch_optional(ex)
    .await
}

pub async fn set_language(
    ex: impl PgExecutor<'_>,
    id: AccountId,
    language: Language,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE accounts SET language = $2, updated_at = now() WHERE id = $1",
        id as AccountId,
        language as Language
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Every account, staff first, then by name.
pub async fn list(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as!(
        AccountRow,
        r#"SELECT id AS "id: AccountId", kind AS "kind: AccountKind", email, name,
                  role AS "role: Role", restricted_clearance, disabled_at,
                  totp_secret IS NOT NULL AS "second_factor!"
             FROM accounts ORDER BY kind, lower(name), id"#
    )
    .fetch_all(ex)
    .await
}

pub async fn get(ex: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as!(
        AccountRow,
        r#"SELECT id AS "id: AccountId", kind AS "kind: AccountKind", email, name,
                  role AS "role: Role", restricted_clearance, disabled_at,
                  totp_secret IS NOT NULL AS "second_factor!"
             FROM accounts WHERE id = $1"#,
        id as AccountId
    )
    .fetch_optional(ex)
    .await
}

/// What an admin changes of an account.
pub struct AccountChange<'a> {
    pub name: &'a str,
    pub role: Role,
    pub restricted_clearance: bool,
    pub disabled: bool,
}

/// Changes an account; refused (false) when it would leave no enabled
/// admin. The admins are locked first, so two such changes cannot both
/// pass.
pub async fn update(
    conn: &mut sqlx::PgConnection,
    id: AccountId,
    change: &AccountChange<'_>,
) -> sqlx::Result<bool> {
    sqlx::query!("SELECT id FROM accounts WHERE role = 'admin' FOR UPDATE")
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query!(
        r#"UPDATE accounts
              SET name = $2, role = $3, restricted_clearance = $4,
                  disabled_at = CASE WHEN $5 THEN coalesce(disabled_at, now()) END,
                  updated_at = now()
            WHERE id = $1"#,
        id as AccountId,
        change.name,
        change.role as Role,
        change.restricted_clearance,
        change.disabled,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM accounts
                           WHERE role = 'admin' AND kind = 'staff' AND disabled_at IS NULL) AS "x!""#
    )
    .fetch_one(&mut *conn)
    .await
}

/// Revokes a token of an account; false if it has no such live token.
pub async fn revoke_token_of(
    ex: impl PgExecutor<'_>,
    account_id: AccountId,
    id: TokenId,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE api_tokens SET revoked_at = now()
          WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
        id as TokenId,
        account_id as AccountId
    )
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A token with the account it belongs to, for the list of every token.
pub struct TokenOfAccount {
    pub account_id: AccountId,
    pub account_name: String,
    pub account_kind: AccountKind,
    pub token: TokenInfo,
}

/// Every token, live ones first, newest first.
pub async fn all_tokens(ex: impl PgExecutor<'_>) -> sqlx::Result<Vec<TokenOfAccount>> {
    let rows = sqlx::query!(
        r#"SELECT t.id AS "id: TokenId", t.name, t.scope AS "scope: TokenScope", t.created_at,
                  t.expires_at, t.last_used_at, t.revoked_at,
                  a.id AS "account_id: AccountId", a.name AS account_name,
                  a.kind AS "account_kind: AccountKind"
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id
            ORDER BY (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())) DESC,
                     t.created_at DESC"#
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TokenOfAccount {
            account_id: r.account_id,
            account_name: r.account_name,
            account_kind: r.account_kind,
            token: TokenInfo {
                id: r.id,
                name: r.name,
                scope: r.scope,
                created_at: r.created_at,
                expires_at: r.expires_at,
                last_used_at: r.last_used_at,
                revoked_at: r.revoked_at,
            },
        })
        .collect())
}

/// Ends every session of an account (each carries the old count).
pub async fn end_sessions(ex: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE accounts SET session_epoch = session_epoch + 1, updated_at = now() WHERE id = $1",
        id as AccountId
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// Stores a new password hash (which ends the account's other sessions:
/// each carries a digest of the old one).
pub async fn set_password(ex: impl PgExecutor<'_>, id: AccountId, hash: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE accounts SET password_hash = $2, updated_at = now() WHERE id = $1",
        id as AccountId,
        hash
    )
    .execute(ex)
    .await?;
    Ok(())
}
