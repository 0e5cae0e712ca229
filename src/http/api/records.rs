//! The handlers every record shares, over [`crate::records`]: read,
//! create, merge-patch with `If-Match`, archive, as JSON responses.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{created, merge_patch, versioned};
use crate::domain::PersonId;
use crate::domain::access::Caller;
use crate::error::AppResult;
use crate::records::{self, Record, visible};
use crate::state::AppState;

/// `GET /{collection}/{id}`.
pub async fn read<R: Record>(state: &AppState, caller: &Caller, id: R::Id) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let record = visible::<R>(&mut conn, caller, id, false).await?;
    let version = record.version();
    Ok(versioned(StatusCode::OK, version, &record.out(caller)))
}

/// `POST`: under a person (`person_id`) or at the top (reference data).
pub async fn create<R: Record>(
    state: &AppState,
    caller: &Caller,
    person_id: Option<PersonId>,
    fields: R::Fields,
    new_id: R::Id,
) -> AppResult<Response> {
    let record = records::create::<R>(state, caller, person_id, fields, new_id).await?;
    let location = format!("/api/v1/{}/{new_id}", R::COLLECTION);
    let version = record.version();
    Ok(created(location, version, &record.out(caller)))
}

/// `PATCH` with a JSON merge patch and `If-Match`; 204 when the change hid
/// the record from its author.
pub async fn update<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: R::Id,
    expected_version: i32,
    patch: &Value,
) -> AppResult<Response> {
    let updated = records::update::<R>(state, caller, id, expected_version, |current| {
        merge_patch(current, patch, &[])
    })
    .await?;
    Ok(match updated {
        Some(record) => {
            let version = record.version();
            versioned(StatusCode::OK, version, &record.out(caller))
        }
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// `DELETE`: archives; history keeps every version.
pub async fn archive<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: R::Id,
    expected_version: i32,
) -> AppResult<StatusCode> {
    records::archive::<R>(state, caller, id, expected_version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Declares `$patch`, the schema of a JSON merge patch of `$fields` (see
/// [`super::patch_schema`]), under its own name in the OpenAPI document.
macro_rules! patch_shape {
    ($patch:ident, $fields:ty) => {
        /// A JSON merge patch of the record.
        pub struct $patch;

        impl utoipa::PartialSchema for $patch {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::http::api::patch_schema::<$fields>()
            }
        }

        impl utoipa::ToSchema for $patch {
            fn schemas(
                schemas: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                <$fields as utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}
pub(crate) use patch_shape;

/// `GET`, `PATCH` and `DELETE` on `/{collection}/{id}` for a record type,
/// with their OpenAPI descriptions and the schema of its patches.
macro_rules! item_handlers {
    (
        row = $row:ty, id = $id:ty, fields = $fields:ty, patch = $patch:ident, out = $out:ty, path = $path:literal, tag = $tag:literal,
        get = $get:ident, update = $update:ident, archive = $archive:ident $(,)?
    ) => {
        $crate::http::api::records::patch_shape!($patch, $fields);

        /// Read one record.
        #[utoipa::path(get, path = $path, tag = $tag, params(("id" = $id, Path)),
            responses((status = 200, body = $out), (status = 404, body = $crate::error::Problem)))]
        async fn $get(
            axum::extract::State(state): axum::extract::State<$crate::state::AppState>,
            caller: $crate::domain::access::Caller,
            $crate::http::api::extract::Path(id): $crate::http::api::extract::Path<$id>,
        ) -> $crate::error::AppResult<axum::response::Response> {
            $crate::http::api::records::read::<$row>(&state, &caller, id).await
        }

        /// Change a record: JSON merge patch (RFC 7396) with `If-Match`.
        #[utoipa::path(patch, path = $path, tag = $tag,
            params(("id" = $id, Path), $crate::http::api::extract::IfMatch),
            request_body(content(
                ($patch = "application/merge-patch+json"),
                ($patch = "application/json"))),
            responses((status = 200, body = $out),
                      (status = 204, description = "Saved, and now hidden from you by its visibility"),
                      (status = 412, body = $crate::error::Problem),
                      (status = 422, body = $crate::error::Problem), (status = 428, body = $crate::error::Problem)))]
        async fn $update(
            axum::extract::State(state): axum::extract::State<$crate::state::AppState>,
            caller: $crate::domain::access::Caller,
            $crate::http::api::extract::Path(id): $crate::http::api::extract::Path<$id>,
            if_match: $crate::http::api::extract::IfMatch,
            $crate::http::api::extract::ApiJson(patch): $crate::http::api::extract::ApiJson<serde_json::Value>,
        ) -> $crate::error::AppResult<axum::response::Response> {
            $crate::http::api::records::update::<$row>(&state, &caller, id, if_match.0, &patch).await
        }

        /// Archive a record (with `If-Match`); history keeps every version.
        #[utoipa::path(delete, path = $path, tag = $tag,
            params(("id" = $id, Path), $crate::http::api::extract::IfMatch),
            responses((status = 204), (status = 412, body = $crate::error::Problem),
                      (status = 428, body = $crate::error::Problem)))]
        async fn $archive(
            axum::extract::State(state): axum::extract::State<$crate::state::AppState>,
            caller: $crate::domain::access::Caller,
            $crate::http::api::extract::Path(id): $crate::http::api::extract::Path<$id>,
            if_match: $crate::http::api::extract::IfMatch,
        ) -> $crate::error::AppResult<axum::http::StatusCode> {
            $crate::http::api::records::archive::<$row>(&state, &caller, id, if_match.0).await
        }
    };
}
pub(crate) use item_handlers;

/// `POST /persons/{id}/<children>` for a record type that belongs to a person.
macro_rules! create_under_person {
    (
        name = $name:ident, row = $row:ty, id = $id:ty, fields = $fields:ty, out = $out:ty,
        path = $path:literal, tag = $tag:literal $(,)?
    ) => {
        /// Add a record to a person's case.
        #[utoipa::path(post, path = $path, tag = $tag,
            params(("id" = $crate::domain::PersonId, Path)), request_body = $fields,
            responses((status = 201, body = $out), (status = 404, body = $crate::error::Problem),
                      (status = 422, body = $crate::error::Problem)))]
        async fn $name(
            axum::extract::State(state): axum::extract::State<$crate::state::AppState>,
            caller: $crate::domain::access::Caller,
            $crate::http::api::extract::Path(person_id): $crate::http::api::extract::Path<$crate::domain::PersonId>,
            $crate::http::api::extract::ApiJson(fields): $crate::http::api::extract::ApiJson<$fields>,
        ) -> $crate::error::AppResult<axum::response::Response> {
            $crate::http::api::records::create::<$row>(&state, &caller, Some(person_id), fields, <$id>::new())
                .await
        }
    };
}
pub(crate) use create_under_person;
