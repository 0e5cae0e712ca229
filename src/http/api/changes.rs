//! `/changes`: the change feed, for keeping a mirror in sync.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Query;
use super::page_size;
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::error::{AppResult, Problem};
use crate::records::changes::{self, ChangeItem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_changes))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// `next_cursor` of the previous page; absent: from the first change.
    #[param(pattern = "^[A-Za-z0-9_-]+$")]
    pub since: Option<String>,
    /// Changes a page covers: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// A page of the change feed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChangePage {
    /// In commit order; each record once, at its last change in the page.
    pub items: Vec<ChangeItem>,
    /// Where the next page starts, even when this one is empty: keep it,
    /// and ask with it as `since` again later.
    pub next_cursor: String,
    /// The page reaches the newest change there was when it was read.
    pub caught_up: bool,
}

/// What a cursor seals: a position in the history.
const CURSOR_PREFIX: &str = "changes:";

fn since(state: &AppState, cursor: Option<&str>) -> Result<i64, FieldErrors> {
    let Some(cursor) = cursor else { return Ok(0) };
    state
        .cipher
        .open_text(cursor)
        .as_deref()
        .and_then(|text| text.strip_prefix(CURSOR_PREFIX))
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| FieldErrors::single("since", "is not a cursor from this feed"))
}

/// Every change after a cursor that your token may see, in commit order:
/// each record as it is now, or a tombstone once you may no longer see it
/// (archived, merged into another person, or hidden; one kind of tombstone
/// for all three). A change to any record of a person's case brings the
/// whole case. A change to a source's visibility also brings the cases
/// citing it, whose citations come or go with it. Other changes to a
/// facility, source or organisation come as its own item, not as the cases
/// that name it. A record is as it is when the page is read: a status that
/// changes with time alone (a term running out) brings no item.
///
/// Start without `since`, then ask again with each page's `next_cursor`:
/// no change is skipped or repeated, even while others are being written.
/// Cursors are opaque and stay valid as long as the registry's secret key.
#[utoipa::path(get, path = "/changes", tag = "changes", params(ChangesQuery),
    responses((status = 200, body = ChangePage), (status = 422, body = Problem)))]
async fn list_changes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ChangesQuery>,
) -> AppResult<Json<ChangePage>> {
    let limit = page_size(q.limit)?;
    let after = since(&state, q.since.as_deref())?;
    let page = changes::read(&state, &caller, after, limit).await?;
    let next_cursor = state
        .cipher
        .seal_text(&format!("{CURSOR_PREFIX}{}", page.until))?;
    Ok(Json(ChangePage {
        items: page.items,
        next_cursor,
        caught_up: page.caught_up,
    }))
}
