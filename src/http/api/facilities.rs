//! `/facilities`: places of detention, public reference data.

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records;
use super::{ListQuery, Page, cursor, page_size};
use crate::db;
use crate::db::facilities::FacilityRow;
use crate::domain::FacilityId;
use crate::domain::access::Caller;
use crate::domain::facility::FacilityFields;
use crate::error::{AppResult, Problem};
use crate::records::Record;
use crate::records::facilities::FacilityOut;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_facilities, create_facility))
        .routes(routes!(get_facility, update_facility, archive_facility))
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
    fields = FacilityFields,
    patch = FacilityPatch,
    out = FacilityOut,
    path = "/facilities/{id}",
    tag = "facilities",
    get = get_facility,
    update = update_facility,
    archive = archive_facility,
);
