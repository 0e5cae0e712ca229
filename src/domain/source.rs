//! A source: a document, article or statement that facts are cited from.

use serde::{Deserialize, Serialize};

use super::validate::{FieldErrors, Valid, required_text, text, url};
use super::{PartialDate, SourceKind, Visibility};

/// What a client writes about a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceFields {
    #[schema(max_length = 500)]
    pub title: String,
    #[schema(max_length = 200)]
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    /// An `http://` or `https://` address.
    #[schema(pattern = "^https?://[^/\\s]\\S*$", max_length = 2000)]
    pub url: Option<String>,
    #[serde(default = "document")]
    pub kind: SourceKind,
    #[serde(default = "super::internal")]
    pub visibility: Visibility,
    /// Internal.
    pub notes: Option<String>,
}

fn document() -> SourceKind {
    SourceKind::Document
}

impl SourceFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let fields = SourceFields {
            title: required_text(&mut e, "title", Some(self.title), 500),
            publisher: text(&mut e, "publisher", self.publisher, 200),
            published: self.published,
            url: url(&mut e, "url", self.url),
            kind: self.kind,
            visibility: self.visibility,
            notes: text(&mut e, "notes", self.notes, 20_000),
        };
        e.finish(Valid::new(fields))
    }
}
