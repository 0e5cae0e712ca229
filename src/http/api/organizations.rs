//! `/organizations`: recognising bodies and those persons belong to.

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records;
use super::{ListQuery, Page, cursor, page_size};
use crate::db;
use crate::db::organizations::OrganizationRow;
use crate::domain::OrganizationId;
use crate::domain::access::Caller;
use crate::domain::organization::OrganizationFields;
use crate::error::{AppResult, Problem};
use crate::records::Record;
use crate::records::organizations::OrganizationOut;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organizations, create_organization))
        .routes(routes!(
            get_organization,
            update_organization,
            archive_organization
        ))
}

/// Add an organisation.
#[utoipa::path(post, path = "/organizations", tag = "organizations",
    request_body = OrganizationFields,
    responses((status = 201, body = OrganizationOut), (status = 422, body = Problem)))]
async fn create_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<OrganizationFields>,
) -> AppResult<Response> {
    records::create::<OrganizationRow>(&state, &caller, None, fields, OrganizationId::new()).await
}

/// List organisations in use; seek pagination.
#[utoipa::path(get, path = "/organizations", tag = "organizations", params(ListQuery),
    responses((status = 200, body = Page<OrganizationOut>), (status = 422, body = Problem)))]
async fn list_organizations(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Page<OrganizationOut>>> {
    let limit = page_size(q.limit)?;
    let after = cursor(q.cursor.as_deref())?.map(OrganizationId);
    let rows = db::organizations::list(&state.pool, q.search(), after, limit + 1).await?;
    Ok(axum::Json(Page::from_rows(
        rows,
        limit,
        |r| r.id.0,
        |r| r.out(&caller),
    )))
}

records::item_handlers!(
    row = OrganizationRow,
    id = OrganizationId,
    fields = OrganizationFields,
    patch = OrganizationPatch,
    out = OrganizationOut,
    path = "/organizations/{id}",
    tag = "organizations",
    get = get_organization,
    update = update_organization,
    archive = archive_organization,
);
