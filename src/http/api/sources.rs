//! `/sources`: what facts are cited from. A source's visibility is its own.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records::{self, Record};
use super::{ListQuery, Meta, Page, cursor, page_size};
use crate::db;
use crate::db::sources::SourceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::source::SourceFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{PartialDate, SourceId, SourceKind, Visibility};
use crate::error::{AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, create_source))
        .routes(routes!(get_source, update_source, archive_source))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceOut {
    pub id: SourceId,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for SourceRow {
    const KIND: &'static str = "source";
    const COLLECTION: &'static str = "sources";
    type Id = SourceId;
    type Fields = SourceFields;
    type Out = SourceOut;

    fn validate(fields: SourceFields) -> Result<Valid<SourceFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> SourceFields {
        SourceFields {
            title: self.title.clone(),
            publisher: self.publisher.clone(),
            published: self.published,
            url: self.url.clone(),
            kind: self.kind,
            visibility: self.visibility,
            notes: self.notes.clone(),
        }
    }

    records::reference_record!(id = SourceId, fields = SourceFields, db = db::sources);

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn fields_visibility(fields: &SourceFields) -> Visibility {
        fields.visibility
    }

    fn out(self, caller: &Caller) -> SourceOut {
        let SourceRow {
            id,
            title,
            publisher,
            published,
            url,
            kind,
            visibility,
            notes,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        SourceOut {
            id,
            title,
            publisher,
            published,
            url,
            kind,
            visibility,
            notes: caller.reveal(Field::SourceNotes, notes),
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
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
    out = SourceOut,
    path = "/sources/{id}",
    tag = "sources",
    get = get_source,
    update = update_source,
    archive = archive_source,
);
