//! A detention: one continuous deprivation of liberty, or one step of it.

use serde::{Deserialize, Serialize};

use super::validate::{FieldErrors, Valid, text};
use super::{DetentionEndReason, DetentionKind, FacilityId, PartialDate, Visibility};

/// What a client writes about a detention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DetentionFields {
    pub kind: DetentionKind,
    pub started: PartialDate,
    /// `null` while the detention goes on.
    pub ended: Option<PartialDate>,
    pub facility_id: Option<FacilityId>,
    /// Internal: police, Investigative Committee, KGB…
    pub authority: Option<String>,
    pub end_reason: Option<DetentionEndReason>,
    /// Internal.
    pub notes: Option<String>,
    #[serde(default = "super::public")]
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
