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

/// The version a write is based on, from `If-Match`: the `ETag` of the
/// last read, `"3"` (or `W/"3"`, as some proxies weaken it).
pub struct IfMatch(pub i32);

impl IfMatch {
    /// What `If-Match` must look like.
    const PATTERN: &str = r#"^(?:W/)?"[0-9]+"$"#;

    /// The version an `If-Match` value names: missing, or `*` (which names
    /// no version, so would overwrite whatever another writer saved), is a
    /// 428; anything else but an entity tag of digits is malformed, a 400.
    /// A version too large to be one is a tag that matches nothing: 412.
    fn parse(value: Option<&axum::http::HeaderValue>) -> Result<Self, AppError> {
        let value = value.ok_or(AppError::PreconditionRequired)?;
        let malformed = || {
            AppError::BadRequest(
                "If-Match must be the ETag of your last read, such as \"3\"".into(),
            )
        };
        let value = value
            .to_str()
            .map_err(|_| malformed())?
            .trim_matches([' ', '\t']);
        if value == "*" {
            return Err(AppError::PreconditionRequired);
        }
        let digits = value
            .strip_prefix("W/")
            .unwrap_or(value)
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(malformed)?;
        digits
            .parse()
            .map(IfMatch)
            .map_err(|_| AppError::PreconditionFailed)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        IfMatch::parse(parts.headers.get(IF_MATCH))
    }
}

impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let tag = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(Self::PATTERN))
            .examples(["\"1\""]);
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::True)
                .description(Some(
                    "The ETag of your last read, such as `\"3\"`. Without it, or with `*`: 428; \
                     not an ETag: 400; another version's: 412.",
                ))
                .schema(Some(tag))
                .build(),
        ]
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

/// What the text of any query parameter may be: no control characters,
/// which the database cannot hold.
pub const QUERY_TEXT: &str = r"^[^\x00-\x1F\x7F-\x9F]*$";

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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};

    fn status(value: Option<&str>) -> Result<i32, StatusCode> {
        let value = value.map(|v| HeaderValue::from_str(v).unwrap());
        IfMatch::parse(value.as_ref())
            .map(|m| m.0)
            .map_err(|e| e.status())
    }

    #[test]
    fn an_etag_names_its_version() {
        assert_eq!(status(Some("\"3\"")), Ok(3));
        assert_eq!(status(Some("W/\"12\"")), Ok(12));
    }

    #[test]
    fn a_missing_tag_or_a_star_asks_for_a_version() {
        assert_eq!(status(None), Err(StatusCode::PRECONDITION_REQUIRED));
        assert_eq!(status(Some("*")), Err(StatusCode::PRECONDITION_REQUIRED));
    }

    #[test]
    fn what_is_not_an_etag_is_malformed() {
        for bad in ["", "3", "\"\"", "\"3", "\"x\"", "\"3\", \"4\"", "w/\"3\""] {
            assert_eq!(status(Some(bad)), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
    }

    #[test]
    fn a_version_past_any_record_matches_none() {
        assert_eq!(
            status(Some("\"99999999999\"")),
            Err(StatusCode::PRECONDITION_FAILED)
        );
    }
}
