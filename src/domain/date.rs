//! Dates known to a day, a month or a year ("2021-03", "c. late 2020").
//!
//! A partial date covers a span from its earliest to its latest day. It is
//! written as precisely as it is known and never padded into a fake day.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

/// How much of a date is known.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "date_precision", rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
}

/// A date with its precision. `earliest` is the first day of the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "partial_date")]
pub struct PartialDate {
    earliest: Date,
    precision: DatePrecision,
    approximate: bool,
}

/// Wire form: `{"date": "2020-11", "precision": "month", "approximate": false}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialDateWire {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: exactly the parts `precision` names.
    pub date: String,
    pub precision: DatePrecision,
    /// True for "c." / "late 2020".
    #[serde(default)]
    pub approximate: bool,
}

/// What a typed date may look like.
const INPUT_HINT: &str =
    "write a year (2021), a month (2021-07 or 07.2021) or a day (2021-07-14 or 14.07.2021)";

impl PartialDate {
    /// Parses the written date, which must have exactly the parts its
    /// precision names and be a real calendar day.
    pub fn parse(date: &str, precision: DatePrecision, approximate: bool) -> Result<Self, String> {
        let parts: Vec<&str> = date.split('-').collect();
        let wanted = match precision {
            DatePrecision::Year => 1,
            DatePrecision::Month => 2,
            DatePrecision::Day => 3,
        };
        let format_hint = match precision {
            DatePrecision::Year => "YYYY",
            DatePrecision::Month => "YYYY-MM",
            DatePrecision::Day => "YYYY-MM-DD",
        };
        let well_formed = parts.len() == wanted
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(format!(
                "`{date}` does not match precision `{}`: write it as {format_hint}",
                precision.as_str()
            ));
        }
        let number = |i: usize| parts.get(i).map_or(Ok(1), |p| p.parse::<u8>());
        let year: i32 = parts[0]
            .parse()
            .map_err(|_| format!("`{date}` is not a date"))?;
        let month = number(1).map_err(|_| format!("`{date}` is not a date"))?;
        let day = number(2).map_err(|_| format!("`{date}` is not a date"))?;
        let month = Month::try_from(month).map_err(|_| format!("`{date}` has no such month"))?;
        let earliest = Date::from_calendar_date(year, month, day)
            .map_err(|_| format!("`{date}` is not a day of the calendar"))?;
        if !(1900..=2100).contains(&year) {
            return Err(format!("`{date}` is outside the years 1900–2100"));
        }
        Ok(Self {
            earliest,
            precision,
            approximate,
        })
    }

    /// An exact, certain day.
    pub fn day(date: Date) -> Self {
        Self {
            earliest: date,
            precision: DatePrecision::Day,
            approximate: false,
        }
    }

    /// Parses a date as a person types it, its precision read from its
    /// shape: `2021`, `2021-07`, `2021-07-14`, or the day-first forms used
    /// in Belarus and Russia, `07.2021` and `14.07.2021`.
    pub fn from_input(typed: &str, approximate: bool) -> Result<Self, String> {
        let typed = typed.trim();
        let (date, precision) = if typed.contains('.') {
            let parts: Vec<&str> = typed.split('.').collect();
            match parts.as_slice() {
                [month, year] => (format!("{year}-{month:0>2}"), DatePrecision::Month),
                [day, month, year] => (format!("{year}-{month:0>2}-{day:0>2}"), DatePrecision::Day),
                _ => return Err(INPUT_HINT.into()),
            }
        } else {
            let precision = match typed.split('-').count() {
                1 => DatePrecision::Year,
                2 => DatePrecision::Month,
                3 => DatePrecision::Day,
                _ => return Err(INPUT_HINT.into()),
            };
            (typed.to_owned(), precision)
        };
        Self::parse(&date, precision, approximate).map_err(|e| {
            if e.contains("does not match precision") || e.contains("is not a date") {
                INPUT_HINT.into()
            } else {
                // Name the date as it was typed, not as it was rewritten.
                e.replace(&format!("`{date}`"), &format!("`{typed}`"))
            }
        })
    }

    pub fn earliest(&self) -> Date {
        self.earliest
    }

    pub fn precision(&self) -> DatePrecision {
        self.precision
    }

    pub fn approximate(&self) -> bool {
        self.approximate
    }

    /// Last day of the span.
    pub fn latest(&self) -> Date {
        let (year, month) = (self.earliest.year(), self.earliest.month());
        match self.precision {
            DatePrecision::Day => self.earliest,
            DatePrecision::Month => {
                Date::from_calendar_date(year, month, month.length(year)).unwrap_or(self.earliest)
            }
            DatePrecision::Year => {
                Date::from_calendar_date(year, Month::December, 31).unwrap_or(self.earliest)
            }
        }
    }

    /// Known to the day and not approximate.
    pub fn is_exact(&self) -> bool {
        self.precision == DatePrecision::Day && !self.approximate
    }

    /// The same date reduced to its year (what public callers see of a
    /// birth date).
    pub fn year_only(&self) -> Self {
        let earliest = Date::from_calendar_date(self.earliest.year(), Month::January, 1)
            .unwrap_or(self.earliest);
        Self {
            earliest,
            precision: DatePrecision::Year,
            approximate: self.approximate,
        }
    }

    /// The date as written: `2021`, `2021-07`, `2021-07-14`.
    pub fn written(&self) -> String {
        let d = self.earliest;
        match self.precision {
            DatePrecision::Year => format!("{:04}", d.year()),
            DatePrecision::Month => format!("{:04}-{:02}", d.year(), u8::from(d.month())),
            DatePrecision::Day => {
                format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
            }
        }
    }

    /// True when `end` cannot come after `self`: its latest day is before
    /// this date's earliest.
    pub fn ends_before(end: &PartialDate, start: &PartialDate) -> bool {
        end.latest() < start.earliest()
    }
}

/// A year [`PartialDate::parse`] accepts.
const YEAR: &str = "(?:19[0-9]{2}|20[0-9]{2}|2100)";
/// A month of such a year, and a day of it (the calendar is left to the
/// `date` format).
const MONTH: &str = "-(?:0[1-9]|1[0-2])";
const DAY: &str = "-(?:0[1-9]|[12][0-9]|3[01])";

impl utoipa::PartialSchema for PartialDate {
    /// One shape a precision, its `date` with exactly the parts the
    /// precision names, within the years 1900–2100.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let shape = |precision: DatePrecision, date: ObjectBuilder| {
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property("date", date.schema_type(Type::String))
                .required("date")
                .property(
                    "precision",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([precision.as_str()])),
                )
                .required("precision")
                .property(
                    "approximate",
                    ObjectBuilder::new()
                        .schema_type(Type::Boolean)
                        .description(Some("True for \"c.\" / \"late 2020\".")),
                )
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        };
        let year = ObjectBuilder::new().pattern(Some(format!("^{YEAR}$")));
        let month = ObjectBuilder::new().pattern(Some(format!("^{YEAR}{MONTH}$")));
        let day = ObjectBuilder::new()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(format!("^{YEAR}{MONTH}{DAY}$")));
        OneOfBuilder::new()
            .item(shape(DatePrecision::Year, year))
            .item(shape(DatePrecision::Month, month))
            .item(shape(DatePrecision::Day, day))
            .description(Some(
                "A date as precisely as it is known: `date` has exactly the parts `precision` \
                 names (`2020`, `2020-11`, `2020-11-03`), between 1900 and 2100.",
            ))
            .examples([serde_json::json!(
                {"date": "2021-07", "precision": "month", "approximate": false}
            )])
            .into()
    }
}

impl utoipa::ToSchema for PartialDate {
    fn name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PartialDateWire {
            date: self.written(),
            precision: self.precision,
            approximate: self.approximate,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = PartialDateWire::deserialize(deserializer)?;
        PartialDate::parse(&wire.date, wire.precision, wire.approximate)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_takes_its_precision_from_its_shape() {
        let cases = [
            ("2021", DatePrecision::Year, "2021"),
            ("2021-07", DatePrecision::Month, "2021-07"),
            ("7.2021", DatePrecision::Month, "2021-07"),
            ("14.07.2021", DatePrecision::Day, "2021-07-14"),
            (" 2021-07-14 ", DatePrecision::Day, "2021-07-14"),
        ];
        for (typed, precision, written) in cases {
            let date = PartialDate::from_input(typed, false).unwrap();
            assert_eq!(
                (date.precision(), date.written().as_str()),
                (precision, written)
            );
        }
    }

    #[test]
    fn an_impossible_typed_date_is_named_as_typed() {
        let e = PartialDate::from_input("30.02.2021", false).unwrap_err();
        assert!(e.contains("`30.02.2021`"), "{e}");
        assert!(
            PartialDate::from_input("next week", false)
                .unwrap_err()
                .contains("2021-07")
        );
    }

    #[test]
    fn a_month_precision_date_spans_the_whole_month() {
        let d = PartialDate::parse("2021-02", DatePrecision::Month, false).unwrap();
        assert_eq!(d.earliest().to_string(), "2021-02-01");
        assert_eq!(d.latest().to_string(), "2021-02-28");
        assert_eq!(d.written(), "2021-02");
    }

    #[test]
    fn an_impossible_day_is_refused() {
        assert!(PartialDate::parse("2021-02-30", DatePrecision::Day, false).is_err());
        assert!(PartialDate::parse("2021-13", DatePrecision::Month, false).is_err());
    }

    #[test]
    fn parts_must_match_the_precision() {
        assert!(PartialDate::parse("2021-02-03", DatePrecision::Month, false).is_err());
        assert!(PartialDate::parse("2021", DatePrecision::Day, false).is_err());
        assert!(PartialDate::parse("21-02", DatePrecision::Month, false).is_err());
        assert!(PartialDate::parse("2021-2", DatePrecision::Month, false).is_err());
    }

    #[test]
    fn an_end_is_impossible_only_when_its_latest_day_is_before_the_start() {
        let start = PartialDate::parse("2021-03-15", DatePrecision::Day, false).unwrap();
        let same_month = PartialDate::parse("2021-03", DatePrecision::Month, false).unwrap();
        let before = PartialDate::parse("2021-02", DatePrecision::Month, false).unwrap();
        assert!(!PartialDate::ends_before(&same_month, &start));
        assert!(PartialDate::ends_before(&before, &start));
    }

    #[test]
    fn a_birth_date_reduced_to_its_year_keeps_only_the_year() {
        let d = PartialDate::parse("1962-09-25", DatePrecision::Day, false).unwrap();
        assert_eq!(d.year_only().written(), "1962");
    }
}

/// A whole day written `YYYY-MM-DD`, as the API and page addresses carry it.
pub fn parse_day(written: &str) -> Option<Date> {
    Date::parse(
        written.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

// `YYYY-MM-DD` for whole days (`iso_day::option` for optional ones).
time::serde::format_description!(pub iso_day, Date, "[year]-[month]-[day]");
