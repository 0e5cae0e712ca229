//! A person's ties to organisations: membership with a role, and
//! recognition as a political prisoner.

use serde::{Deserialize, Serialize};

use super::validate::schema::Text;
use super::validate::{FieldErrors, Valid, text};
use super::{ChargeId, DetentionId, OrganizationId, PartialDate, SentenceId, SourceId, Visibility};

/// Recognised as a political prisoner: by whom, since, until, on which statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecognitionFields {
    pub organization_id: OrganizationId,
    pub since: Option<PartialDate>,
    /// Not before `since`.
    pub until: Option<PartialDate>,
    /// The statement that recognised the person.
    pub source_id: Option<SourceId>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    #[serde(default = "super::public")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

impl RecognitionFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        check_span(&mut e, &self.since, &self.until);
        let fields = RecognitionFields {
            notes: text(&mut e, "notes", self.notes, 20_000),
            ..self
        };
        e.finish(Valid::new(fields))
    }
}

/// Membership of an organisation, with a role (internal as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AffiliationFields {
    pub organization_id: OrganizationId,
    #[schema(value_type = Option<Text<200>>, inline)]
    pub role: Option<String>,
    pub since: Option<PartialDate>,
    /// Not before `since`.
    pub until: Option<PartialDate>,
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    #[serde(default = "super::internal")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

impl AffiliationFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        check_span(&mut e, &self.since, &self.until);
        let fields = AffiliationFields {
            role: text(&mut e, "role", self.role, 200),
            notes: text(&mut e, "notes", self.notes, 20_000),
            ..self
        };
        e.finish(Valid::new(fields))
    }
}

fn check_span(e: &mut FieldErrors, since: &Option<PartialDate>, until: &Option<PartialDate>) {
    if let (Some(since), Some(until)) = (since, until)
        && PartialDate::ends_before(until, since)
    {
        e.add("until", "must not be before `since`");
    }
}

/// A source cited for a person or one of their records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitationFields {
    /// What is cited: set from the path the citation is created under.
    #[serde(skip)]
    pub target: CitationTarget,
    pub source_id: SourceId,
    /// What the source says about the record (internal).
    #[schema(value_type = Option<Text<5_000>>, inline)]
    pub note: Option<String>,
    #[serde(default = "super::public")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

impl CitationFields {
    /// What history keeps: the fields and the record cited for, which the
    /// wire shape leaves to the path.
    pub fn snapshot(&self) -> serde_json::Result<serde_json::Value> {
        let mut value = serde_json::to_value(self)?;
        let (kind, id) = match self.target {
            CitationTarget::Person => ("person", None),
            CitationTarget::Detention(id) => ("detention", Some(id.0)),
            CitationTarget::Charge(id) => ("charge", Some(id.0)),
            CitationTarget::Sentence(id) => ("sentence", Some(id.0)),
        };
        value["cited_for"] = serde_json::json!({"record_type": kind, "record_id": id});
        Ok(value)
    }

    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let fields = CitationFields {
            note: text(&mut e, "note", self.note, 5_000),
            ..self
        };
        e.finish(Valid::new(fields))
    }
}

/// The record a citation supports: the person as a whole, or one record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CitationTarget {
    #[default]
    Person,
    Detention(DetentionId),
    Charge(ChargeId),
    Sentence(SentenceId),
}
