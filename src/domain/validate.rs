//! Per-field validation errors, collected so one answer names every bad
//! field.

use serde::Serialize;

/// One bad field: a JSON path (`names[0].lang`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Every problem found in one input.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `Ok(value)` if nothing was found wrong.
    pub fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages for `field`, joined: what a form shows beside it.
    pub fn message(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }
}

/// Trims a free-text field; empty becomes absent. Refuses text over `max`
/// characters.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        errors.add(field, "must not contain control characters");
    }
    Some(value)
}

/// Like [`text`], but the field must be present.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> String {
    match text(errors, field, value, max) {
        Some(v) => v,
        None => {
            errors.add(field, "is required");
            String::new()
        }
    }
}

/// A value that passed its validation. Only `validate` functions build it,
/// so the data layer never receives unchecked input.
#[derive(Debug, Clone)]
pub struct Valid<T>(T);

impl<T> Valid<T> {
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Valid<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Like [`text`], for a web address: it must be an `http://` or `https://`
/// URL, so a page never links to `javascript:` or a local file.
pub fn url(errors: &mut FieldErrors, field: &str, value: Option<String>) -> Option<String> {
    let value = text(errors, field, value, 2_000)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {
            if value.chars().any(char::is_whitespace) {
                errors.add(field, "must not contain spaces");
            }
        }
        _ => errors.add(field, "must be an http:// or https:// address"),
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_url(value: &str) -> Vec<FieldError> {
        let mut e = FieldErrors::new();
        url(&mut e, "url", Some(value.to_owned()));
        e.0
    }

    #[test]
    fn web_addresses_over_http_or_https_are_accepted() {
        for ok in [
            "https://spring96.org/en",
            "http://example.org",
            " https://x.by ",
        ] {
            assert!(check_url(ok).is_empty(), "{ok}");
        }
    }

    #[test]
    fn other_schemes_and_malformed_addresses_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "ftp://example.org",
            "spring96.org",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "HTTPS//example.org",
        ] {
            assert_eq!(check_url(bad).len(), 1, "{bad}");
        }
    }

    #[test]
    fn a_blank_address_is_absent() {
        let mut e = FieldErrors::new();
        assert_eq!(url(&mut e, "url", Some("  ".into())), None);
        assert!(e.is_empty());
    }
}
