//! Rate limits of the API: each token, and each client address, may make so
//! many requests a minute (a quota refilled evenly, GCRA, `governor`). An
//! answer says how many the client has left under whichever of the two has
//! fewer (`RateLimit-Limit`, `RateLimit-Remaining`); one past either is a
//! 429 with `Retry-After`. The token is counted by its hash before it is
//! looked up, so that unknown tokens are limited too.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{HeaderName, HeaderValue, RETRY_AFTER};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use governor::Quota;
use governor::RateLimiter;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;

use crate::error::AppError;
use crate::state::AppState;

type Limiter<K> =
    RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

const LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");

/// Requests a minute per token and per client address.
#[derive(Clone)]
pub struct RateLimits {
    per_token: Arc<Limiter<Vec<u8>>>,
    per_address: Arc<Limiter<IpAddr>>,
    token_quota: NonZeroU32,
    address_quota: NonZeroU32,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("token_quota", &self.token_quota)
            .field("address_quota", &self.address_quota)
            .finish()
    }
}

impl RateLimits {
    pub fn per_minute(per_token: NonZeroU32, per_address: NonZeroU32) -> Self {
        Self::new(Quota::per_minute(per_token), Quota::per_minute(per_address))
    }

    /// Quotas of another period (tests' take hours, so that none refills
    /// while they run).
    pub fn new(per_token: Quota, per_address: Quota) -> Self {
        RateLimits {
            per_token: Arc::new(limiter(per_token)),
            per_address: Arc::new(limiter(per_address)),
            token_quota: per_token.burst_size(),
            address_quota: per_address.burst_size(),
        }
    }

    /// Requests a token, and an address, may make in the quotas' period.
    pub fn quotas(&self) -> (u32, u32) {
        (self.token_quota.get(), self.address_quota.get())
    }

    /// Forgets clients whose quota has filled up again, so that memory does
    /// not grow with every address ever seen; every minute, while `self`
    /// lives elsewhere.
    pub fn forget_idle_clients(&self) {
        let limits = Arc::downgrade(&self.per_address);
        let tokens = Arc::downgrade(&self.per_token);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                let (Some(addresses), Some(tokens)) = (limits.upgrade(), tokens.upgrade()) else {
                    return;
                };
                addresses.retain_recent();
                addresses.shrink_to_fit();
                tokens.retain_recent();
                tokens.shrink_to_fit();
            }
        });
    }
}

fn limiter<K: std::hash::Hash + Eq + Clone>(quota: Quota) -> Limiter<K> {
    RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>()
}

/// Counts a request against its address's quota and its token's, and
/// refuses it past either.
pub async fn limit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let limits = &state.rate_limits;
    let address = crate::http::client_address(&state, peer, request.headers());
    let token = super::extract::bearer_token(request.headers()).map(crate::crypto::token_hash);
    // The address first: a request it refuses does not spend the token's
    // quota (another client at the address could otherwise spend it), and
    // tokens are counted only for requests the address lets through.
    let (quota, outcome) = match limits.per_address.check_key(&address) {
        Err(refused) => (limits.address_quota, Err(refused)),
        Ok(by_address) => match token.map(|t| limits.per_token.check_key(&t)) {
            Some(Err(refused)) => (limits.token_quota, Err(refused)),
            // Whichever has fewer left is what the client has left.
            Some(Ok(by_token))
                if by_token.remaining_burst_capacity() <= by_address.remaining_burst_capacity() =>
            {
                (limits.token_quota, Ok(by_token.remaining_burst_capacity()))
            }
            _ => (
                limits.address_quota,
                Ok(by_address.remaining_burst_capacity()),
            ),
        },
    };
    let (mut response, remaining) = match outcome {
        Err(refused) => {
            let wait = refused.wait_time_from(limits.per_address.clock().now());
            let mut response = AppError::TooManyRequests.into_response();
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            (response, 0)
        }
        Ok(remaining) => (next.run(request).await, remaining),
    };
    let headers = response.headers_mut();
    headers.insert(LIMIT, HeaderValue::from(quota.get()));
    headers.insert(REMAINING, HeaderValue::from(remaining));
    response
}
