//! Form posts from the pages: the body as name–value pairs, accepted only
//! with the session's form token, then parsed field by field into domain
//! values by each page.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use tower_sessions::Session;

use super::session::csrf_matches;
use crate::domain::PartialDate;
use crate::domain::validate::FieldErrors;
use crate::error::AppError;
use crate::state::AppState;

/// The fields of a posted form, in the order sent.
#[derive(Debug, Default, Clone)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// The raw value of `name` (the first, if sent more than once).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`, trimmed; blank means not given.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Every value sent under `name` (ticked boxes of one group), trimmed,
    /// blanks left out.
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Sets `name` to `value` (replacing what was sent under it).
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.pairs.retain(|(k, _)| k != name);
        self.pairs.push((name.to_owned(), value.into()));
    }

    /// Adds one more value under `name`.
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.pairs.push((name.to_owned(), value.into()));
    }

    /// Leaves out the values under `name` that `keep` refuses.
    pub fn retain(&mut self, name: &str, keep: impl Fn(&str) -> bool) {
        self.pairs.retain(|(k, v)| k != name || keep(v));
    }

    /// True for a ticked checkbox.
    pub fn checked(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// A vocabulary value (`<select>`); blank is none, anything else
    /// unknown is a field error.
    pub fn choice<T: std::str::FromStr>(&self, e: &mut FieldErrors, name: &str) -> Option<T> {
        let value = self.text(name)?;
        match value.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                e.add(name, "is not one of the choices");
                None
            }
        }
    }

    /// Sets a date field and its approximate box from a stored date.
    pub fn set_date(&mut self, name: &str, date: Option<PartialDate>) {
        if let Some(date) = date {
            self.set(name, date.written());
            if date.approximate() {
                self.set(&format!("{name}_approximate"), "on");
            }
        }
    }

    /// Sets a field from a value that may be absent.
    pub fn set_some(&mut self, name: &str, value: Option<impl ToString>) {
        if let Some(value) = value {
            self.set(name, value.to_string());
        }
    }

    /// A vocabulary value or id that must be given.
    pub fn required<T: std::str::FromStr>(&self, e: &mut FieldErrors, name: &str) -> Option<T> {
        if self.text(name).is_none() {
            e.add(name, "is required");
        }
        self.choice(e, name)
    }

    /// A date that must be given.
    pub fn required_date(&self, e: &mut FieldErrors, name: &str) -> Option<PartialDate> {
        if self.text(name).is_none() {
            e.add(name, "is required");
        }
        self.date(e, name)
    }

    /// Every value of a group of boxes, each one of the choices.
    pub fn choices<T: std::str::FromStr>(&self, e: &mut FieldErrors, name: &str) -> Vec<T> {
        let mut chosen = Vec::new();
        for value in self.all(name) {
            match value.parse() {
                Ok(v) => chosen.push(v),
                Err(_) => {
                    e.add(name, "is not one of the choices");
                    break;
                }
            }
        }
        chosen
    }

    /// A whole number; blank is none.
    pub fn number(&self, e: &mut FieldErrors, name: &str) -> Option<i32> {
        let value = self.text(name)?;
        match value.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                e.add(name, "must be a whole number");
                None
            }
        }
    }

    /// A whole day typed as `YYYY-MM-DD`; blank is none.
    pub fn day(&self, e: &mut FieldErrors, name: &str) -> Option<time::Date> {
        let written = self.text(name)?;
        let day = crate::domain::date::parse_day(&written);
        if day.is_none() {
            e.add(name, "write the day as YYYY-MM-DD");
        }
        day
    }

    /// A partial date typed as `2021`, `2021-07`, `2021-07-14`, `07.2021` or
    /// `14.07.2021`, with the approximate box `<name>_approximate`.
    pub fn date(&self, e: &mut FieldErrors, name: &str) -> Option<PartialDate> {
        let written = self.text(name)?;
        let approximate = self.checked(&format!("{name}_approximate"));
        match PartialDate::from_input(&written, approximate) {
            Ok(date) => Some(date),
            Err(message) => {
                e.add(name, message);
                None
            }
        }
    }
}

/// A posted form that carries this session's form token (`csrf`).
pub struct Form(pub FormData);

/// Largest form accepted (a person with long notes fits easily).
const FORM_LIMIT: usize = 1024 * 1024;

impl FromRequest<AppState> for Form {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, AppError> {
        let (mut parts, body) = request.into_parts();
        let urlencoded = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !urlencoded {
            return Err(AppError::UnsupportedMediaType(
                "Send the form as application/x-www-form-urlencoded.",
            ));
        }
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("session layer missing")))?;
        let request = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        if bytes.len() > FORM_LIMIT {
            return Err(AppError::PayloadTooLarge);
        }
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        let form = FormData::from_pairs(pairs);
        let sent = form.raw("csrf").unwrap_or("");
        if !csrf_matches(&session, sent).await? {
            return Err(expired());
        }
        if form.pairs.iter().any(|(_, v)| {
            v.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        }) {
            return Err(AppError::BadRequest(
                "The form contains control characters.".into(),
            ));
        }
        Ok(Form(form))
    }
}

/// A form whose token is missing or not this session's.
pub fn expired() -> AppError {
    AppError::Forbidden(
        "The form has expired or was not sent from this site: reload the page and try again.",
    )
}
