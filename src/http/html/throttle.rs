//! Login throttling. Every attempt is counted before its password is
//! checked, under three keys: the account (or the email typed, when no
//! account has it), the account from this address, and the address. Past a
//! key's limit within the window the answer is 429 with the time to wait,
//! without checking the password, the same for every email. One address
//! can lock an account only for itself; locking it for everyone takes
//! many addresses. A successful attempt forgets its own count.

use std::net::IpAddr;

use time::{Duration, OffsetDateTime};

use crate::db;
use crate::domain::AccountId;
use crate::error::AppResult;
use crate::state::AppState;

/// How long an attempt counts.
pub const WINDOW: Duration = Duration::minutes(15);
/// Attempts allowed for one account from one address within the window.
pub const PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Attempts allowed for one account from anywhere within the window.
pub const PER_ACCOUNT: i64 = 50;
/// Attempts allowed from one address within the window (several people
/// may share one address).
pub const PER_ADDRESS: i64 = 30;
/// The start of the key of an account's codes at logins' second step.
const CODES: &str = "codes:";
/// Longest email looked at; no account has a longer one.
pub const MAX_EMAIL: usize = 254;

/// What the throttle says about an attempt.
pub enum Admission {
    /// Go on and check the password.
    Admitted,
    /// Wait this many seconds; `first` for the attempt that crossed a
    /// limit (the one worth logging).
    Wait { seconds: i64, first: bool },
}

/// The keys one attempt counts under, and the rows it added.
pub struct Throttle {
    keys: Vec<(String, i64)>,
    noted: Vec<i64>,
}

impl Throttle {
    /// A login attempt for `email` from `address`.
    pub async fn login(state: &AppState, email: &str, address: IpAddr) -> AppResult<Self> {
        let account = db::logins::account_key(&state.pool, email).await?;
        Ok(Throttle {
            keys: vec![
                (format!("{account}|{address}"), PER_ACCOUNT_AND_ADDRESS),
                (account, PER_ACCOUNT),
                (format!("address:{address}"), PER_ADDRESS),
            ],
            noted: Vec::new(),
        })
    }

    /// A login's second step, for `account`: counted as a login attempt,
    /// and also under a key of its own that nobody's success forgets, so
    /// that someone who has the password cannot guess codes for long.
    pub fn with_codes(mut self, account: AccountId) -> Self {
        self.keys
            .push((format!("{CODES}{account}"), PER_ACCOUNT_AND_ADDRESS));
        self
    }

    /// A signed-in person's current password, typed to change it: counted
    /// apart from logins, so that others' failed logins cannot stop it.
    pub fn password_change(account: AccountId, address: IpAddr) -> Self {
        Throttle {
            keys: vec![
                (format!("password:{account}"), PER_ACCOUNT_AND_ADDRESS),
                (format!("address:{address}"), PER_ADDRESS),
            ],
            noted: Vec::new(),
        }
    }

    /// Seconds until every key is under its limit again, if one is at or
    /// over it (`over` more attempts than the limit).
    async fn wait(&self, state: &AppState, over: i64) -> AppResult<Option<i64>> {
        let now = OffsetDateTime::now_utc();
        let keys: Vec<String> = self.keys.iter().map(|(k, _)| k.clone()).collect();
        let counts = db::logins::attempts_since(&state.pool, &keys, now - WINDOW).await?;
        let wait = counts
            .iter()
            .filter(|(key, count, _)| {
                self.keys
                    .iter()
                    .any(|(k, limit)| k == key && *count >= limit + over)
            })
            .map(|(_, _, oldest)| (*oldest + WINDOW - now).whole_seconds().max(1))
            .max();
        Ok(wait)
    }

    /// Counts this attempt, unless a limit is reached already; says whether
    /// to check the password. Parallel attempts all count before any is
    /// checked.
    pub async fn admit(&mut self, state: &AppState) -> AppResult<Admission> {
        if let Some(seconds) = self.wait(state, 0).await? {
            return Ok(Admission::Wait {
                seconds,
                first: false,
            });
        }
        let keys: Vec<String> = self.keys.iter().map(|(k, _)| k.clone()).collect();
        self.noted = db::logins::note_attempt(&state.pool, &keys).await?;
        db::logins::prune(&state.pool, OffsetDateTime::now_utc() - WINDOW).await?;
        Ok(match self.wait(state, 1).await? {
            Some(seconds) => Admission::Wait {
                seconds,
                first: true,
            },
            None => Admission::Admitted,
        })
    }

    /// After a success: this attempt and the account's count are forgotten
    /// (the address's other attempts and wrong codes are not).
    pub async fn succeeded(&self, state: &AppState) -> AppResult<()> {
        let keys: Vec<String> = self
            .keys
            .iter()
            .filter(|(k, _)| !k.starts_with("address:") && !k.starts_with(CODES))
            .map(|(k, _)| k.clone())
            .collect();
        db::logins::forget(&state.pool, &self.noted, &keys).await?;
        Ok(())
    }
}
