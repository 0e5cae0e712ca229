//! Citations: `POST /{persons|detentions|charges|sentences}/{id}/sources`,
//! then `/citations/{id}`.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, Path};
use super::records;
use crate::db::charges::ChargeRow;
use crate::db::citations::CitationRow;
use crate::db::detentions::DetentionRow;
use crate::db::sentences::SentenceRow;
use crate::domain::access::Caller;
use crate::domain::affiliation::{CitationFields, CitationTarget};
use crate::domain::{ChargeId, CitationId, DetentionId, PersonId, SentenceId};
use crate::error::{AppResult, Problem};
use crate::records::citations::CitationOut;
use crate::records::{Record, visible};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cite_for_person))
        .routes(routes!(cite_for_detention))
        .routes(routes!(cite_for_charge))
        .routes(routes!(cite_for_sentence))
        .routes(routes!(get_citation, update_citation, archive_citation))
}

/// Cites a source for `target`, a record of `person_id`.
async fn cite(
    state: &AppState,
    caller: &Caller,
    person_id: PersonId,
    target: CitationTarget,
    fields: CitationFields,
) -> AppResult<axum::response::Response> {
    let fields = CitationFields { target, ..fields };
    records::create::<CitationRow>(state, caller, Some(person_id), fields, CitationId::new()).await
}

/// The person a record belongs to, if the caller may see the record.
async fn owner_of<R: Record>(state: &AppState, caller: &Caller, id: R::Id) -> AppResult<PersonId> {
    let mut conn = state.pool.acquire().await?;
    let record = visible::<R>(&mut conn, caller, id, false).await?;
    Ok(crate::records::owner(record.person_id())?)
}

/// Cite a source for a person as a whole.
#[utoipa::path(post, path = "/persons/{id}/sources", tag = "citations", params(("id" = PersonId, Path)),
    request_body = CitationFields, responses((status = 201, body = CitationOut), (status = 422, body = Problem)))]
async fn cite_for_person(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    ApiJson(fields): ApiJson<CitationFields>,
) -> AppResult<axum::response::Response> {
    cite(&state, &caller, id, CitationTarget::Person, fields).await
}

/// Cite a source for a detention.
#[utoipa::path(post, path = "/detentions/{id}/sources", tag = "citations", params(("id" = DetentionId, Path)),
    request_body = CitationFields, responses((status = 201, body = CitationOut), (status = 422, body = Problem)))]
async fn cite_for_detention(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<DetentionId>,
    ApiJson(fields): ApiJson<CitationFields>,
) -> AppResult<axum::response::Response> {
    let person_id = owner_of::<DetentionRow>(&state, &caller, id).await?;
    cite(
        &state,
        &caller,
        person_id,
        CitationTarget::Detention(id),
        fields,
    )
    .await
}

/// Cite a source for a charge.
#[utoipa::path(post, path = "/charges/{id}/sources", tag = "citations", params(("id" = ChargeId, Path)),
    request_body = CitationFields, responses((status = 201, body = CitationOut), (status = 422, body = Problem)))]
async fn cite_for_charge(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<ChargeId>,
    ApiJson(fields): ApiJson<CitationFields>,
) -> AppResult<axum::response::Response> {
    let person_id = owner_of::<ChargeRow>(&state, &caller, id).await?;
    cite(
        &state,
        &caller,
        person_id,
        CitationTarget::Charge(id),
        fields,
    )
    .await
}

/// Cite a source for a sentence.
#[utoipa::path(post, path = "/sentences/{id}/sources", tag = "citations", params(("id" = SentenceId, Path)),
    request_body = CitationFields, responses((status = 201, body = CitationOut), (status = 422, body = Problem)))]
async fn cite_for_sentence(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    Path(id): Path<SentenceId>,
    ApiJson(fields): ApiJson<CitationFields>,
) -> AppResult<axum::response::Response> {
    let person_id = owner_of::<SentenceRow>(&state, &caller, id).await?;
    cite(
        &state,
        &caller,
        person_id,
        CitationTarget::Sentence(id),
        fields,
    )
    .await
}

records::item_handlers!(
    row = CitationRow,
    id = CitationId,
    fields = CitationFields,
    patch = CitationPatch,
    out = CitationOut,
    path = "/citations/{id}",
    tag = "citations",
    get = get_citation,
    update = update_citation,
    archive = archive_citation,
);
