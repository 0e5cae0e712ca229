//! `/token`: what a token may do and how much it was used. Requests are
//! counted in memory as they come and added to the database every minute,
//! so that counting costs no write per request; a server that stops loses
//! at most its last minute of counts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use sqlx::PgPool;
use time::{Date, OffsetDateTime};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db;
use crate::domain::access::Caller;
use crate::domain::{TokenId, TokenScope};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Days of usage a token is shown.
const DAYS: i64 = 30;

/// Requests counted since the last time they were written, by token and day.
#[derive(Clone, Default)]
pub struct TokenUsage(Arc<Mutex<HashMap<(TokenId, Date), i64>>>);

impl std::fmt::Debug for TokenUsage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenUsage")
    }
}

impl TokenUsage {
    /// Counts a request of `token` today.
    pub fn count(&self, token: TokenId) {
        if let Ok(mut counts) = self.0.lock() {
            *counts
                .entry((token, OffsetDateTime::now_utc().date()))
                .or_default() += 1;
        }
    }

    /// Requests of `token` counted but not written yet, by day.
    fn pending(&self, token: TokenId) -> Vec<(Date, i64)> {
        self.0
            .lock()
            .map(|counts| {
                counts
                    .iter()
                    .filter(|((t, _), _)| *t == token)
                    .map(|((_, day), n)| (*day, *n))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Adds the counts to the database; on failure keeps them for the next
    /// time.
    pub async fn write(&self, pool: &PgPool) -> sqlx::Result<()> {
        let taken = self
            .0
            .lock()
            .map(|mut counts| std::mem::take(&mut *counts))
            .unwrap_or_default();
        if taken.is_empty() {
            return Ok(());
        }
        let written = Self::add(pool, &taken).await;
        if written.is_err()
            && let Ok(mut counts) = self.0.lock()
        {
            for (key, n) in taken {
                *counts.entry(key).or_default() += n;
            }
        }
        written
    }

    async fn add(pool: &PgPool, counts: &HashMap<(TokenId, Date), i64>) -> sqlx::Result<()> {
        let mut by_day: HashMap<Date, (Vec<TokenId>, Vec<i64>)> = HashMap::new();
        for ((token, day), n) in counts {
            let (tokens, requests) = by_day.entry(*day).or_default();
            tokens.push(*token);
            requests.push(*n);
        }
        let mut tx = pool.begin().await?;
        for (day, (tokens, requests)) in &by_day {
            db::accounts::add_usage(&mut *tx, *day, tokens, requests).await?;
        }
        tx.commit().await
    }

    /// Writes the counts every minute, for as long as the server runs.
    pub fn write_every_minute(&self, pool: PgPool) {
        let usage = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(e) = usage.write(&pool).await {
                    tracing::warn!(error = %e, "writing the tokens' usage failed; kept for the next minute");
                }
            }
        });
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_token))
}

/// Requests on one day (UTC).
#[derive(Serialize, utoipa::ToSchema)]
pub struct DayUsage {
    #[serde(with = "crate::domain::date::iso_day")]
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub requests: i64,
}

/// The token a request is made with: what it may do, its limits, its use.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenOut {
    pub id: TokenId,
    pub name: Option<String>,
    pub scope: TokenScope,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<OffsetDateTime>,
    /// Requests a minute this token may make (see `RateLimit-Remaining`
    /// in every answer for what is left).
    pub requests_per_minute: u32,
    /// Requests a minute any one client address may make.
    pub requests_per_minute_per_address: u32,
    /// Requests on each of the last 30 days it was used, newest first,
    /// this one included.
    pub usage: Vec<DayUsage>,
}

/// The token you call with: its scope, expiry, limits and daily use.
#[utoipa::path(get, path = "/token", tag = "token",
    responses((status = 200, body = TokenOut)))]
async fn get_token(State(state): State<AppState>, caller: Caller) -> AppResult<Json<TokenOut>> {
    let id = caller.token_id.ok_or(AppError::NotFound)?;
    let token = db::accounts::token(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = OffsetDateTime::now_utc().date() - time::Duration::days(DAYS - 1);
    let mut days: HashMap<Date, i64> = db::accounts::usage_of(&state.pool, id, since)
        .await?
        .into_iter()
        .collect();
    for (day, n) in state.token_usage.pending(id) {
        *days.entry(day).or_default() += n;
    }
    let mut usage: Vec<DayUsage> = days
        .into_iter()
        .filter(|(day, _)| *day >= since)
        .map(|(day, requests)| DayUsage { day, requests })
        .collect();
    usage.sort_by_key(|u| std::cmp::Reverse(u.day));
    let (per_token, per_address) = state.rate_limits.quotas();
    Ok(Json(TokenOut {
        id: token.id,
        name: token.name,
        scope: token.scope,
        created_at: token.created_at,
        expires_at: token.expires_at,
        requests_per_minute: per_token,
        requests_per_minute_per_address: per_address,
        usage,
    }))
}
