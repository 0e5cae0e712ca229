//! Creating, changing and archiving a person.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::domain::PersonId;
use crate::domain::access::Caller;
use crate::domain::person::PersonFields;
use crate::error::{AppResult, Problem};
use crate::http::api::extract::{ApiJson, IfMatch, Path};
use crate::http::api::{created, merge_patch, records, versioned};
use crate::records::persons::{self, PersonOut, person_out};
use crate::state::AppState;

/// Create a person.
#[utoipa::path(post, path = "/persons", tag = "persons", request_body = PersonFields,
    responses((status = 201, body = PersonOut), (status = 422, body = Problem)))]
pub(super) async fn create_person(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<PersonFields>,
) -> AppResult<Response> {
    let parts = persons::create(&state, &caller, fields).await?;
    let (id, version) = (parts.row.id, parts.row.version);
    Ok(created(
        format!("/api/v1/persons/{id}"),
        version,
        &person_out(&state, &caller, parts)?,
    ))
}

records::patch_shape!(PersonPatch, PersonFields);

/// Change a person (JSON merge patch, with `If-Match`).
#[utoipa::path(patch, path = "/persons/{id}", tag = "persons",
    params(("id" = PersonId, Path), IfMatch),
    request_body(content(
        (PersonPatch = "application/merge-patch+json"),
        (PersonPatch = "application/json"))),
    responses((status = 200, body = PersonOut),
              (status = 204, description = "Saved, and now hidden from you by its visibility"),
              (status = 412, body = Problem),
              (status = 422, body = Problem), (status = 428, body = Problem)))]
pub(super) async fn update_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    if_match: IfMatch,
    ApiJson(patch): ApiJson<Value>,
) -> AppResult<Response> {
    let updated = persons::update(&state, &caller, id, if_match.0, |current, hidden| {
        merge_patch(current, &patch, hidden)
    })
    .await?;
    match updated {
        Some(parts) => {
            let version = parts.row.version;
            Ok(versioned(
                StatusCode::OK,
                version,
                &person_out(&state, &caller, parts)?,
            ))
        }
        // The change made the person invisible to the caller.
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Archive a person (with `If-Match`); history keeps every version.
#[utoipa::path(delete, path = "/persons/{id}", tag = "persons",
    params(("id" = PersonId, Path), IfMatch),
    responses((status = 204), (status = 412, body = Problem), (status = 428, body = Problem)))]
pub(super) async fn archive_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    if_match: IfMatch,
) -> AppResult<StatusCode> {
    persons::archive(&state, &caller, id, if_match.0).await?;
    Ok(StatusCode::NO_CONTENT)
}
