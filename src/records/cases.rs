//! A criminal case as a caller may see it (its number is internal).

use serde::Serialize;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::cases::CaseRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::case::CaseFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{CaseId, PartialDate, Visibility};

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseOut {
    pub id: CaseId,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub number: Guarded<Option<String>>,
    pub opened: Option<PartialDate>,
    pub authority: Option<String>,
    pub description: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for CaseRow {
    const KIND: &'static str = "case";
    const COLLECTION: &'static str = "cases";
    type Id = CaseId;
    type Fields = CaseFields;
    type Out = CaseOut;

    fn validate(fields: CaseFields) -> Result<Valid<CaseFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> CaseFields {
        CaseFields {
            number: self.number.clone(),
            opened: self.opened,
            authority: self.authority.clone(),
            description: self.description.clone(),
        }
    }

    records::reference_record!(id = CaseId, fields = CaseFields, db = db::cases);

    /// Criminal cases are internal as a whole: numbers, authorities and
    /// descriptions name proceedings a public reader may not learn of.
    fn reach(&self) -> Visibility {
        Field::CaseNumber.class()
    }

    fn fields_visibility(_: &CaseFields) -> Visibility {
        Visibility::Public
    }

    fn out(self, caller: &Caller) -> CaseOut {
        let CaseRow {
            id,
            number,
            opened,
            authority,
            description,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        CaseOut {
            id,
            number: caller.reveal(Field::CaseNumber, number),
            opened,
            authority,
            description,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
