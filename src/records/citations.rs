//! Citations: a source cited for a person or one of their records.

use serde::Serialize;
use sqlx::PgConnection;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::citations::CitationRow;
use crate::db::sources::SourceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::affiliation::{CitationFields, CitationTarget};
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    ChargeId, CitationId, DetentionId, PartialDate, PersonId, SentenceId, SourceId, Visibility,
};
use crate::error::AppResult;

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

    /// A snapshot also names the record cited for, which stays as it is.
    fn from_snapshot(
        snapshot: &serde_json::Value,
        current: &CitationFields,
    ) -> AppResult<CitationFields> {
        let mut snapshot = snapshot.clone();
        if let Some(object) = snapshot.as_object_mut() {
            object.remove("cited_for");
        }
        let fields: CitationFields =
            serde_json::from_value(snapshot).map_err(|_| records::not_restorable())?;
        Ok(CitationFields {
            target: current.target,
            ..fields
        })
    }

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
