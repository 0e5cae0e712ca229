//! `/persons`: the case of one person, and the list with its filters.

pub(crate) mod list;
mod merge;
mod write;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use time::Date;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Path, Query};
use super::versioned;
use crate::domain::PersonId;
use crate::domain::access::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::records::persons::{PersonCase, read_case, today};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list::list_persons, write::create_person))
        .routes(routes!(list::person_facets))
        .routes(routes!(merge::list_duplicates))
        .routes(routes!(merge::merge_persons))
        .routes(routes!(merge::get_merge))
        .routes(routes!(merge::undo_merge))
        .routes(routes!(
            get_person,
            write::update_person,
            write::archive_person
        ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    /// Day for the status (default: today), `YYYY-MM-DD`.
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
}

/// Read one person's case, with everything recorded about them that the
/// caller may see.
#[utoipa::path(get, path = "/persons/{id}", tag = "persons",
    params(("id" = PersonId, Path), AsOf),
    responses((status = 200, body = PersonCase),
              (status = 301, body = merge::MergedInto, description = "Merged into another person", headers(("Location" = String))),
              (status = 404, body = Problem)))]
async fn get_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    Query(q): Query<AsOf>,
) -> AppResult<Response> {
    let case = match read_case(&state, &caller, id, q.as_of.unwrap_or_else(today)).await {
        Err(AppError::NotFound) => {
            return merge::moved_permanently(&state, &caller, id).await;
        }
        case => case?,
    };
    let version = case.person.meta.version;
    Ok(versioned(StatusCode::OK, version, &case))
}
