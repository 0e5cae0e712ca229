//! `/organizations`: recognising bodies and those persons belong to.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Query};
use super::records::{self, Record};
use super::{ListQuery, Meta, Page, cursor, page_size};
use crate::db;
use crate::db::organizations::OrganizationRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::organization::OrganizationFields;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{OrganizationId, OrganizationKind, Visibility};
use crate::error::{AppResult, Problem};
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

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationOut {
    pub id: OrganizationId,
    pub name: String,
    pub kind: OrganizationKind,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for OrganizationRow {
    const KIND: &'static str = "organization";
    const COLLECTION: &'static str = "organizations";
    type Id = OrganizationId;
    type Fields = OrganizationFields;
    type Out = OrganizationOut;

    fn validate(fields: OrganizationFields) -> Result<Valid<OrganizationFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> OrganizationFields {
        OrganizationFields {
            name: self.name.clone(),
            kind: self.kind,
            country: self.country.clone(),
            url: self.url.clone(),
            notes: self.notes.clone(),
        }
    }

    records::reference_record!(
        id = OrganizationId,
        fields = OrganizationFields,
        db = db::organizations
    );

    fn reach(&self) -> Visibility {
        Visibility::Public
    }

    fn fields_visibility(_: &OrganizationFields) -> Visibility {
        Visibility::Public
    }

    fn out(self, caller: &Caller) -> OrganizationOut {
        let OrganizationRow {
            id,
            name,
            kind,
            country,
            url,
            notes,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        OrganizationOut {
            id,
            name,
            kind,
            country,
            url,
            notes: caller.reveal(Field::OrganizationNotes, notes),
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
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
    out = OrganizationOut,
    path = "/organizations/{id}",
    tag = "organizations",
    get = get_organization,
    update = update_organization,
    archive = archive_organization,
);
