//! Request extractors of the API: the caller behind a token, JSON bodies
//! with per-field errors, `If-Match`, and path and query parameters whose
//! rejections are problem documents.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, IF_MATCH};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::crypto::token_hash;
use crate::db;
use crate::db::security::Event;
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::domain::{Face, SecurityEvent};
use crate::error::AppError;
use crate::http::ClientAddress;
use crate::state::AppState;

/// The token of `Authorization: Bearer <token>`, if the request has one.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // A token in a URL ends up in logs and browser history.
        let query = parts.uri.query().unwrap_or("");
        if query.split('&').any(|p| {
            let key = p.split('=').next().unwrap_or("");
            matches!(key, "token" | "access_token" | "api_key")
        }) {
            return Err(AppError::BadRequest(
                "tokens are accepted only in the Authorization header, never in the URL".into(),
            ));
        }
        let token = bearer_token(&parts.headers).ok_or(AppError::Unauthorized(
            "Send `Authorization: Bearer <token>`.",
        ))?;
        let grant = db::accounts::use_token(&state.pool, &token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized(
                "The token is unknown, expired or revoked.",
            ))?;
        state.token_usage.count(grant.token_id);
        if grant.noted {
            let Ok(ClientAddress(address)) = ClientAddress::from_request_parts(parts, state).await;
            let event = Event {
                account_id: Some(grant.account_id),
                token_id: Some(grant.token_id),
                address,
                ..Event::new(SecurityEvent::TokenUsed)
            };
            db::security::record(&state.pool, event).await?;
        }
        Ok(Caller {
            account_id: grant.account_id,
            token_id: Some(grant.token_id),
            role: grant.role,
            restricted_clearance: grant.restricted_clearance,
            scope: Some(grant.scope),
            face: Face::Api,
            import: None,
        })
    }
}

/// A JSON body, parsed with the path of the first bad field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && essence != "application/merge-patch+json" {
            return Err(AppError::UnsupportedMediaType(
                "Send JSON: `Content-Type: application/json` (or `application/merge-patch+json` for PATCH).",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
            BytesRejection::FailedToBufferBody(_) => AppError::PayloadTooLarge,
            other => AppError::BadRequest(other.body_text()),
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON: malformed text is a 400, a well-formed document of the wrong
/// shape a 422 naming each bad field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?;
    parse_value(value)
}

/// Deserializes a JSON document into `T`. A deserializer stops at the first
/// error, so each bad top-level field is noted and taken out and the rest
/// tried again, until the document parses or only missing fields remain.
pub fn parse_value<T: DeserializeOwned>(mut value: Value) -> Result<T, AppError> {
    let mut errors = FieldErrors::new();
    let mut removed: Vec<String> = Vec::new();
    // Bounded: each round removes one key.
    for _ in 0..64 {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(parsed) if errors.is_empty() => return Ok(parsed),
            Ok(_) => break,
            Err(error) => error,
        };
        let message = error.inner().to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|m| m.split('`').next());
        if missing.is_some_and(|m| removed.iter().any(|r| r == m)) {
            // Only reported because an earlier bad value was taken out.
            break;
        }
        let field = field_of(&error.path().to_string(), &message);
        let key = field.split(['.', '[']).next().unwrap_or("").to_owned();
        errors.add(field, message);
        match value.as_object_mut().and_then(|o| o.remove(&key)) {
            Some(_) => removed.push(key),
            None => break,
        }
    }
    Err(AppError::Invalid(errors))
}

/// The field an error is about: the path, or the unknown key it names.
fn field_of(path: &str, message: &str) -> String {
    let base = if path == "." { "" } else { path };
    let named = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("missing field `"));
    if let Some(rest) = named {
        let key = rest.split('`').next().unwrap_or("");
        // The path may already end in the key.
        if base == key || base.ends_with(&format!(".{key}")) {
            return base.to_owned();
        }
        return if base.is_empty() {
            key.to_owned()
        } else {
            format!("{base}.{key}")
        };
    }
    if base.is_empty() {
        "body".to_owned()
    } else {
        base.to_owned()
    }
}

/// The version a write is based on, from `If-Match`.
pub struct IfMatch(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let value = parts
            .headers
            .get(IF_MATCH)
            .ok_or(AppError::PreconditionRequired)?
            .to_str()
            .map_err(|_| AppError::PreconditionFailed)?;
        let tag = value.trim().trim_start_matches("W/").trim_matches('"');
        tag.parse()
            .map(IfMatch)
            .map_err(|_| AppError::PreconditionFailed)
    }
}

/// Path parameters; an id that is not a UUID names no record: 404.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_: PathRejection| AppError::NotFound)
    }
}

/// Query parameters; a bad one is a 422 naming it.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or("");
        // The database cannot hold control characters in text: refuse them here.
        if let Some((key, _)) = form_urlencoded::parse(query.as_bytes())
            .find(|(_, value)| value.chars().any(char::is_control))
        {
            return Err(FieldErrors::single(key, "must not contain control characters").into());
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let message = e.inner().to_string();
                AppError::Invalid(FieldErrors::single(
                    field_of(&e.path().to_string(), &message),
                    message,
                ))
            })
    }
}
