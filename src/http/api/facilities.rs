//! `/facilities`: places of detention, public reference data.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records::{self, Record};
use super::{ListQuery, Meta, Page, cursor, page_size};
use crate::db;
use crate::db::facilities::FacilityRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::facility::FacilityFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{FacilityId, FacilityKind, Visibility};
use crate::error::{AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_facilities, create_facility))
        .routes(routes!(get_facility, update_facility, archive_facility))
}

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

/// Add a facility.
#[utoipa::path(post, path = "/facilities", tag = "facilities", request_body = FacilityFields,
    responses((status = 201, body = FacilityOut), (status = 422, body = Problem)))]
async fn create_facility(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<FacilityFields>,
) -> AppResult<Response> {
    records::create::<FacilityRow>(&state, &caller, None, fields, FacilityId::new()).await
}

/// List facilities in use; seek pagination.
#[utoipa::path(get, path = "/facilities", tag = "facilities", params(ListQuery),
    responses((status = 200, body = Page<FacilityOut>), (status = 422, body = Problem)))]
async fn list_facilities(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Page<FacilityOut>>> {
    let limit = page_size(q.limit)?;
    let after = cursor(q.cursor.as_deref())?.map(FacilityId);
    let rows = db::facilities::list(&state.pool, q.search(), after, limit + 1).await?;
    Ok(axum::Json(Page::from_rows(
        rows,
        limit,
        |r| r.id.0,
        |r| r.out(&caller),
    )))
}

records::item_handlers!(
    row = FacilityRow,
    id = FacilityId,
    out = FacilityOut,
    path = "/facilities/{id}",
    tag = "facilities",
    get = get_facility,
    update = update_facility,
    archive = archive_facility,
);
