//! Login throttling: a few failures per email (typed, so unknown
//! addresses count as real ones do) and more per client address within a
//! window; past either limit the login form answers 429 with the time to
//! wait, without checking the password, the same for every email.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime};

use crate::db;
use crate::error::AppResult;
use crate::state::AppState;

/// How long a failure counts.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures allowed per email within the window.
pub const PER_EMAIL: i64 = 5;
/// Failures allowed per client address within the window (several people
/// may share one address).
pub const PER_ADDRESS: i64 = 30;

/// The keys one login attempt counts under.
pub struct Throttle {
    email: String,
    address: String,
}

impl Throttle {
    pub fn new(email: &str, address: IpAddr) -> Self {
        Throttle {
            email: format!("email:{}", email.trim().to_lowercase()),
            address: format!("address:{address}"),
        }
    }

    /// Seconds to wait before the next attempt, if either key is over its
    /// limit.
    pub async fn wait(&self, state: &AppState) -> AppResult<Option<i64>> {
        let now = OffsetDateTime::now_utc();
        let mut wait = None;
        for (key, limit) in [(&self.email, PER_EMAIL), (&self.address, PER_ADDRESS)] {
            let (count, oldest) =
                db::logins::failures_since(&state.pool, key, now - WINDOW).await?;
            if count >= limit
                && let Some(oldest) = oldest
            {
                let seconds = (oldest + WINDOW - now).whole_seconds().max(1);
                wait = Some(wait.map_or(seconds, |w: i64| w.max(seconds)));
            }
        }
        Ok(wait)
    }

    /// Counts a failed attempt; forgets failures older than the window.
    pub async fn failed(&self, state: &AppState) -> AppResult<()> {
        let keys = [self.email.clone(), self.address.clone()];
        db::logins::record_failure(&state.pool, &keys).await?;
        db::logins::prune(&state.pool, OffsetDateTime::now_utc() - WINDOW).await?;
        Ok(())
    }

    /// After a login: the email starts afresh (the address does not).
    pub async fn succeeded(&self, state: &AppState) -> AppResult<()> {
        db::logins::clear(&state.pool, &self.email).await?;
        Ok(())
    }
}
