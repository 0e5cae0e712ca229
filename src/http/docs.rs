//! `/api/docs/`: the API's reference to browse, Swagger UI over
//! `/api/v1/openapi.json`, its files served from the binary (no CDN; its
//! scripts and styles are files of their own, as the pages' policy wants).

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::body::Bytes;
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
    // No validator: Swagger UI would ask one at swagger.io about this
    // server's document, naming the server.
    let document = format!("{}/openapi.json", crate::http::api::PREFIX);
    Arc::new(Config::from(document).validator_url("none"))
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
        // Kept as the binary holds them, without a copy; cached by no one,
        // as every answer of the server.
        Ok(Some(file)) => {
            let body = match file.bytes {
                Cow::Borrowed(bytes) => Bytes::from_static(bytes),
                Cow::Owned(bytes) => Bytes::from(bytes),
            };
            ([(header::CONTENT_TYPE, file.content_type)], body).into_response()
        }
        Ok(None) => AppError::NotFound.into_response(),
        Err(cause) => AppError::Internal(anyhow::anyhow!("Swagger UI: {cause}")).into_response(),
    }
}
