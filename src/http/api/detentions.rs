//! `/persons/{id}/detentions` and `/detentions/{id}`.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use sqlx::PgConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Path};
use super::records::{self, Record};
use super::{FacilityRef, Meta};
use crate::db;
use crate::db::detentions::DetentionRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::detention::DetentionFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    DetentionEndReason, DetentionId, DetentionKind, PartialDate, PersonId, Visibility,
};
use crate::error::{AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_detention))
        .routes(routes!(get_detention, update_detention, archive_detention))
}

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

    records::row_accessors!(DetentionId);

    fn visibility(&self) -> Visibility {
        self.visibility
    }

    fn person_id(&self) -> Option<PersonId> {
        Some(self.person_id)
    }

    fn fields_visibility(fields: &DetentionFields) -> Visibility {
        fields.visibility
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

    async fn get(
        conn: &mut PgConnection,
        id: DetentionId,
        for_update: bool,
    ) -> sqlx::Result<Option<Self>> {
        db::detentions::get(conn, id, for_update).await
    }

    async fn insert(
        conn: &mut PgConnection,
        id: DetentionId,
        person_id: Option<PersonId>,
        fields: &Valid<DetentionFields>,
    ) -> sqlx::Result<()> {
        let person_id =
            person_id.ok_or_else(|| sqlx::Error::Protocol("a detention needs a person".into()))?;
        db::detentions::insert(conn, id, person_id, fields).await
    }

    async fn update(
        conn: &mut PgConnection,
        id: DetentionId,
        fields: &Valid<DetentionFields>,
    ) -> sqlx::Result<()> {
        db::detentions::update(conn, id, fields).await
    }

    async fn archive(conn: &mut PgConnection, id: DetentionId) -> sqlx::Result<()> {
        db::detentions::archive(conn, id).await
    }
}

/// Add a detention to a person's case.
#[utoipa::path(post, path = "/persons/{id}/detentions", tag = "detentions",
    params(("id" = PersonId, Path)), request_body = DetentionFields,
    responses((status = 201, body = DetentionOut), (status = 422, body = Problem)))]
async fn create_detention(
    State(state): State<AppState>,
    caller: Caller,
    Path(person_id): Path<PersonId>,
    ApiJson(fields): ApiJson<DetentionFields>,
) -> AppResult<Response> {
    records::create::<DetentionRow>(&state, &caller, Some(person_id), fields, DetentionId::new())
        .await
}

records::item_handlers!(
    row = DetentionRow,
    id = DetentionId,
    out = DetentionOut,
    path = "/detentions/{id}",
    tag = "detentions",
    get = get_detention,
    update = update_detention,
    archive = archive_detention,
);
