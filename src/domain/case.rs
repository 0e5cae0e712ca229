//! A criminal case: the file that charges against one or more persons
//! belong to.

use serde::{Deserialize, Serialize};

use super::PartialDate;
use super::validate::schema::Text;
use super::validate::{FieldErrors, Valid, text};

/// What a client writes about a criminal case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "number": "12021010001",
    "opened": {"date": "2021-07", "precision": "month", "approximate": false},
    "authority": "Investigative Committee",
    "description": null
}))]
pub struct CaseFields {
    /// Internal: the number the investigators gave the case.
    #[schema(value_type = Option<Text<100>>, inline)]
    pub number: Option<String>,
    pub opened: Option<PartialDate>,
    /// Who investigates: Investigative Committee, KGB…
    #[schema(value_type = Option<Text<200>>, inline)]
    pub authority: Option<String>,
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub description: Option<String>,
}

impl CaseFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let fields = CaseFields {
            number: text(&mut e, "number", self.number, 100),
            opened: self.opened,
            authority: text(&mut e, "authority", self.authority, 200),
            description: text(&mut e, "description", self.description, 20_000),
        };
        e.finish(Valid::new(fields))
    }
}
