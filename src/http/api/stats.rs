//! `/stats`: how many persons were deprived of liberty on a day, or on each
//! month's (or year's) first day between two days.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use time::{Date, Month};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::Query;
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::error::{AppResult, Problem};
use crate::records::persons::{self, DetainedCount, today};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(detained))
}

/// Most points a series may have (twenty years of months): each point
/// counts every person with a record.
const MAX_POINTS: usize = 240;

/// Days a count may be asked for, as dates in the registry may be written
/// (the parameters' pattern says the same of their years).
const FIRST_DAY: Date = time::macros::date!(1900 - 01 - 01);
const LAST_DAY: Date = time::macros::date!(2100 - 12 - 31);

/// The step of a series.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Month,
    Year,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DetainedQuery {
    /// One day (today unless a series is asked for).
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date, pattern = "^(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$")]
    pub on: Option<Date>,
    /// A series from this day (its first point) …
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date, pattern = "^(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$")]
    pub from: Option<Date>,
    /// … to this day, with a point on the first day of each month (or
    /// year) after `from`; at most 240 points, between 1900 and 2100.
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date, pattern = "^(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$")]
    pub to: Option<Date>,
    /// `month` unless given.
    #[param(inline)]
    pub by: Option<Step>,
}

/// The days a query asks about, or what is wrong with it.
fn asked_days(q: &DetainedQuery) -> Result<Vec<Date>, FieldErrors> {
    let mut e = FieldErrors::new();
    match (q.on, q.from, q.to) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            e.add("on", "give either `on` or `from` and `to`");
        }
        (None, Some(_), None) => e.add("to", "is required with `from`"),
        (None, None, Some(_)) => e.add("from", "is required with `to`"),
        (None, Some(from), Some(to)) if from > to => e.add("to", "must not be before `from`"),
        _ => {}
    }
    if q.by.is_some() && (q.on.is_some() || q.from.is_none()) {
        e.add("by", "is given only with `from` and `to`");
    }
    for (field, day) in [("on", q.on), ("from", q.from), ("to", q.to)] {
        if day.is_some_and(|d| !(FIRST_DAY..=LAST_DAY).contains(&d)) {
            e.add(field, "must be between 1900 and 2100");
        }
    }
    e.finish(())?;
    let (Some(from), Some(to)) = (q.from, q.to) else {
        return Ok(vec![q.on.unwrap_or_else(today)]);
    };
    let step = q.by.unwrap_or(Step::Month);
    let mut days = vec![from];
    let mut next = period_start_after(from, step);
    while let Some(day) = next.filter(|d| *d <= to) {
        if days.len() == MAX_POINTS {
            return Err(FieldErrors::single("to", "gives more than 240 points"));
        }
        days.push(day);
        next = period_start_after(day, step);
    }
    Ok(days)
}

/// The first day of the month (or year) after the one `day` is in.
fn period_start_after(day: Date, step: Step) -> Option<Date> {
    match step {
        Step::Year => Date::from_calendar_date(day.year() + 1, Month::January, 1).ok(),
        Step::Month => {
            let (year, month) = match day.month() {
                Month::December => (day.year() + 1, Month::January),
                m => (day.year(), m.next()),
            };
            Date::from_calendar_date(year, month, 1).ok()
        }
    }
}

/// Persons deprived of liberty on a day, or on each point of a series:
/// the count the person list's `held=true&as_of=` gives, with how many of
/// them have that status from records with a date not known to the day.
#[utoipa::path(get, path = "/stats/detained", tag = "stats", params(DetainedQuery),
    responses((status = 200, body = Vec<DetainedCount>), (status = 422, body = Problem)))]
pub(super) async fn detained(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<DetainedQuery>,
) -> AppResult<Json<Vec<DetainedCount>>> {
    let days = asked_days(&q)?;
    Ok(Json(persons::detained_on(&state, &caller, &days).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn query(from: Date, to: Date, by: Option<Step>) -> DetainedQuery {
        DetainedQuery {
            on: None,
            from: Some(from),
            to: Some(to),
            by,
        }
    }

    #[test]
    fn a_series_has_a_point_on_each_months_first_day_after_its_start() {
        let months =
            asked_days(&query(date!(2020 - 11 - 15), date!(2021 - 02 - 01), None)).unwrap();
        assert_eq!(
            months,
            [
                date!(2020 - 11 - 15),
                date!(2020 - 12 - 01),
                date!(2021 - 01 - 01),
                date!(2021 - 02 - 01)
            ]
        );
        let years = days_of(date!(2019 - 06 - 30), date!(2021 - 12 - 31), Step::Year);
        assert_eq!(
            years,
            [
                date!(2019 - 06 - 30),
                date!(2020 - 01 - 01),
                date!(2021 - 01 - 01)
            ]
        );
        assert!(asked_days(&query(date!(1990 - 01 - 01), date!(2021 - 01 - 01), None)).is_err());
        assert!(asked_days(&query(date!(1899 - 12 - 31), date!(1900 - 01 - 01), None)).is_err());
        assert!(asked_days(&query(date!(2021 - 01 - 02), date!(2021 - 01 - 01), None)).is_err());
    }

    fn days_of(from: Date, to: Date, by: Step) -> Vec<Date> {
        asked_days(&query(from, to, Some(by))).unwrap()
    }
}
