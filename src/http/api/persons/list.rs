//! The person list with its filters.

use axum::extract::State;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::{PersonOut, PersonParts, person_out, today};
use crate::db;
use crate::db::persons::PersonFilter;
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::domain::{FacilityId, OrganizationId, PersonId, PersonStatus};
use crate::error::{AppResult, Problem};
use crate::http::api::extract::Query;
use crate::http::api::{Page, page_size};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Part of a name, in any script.
    pub q: Option<String>,
    pub status: Option<PersonStatus>,
    /// Article number as the code writes it: `342`, `193.1`, `361-1`.
    pub article: Option<String>,
    pub article_part: Option<String>,
    pub facility: Option<FacilityId>,
    pub organization: Option<OrganizationId>,
    pub recognized: Option<bool>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub detained_from: Option<Date>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub detained_to: Option<Date>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<OffsetDateTime>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// List persons with filters; seek pagination.
#[utoipa::path(get, path = "/persons", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Page<PersonOut>), (status = 422, body = Problem)))]
pub(super) async fn list_persons(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PersonQuery>,
) -> AppResult<axum::Json<Page<PersonOut>>> {
    let limit = page_size(q.limit)?;
    let mut errors = FieldErrors::new();
    if q.article_part.is_some() && q.article.is_none() {
        errors.add("article_part", "needs `article`");
    }
    if let (Some(from), Some(to)) = (q.detained_from, q.detained_to)
        && from > to
    {
        errors.add("detained_to", "must not be before `detained_from`");
    }
    errors.finish(())?;
    let after = q
        .cursor
        .as_deref()
        .map(|c| c.parse().map(PersonId))
        .transpose()
        .map_err(|_| FieldErrors::single("cursor", "is not a cursor from this list"))?;
    let filter = PersonFilter {
        max_visibility: Some(caller.max_visibility()),
        q: q.q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        status: q.status,
        as_of: q.as_of,
        article: q.article,
        article_part: q.article_part,
        facility: q.facility,
        organization: q.organization,
        recognized: q.recognized,
        detained_from: q.detained_from,
        detained_to: q.detained_to,
        updated_since: q.updated_since,
        after,
        limit: limit + 1,
    };
    let day = q.as_of.unwrap_or_else(today);
    let mut rows = db::persons::list(&state.pool, &filter, day).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = more
        .then(|| rows.last().map(|(p, _, _)| p.id.to_string()))
        .flatten();
    let ids: Vec<PersonId> = rows.iter().map(|(p, _, _)| p.id).collect();
    let mut names = group(db::persons::names_of(&state.pool, &ids).await?);
    let mut external_ids = group(db::persons::external_ids_of(&state.pool, &ids).await?);
    let mut items = Vec::with_capacity(rows.len());
    for (row, status, uncertain) in rows {
        let parts = PersonParts {
            names: names.remove(&row.id).unwrap_or_default(),
            external_ids: external_ids.remove(&row.id).unwrap_or_default(),
            row,
            status: (status, uncertain),
            as_of: day,
        };
        items.push(person_out(&state, &caller, parts)?);
    }
    Ok(axum::Json(Page { items, next_cursor }))
}

/// Groups `(person, value)` pairs by person, keeping their order.
fn group<T>(pairs: Vec<(PersonId, T)>) -> std::collections::HashMap<PersonId, Vec<T>> {
    let mut map: std::collections::HashMap<PersonId, Vec<T>> = std::collections::HashMap::new();
    for (id, value) in pairs {
        map.entry(id).or_default().push(value);
    }
    map
}
