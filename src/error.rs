//! The one error type of every request, with its JSON face (RFC 9457
//! problem details). Internal details are logged, never shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::validate::{FieldError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The account must set up a second factor before anything else.
    #[error("second factor required")]
    SecondFactorRequired,
    /// Also for records the caller may not see.
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("the record changed since it was read")]
    PreconditionFailed,
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Past the rate limit of a token or an address.
    #[error("too many requests")]
    TooManyRequests,
    #[error("database unavailable")]
    Unavailable,
    /// Too much of one kind of work is running already.
    #[error("busy: {0}")]
    Busy(&'static str),
    /// A statement ran past the server's time limit.
    #[error("statement timed out")]
    TooCostly,
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                AppError::Unavailable
            }
            // Two writers met on the same rows; nothing was saved.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("40P01" | "40001")) =>
            {
                AppError::Conflict(
                    "Another change to the same records was being saved at the same time; \
                     nothing was saved. Try again."
                        .into(),
                )
            }
            sqlx::Error::Database(db) if db.code().as_deref() == Some("57014") => {
                AppError::TooCostly
            }
            sqlx::Error::Database(db) => {
                match db.constraint().and_then(crate::db::constraint_field) {
                    Some((field, message)) => {
                        AppError::Invalid(FieldErrors::single(field, message))
                    }
                    None => AppError::Internal(error.into()),
                }
            }
            _ => AppError::Internal(error.into()),
        }
    }
}

/// RFC 9457 problem details.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::SecondFactorRequired => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::TooCostly | AppError::Busy(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem document a client sees.
    pub fn problem(&self) -> Problem {
        let (kind, title, detail) = match self {
            AppError::BadRequest(d) => ("malformed-request", "Malformed request", d.clone()),
            AppError::Unauthorized(d) => ("unauthorized", "Authentication required", (*d).into()),
            AppError::Forbidden(d) => ("forbidden", "Not allowed", (*d).into()),
            AppError::SecondFactorRequired => (
                "second-factor-required",
                "Second factor required",
                "Set up a second factor for your account first.".into(),
            ),
            AppError::NotFound => ("not-found", "Not found", "No such record.".into()),
            AppError::MethodNotAllowed => (
                "method-not-allowed",
                "Method not allowed",
                "This address does not accept that method.".into(),
            ),
            AppError::Conflict(d) => ("conflict", "Conflict", d.clone()),
            AppError::PreconditionFailed => (
                "stale-version",
                "The record has changed",
                "The record changed since you read it: read it again and reapply your change."
                    .into(),
            ),
            AppError::PreconditionRequired => (
                "if-match-required",
                "If-Match required",
                "Send the ETag of your last read in If-Match.".into(),
            ),
            AppError::PayloadTooLarge => (
                "body-too-large",
                "Body too large",
                "The request body is too large.".into(),
            ),
            AppError::UnsupportedMediaType(d) => (
                "unsupported-media-type",
                "Unsupported media type",
                (*d).into(),
            ),
            AppError::Invalid(_) => (
                "invalid-input",
                "Invalid input",
                "Some fields are not valid; see `errors`.".into(),
            ),
            AppError::TooManyRequests => (
                "rate-limited",
                "Too many requests",
                "This token or address has used its requests for now; wait as `Retry-After` \
                 says. `RateLimit-Remaining` tells how many are left."
                    .into(),
            ),
            AppError::Unavailable => (
                "unavailable",
                "Service unavailable",
                "The database cannot be reached; try again shortly.".into(),
            ),
            AppError::Busy(d) => ("busy", "Busy", (*d).into()),
            AppError::TooCostly => (
                "too-costly",
                "Took too long",
                "Answering took longer than the server allows; narrow the question down, \
                 or try again later."
                    .into(),
            ),
            AppError::Internal(_) => (
                "internal",
                "Internal error",
                "Something went wrong on our side; it has been logged.".into(),
            ),
        };
        let errors = match self {
            AppError::Invalid(e) => e.0.clone(),
            _ => Vec::new(),
        };
        Problem {
            kind,
            title,
            status: self.status().as_u16(),
            detail,
            errors,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response = (status, axum::Json(self.problem())).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        match &self {
            AppError::Unavailable => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            AppError::TooCostly => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            AppError::Busy(_) => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
            }
            AppError::Unauthorized(_) => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        // Pages render their own face of the error from this.
        response.extensions_mut().insert(ErrorPage {
            status,
            kind: self.problem().kind,
        });
        // The middleware in `http` logs it; the cause travels in an extension.
        if let AppError::Internal(e) = self {
            response
                .extensions_mut()
                .insert(LoggedCause(format!("{e:#}")));
        }
        response
    }
}

/// What the HTML face of an error needs: its status and kind (the key of
/// its message in every language).
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub kind: &'static str,
}

/// The cause of a 500, for the log only.
#[derive(Clone)]
pub struct LoggedCause(pub String);
