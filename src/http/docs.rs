//! `/api/docs/`: the API's reference to browse, Swagger UI over
//! `/api/v1/openapi.json`, its files served from the binary (no CDN; its
//! scripts and styles are files of their own, as the pages' policy wants).

use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use utoipa_swagger_ui::Config;

use crate::error::AppError;
use crate::http::routes::Listed;

/// Where the reference is browsed.
pub const PATH: &str = "/api/docs/";

static CONFIG: LazyLock<Arc<Config<'static>>> = LazyLock::new(|| {
    Arc::new(Config::from(format!(
        "{}/openapi.json",
        crate::http::api::PREFIX
    )))
});

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .listed("/api/docs", get(|| async { Redirect::permanent(PATH) }))
        .listed(PATH, get(|| file(Path(String::new()))))
        .listed("/api/docs/{file}", get(file))
}

/// One of Swagger UI's files; its start page for none.
async fn file(Path(name): Path<String>) -> Response {
    match utoipa_swagger_ui::serve(&name, CONFIG.clone()) {
        Ok(Some(file)) => (
            [
                (header::CONTENT_TYPE, file.content_type),
                (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            ],
            file.bytes.into_owned(),
        )
            .into_response(),
        Ok(None) => AppError::NotFound.into_response(),
        Err(cause) => AppError::Internal(anyhow::anyhow!("Swagger UI: {cause}")).into_response(),
    }
}
