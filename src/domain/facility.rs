//! A place of detention: where a prisoner is held and where letters reach them.

use serde::{Deserialize, Serialize};

use super::FacilityKind;
use super::validate::{FieldErrors, Valid, required_text, text};

/// What a client writes about a facility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FacilityFields {
    #[schema(example = "Pre-trial detention centre No. 1, Minsk", max_length = 200)]
    pub name: String,
    #[serde(default = "other")]
    pub kind: FacilityKind,
    #[schema(max_length = 200)]
    pub city: Option<String>,
    /// Where people write letters to prisoners held here.
    #[schema(example = "220030, г. Минск, ул. Володарского, 2", max_length = 1000)]
    pub postal_address: Option<String>,
    /// Internal.
    pub notes: Option<String>,
}

fn other() -> FacilityKind {
    FacilityKind::Other
}

impl FacilityFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let fields = FacilityFields {
            name: required_text(&mut e, "name", Some(self.name), 200),
            kind: self.kind,
            city: text(&mut e, "city", self.city, 200),
            postal_address: text(&mut e, "postal_address", self.postal_address, 1_000),
            notes: text(&mut e, "notes", self.notes, 20_000),
        };
        e.finish(Valid::new(fields))
    }
}
