//! Recognitions (political prisoner and others) and affiliations of a person.

use serde::Serialize;
use sqlx::PgConnection;

use super::Meta;
use super::{self as records, Record};
use crate::db;
use crate::db::affiliations::AffiliationRow;
use crate::db::recognitions::RecognitionRow;
use crate::db::sources::SourceRow;
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::affiliation::{AffiliationFields, RecognitionFields};
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    AffiliationId, OrganizationId, PartialDate, PersonId, RecognitionId, SourceId, Visibility,
};
use crate::error::AppResult;

/// An organisation as other records show it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganizationRef {
    pub id: OrganizationId,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RecognitionOut {
    pub id: RecognitionId,
    pub person_id: PersonId,
    pub organization: OrganizationRef,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub source_id: Option<SourceId>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for RecognitionRow {
    const KIND: &'static str = "recognition";
    const COLLECTION: &'static str = "recognitions";
    type Id = RecognitionId;
    type Fields = RecognitionFields;
    type Out = RecognitionOut;

    records::case_record!(
        id = RecognitionId,
        fields = RecognitionFields,
        db = db::recognitions
    );

    fn validate(fields: RecognitionFields) -> Result<Valid<RecognitionFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> RecognitionFields {
        RecognitionFields {
            organization_id: self.organization_id,
            since: self.since,
            until: self.until,
            source_id: self.source_id,
            notes: self.notes.clone(),
            visibility: self.visibility,
        }
    }

    fn reach(&self) -> Visibility {
        self.visibility
    }

    fn out(self, caller: &Caller) -> RecognitionOut {
        let RecognitionRow {
            id,
            person_id,
            organization_id,
            organization_name,
            since,
            until,
            source_id,
            source_visibility,
            notes,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        RecognitionOut {
            id,
            person_id,
            organization: OrganizationRef {
                id: organization_id,
                name: organization_name,
            },
            since,
            until,
            // Only a source the caller may see is pointed to.
            source_id: source_id.filter(|_| source_visibility.is_some_and(|v| caller.may_see(v))),
            notes: caller.reveal(Field::RecognitionNotes, notes),
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }

    fn carry_over(&self, caller: &Caller, patched: &mut RecognitionFields) {
        let visible = self.source_visibility.is_some_and(|v| caller.may_see(v));
        if self.source_id.is_some() && !visible {
            patched.source_id = self.source_id;
        }
    }

    async fn check_references(
        conn: &mut PgConnection,
        caller: &Caller,
        _person_id: Option<PersonId>,
        fields: &RecognitionFields,
        current: Option<&RecognitionFields>,
    ) -> AppResult<()> {
        let before = current.map(|c| c.source_id);
        records::must_refer::<SourceRow>(conn, caller, fields.source_id, before, "source_id").await
    }
}
#[derive(Serialize, utoipa::ToSchema)]
pub struct AffiliationOut {
    pub id: AffiliationId,
    pub person_id: PersonId,
    pub organization: OrganizationRef,
    pub role: Option<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Record for AffiliationRow {
    const KIND: &'static str = "affiliation";
    const COLLECTION: &'static str = "affiliations";
    type Id = AffiliationId;
    type Fields = AffiliationFields;
    type Out = AffiliationOut;

    records::case_record!(
        id = AffiliationId,
        fields = AffiliationFields,
        db = db::affiliations
    );

    fn validate(fields: AffiliationFields) -> Result<Valid<AffiliationFields>, FieldErrors> {
        fields.validate()
    }

    fn fields(&self) -> AffiliationFields {
        AffiliationFields {
            organization_id: self.organization_id,
            role: self.role.clone(),
            since: self.since,
            until: self.until,
            notes: self.notes.clone(),
            visibility: self.visibility,
        }
    }

    /// Affiliations are internal as a whole, whatever the record says.
    fn reach(&self) -> Visibility {
        self.visibility.max(Field::Affiliations.class())
    }

    fn out(self, _caller: &Caller) -> AffiliationOut {
        // Only callers who may read internal data reach here (see `visibility`).
        let AffiliationRow {
            id,
            person_id,
            organization_id,
            organization_name,
            role,
            since,
            until,
            notes,
            visibility,
            version,
            created_at,
            updated_at,
            archived_at: _,
        } = self;
        AffiliationOut {
            id,
            person_id,
            organization: OrganizationRef {
                id: organization_id,
                name: organization_name,
            },
            role,
            since,
            until,
            notes,
            visibility,
            meta: Meta {
                version,
                created_at,
                updated_at,
            },
        }
    }
}
