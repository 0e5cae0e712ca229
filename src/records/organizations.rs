//! Organisations that recognise or list people.

use serde::Serialize;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::organizations::OrganizationRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::organization::OrganizationFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{OrganizationId, OrganizationKind, Visibility};

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationOut {
    pub id: OrganizationId,
    pub name: String,
    pub kind: OrganizationKind,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for OrganizationRow {
    const KIND: &'static str = "organization";
    const COLLECTION: &'static str = "organizations";
    type Id = OrganizationId;
    type Fields = OrganizationFields;
    type Out = OrganizationOut;

    fn validate(fields: OrganizationFields) -> Result<Valid<OrganizationFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> OrganizationFields {
        OrganizationFields {
            name: self.name.clone(),
            kind: self.kind,
            country: self.country.clone(),
            url: self.url.clone(),
            notes: self.notes.clone(),
        }
    }

    records::reference_record!(
        id = OrganizationId,
        fields = OrganizationFields,
        db = db::organizations
    );

    fn reach(&self) -> Visibility {
        Visibility::Public
    }

    fn fields_visibility(_: &OrganizationFields) -> Visibility {
        Visibility::Public
    }

    fn out(self, caller: &Caller) -> OrganizationOut {
        let OrganizationRow {
            id,
            name,
            kind,
            country,
            url,
            notes,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        OrganizationOut {
            id,
            name,
            kind,
            country,
            url,
            notes: caller.reveal(Field::OrganizationNotes, notes),
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
