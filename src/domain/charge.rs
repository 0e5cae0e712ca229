//! A charge under a legal article, and the sentence a court pronounced.

use serde::{Deserialize, Serialize};

use super::validate::schema::Text;
use super::validate::{FieldErrors, Valid, text};
use super::{
    ArticleId, CaseId, ChargeId, ChargeStatus, DetentionId, FacilityId, PartialDate, Regime,
    SentenceKind, Visibility,
};

/// What a client writes about a charge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeFields {
    /// From `/articles?number=342`.
    pub article_id: ArticleId,
    /// Part of the article, as the code numbers it: `3`; `""` means none.
    #[schema(schema_with = part_schema)]
    pub part: Option<String>,
    /// The criminal case (internal).
    pub case_id: Option<CaseId>,
    /// The detention the charge belongs to; the same person's.
    pub detention_id: Option<DetentionId>,
    pub filed: Option<PartialDate>,
    #[serde(default = "charged")]
    pub status: ChargeStatus,
    /// Since when the status holds, not before `filed`; history keeps the
    /// sequence.
    pub status_since: Option<PartialDate>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    #[serde(default = "super::public")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

/// What a part of an article may be: letters, digits, dots and hyphens.
const PART: &str = "[0-9A-Za-z.-]{1,20}";

fn part_schema() -> utoipa::openapi::schema::Object {
    super::validate::schema::code(PART)
        .description(Some(
            "Part of the article, as the code numbers it: `3`; `\"\"` means none.",
        ))
        .build()
}

fn charged() -> ChargeStatus {
    ChargeStatus::Charged
}

impl ChargeFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let part = super::validate::code(self.part);
        if let Some(p) = &part
            && !(p.len() <= 20
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            e.add(
                "part",
                "must be a part number as the code writes it, e.g. `3`",
            );
        }
        if let (Some(filed), Some(since)) = (&self.filed, &self.status_since)
            && PartialDate::ends_before(since, filed)
        {
            e.add("status_since", "must not be before `filed`");
        }
        let fields = ChargeFields {
            part,
            notes: text(&mut e, "notes", self.notes, 20_000),
            ..self
        };
        e.finish(Valid::new(fields))
    }
}

/// What a client writes about a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SentenceFields {
    /// `imprisonment`, `restriction_of_freedom` and
    /// `administrative_arrest` need `term_months` or `term_days`; a `fine`
    /// needs `fine_basic_units` or `fine_amount`.
    pub kind: SentenceKind,
    pub pronounced: Option<PartialDate>,
    #[schema(value_type = Option<Text<300>>, inline)]
    pub court: Option<String>,
    /// Internal.
    #[schema(value_type = Option<Text<200>>, inline)]
    pub judge: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::validate::whole::option::deserialize"
    )]
    #[schema(minimum = 0, maximum = 1_200)]
    pub term_months: Option<i32>,
    #[serde(
        default,
        deserialize_with = "super::validate::whole::option::deserialize"
    )]
    #[schema(minimum = 0, maximum = 36_500)]
    pub term_days: Option<i32>,
    pub regime: Option<Regime>,
    /// Fine in "basic amounts".
    #[serde(
        default,
        deserialize_with = "super::validate::whole::option::deserialize"
    )]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub fine_basic_units: Option<i32>,
    #[schema(schema_with = fine_amount_schema)]
    pub fine_amount: Option<String>,
    #[schema(schema_with = currency_schema)]
    pub currency: Option<String>,
    /// The charges this sentence covers: the same person's, each once.
    #[serde(default)]
    #[schema(schema_with = charge_ids_schema)]
    pub charge_ids: Vec<ChargeId>,
    /// Where the sentence is served.
    pub facility_id: Option<FacilityId>,
    #[serde(default)]
    pub in_absentia: bool,
    #[schema(value_type = Option<Text<2_000>>, inline)]
    pub appeal_outcome: Option<String>,
    /// Not before `pronounced`.
    pub released_on: Option<PartialDate>,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    #[serde(default = "super::public")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
}

fn charge_ids_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("ChargeId"))
        .unique_items(true)
        .description(Some(
            "The charges this sentence covers: the same person's, each once.",
        ))
        .build()
}

/// What [`is_money`] accepts.
const MONEY: &str = r"[0-9]{1,12}(?:\.[0-9]{1,2})?";

fn fine_amount_schema() -> utoipa::openapi::schema::Object {
    super::validate::schema::code(MONEY)
        .description(Some(
            "Fine in currency, as a decimal string: `\"920.00\"`; `\"\"` means none.",
        ))
        .build()
}

fn currency_schema() -> utoipa::openapi::schema::Object {
    super::validate::schema::code("[A-Z]{3}")
        .description(Some(
            "ISO 4217 code, with `fine_amount` and only with it: `BYN`; `\"\"` means none.",
        ))
        .build()
}

impl SentenceFields {
    pub fn validate(self) -> Result<Valid<Self>, FieldErrors> {
        let mut e = FieldErrors::new();
        let needs_term = matches!(
            self.kind,
            SentenceKind::Imprisonment
                | SentenceKind::RestrictionOfFreedom
                | SentenceKind::AdministrativeArrest
        );
        if needs_term && self.term_months.is_none() && self.term_days.is_none() {
            e.add(
                "term_months",
                "a sentence of this kind needs `term_months` or `term_days`",
            );
        }
        // Bounded so that a term can always be added to a date.
        let bounds = [
            ("term_months", self.term_months, 1_200),
            ("term_days", self.term_days, 36_500),
            ("fine_basic_units", self.fine_basic_units, 1_000_000),
        ];
        for (field, value, max) in bounds {
            match value {
                Some(v) if v < 0 => e.add(field, "must not be negative"),
                Some(v) if v > max => e.add(field, format!("must be at most {max}")),
                _ => {}
            }
        }
        if self.kind == SentenceKind::Fine
            && self.fine_basic_units.is_none()
            && self.fine_amount.is_none()
        {
            e.add(
                "fine_basic_units",
                "a fine needs `fine_basic_units` or `fine_amount`",
            );
        }
        let fine_amount = super::validate::code(self.fine_amount);
        if let Some(amount) = &fine_amount
            && !is_money(amount)
        {
            e.add(
                "fine_amount",
                "must be a decimal amount such as `920` or `920.50`",
            );
        }
        let currency = super::validate::code(self.currency);
        match (&fine_amount, &currency) {
            (Some(_), None) => e.add("currency", "is required with `fine_amount`"),
            (None, Some(_)) => e.add("currency", "is given only with `fine_amount`"),
            (_, Some(c)) if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) => {
                e.add("currency", "must be an ISO 4217 code such as `BYN`")
            }
            _ => {}
        }
        let mut charge_ids = self.charge_ids.clone();
        charge_ids.sort();
        charge_ids.dedup();
        if charge_ids.len() != self.charge_ids.len() {
            e.add("charge_ids", "lists a charge twice");
        }
        if let (Some(pronounced), Some(released)) = (&self.pronounced, &self.released_on)
            && PartialDate::ends_before(released, pronounced)
        {
            e.add("released_on", "must not be before `pronounced`");
        }
        let fields = SentenceFields {
            court: text(&mut e, "court", self.court, 300),
            judge: text(&mut e, "judge", self.judge, 200),
            appeal_outcome: text(&mut e, "appeal_outcome", self.appeal_outcome, 2_000),
            notes: text(&mut e, "notes", self.notes, 20_000),
            fine_amount,
            currency,
            ..self
        };
        e.finish(Valid::new(fields))
    }
}

/// Digits with at most two decimals.
fn is_money(s: &str) -> bool {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    !whole.is_empty()
        && whole.len() <= 12
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.len() <= 2
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (fraction.is_empty() != s.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(kind: SentenceKind) -> SentenceFields {
        SentenceFields {
            kind,
            pronounced: None,
            court: None,
            judge: None,
            term_months: None,
            term_days: None,
            regime: None,
            fine_basic_units: None,
            fine_amount: None,
            currency: None,
            charge_ids: vec![],
            facility_id: None,
            in_absentia: false,
            appeal_outcome: None,
            released_on: None,
            notes: None,
            visibility: Visibility::Public,
        }
    }

    #[test]
    fn imprisonment_without_a_term_is_refused() {
        let err = sentence(SentenceKind::Imprisonment).validate().unwrap_err();
        assert_eq!(err.0[0].field, "term_months");
        let ok = SentenceFields {
            term_months: Some(120),
            ..sentence(SentenceKind::Imprisonment)
        };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn a_fine_in_currency_needs_a_well_formed_amount_and_currency() {
        let ok = SentenceFields {
            fine_basic_units: Some(40),
            fine_amount: Some("920".into()),
            currency: Some("BYN".into()),
            ..sentence(SentenceKind::Fine)
        };
        assert!(ok.validate().is_ok());
        let bad = SentenceFields {
            fine_amount: Some("9,20".into()),
            ..sentence(SentenceKind::Fine)
        };
        let fields: Vec<_> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["fine_amount", "currency"]);
    }

    #[test]
    fn money_has_at_most_two_decimals() {
        assert!(is_money("920.5"));
        assert!(!is_money("920."));
        assert!(!is_money("920.505"));
        assert!(!is_money("-1"));
    }
}

/// The day a custodial term runs out when counted from the pronouncement,
/// as the status rules count it: approximate unless the pronouncement is
/// known to the day. Time served before the verdict is not subtracted (the
/// documents seldom say how much counts).
pub fn term_end(pronounced: &PartialDate, months: i32, days: i32) -> Option<PartialDate> {
    let start = pronounced.earliest();
    let total_months = i32::from(u8::from(start.month())) - 1 + months.max(0);
    let year = start.year() + total_months.div_euclid(12);
    let month = time::Month::try_from(u8::try_from(total_months.rem_euclid(12) + 1).ok()?).ok()?;
    let day = start.day().min(month.length(year));
    let end = time::Date::from_calendar_date(year, month, day).ok()?
        + time::Duration::days(i64::from(days.max(0)));
    let exact = PartialDate::day(end);
    Some(if pronounced.is_exact() {
        exact
    } else {
        PartialDate::parse(&exact.written(), super::DatePrecision::Day, true).ok()?
    })
}

#[cfg(test)]
mod term_tests {
    use super::*;
    use crate::domain::DatePrecision;

    #[test]
    fn a_term_runs_from_the_pronouncement_and_is_uncertain_with_it() {
        let day = PartialDate::parse("2023-03-03", DatePrecision::Day, false).unwrap();
        assert_eq!(term_end(&day, 120, 0).unwrap().written(), "2033-03-03");
        let month = PartialDate::parse("2021-12", DatePrecision::Month, false).unwrap();
        let end = term_end(&month, 18, 0).unwrap();
        assert_eq!(
            (end.written().as_str(), end.approximate()),
            ("2023-06-01", true)
        );
    }
}
