//! A detention: one continuous deprivation of liberty, or one step of it.

use serde::{Deserialize, Serialize};

use super::validate::schema::Text;
use super::validate::{FieldErrors, Valid, text};
use super::{DetentionEndReason, DetentionKind, FacilityId, PartialDate, Visibility};

/// What a client writes about a detention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "pre_trial",
    "started": {"date": "2021-07-14", "precision": "day", "approximate": false},
    "ended": null,
    "facility_id": null,
    "authority": "Investigative Committee",
    "end_reason": null,
    "notes": null,
    "visibility": "public"
}))]
pub struct DetentionFields {
    pub kind: DetentionKind,
    pub started: PartialDate,
    /// `null` while the detention goes on; not before `started`.
    pub ended: Option<PartialDate>,
    pub facility_id: Option<FacilityId>,
    /// Internal: police, Investigative Committee, KGB…
    #[schema(value_type = Option<Text<200>>, inline)]
    pub authority: Option<String>,
    /// Only with `ended`.
    pub end_reason: Option<DetentionEndReason>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    #[serde(default = "super::public")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

impl DetentionFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        if let Some(ended) = &self.ended
            && PartialDate::ends_before(ended, &self.started)
        {
            e.add("ended", "must not be before `started`");
        }
        if self.end_reason.is_some() && self.ended.is_none() {
            e.add("end_reason", "needs `ended`");
        }
        let fields = DetentionFields {
            authority: text(&mut e, "authority", self.authority, 200),
            notes: text(&mut e, "notes", self.notes, 20_000),
            ..self
        };
        e.finish(Valid::new(fields))
    }
}
