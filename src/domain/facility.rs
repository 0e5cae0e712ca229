//! A place of detention: where a prisoner is held and where letters reach them.

use serde::{Deserialize, Serialize};

use super::FacilityKind;
use super::validate::schema::{RequiredText, Text};
use super::validate::{self, FieldErrors, Valid};

/// What a client writes about a facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Pre-trial detention centre No. 1, Minsk",
    "kind": "pre_trial_centre",
    "city": "Minsk",
    "postal_address": "220030, г. Минск, ул. Володарского, 2",
    "notes": null
}))]
pub struct FacilityFields {
    #[schema(value_type = RequiredText<200>, inline)]
    pub name: String,
    #[serde(default = "other")]
    pub kind: FacilityKind,
    #[schema(value_type = Option<Text<200>>, inline)]
    pub city: Option<String>,
    /// Where people write letters to prisoners held here.
    #[schema(value_type = Option<Text<1000>>, inline)]
    pub postal_address: Option<String>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
}

fn other() -> FacilityKind {
    FacilityKind::Other
}

impl FacilityFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let fields = FacilityFields {
            name: validate::required_text(&mut e, "name", Some(self.name), 200),
            kind: self.kind,
            city: validate::text(&mut e, "city", self.city, 200),
            postal_address: validate::text(&mut e, "postal_address", self.postal_address, 1_000),
            notes: validate::text(&mut e, "notes", self.notes, 20_000),
        };
        e.finish(Valid::new(fields))
    }
}
