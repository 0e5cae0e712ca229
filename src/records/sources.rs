//! Sources that facts are cited from.

use serde::Serialize;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::sources::SourceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::source::SourceFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{PartialDate, SourceId, SourceKind, Visibility};

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceOut {
    pub id: SourceId,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for SourceRow {
    const KIND: &'static str = "source";
    const COLLECTION: &'static str = "sources";
    type Id = SourceId;
    type Fields = SourceFields;
    type Out = SourceOut;

    fn validate(fields: SourceFields) -> Result<Valid<SourceFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> SourceFields {
        SourceFields {
            title: self.title.clone(),
            publisher: self.publisher.clone(),
            published: self.published,
            url: self.url.clone(),
            kind: self.kind,
            visibility: self.visibility,
            notes: self.notes.clone(),
        }
    }

    records::reference_record!(id = SourceId, fields = SourceFields, db = db::sources);

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn fields_visibility(fields: &SourceFields) -> Visibility {
        fields.visibility
    }

    fn out(self, caller: &Caller) -> SourceOut {
        let SourceRow {
            id,
            title,
            publisher,
            published,
            url,
            kind,
            visibility,
            notes,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        SourceOut {
            id,
            title,
            publisher,
            published,
            url,
            kind,
            visibility,
            notes: caller.reveal(Field::SourceNotes, notes),
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
