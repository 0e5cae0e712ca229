//! `/cases`: criminal cases, which charges point to.

use axum::extract::State;
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records;
use super::{ListQuery, Page, cursor, page_size};
use crate::db;
use crate::db::cases::{CaseRow, CaseSearch};
use crate::domain::CaseId;
use crate::domain::access::{Caller, Field};
use crate::domain::case::CaseFields;
use crate::error::{AppResult, Problem};
use crate::records::Record;
use crate::records::cases::CaseOut;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case, update_case, archive_case))
}

/// Add a criminal case.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = CaseFields,
    responses((status = 201, body = CaseOut), (status = 422, body = Problem)))]
async fn create_case(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<CaseFields>,
) -> AppResult<Response> {
    records::create::<CaseRow>(&state, &caller, None, fields, CaseId::new()).await
}

/// List criminal cases in use; seek pagination.
#[utoipa::path(get, path = "/cases", tag = "cases", params(ListQuery),
    responses((status = 200, body = Page<CaseOut>), (status = 422, body = Problem)))]
async fn list_cases(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Page<CaseOut>>> {
    let limit = page_size(q.limit)?;
    let after = cursor(q.cursor.as_deref())?.map(CaseId);
    let search = q.search().map(|q| CaseSearch {
        q,
        in_numbers: caller.may_see(Field::CaseNumber.class()),
    });
    if !caller.may_see(Field::CaseNumber.class()) {
        return Ok(axum::Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let rows = db::cases::list(&state.pool, search, after, limit + 1).await?;
    Ok(axum::Json(Page::from_rows(
        rows,
        limit,
        |r| r.id.0,
        |r| r.out(&caller),
    )))
}

records::item_handlers!(
    row = CaseRow,
    id = CaseId,
    fields = CaseFields,
    patch = CasePatch,
    out = CaseOut,
    path = "/cases/{id}",
    tag = "cases",
    get = get_case,
    update = update_case,
    archive = archive_case,
);
