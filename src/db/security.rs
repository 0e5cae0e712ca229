//! The security log: append-only, never passwords, tokens or restricted
//! values.

use std::net::IpAddr;

use serde_json::Value;
use sqlx::PgExecutor;
use time::OffsetDateTime;

use crate::domain::{AccountId, SecurityEvent, TokenId};

/// One event as it is written.
pub struct Event<'a> {
    pub event: SecurityEvent,
    pub account_id: Option<AccountId>,
    pub token_id: Option<TokenId>,
    pub address: Option<IpAddr>,
    pub subject: Option<&'a str>,
    pub detail: Value,
}

impl<'a> Event<'a> {
    /// An event with no actor, address, subject or detail yet.
    pub fn new(event: SecurityEvent) -> Self {
        Event {
            event,
            account_id: None,
            token_id: None,
            address: None,
            subject: None,
            detail: Value::Object(Default::default()),
        }
    }
}

pub async fn record(ex: impl PgExecutor<'_>, e: Event<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO security_log (event, account_id, token_id, address, subject, detail)
           VALUES ($1, $2, $3, $4::text::inet, $5, $6)"#,
        e.event as SecurityEvent,
        e.account_id as Option<AccountId>,
        e.token_id as Option<TokenId>,
        e.address.map(|a| a.to_string()),
        e.subject,
        e.detail,
    )
    .execute(ex)
    .await?;
    Ok(())
}

/// An event as admins read it.
pub struct LoggedEvent {
    pub id: i64,
    pub at: OffsetDateTime,
    pub event: SecurityEvent,
    pub account_name: Option<String>,
    pub account_id: Option<AccountId>,
    pub token_id: Option<TokenId>,
    pub address: Option<String>,
    pub subject: Option<String>,
    pub detail: Value,
}

/// The newest events before `before` (all of them without it).
pub async fn latest(
    ex: impl PgExecutor<'_>,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<LoggedEvent>> {
    sqlx::query_as!(
        LoggedEvent,
        r#"SELECT l.id, l.at, l.event AS "event: SecurityEvent", a.name AS "account_name?",
                  l.account_id AS "account_id: AccountId", l.token_id AS "token_id: TokenId",
                  host(l.address) AS address, l.subject, l.detail
             FROM security_log l LEFT JOIN accounts a ON a.id = l.account_id
            WHERE l.id < coalesce($1, 9223372036854775807)
            ORDER BY l.id DESC LIMIT $2"#,
        before,
        limit
    )
    .fetch_all(ex)
    .await
}
