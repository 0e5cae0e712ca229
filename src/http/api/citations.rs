//! Citations: `POST /{persons|detentions|charges|sentences}/{id}/sources`,
//! then `/citations/{id}`.

use serde::Serialize;
use sqlx::PgConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Meta;
use super::extract::{ApiJson, Path};
use super::records::{self, Record, visible};
use crate::db;
use crate::db::charges::ChargeRow;
use crate::db::citations::CitationRow;
use crate::db::detentions::DetentionRow;
use crate::db::sentences::SentenceRow;
use crate::db::sources::SourceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::affiliation::{CitationFields, CitationTarget};
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    ChargeId, CitationId, DetentionId, PartialDate, PersonId, SentenceId, SourceId, Visibility,
};
use crate::error::{AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cite_for_person))
        .routes(routes!(cite_for_detention))
        .routes(routes!(cite_for_charge))
        .routes(routes!(cite_for_sentence))
        .routes(routes!(get_citation, update_citation, archive_citation))
}

/// A source as a citation shows it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SourceRef {
    pub id: SourceId,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CitationOut {
    pub id: CitationId,
    pub person_id: PersonId,
    /// The record cited for; all `null`: the person as a whole.
    pub detention_id: Option<DetentionId>,
    pub charge_id: Option<ChargeId>,
    pub sentence_id: Option<SentenceId>,
    pub source: SourceRef,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub note: Guarded<Option<String>>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for CitationRow {
    const KIND: &'static str = "citation";
    const COLLECTION: &'static str = "citations";
    type Id = CitationId;
    type Fields = CitationFields;
    type Out = CitationOut;

    records::case_record!(id = CitationId, fields = CitationFields, db = db::citations);

    fn validate(fields: CitationFields) -> Result<Valid<CitationFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> CitationFields {
        let target = match (self.detention_id, self.charge_id, self.sentence_id) {
            (Some(d), _, _) => CitationTarget::Detention(d),
            (_, Some(c), _) => CitationTarget::Charge(c),
            (_, _, Some(s)) => CitationTarget::Sentence(s),
            _ => CitationTarget::Person,
        };
        CitationFields {
            target,
            source_id: self.source_id,
            note: self.note.clone(),
            visibility: self.visibility,
        }
    }

    fn snapshot(fields: &CitationFields) -> AppResult<serde_json::Value> {
        Ok(fields.snapshot().map_err(anyhow::Error::from)?)
    }

    fn carry_over(&self, _caller: &Caller, patched: &mut CitationFields) {
        patched.target = self.fields().target;
    }

    /// A citation is no more visible than its source and its record.
    fn reach(&self) -> Visibility {
        self.reach
    }

    fn out(self, caller: &Caller) -> CitationOut {
        let CitationRow {
            id,
            person_id,
            detention_id,
            charge_id,
            sentence_id,
            source_id,
            source_title,
            source_publisher,
            source_published,
            source_url,
            reach: _,
            note,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        CitationOut {
            id,
            person_id,
            detention_id,
            charge_id,
            sentence_id,
            source: SourceRef {
                id: source_id,
                title: source_title,
                publisher: source_publisher,
                published: source_published,
                url: source_url,
            },
            note: caller.reveal(Field::CitationNote, note),
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }

    async fn check_references(
        conn: &mut PgConnection,
        caller: &Caller,
        _person_id: Option<PersonId>,
        fields: &CitationFields,
        current: Option<&CitationFields>,
    ) -> AppResult<()> {
        let before = current.map(|c| Some(c.source_id));
        records::must_refer::<SourceRow>(conn, caller, Some(fields.source_id), before, "source_id")
            .await
    }
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
    Ok(records::owner(record.person_id())?)
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
    out = CitationOut,
    path = "/citations/{id}",
    tag = "citations",
    get = get_citation,
    update = update_citation,
    archive = archive_citation,
);
