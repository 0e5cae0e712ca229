//! What every request handler shares.

use sqlx::PgPool;

use crate::crypto::Cipher;

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub cipher: Cipher,
    /// Served over TLS (`DOCKET_PUBLIC_URL` is https): cookies are `Secure`.
    pub secure_cookies: bool,
    /// A reverse proxy whose `X-Forwarded-For` names the client.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How long staff sessions last.
    pub session_limits: crate::http::html::session::SessionLimits,
    /// Requests a minute per API token and per client address.
    pub rate_limits: crate::http::api::rate::RateLimits,
    /// Requests each API token made, not yet written.
    pub token_usage: crate::http::api::usage::TokenUsage,
    /// Places for exports running at once.
    pub export_slots: crate::records::export::ExportSlots,
    /// Imports begun in the browser, by their page.
    pub import_jobs: crate::http::html::import::ImportJobs,
}
