//! Likely duplicates, merging two persons into one, and undoing a merge.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::PersonId;
use crate::domain::access::Caller;
use crate::error::{AppError, AppResult, Problem};
use crate::http::api::extract::{ApiJson, IfMatch, Path, Query};
use crate::http::api::{Cursor, Page, page_size};
use crate::records::persons::merge::{self, Duplicate, MergeOut, MergeRequest};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DuplicatesQuery {
    /// `next_cursor` of the previous page.
    #[param(schema_with = Cursor::skip_schema)]
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Pairs of persons that may be one, with the reasons, the pairs with most
/// reasons first: names written alike across scripts and spellings; or
/// names somewhat alike and a detention begun the same day in the same
/// facility, or the same birthday. Pairs staff marked as two persons are
/// left out. Needs `read:internal`.
#[utoipa::path(get, path = "/persons/duplicates", tag = "persons", params(DuplicatesQuery),
    responses((status = 200, body = Page<Duplicate>), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub(super) async fn list_duplicates(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DuplicatesQuery>,
) -> AppResult<Json<Page<Duplicate>>> {
    let limit = page_size(q.limit)?;
    let offset = Cursor::skipped(q.cursor.as_deref())?;
    // One more than asked tells whether another page follows.
    let mut items = merge::duplicates(&state, &caller, limit + 1, offset).await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Json(Page {
        items,
        next_cursor: more.then(|| Cursor::Skip(offset + limit).to_string()),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The person merged away into the one in the path.
    pub merged_id: PersonId,
    /// The merged person's `version` (its ETag) as last read.
    #[serde(deserialize_with = "crate::domain::validate::whole::deserialize")]
    pub merged_version: i32,
}

/// Merge another person into this one (admins): this person gets the
/// other's names, ids in other registries, notes and missing details, and
/// all of its records (each at least as hidden as the other person was);
/// the stricter visibility of the two. The other person's address then
/// answers 301 with `merged_into`. `If-Match` is this person's ETag.
#[utoipa::path(post, path = "/persons/{id}/merge", tag = "persons",
    params(("id" = PersonId, Path), IfMatch),
    request_body = MergeBody,
    responses((status = 201, body = MergeOut, headers(("Location" = String))),
              (status = 403, body = Problem), (status = 412, body = Problem),
              (status = 428, body = Problem)))]
pub(super) async fn merge_persons(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<MergeBody>,
) -> AppResult<Response> {
    let request = MergeRequest {
        kept: id,
        kept_version: if_match.0,
        merged: body.merged_id,
        merged_version: body.merged_version,
    };
    let out = merge::merge(&state, &caller, request).await?;
    let mut response = (StatusCode::CREATED, Json(&out)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/merges/{}", out.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// A merge, if the caller may see both persons.
#[utoipa::path(get, path = "/merges/{id}", tag = "persons", params(("id" = Uuid, Path)),
    responses((status = 200, body = MergeOut), (status = 404, body = Problem)))]
pub(super) async fn get_merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> AppResult<Json<MergeOut>> {
    Ok(Json(merge::read_merge(&state, &caller, id).await?))
}

/// Undo a merge (admins): the merged person comes back with its names, ids
/// and the records the merge moved; the kept person loses what the merge
/// added. Changes made since stay. 409 if the kept person was merged or
/// archived since, or a moved record was linked since to one not moved.
#[utoipa::path(post, path = "/merges/{id}/undo", tag = "persons", params(("id" = Uuid, Path)),
    responses((status = 200, body = MergeOut), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub(super) async fn undo_merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> AppResult<Json<MergeOut>> {
    Ok(Json(merge::undo(&state, &caller, id).await?))
}

/// The answer at a merged person's address.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MergedInto {
    /// The person its records are with now.
    pub merged_into: PersonId,
}

/// 301 to the person a merged person's records are with, if the caller may
/// see both; otherwise the 404 it was.
pub(super) async fn moved_permanently(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
) -> AppResult<Response> {
    let Some(target) = merge::merged_into(state, caller, id).await? else {
        return Err(AppError::NotFound);
    };
    let mut response = (
        StatusCode::MOVED_PERMANENTLY,
        Json(MergedInto {
            merged_into: target,
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/persons/{target}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
