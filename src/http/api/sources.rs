//! `/sources`: what facts are cited from. A source's visibility is its own.

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records;
use super::{ListQuery, Page, cursor, page_size};
use crate::db;
use crate::db::sources::SourceRow;
use crate::domain::SourceId;
use crate::domain::access::Caller;
use crate::domain::source::SourceFields;
use crate::error::{AppResult, Problem};
use crate::records::Record;
use crate::records::sources::SourceOut;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, create_source))
        .routes(routes!(get_source, update_source, archive_source))
}

/// Add a source.
#[utoipa::path(post, path = "/sources", tag = "sources", request_body = SourceFields,
    responses((status = 201, body = SourceOut), (status = 422, body = Problem)))]
async fn create_source(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<SourceFields>,
) -> AppResult<Response> {
    records::create::<SourceRow>(&state, &caller, None, fields, SourceId::new()).await
}

/// List the sources the caller may see; seek pagination.
#[utoipa::path(get, path = "/sources", tag = "sources", params(ListQuery),
    responses((status = 200, body = Page<SourceOut>), (status = 422, body = Problem)))]
async fn list_sources(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Page<SourceOut>>> {
    let limit = page_size(q.limit)?;
    let after = cursor(q.cursor.as_deref())?.map(SourceId);
    let max_visibility = caller.max_visibility();
    let rows = db::sources::list(&state.pool, max_visibility, q.search(), after, limit + 1).await?;
    Ok(axum::Json(Page::from_rows(
        rows,
        limit,
        |r| r.id.0,
        |r| r.out(&caller),
    )))
}

records::item_handlers!(
    row = SourceRow,
    id = SourceId,
    fields = SourceFields,
    patch = SourcePatch,
    out = SourceOut,
    path = "/sources/{id}",
    tag = "sources",
    get = get_source,
    update = update_source,
    archive = archive_source,
);
