//! Detentions as a caller may see them.

use serde::Serialize;

use super::{self as records, Record};
use super::{FacilityRef, Meta};
use crate::db;
use crate::db::detentions::DetentionRow;
use crate::db::facilities::FacilityRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::detention::DetentionFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    DetentionEndReason, DetentionId, DetentionKind, PartialDate, PersonId, Visibility,
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct DetentionOut {
    pub id: DetentionId,
    pub person_id: PersonId,
    pub kind: DetentionKind,
    pub started: PartialDate,
    pub ended: Option<PartialDate>,
    pub facility: Option<FacilityRef>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub authority: Guarded<Option<String>>,
    pub end_reason: Option<DetentionEndReason>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for DetentionRow {
    const KIND: &'static str = "detention";
    const COLLECTION: &'static str = "detentions";
    type Id = DetentionId;
    type Fields = DetentionFields;
    type Out = DetentionOut;

    fn validate(fields: DetentionFields) -> Result<Valid<DetentionFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> DetentionFields {
        DetentionFields {
            kind: self.kind,
            started: self.started,
            ended: self.ended,
            facility_id: self.facility_id,
            authority: self.authority.clone(),
            end_reason: self.end_reason,
            notes: self.notes.clone(),
            visibility: self.visibility,
        }
    }

    records::case_record!(
        id = DetentionId,
        fields = DetentionFields,
        db = db::detentions
    );

    async fn check_references(
        conn: &mut sqlx::PgConnection,
        caller: &Caller,
        _person_id: Option<PersonId>,
        fields: &DetentionFields,
        current: Option<&DetentionFields>,
    ) -> crate::error::AppResult<()> {
        let before = current.map(|c| c.facility_id);
        records::must_refer::<FacilityRow>(conn, caller, fields.facility_id, before, "facility_id")
            .await
    }

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn out(self, caller: &Caller) -> DetentionOut {
        let DetentionRow {
            id,
            person_id,
            kind,
            started,
            ended,
            facility_id,
            facility_name,
            facility_city,
            facility_postal_address,
            authority,
            end_reason,
            notes,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        DetentionOut {
            id,
            person_id,
            kind,
            started,
            ended,
            facility: facility_id.map(|id| FacilityRef {
                id,
                name: facility_name.unwrap_or_default(),
                city: facility_city,
                postal_address: facility_postal_address,
            }),
            authority: caller.reveal(Field::DetentionAuthority, authority),
            end_reason,
            notes: caller.reveal(Field::DetentionNotes, notes),
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
