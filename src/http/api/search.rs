//! `/search`: full-text search over internal notes and source titles.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Query;
use super::{Cursor, Page, page_size};
use crate::domain::access::Caller;
use crate::domain::text_search::TextQuery;
use crate::domain::validate::FieldErrors;
use crate::error::{AppResult, Problem};
use crate::records::text_search::{self, TextHit};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_texts))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words that must all occur, each matching the start of a word in
    /// English, Belarusian or Russian (`arrest` finds *arrested*); words in
    /// double quotes must follow each other. At most 200 characters and 12
    /// words; words of one letter are left out.
    #[param(min_length = 2, max_length = 200)]
    pub q: String,
    /// `next_cursor` of the previous page.
    #[param(schema_with = Cursor::skip_schema)]
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Search the notes of persons and their records, citation notes, and
/// source titles and notes: best match first, each with an extract whose
/// matching words are marked. Only texts of records the token may read are
/// searched; restricted fields never are. Needs `read:internal`.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = Page<TextHit>), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub(super) async fn search_texts(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Page<TextHit>>> {
    let limit = page_size(q.limit)?;
    let mut errors = FieldErrors::new();
    let query = TextQuery::parse(&q.q).map_err(|m| errors.add("q", m)).ok();
    let offset = Cursor::skipped(q.cursor.as_deref())
        .map_err(|e| errors.0.extend(e.0))
        .ok();
    let (Some(query), Some(offset)) = (query, offset) else {
        return Err(errors.into());
    };
    let hits = text_search::search(&state, &caller, &query, limit, offset).await?;
    let next_cursor =
        (offset + limit < hits.total).then(|| Cursor::Skip(offset + limit).to_string());
    Ok(Json(Page {
        items: hits.items,
        next_cursor,
    }))
}
