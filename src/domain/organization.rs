//! An organisation: one that recognises political prisoners, or one a
//! person belongs to.

use serde::{Deserialize, Serialize};

use super::OrganizationKind;
use super::validate::schema::{RequiredText, Text};
use super::validate::{FieldErrors, Valid, required_text, text, url};

/// What a client writes about an organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Human Rights Centre \"Viasna\"",
    "kind": "ngo",
    "country": "BY",
    "url": "https://spring96.org",
    "notes": null
}))]
pub struct OrganizationFields {
    #[schema(value_type = RequiredText<200>, inline)]
    pub name: String,
    #[serde(default = "other")]
    pub kind: OrganizationKind,
    #[schema(schema_with = country_schema)]
    pub country: Option<String>,
    #[schema(schema_with = super::validate::schema::url)]
    pub url: Option<String>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
}

fn other() -> OrganizationKind {
    OrganizationKind::Other
}

impl OrganizationFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let country = super::validate::code(self.country);
        if let Some(code) = &country
            && !is_country_code(code)
        {
            e.add(
                "country",
                "must be an ISO 3166-1 alpha-2 code in upper case, such as `BY`",
            );
        }
        let fields = OrganizationFields {
            name: required_text(&mut e, "name", Some(self.name), 200),
            kind: self.kind,
            country,
            url: url(&mut e, "url", self.url),
            notes: text(&mut e, "notes", self.notes, 20_000),
        };
        e.finish(Valid::new(fields))
    }
}

/// The officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRY_CODES: &str = "\
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
    HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP \
    KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY \
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
    NA NC NE NF NG NI NL NO NP NR NU NZ OM \
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
    VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// [`is_country_code`], or `""` for none.
fn country_schema() -> utoipa::openapi::schema::Object {
    let codes = COUNTRY_CODES
        .split_ascii_whitespace()
        .map(serde_json::Value::from);
    let values = std::iter::once("".into())
        .chain(codes)
        .chain([serde_json::Value::Null]);
    super::validate::schema::string(true)
        .enum_values(Some(values))
        .description(Some(
            "ISO 3166-1 alpha-2 code, upper case: `BY`, `LT`, `PL`; `\"\"` means none.",
        ))
        .build()
}

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && COUNTRY_CODES.split_ascii_whitespace().any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(country: &str) -> OrganizationFields {
        OrganizationFields {
            name: "Viasna".into(),
            kind: OrganizationKind::Ngo,
            country: Some(country.into()),
            url: None,
            notes: None,
        }
    }

    #[test]
    fn the_list_holds_every_assigned_code_once() {
        let codes: Vec<&str> = COUNTRY_CODES.split_ascii_whitespace().collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
    }

    #[test]
    fn an_assigned_upper_case_code_is_accepted() {
        for ok in ["BY", "LT", "PL", "UA", "DE"] {
            assert!(organization(ok).validate().is_ok(), "{ok}");
        }
    }

    #[test]
    fn lower_case_three_letter_and_unassigned_codes_are_refused() {
        for bad in ["by", "BLR", "XX", "B", "Б1", "ZZ"] {
            let errors = organization(bad).validate().unwrap_err();
            assert_eq!(errors.0[0].field, "country", "{bad}");
        }
    }
}
