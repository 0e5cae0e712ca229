//! A source: a document, article or statement that facts are cited from.

use serde::{Deserialize, Serialize};

use super::validate::schema::{RequiredText, Text};
use super::validate::{FieldErrors, Valid, required_text, text, url};
use super::{PartialDate, SourceKind, Visibility};

/// What a client writes about a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Urgent Action 85.21",
    "publisher": "Amnesty International",
    "published": {"date": "2021-07", "precision": "month", "approximate": false},
    "url": "https://www.amnesty.org/en/documents/eur49/4505/2021/en/",
    "kind": "statement",
    "visibility": "public",
    "notes": null
}))]
pub struct SourceFields {
    #[schema(value_type = RequiredText<500>, inline)]
    pub title: String,
    #[schema(value_type = Option<Text<200>>, inline)]
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    #[schema(schema_with = super::validate::schema::url)]
    pub url: Option<String>,
    #[serde(default = "document")]
    pub kind: SourceKind,
    #[serde(default = "super::internal")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
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
