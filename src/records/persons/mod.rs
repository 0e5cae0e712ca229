//! A person as a caller may see them, their whole case, and the writes on
//! a person.

pub mod merge;
mod write;

pub use write::{archive, change_on, create, create_on, current_fields, restore, update};

use std::collections::HashMap;

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::charges::{ChargeOut, SentenceOut};
use super::citations::CitationOut;
use super::detentions::DetentionOut;
use super::recognitions::{AffiliationOut, RecognitionOut};
use super::{Meta, Record};
use crate::db;
use crate::db::persons::{NameMatch, PersonFilter, PersonRow};
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::person::{ExternalId, PersonName};
use crate::domain::{Gender, PartialDate, PersonId, PersonStatus, Visibility};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A person as a caller may see them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PersonOut {
    pub id: PersonId,
    pub names: Vec<PersonName>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<Vec<ExternalId>>)]
    pub external_ids: Guarded<Vec<ExternalId>>,
    /// Exact for internal readers; the year only for public ones.
    pub birth_date: Option<PartialDate>,
    pub gender: Option<Gender>,
    pub pronouns: Option<String>,
    pub occupation: Option<String>,
    pub region: Option<String>,
    pub visibility: Visibility,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub notes: Guarded<Option<String>>,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub restricted_notes: Guarded<Option<String>>,
    /// Derived from detentions and sentences unless overridden.
    pub status: PersonStatus,
    /// True when the status rests on a date not known to the day.
    pub status_uncertain: bool,
    /// The day the status is for.
    #[serde(with = "crate::domain::date::iso_day")]
    #[schema(value_type = String, format = Date)]
    pub status_as_of: Date,
    pub status_override: Option<StatusOverrideOut>,
    /// In a list searched by `q`: the name that matched, and how closely.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_match: Option<NameMatch>,
    #[serde(flatten)]
    pub meta: Meta,
}

impl Facets {
    /// Each facet with its name and values, in the order pages show them.
    pub fn each(&self) -> [(&'static str, &[FacetValue]); 7] {
        [
            ("status", &self.status),
            ("article", &self.article),
            ("facility", &self.facility),
            ("organization", &self.organization),
            ("region", &self.region),
            ("detention_year", &self.detention_year),
            ("recognized", &self.recognized),
        ]
    }
}

impl PersonOut {
    /// The name shown first.
    pub fn primary_name(&self) -> &str {
        crate::domain::person::primary_name(&self.names)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StatusOverrideOut {
    pub status: PersonStatus,
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<String>)]
    pub reason: Guarded<String>,
    #[serde(with = "crate::domain::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub since: Option<Date>,
    #[serde(with = "crate::domain::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<Date>,
}

/// Everything about a person's data a response may draw on.
pub struct PersonParts {
    pub row: PersonRow,
    pub names: Vec<PersonName>,
    pub external_ids: Vec<ExternalId>,
    pub status: (PersonStatus, bool),
    pub as_of: Date,
    /// In a searched list: the name that matched.
    pub name_match: Option<NameMatch>,
}

/// Builds the response from an explicit decision for every column.
pub fn person_out(state: &AppState, caller: &Caller, parts: PersonParts) -> AppResult<PersonOut> {
    let PersonParts {
        row,
        names,
        external_ids,
        status,
        as_of,
        name_match,
    } = parts;
    let PersonRow {
        id,
        birth_date,
        gender,
        pronouns,
        occupation,
        region,
        visibility,
        notes,
        restricted_notes,
        status_override,
        status_override_reason,
        status_override_since,
        status_override_until,
        version,
        created_at,
        updated_at,
        archived_at: _,
    } = row;
    let birth_date = match caller.reveal(Field::PersonBirthDateExact, birth_date) {
        Guarded::Shown(d) => d,
        Guarded::Withheld => birth_date.map(|d| d.year_only()),
    };
    let restricted_notes = match caller.reveal(Field::PersonRestrictedNotes, restricted_notes) {
        Guarded::Shown(sealed) => {
            Guarded::Shown(sealed.map(|s| state.cipher.open(&s)).transpose()?)
        }
        Guarded::Withheld => Guarded::Withheld,
    };
    Ok(PersonOut {
        id,
        names,
        external_ids: caller.reveal(Field::PersonExternalIds, external_ids),
        birth_date,
        gender,
        pronouns,
        occupation,
        region,
        visibility,
        notes: caller.reveal(Field::PersonNotes, notes),
        restricted_notes,
        status: status.0,
        status_uncertain: status.1,
        status_as_of: as_of,
        status_override: status_override.map(|status| StatusOverrideOut {
            status,
            reason: caller.reveal(
                Field::PersonStatusOverrideReason,
                status_override_reason.unwrap_or_default(),
            ),
            since: status_override_since,
            until: status_override_until,
        }),
        name_match,
        meta: Meta {
            version,
            created_at,
            updated_at,
        },
    })
}

/// Today in UTC: the day statuses are for unless `as_of` says otherwise.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The person if the caller may see them (not archived, visible).
pub async fn visible_person(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    id: PersonId,
    for_update: bool,
) -> AppResult<PersonRow> {
    db::persons::get(conn, id, for_update)
        .await?
        .filter(|p| p.archived_at.is_none() && caller.may_see(p.visibility))
        .ok_or(AppError::NotFound)
}

pub async fn load_parts(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    row: PersonRow,
    as_of: Date,
) -> AppResult<PersonParts> {
    let names = db::persons::names(&mut *conn, row.id).await?;
    let external_ids = db::persons::external_ids(&mut *conn, row.id).await?;
    let status = db::persons::status_on(&mut *conn, row.id, as_of, caller.max_visibility()).await?;
    Ok(PersonParts {
        row,
        names,
        external_ids,
        status,
        as_of,
        name_match: None,
    })
}

/// A person's whole case: one request draws a case page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PersonCase {
    #[serde(flatten)]
    pub person: PersonOut,
    /// Internal: left out for public readers.
    #[serde(skip_serializing_if = "Guarded::is_withheld")]
    #[schema(value_type = Option<Vec<AffiliationOut>>)]
    pub affiliations: Guarded<Vec<AffiliationOut>>,
    pub recognitions: Vec<RecognitionOut>,
    pub detentions: Vec<DetentionOut>,
    pub charges: Vec<ChargeOut>,
    pub sentences: Vec<SentenceOut>,
    /// Sources cited for the person and for each of their records.
    pub sources: Vec<CitationOut>,
}

/// A person's whole case as the caller may see it, with statuses as of
/// `day`.
pub async fn read_case(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    day: Date,
) -> AppResult<PersonCase> {
    let mut conn = state.pool.acquire().await?;
    let row = visible_person(&mut conn, caller, id, false).await?;
    let parts = load_parts(&mut conn, caller, row, day).await?;
    let person = person_out(state, caller, parts)?;
    load_case(&mut conn, caller, person).await
}

/// The records of a case the caller may see.
pub async fn load_case(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    person: PersonOut,
) -> AppResult<PersonCase> {
    let (id, max) = (person.id, caller.max_visibility());
    let affiliations = match caller.reveal(Field::Affiliations, ()) {
        Guarded::Shown(()) => Guarded::Shown(outs(
            caller,
            db::affiliations::for_person(&mut *conn, id, max).await?,
        )),
        Guarded::Withheld => Guarded::Withheld,
    };
    Ok(PersonCase {
        person,
        affiliations,
        recognitions: outs(
            caller,
            db::recognitions::for_person(&mut *conn, id, max).await?,
        ),
        detentions: outs(
            caller,
            db::detentions::for_person(&mut *conn, id, max).await?,
        ),
        charges: outs(caller, db::charges::for_person(&mut *conn, id, max).await?),
        sentences: outs(
            caller,
            db::sentences::for_person(&mut *conn, id, max).await?,
        ),
        sources: outs(
            caller,
            db::citations::for_person(&mut *conn, id, max).await?,
        ),
    })
}

fn outs<R: Record>(caller: &Caller, rows: Vec<R>) -> Vec<R::Out> {
    rows.into_iter().map(|r| r.out(caller)).collect()
}

/// One value of a facet and how many persons have it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    /// As the list's filter of the same name takes it.
    pub value: String,
    /// A name to show: of the facility, organisation or article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub count: i64,
}

/// The persons a list's filters select, counted by each value of each
/// facet, most first (years newest first). A facet whose filter is set is
/// empty: a person may have several values, and the list takes one.
#[derive(Serialize, utoipa::ToSchema, Default)]
pub struct Facets {
    pub total: i64,
    pub status: Vec<FacetValue>,
    pub article: Vec<FacetValue>,
    pub facility: Vec<FacetValue>,
    pub organization: Vec<FacetValue>,
    pub region: Vec<FacetValue>,
    pub detention_year: Vec<FacetValue>,
    pub recognized: Vec<FacetValue>,
}

/// The facets of the persons `filter` selects, as the caller may see them.
pub async fn facets(
    state: &AppState,
    caller: &Caller,
    filter: PersonFilter,
    day: Date,
) -> AppResult<Facets> {
    let filter = PersonFilter {
        max_visibility: Some(caller.max_visibility()),
        ..filter
    };
    let counts = db::persons::facets(&mut *state.pool.acquire().await?, &filter, day).await?;
    let mut facets = Facets::default();
    for c in counts {
        let value = FacetValue {
            value: c.value,
            label: c.label,
            count: c.count,
        };
        let list = match c.facet.as_str() {
            "total" => {
                facets.total = value.count;
                continue;
            }
            "status" => &mut facets.status,
            "article" => &mut facets.article,
            "facility" => &mut facets.facility,
            "organization" => &mut facets.organization,
            "region" => &mut facets.region,
            "detention_year" => &mut facets.detention_year,
            "recognized" => &mut facets.recognized,
            other => return Err(anyhow::anyhow!("unknown facet {other}").into()),
        };
        list.push(value);
    }
    // Years read best in their order, newest first.
    facets.detention_year.sort_by(|a, b| b.value.cmp(&a.value));
    Ok(facets)
}

/// How many persons were deprived of liberty on a day.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DetainedCount {
    #[serde(with = "crate::domain::date::iso_day")]
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub detained: i64,
    /// How many of them have that status from records with a date not
    /// known to the day (a detention known to the month counts from the
    /// month's first day, and one ending in a month known to the month ends
    /// on its first day).
    pub uncertain: i64,
}

/// Persons deprived of liberty on each of `days`, as the caller may see
/// them: the count the list's `held` filter gives for that day.
pub async fn detained_on(
    state: &AppState,
    caller: &Caller,
    days: &[Date],
) -> AppResult<Vec<DetainedCount>> {
    let counted = db::persons::detained_on(&state.pool, caller.max_visibility(), days).await?;
    // Days nobody could be counted on (no persons at all) count nought.
    Ok(days
        .iter()
        .map(|&date| {
            let (detained, uncertain) = counted
                .iter()
                .find(|(day, _, _)| *day == date)
                .map_or((0, 0), |(_, d, u)| (*d, *u));
            DetainedCount {
                date,
                detained,
                uncertain,
            }
        })
        .collect())
}

/// Longest name search accepted, in characters: no name is longer, and a
/// search's cost grows with its length.
pub const MAX_SEARCH_CHARS: usize = 200;

/// One page of the persons `filter` selects, as the caller may see them
/// (the filter's visibility is the caller's, whatever it said), and whether
/// another page follows.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    filter: PersonFilter,
    day: Date,
) -> AppResult<(Vec<PersonOut>, bool)> {
    list_on(
        &mut *state.pool.acquire().await?,
        state,
        caller,
        filter,
        day,
    )
    .await
}

/// [`list`] on a connection of the caller's (an export reads every page
/// in one transaction).
pub async fn list_on(
    conn: &mut sqlx::PgConnection,
    state: &AppState,
    caller: &Caller,
    filter: PersonFilter,
    day: Date,
) -> AppResult<(Vec<PersonOut>, bool)> {
    let limit = usize::try_from(filter.limit).unwrap_or(0);
    // One row more than the page tells whether another page follows.
    let filter = PersonFilter {
        max_visibility: Some(caller.max_visibility()),
        limit: filter.limit + 1,
        ..filter
    };
    let mut rows = db::persons::list(&mut *conn, &filter, day).await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let ids: Vec<PersonId> = rows.iter().map(|l| l.row.id).collect();
    let mut names = group(db::persons::names_of(&mut *conn, &ids).await?);
    let mut external_ids = group(db::persons::external_ids_of(&mut *conn, &ids).await?);
    let mut items = Vec::with_capacity(rows.len());
    for listed in rows {
        let parts = PersonParts {
            names: names.remove(&listed.row.id).unwrap_or_default(),
            external_ids: external_ids.remove(&listed.row.id).unwrap_or_default(),
            row: listed.row,
            status: (listed.status, listed.uncertain),
            as_of: day,
            name_match: listed.matched,
        };
        items.push(person_out(state, caller, parts)?);
    }
    Ok((items, more))
}

/// Groups `(person, value)` pairs by person, keeping their order.
fn group<T>(pairs: Vec<(PersonId, T)>) -> HashMap<PersonId, Vec<T>> {
    let mut map: HashMap<PersonId, Vec<T>> = HashMap::new();
    for (id, value) in pairs {
        map.entry(id).or_default().push(value);
    }
    map
}
