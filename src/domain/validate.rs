//! Per-field validation errors, collected so one answer names every bad
//! field.

pub mod schema;

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

/// A free-text field, trimmed; blank becomes absent. Refuses text over
/// `max` characters as sent, and control characters but tab and line
/// breaks anywhere in it.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> Option<String> {
    let value = value?;
    if value.chars().count() > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
    if value.chars().any(is_forbidden_control) {
        errors.add(field, "must not contain control characters");
    }
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Control characters text may not hold: all but tab, line feed and
/// carriage return.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

/// An optional code, written exactly as its rule says (nothing trimmed):
/// `""` means none, as `null` does.
pub fn code(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
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

/// A whole number of 32 bits as JSON reads it: `12`, or `12.0`, which is
/// the same number (JSON Schema's `integer` admits both).
pub mod whole {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        let whole = match number.as_i64() {
            Some(n) => i32::try_from(n).ok(),
            None => number
                .as_f64()
                .filter(|f| {
                    f.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(f)
                })
                .map(|f| f as i32),
        };
        whole.ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{number}` is not a whole number between -2147483648 and 2147483647"
            ))
        })
    }

    /// [`deserialize`] for an optional number (`null` for none).
    pub mod option {
        use serde::{Deserialize, Deserializer};

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<i32>, D::Error> {
            #[derive(Deserialize)]
            struct Whole(#[serde(deserialize_with = "super::deserialize")] i32);
            Ok(Option::<Whole>::deserialize(deserializer)?.map(|w| w.0))
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

/// Longest web address.
pub const URL_MAX: usize = 2_000;

/// A web address, an optional [`code`]: an `http://` or `https://` URL
/// without spaces or control characters, so a page never links to
/// `javascript:` or a local file.
pub fn url(errors: &mut FieldErrors, field: &str, value: Option<String>) -> Option<String> {
    let value = code(value)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    if !rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/')) {
        errors.add(field, "must be an http:// or https:// address");
    } else if value.chars().any(char::is_whitespace) {
        errors.add(field, "must not contain spaces");
    } else if value.chars().any(char::is_control) {
        errors.add(field, "must not contain control characters");
    } else if value.chars().count() > URL_MAX {
        errors.add(field, format!("must be at most {URL_MAX} characters"));
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
            "https://x.by",
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
            " https://x.by ",
            "  ",
        ] {
            assert_eq!(check_url(bad).len(), 1, "{bad}");
        }
    }

    #[test]
    fn a_whole_number_may_be_written_with_a_zero_fraction() {
        #[derive(serde::Deserialize)]
        struct Term {
            #[serde(deserialize_with = "whole::deserialize")]
            months: i32,
        }
        let months = |json: &str| serde_json::from_str::<Term>(json).map(|t| t.months).ok();
        assert_eq!(months(r#"{"months": 12}"#), Some(12));
        assert_eq!(months(r#"{"months": -12.0}"#), Some(-12));
        assert_eq!(months(r#"{"months": 12.5}"#), None);
        assert_eq!(months(r#"{"months": 3000000000}"#), None);
        assert_eq!(months(r#"{"months": "12"}"#), None);
    }

    #[test]
    fn an_empty_address_is_absent() {
        let mut e = FieldErrors::new();
        assert_eq!(url(&mut e, "url", Some(String::new())), None);
        assert!(e.is_empty());
    }
}
