//! Charges and sentences as a caller may see them, and what they may point to.

use serde::Serialize;
use sqlx::PgConnection;

use super::{self as records, Record, visible};
use super::{FacilityRef, Meta};
use crate::db;
use crate::db::cases::CaseRow;
use crate::db::charges::ChargeRow;
use crate::db::detentions::DetentionRow;
use crate::db::facilities::FacilityRow;
use crate::db::sentences::SentenceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::charge::{ChargeFields, SentenceFields};
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    ArticleId, CaseId, ChargeId, ChargeStatus, DetentionId, LegalCode, PartialDate, PersonId,
    Regime, SentenceId, SentenceKind, Visibility,
};
use crate::error::{AppError, AppResult};

/// An article as a charge shows it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ArticleRef {
    pub id: ArticleId,
    pub code: LegalCode,
    pub number: String,
    pub title_en: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseRef {
    pub id: CaseId,
    pub number: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ChargeOut {
    pub id: ChargeId,
    pub person_id: PersonId,
    pub article: ArticleRef,
    pub part: Option<String>,
    /// Internal: the criminal case and its number.
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<CaseRef>)]
    pub case: Guarded<Option<CaseRef>>,
    pub detention_id: Option<DetentionId>,
    pub filed: Option<PartialDate>,
    pub status: ChargeStatus,
    pub status_since: Option<PartialDate>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for ChargeRow {
    const KIND: &'static str = "charge";
    const COLLECTION: &'static str = "charges";
    type Id = ChargeId;
    type Fields = ChargeFields;
    type Out = ChargeOut;

    records::case_record!(id = ChargeId, fields = ChargeFields, db = db::charges);

    fn validate(fields: ChargeFields) -> Result<Valid<ChargeFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> ChargeFields {
        ChargeFields {
            article_id: self.article_id,
            part: self.part.clone(),
            case_id: self.case_id,
            detention_id: self.detention_id,
            filed: self.filed,
            status: self.status,
            status_since: self.status_since,
            notes: self.notes.clone(),
            visibility: self.visibility,
        }
    }

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn out(self, caller: &Caller) -> ChargeOut {
        let ChargeRow {
            id,
            person_id,
            article_id,
            article_code,
            article_number,
            article_title_en,
            part,
            case_id,
            case_number,
            detention_id,
            detention_visibility,
            filed,
            status,
            status_since,
            notes,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        ChargeOut {
            id,
            person_id,
            article: ArticleRef {
                id: article_id,
                code: article_code,
                number: article_number,
                title_en: article_title_en,
            },
            part,
            case: caller.reveal(
                Field::ChargeCase,
                case_id.map(|id| CaseRef {
                    id,
                    number: case_number,
                }),
            ),
            // Only a detention the caller may see is pointed to.
            detention_id: detention_id
                .filter(|_| detention_visibility.is_some_and(|v| caller.may_see(v))),
            filed,
            status,
            status_since,
            notes: caller.reveal(Field::ChargeNotes, notes),
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }

    fn carry_over(&self, caller: &Caller, patched: &mut ChargeFields) {
        let visible = self.detention_visibility.is_some_and(|v| caller.may_see(v));
        if self.detention_id.is_some() && !visible {
            patched.detention_id = self.detention_id;
        }
    }

    async fn check_references(
        conn: &mut PgConnection,
        caller: &Caller,
        person_id: Option<PersonId>,
        fields: &ChargeFields,
        current: Option<&ChargeFields>,
    ) -> AppResult<()> {
        let before = current.map(|c| c.case_id);
        records::must_refer::<CaseRow>(conn, caller, fields.case_id, before, "case_id").await?;
        if let Some(detention_id) = fields.detention_id
            && current.is_none_or(|c| c.detention_id != Some(detention_id))
        {
            let detention = visible::<DetentionRow>(conn, caller, detention_id, false).await;
            if !detention.is_ok_and(|d| Some(d.person_id) == person_id) {
                return Err(FieldErrors::single(
                    "detention_id",
                    "no such detention of this person",
                )
                .into());
            }
        }
        Ok(())
    }
}
#[derive(Serialize, utoipa::ToSchema)]
pub struct SentenceOut {
    pub id: SentenceId,
    pub person_id: PersonId,
    pub kind: SentenceKind,
    pub pronounced: Option<PartialDate>,
    pub court: Option<String>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub judge: Guarded<Option<String>>,
    pub term_months: Option<i32>,
    pub term_days: Option<i32>,
    pub regime: Option<Regime>,
    pub fine_basic_units: Option<i32>,
    pub fine_amount: Option<String>,
    pub currency: Option<String>,
    /// The covered charges the caller may see.
    pub charge_ids: Vec<ChargeId>,
    pub facility: Option<FacilityRef>,
    pub in_absentia: bool,
    pub appeal_outcome: Option<String>,
    pub released_on: Option<PartialDate>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for SentenceRow {
    const KIND: &'static str = "sentence";
    const COLLECTION: &'static str = "sentences";
    type Id = SentenceId;
    type Fields = SentenceFields;
    type Out = SentenceOut;

    records::case_record!(id = SentenceId, fields = SentenceFields, db = db::sentences);

    fn validate(fields: SentenceFields) -> Result<Valid<SentenceFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> SentenceFields {
        SentenceFields {
            kind: self.kind,
            pronounced: self.pronounced,
            court: self.court.clone(),
            judge: self.judge.clone(),
            term_months: self.term_months,
            term_days: self.term_days,
            regime: self.regime,
            fine_basic_units: self.fine_basic_units,
            fine_amount: self.fine_amount.clone(),
            currency: self.currency.clone(),
            charge_ids: self.charge_ids.iter().copied().map(ChargeId).collect(),
            facility_id: self.facility_id,
            in_absentia: self.in_absentia,
            appeal_outcome: self.appeal_outcome.clone(),
            released_on: self.released_on,
            notes: self.notes.clone(),
            visibility: self.visibility,
        }
    }

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn out(self, caller: &Caller) -> SentenceOut {
        let SentenceRow {
            id,
            person_id,
            kind,
            pronounced,
            court,
            judge,
            term_months,
            term_days,
            regime,
            fine_basic_units,
            fine_amount,
            currency,
            charge_ids,
            charge_visibilities,
            facility_id,
            facility_name,
            facility_city,
            facility_postal_address,
            in_absentia,
            appeal_outcome,
            released_on,
            notes,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        let charge_ids = charge_ids
            .into_iter()
            .zip(charge_visibilities)
            .filter(|(_, v)| v.is_some_and(|v| caller.may_see(v)))
            .map(|(id, _)| ChargeId(id))
            .collect();
        SentenceOut {
            id,
            person_id,
            kind,
            pronounced,
            court,
            judge: caller.reveal(Field::SentenceJudge, judge),
            term_months,
            term_days,
            regime,
            fine_basic_units,
            fine_amount,
            currency,
            charge_ids,
            facility: facility_id.map(|id| FacilityRef {
                id,
                name: facility_name.unwrap_or_default(),
                city: facility_city,
                postal_address: facility_postal_address,
            }),
            in_absentia,
            appeal_outcome,
            released_on,
            notes: caller.reveal(Field::SentenceNotes, notes),
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }

    fn carry_over(&self, caller: &Caller, patched: &mut SentenceFields) {
        let hidden = self
            .charge_ids
            .iter()
            .zip(&self.charge_visibilities)
            .filter(|(_, v)| !v.is_some_and(|v| caller.may_see(v)))
            .map(|(id, _)| ChargeId(*id));
        for id in hidden {
            if !patched.charge_ids.contains(&id) {
                patched.charge_ids.push(id);
            }
        }
    }

    async fn check_references(
        conn: &mut PgConnection,
        caller: &Caller,
        person_id: Option<PersonId>,
        fields: &SentenceFields,
        current: Option<&SentenceFields>,
    ) -> AppResult<()> {
        let before = current.map(|c| c.facility_id);
        records::must_refer::<FacilityRow>(conn, caller, fields.facility_id, before, "facility_id")
            .await?;
        let added = fields
            .charge_ids
            .iter()
            .filter(|id| current.is_none_or(|c| !c.charge_ids.contains(id)));
        for charge_id in added {
            let charge = visible::<ChargeRow>(conn, caller, *charge_id, false).await;
            match charge {
                Ok(c) if Some(c.person_id) == person_id => {}
                Ok(_) | Err(AppError::NotFound) => {
                    return Err(FieldErrors::single(
                        "charge_ids",
                        "each must be a charge of this person",
                    )
                    .into());
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}
