//! The person list with its filters.

use axum::extract::State;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::db::persons::{PersonFilter, PersonSort};
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::domain::{FacilityId, OrganizationId, PersonId, PersonStatus};
use crate::error::{AppResult, Problem};
use crate::http::api::extract::Query;
use crate::http::api::{Cursor, Page, page_size};
use crate::records::persons::{self, Facets, MAX_SEARCH_CHARS, PersonOut, today};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// A name or part of one, in any script and spelling (transliterations,
    /// missing diacritics, a typo or two, any word order). Results come
    /// closest first, each with the name that matched (`name_match`).
    #[param(max_length = 200)]
    pub q: Option<String>,
    pub status: Option<PersonStatus>,
    /// Article number as the code writes it: `342`, `193.1`, `361-1`.
    pub article: Option<String>,
    /// A part of `article` (and only with it): `3`.
    pub article_part: Option<String>,
    pub facility: Option<FacilityId>,
    pub organization: Option<OrganizationId>,
    pub recognized: Option<bool>,
    /// Deprived of liberty on `as_of` (today unless given), or not.
    pub held: Option<bool>,
    /// The region, exactly (any case).
    pub region: Option<String>,
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
    /// `name` for the primary name's order (paged by position); otherwise
    /// creation order, or closest first with `q`.
    #[param(inline)]
    pub sort: Option<ListOrder>,
    #[param(schema_with = Cursor::any_schema)]
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// The orders of the person list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ListOrder {
    Name,
}

/// List persons with filters: in id order, paged after the last id; or,
/// with `q`, closest first, or with `sort=name` by name, paged by position.
#[utoipa::path(get, path = "/persons", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Page<PersonOut>), (status = 422, body = Problem)))]
pub(super) async fn list_persons(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PersonQuery>,
) -> AppResult<axum::Json<Page<PersonOut>>> {
    let limit = page_size(q.limit)?;
    let cursor = q
        .cursor
        .as_deref()
        .map(str::parse::<Cursor>)
        .transpose()
        .map_err(|_| FieldErrors::single("cursor", "is not a cursor from this list"))?;
    let mut filter = person_filter(&q)?;
    // A search comes closest first and a list by name, in pages by
    // position; a list in id order, in pages after the last id.
    let by_position = filter.q.is_some() || q.sort.is_some();
    let (after, offset) = match (cursor, by_position) {
        (None, _) => (None, 0),
        (Some(Cursor::After(id)), false) => (Some(PersonId(id)), 0),
        (Some(Cursor::Skip(n)), true) => (None, n),
        _ => return Err(FieldErrors::single("cursor", "is not a cursor from this list").into()),
    };
    filter.sort = match (filter.q.is_some(), q.sort) {
        (true, _) => PersonSort::Closeness,
        (false, Some(ListOrder::Name)) => PersonSort::Name,
        (false, None) => PersonSort::Id,
    };
    filter.after = after;
    filter.offset = offset;
    filter.limit = limit;
    let (items, more) =
        persons::list(&state, &caller, filter, q.as_of.unwrap_or_else(today)).await?;
    let next = match (more, by_position, items.last()) {
        (false, _, _) | (_, _, None) => None,
        (true, true, Some(_)) => Some(Cursor::Skip(offset + limit)),
        (true, false, Some(last)) => Some(Cursor::After(last.id.0)),
    };
    Ok(axum::Json(Page {
        items,
        next_cursor: next.map(|c| c.to_string()),
    }))
}

/// The filters of a person list, checked (its order and page aside).
pub(crate) fn person_filter(q: &PersonQuery) -> AppResult<PersonFilter> {
    let mut errors = FieldErrors::new();
    if q.article_part.is_some() && q.article.is_none() {
        errors.add("article_part", "needs `article`");
    }
    if let (Some(from), Some(to)) = (q.detained_from, q.detained_to)
        && from > to
    {
        errors.add("detained_to", "must not be before `detained_from`");
    }
    if q.q
        .as_deref()
        .is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS)
    {
        errors.add("q", "must be at most 200 characters");
    }
    errors.finish(())?;
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    Ok(PersonFilter {
        max_visibility: None,
        q: text(&q.q),
        status: q.status,
        as_of: q.as_of,
        article: q.article.clone(),
        article_part: q.article_part.clone(),
        facility: q.facility,
        organization: q.organization,
        recognized: q.recognized,
        detained_from: q.detained_from,
        detained_to: q.detained_to,
        updated_since: q.updated_since,
        held: q.held,
        region: text(&q.region),
        ..PersonFilter::default()
    })
}

/// How many persons the list's filters select, by each value of each
/// facet (status, article, facility, organisation, region, year of
/// detention, recognition), under the same visibility as the list: a
/// value's count is the length of the list filtered by it as well.
/// `sort`, `cursor` and `limit` are ignored (but checked as the list
/// checks them).
#[utoipa::path(get, path = "/persons/facets", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Facets), (status = 422, body = Problem)))]
pub(super) async fn person_facets(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PersonQuery>,
) -> AppResult<axum::Json<Facets>> {
    // Checked like the list's, so that one query string serves both.
    page_size(q.limit)?;
    if q.cursor
        .as_deref()
        .is_some_and(|c| c.parse::<Cursor>().is_err())
    {
        return Err(FieldErrors::single("cursor", "is not a cursor from this list").into());
    }
    let filter = person_filter(&q)?;
    let facets = persons::facets(&state, &caller, filter, q.as_of.unwrap_or_else(today)).await?;
    Ok(axum::Json(facets))
}
