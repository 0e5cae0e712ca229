//! Stylesheet and scripts, built into the binary and served with a
//! version in their address so browsers may keep them for a year.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// `(name, content type, bytes)` of every file under `/static/`.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../static/app.js"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../static/htmx.min.js"),
    ),
];

/// A digest of all files: part of every asset address, so a new build is
/// fetched anew.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut digest = Sha256::new();
    for (_, _, bytes) in FILES {
        digest.update(bytes);
    }
    hex::encode(&digest.finalize()[..6])
});

/// `GET /static/{version}/{file}`.
pub async fn serve(Path((version, name)): Path<(String, String)>) -> Result<Response, AppError> {
    let (_, content_type, bytes) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or(AppError::NotFound)?;
    let cache = if version == *VERSION {
        "public, max-age=31536000, immutable"
    } else {
        // An old address: serve the current file, but do not keep it.
        "no-cache"
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}
