//! The two faces over one domain: pages for staff, JSON for partners.

pub mod api;
pub mod docs;
pub mod html;
pub mod routes;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::{AppError, LoggedCause};
use crate::http::routes::Listed;
use crate::state::AppState;

/// Pages load scripts, styles and images only from this server and run no
/// inline script; no other site may frame them.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Largest request body accepted (a case with long notes fits easily).
const BODY_LIMIT: usize = 1024 * 1024;

/// The client's address: the peer's, or, when the peer is the trusted
/// reverse proxy, the address the proxy added last to `X-Forwarded-For`
/// (only that one: the entries before it are whatever the client sent).
/// An entry that is not an address leaves the proxy's own.
pub fn client_address(
    state: &AppState,
    peer: std::net::SocketAddr,
    headers: &axum::http::HeaderMap,
) -> std::net::IpAddr {
    let peer = peer.ip().to_canonical();
    if state.trusted_proxy.map(|p| p.to_canonical()) != Some(peer) {
        return peer;
    }
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim);
    last.and_then(forwarded_address)
        .map(|a| a.to_canonical())
        .unwrap_or(peer)
}

/// An address as proxies write it: `203.0.113.9`, `203.0.113.9:51234`,
/// `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:51234`.
fn forwarded_address(written: &str) -> Option<std::net::IpAddr> {
    if let Ok(ip) = written.parse() {
        return Some(ip);
    }
    if let Ok(socket) = written.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    written
        .strip_prefix('[')
        .and_then(|w| w.strip_suffix(']'))
        .and_then(|w| w.parse().ok())
}

/// Where a request came from, as [`client_address`] decides; `None` when
/// the server was not given peer addresses.
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl ClientAddress {
    /// The address, or the unspecified one when the server was not given
    /// peer addresses (all such requests then count as one client).
    pub fn or_unspecified(&self) -> std::net::IpAddr {
        self.0
            .unwrap_or(std::net::IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED))
    }
}

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientAddress(
            peer.map(|peer| client_address(state, peer, &parts.headers)),
        ))
    }
}

/// Browsers that reached the server over TLS keep to it for two years.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

pub fn build_router(state: AppState) -> Router {
    // HSTS only behind TLS: on plain http it would mean nothing, and on
    // 127.0.0.1 it could lock a browser out of local servers.
    let hsts = state
        .secure_cookies
        .then(|| HeaderValue::from_static(STRICT_TRANSPORT_SECURITY));
    Router::new()
        .merge(html::router(&state))
        .nest(
            api::PREFIX,
            api::router()
                .fallback(api_not_found)
                .method_not_allowed_fallback(api_method_not_allowed)
                .layer(middleware::from_fn_with_state(state.clone(), api::rate::limit)),
        )
        .merge(docs::router())
        .listed("/healthz", get(|| async { "ok" }))
        .listed("/readyz", get(readyz))
        .layer(middleware::from_fn(log_internal_errors))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::http::Response<axum::body::Body>| hsts.clone(),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        // Spans carry the path only: query strings can hold a person's name.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}

async fn api_method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// 200 when the database answers, 503 otherwise.
async fn readyz(State(state): State<AppState>) -> Response {
    match crate::db::ping(&state.pool).await {
        Ok(_) => "ready".into_response(),
        Err(_) => {
            let mut response =
                (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

/// Logs the cause of every 500 (the client sees only a generic problem).
async fn log_internal_errors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(LoggedCause(cause)) = response.extensions().get::<LoggedCause>() {
        tracing::error!(%method, %path, cause, "request failed");
    }
    response
}

/// A panic is a bug: the client gets the generic 500 problem, the log the
/// cause.
fn panic_response(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = cause
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(message, "request handler panicked");
    AppError::Internal(anyhow::anyhow!("panic")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(proxy: Option<&str>) -> AppState {
        AppState {
            pool: sqlx::PgPool::connect_lazy("postgres://nobody@127.0.0.1/none")
                .expect("lazy pool"),
            cipher: crate::crypto::Cipher::from_secret("test"),
            secure_cookies: false,
            trusted_proxy: proxy.map(|p| p.parse().expect("address")),
            session_limits: Default::default(),
            rate_limits: api::rate::RateLimits::per_minute(
                std::num::NonZeroU32::MIN,
                std::num::NonZeroU32::MIN,
            ),
            token_usage: Default::default(),
            export_slots: Default::default(),
            import_jobs: Default::default(),
        }
    }

    fn from(state: &AppState, peer: &str, forwarded: &[&str]) -> String {
        let mut headers = axum::http::HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", f.parse().expect("header"));
        }
        client_address(state, peer.parse().expect("peer"), &headers).to_string()
    }

    #[tokio::test]
    async fn only_the_trusted_proxys_own_entry_names_the_client() {
        let none = state(None);
        assert_eq!(
            from(&none, "198.51.100.7:4000", &["6.6.6.6"]),
            "198.51.100.7"
        );
        let proxy = state(Some("10.0.0.1"));
        assert_eq!(
            from(&proxy, "10.0.0.1:4000", &["6.6.6.6, 203.0.113.9"]),
            "203.0.113.9"
        );
        assert_eq!(
            from(&proxy, "10.0.0.1:4000", &["6.6.6.6", "203.0.113.9"]),
            "203.0.113.9"
        );
        assert_eq!(
            from(&proxy, "10.0.0.1:4000", &["6.6.6.6, 203.0.113.9:51234"]),
            "203.0.113.9"
        );
        assert_eq!(
            from(&proxy, "10.0.0.1:4000", &["6.6.6.6, [2001:db8::1]:443"]),
            "2001:db8::1"
        );
        assert_eq!(
            from(&proxy, "10.0.0.1:4000", &["6.6.6.6, not-an-address"]),
            "10.0.0.1"
        );
        assert_eq!(
            from(&proxy, "[::ffff:10.0.0.1]:4000", &["203.0.113.9"]),
            "203.0.113.9"
        );
        assert_eq!(from(&proxy, "10.0.0.2:4000", &["203.0.113.9"]), "10.0.0.2");
    }
}
