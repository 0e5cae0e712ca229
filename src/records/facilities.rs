//! Facilities: where people are held, with their postal addresses.

use serde::Serialize;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::facilities::FacilityRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::facility::FacilityFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{FacilityId, FacilityKind, Visibility};

#[derive(Serialize, utoipa::ToSchema)]
pub struct FacilityOut {
    pub id: FacilityId,
    pub name: String,
    pub kind: FacilityKind,
    pub city: Option<String>,
    /// Where people write letters to prisoners held here.
    pub postal_address: Option<String>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for FacilityRow {
    const KIND: &'static str = "facility";
    const COLLECTION: &'static str = "facilities";
    type Id = FacilityId;
    type Fields = FacilityFields;
    type Out = FacilityOut;

    fn validate(fields: FacilityFields) -> Result<Valid<FacilityFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> FacilityFields {
        FacilityFields {
            name: self.name.clone(),
            kind: self.kind,
            city: self.city.clone(),
            postal_address: self.postal_address.clone(),
            notes: self.notes.clone(),
        }
    }

    records::reference_record!(
        id = FacilityId,
        fields = FacilityFields,
        db = db::facilities
    );

    fn reach(&self) -> Visibility {
        Visibility::Public
    }

    fn fields_visibility(_: &FacilityFields) -> Visibility {
        Visibility::Public
    }

    fn out(self, caller: &Caller) -> FacilityOut {
        let FacilityRow {
            id,
            name,
            kind,
            city,
            postal_address,
            notes,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        FacilityOut {
            id,
            name,
            kind,
            city,
            postal_address,
            notes: caller.reveal(Field::FacilityNotes, notes),
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
