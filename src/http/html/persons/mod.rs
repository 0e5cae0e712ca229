//! `/persons`: the list with its filters, a person's whole case, and the
//! person form.

mod edit;
mod merge;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::Date;

use super::session::Staff;
use super::{Ui, render};
use crate::db;
use crate::db::persons::{PersonFilter, PersonSort};
use crate::domain::date::parse_day;
use crate::domain::validate::FieldErrors;
use crate::domain::{FacilityId, OrganizationId, PersonId, PersonStatus};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::Record;
use crate::records::charges::{ChargeOut, SentenceOut};
use crate::records::citations::CitationOut;
use crate::records::facilities::FacilityOut;
use crate::records::organizations::OrganizationOut;
use crate::records::persons::{
    self, FacetValue, Facets, MAX_SEARCH_CHARS, PersonCase, PersonOut, today,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/persons", get(list_persons).post(edit::create_person))
        .listed("/persons/new", get(edit::new_person))
        .listed("/persons/{id}", get(show_person).post(edit::update_person))
        .listed("/persons/{id}/edit", get(edit::edit_person))
        .listed("/persons/duplicates", get(merge::list_duplicates))
        .listed("/persons/duplicates/distinct", post(merge::mark_distinct))
        .listed(
            "/persons/{id}/merge",
            get(merge::compare).post(merge::merge_persons),
        )
        .listed("/merges/{id}/undo", post(merge::undo_merge))
}

/// Rows per page of the list.
const PAGE_SIZE: i64 = 50;

/// The list's filters as the address carries them: all text, parsed below
/// so that a bad value is shown next to its field.
#[derive(Debug, Default, Deserialize)]
struct ListParams {
    q: Option<String>,
    status: Option<String>,
    held: Option<String>,
    article: Option<String>,
    facility: Option<String>,
    organization: Option<String>,
    region: Option<String>,
    recognized: Option<String>,
    detained_from: Option<String>,
    detained_to: Option<String>,
    as_of: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ListParams {
    /// The filter, or the errors of each bad field.
    fn filter(&self) -> Result<(PersonFilter, i64), FieldErrors> {
        let mut e = FieldErrors::new();
        fn parse<T: std::str::FromStr>(
            e: &mut FieldErrors,
            field: &str,
            value: Option<&str>,
        ) -> Option<T> {
            let value = value?;
            value
                .parse()
                .map_err(|_| e.add(field, "is not one of the choices"))
                .ok()
        }
        let day = |e: &mut FieldErrors, field: &str, value: Option<&str>| -> Option<Date> {
            let day = parse_day(value?);
            if day.is_none() {
                e.add(field, "write the day as YYYY-MM-DD");
            }
            day
        };
        let yes_no = |e: &mut FieldErrors, field: &str, value: Option<&str>| match value {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                e.add(field, "is not one of the choices");
                None
            }
        };
        if blank(&self.q).is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS) {
            e.add("q", "must be at most 200 characters");
        }
        let filter = PersonFilter {
            max_visibility: None,
            q: blank(&self.q).map(str::to_owned),
            status: parse::<PersonStatus>(&mut e, "status", blank(&self.status)),
            as_of: day(&mut e, "as_of", blank(&self.as_of)),
            article: blank(&self.article).map(str::to_owned),
            article_part: None,
            facility: parse::<FacilityId>(&mut e, "facility", blank(&self.facility)),
            organization: parse::<OrganizationId>(
                &mut e,
                "organization",
                blank(&self.organization),
            ),
            recognized: yes_no(&mut e, "recognized", blank(&self.recognized)),
            detained_from: day(&mut e, "detained_from", blank(&self.detained_from)),
            detained_to: day(&mut e, "detained_to", blank(&self.detained_to)),
            updated_since: None,
            held: yes_no(&mut e, "held", blank(&self.held)),
            region: blank(&self.region).map(str::to_owned),
            after: None,
            // Unchosen: closest first when searching, else by name.
            sort: match blank(&self.sort) {
                None | Some("closeness") => PersonSort::Closeness,
                Some("name") => PersonSort::Name,
                Some("updated") => PersonSort::Updated,
                Some("created") => PersonSort::Id,
                Some(_) => {
                    e.add("sort", "is not one of the choices");
                    PersonSort::Name
                }
            },
            offset: 0,
            limit: PAGE_SIZE,
        };
        if let (Some(from), Some(to)) = (filter.detained_from, filter.detained_to)
            && from > to
        {
            e.add("detained_to", "must not be before the start of the period");
        }
        let page = match blank(&self.page).map(str::parse::<i64>) {
            None => 1,
            Some(Ok(n)) if (1..=10_000).contains(&n) => n,
            Some(_) => {
                e.add("page", "is not a page of this list");
                1
            }
        };
        e.finish((
            PersonFilter {
                offset: (page - 1) * PAGE_SIZE,
                ..filter
            },
            page,
        ))
    }

    /// Every filter by its name in the address.
    fn fields(&self) -> [(&'static str, &Option<String>); 12] {
        [
            ("q", &self.q),
            ("status", &self.status),
            ("held", &self.held),
            ("article", &self.article),
            ("facility", &self.facility),
            ("organization", &self.organization),
            ("region", &self.region),
            ("recognized", &self.recognized),
            ("detained_from", &self.detained_from),
            ("detained_to", &self.detained_to),
            ("as_of", &self.as_of),
            ("sort", &self.sort),
        ]
    }

    /// The address of the same list on another page.
    fn with_page(&self, page: i64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.fields() {
            if let Some(v) = blank(value) {
                query.append_pair(name, v);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/persons?{}", query.finish())
    }

    /// The address of the same list narrowed to one value of a facet (a
    /// year of detention is that year's period), from its first page.
    fn with_facet(&self, facet: &str, value: &str) -> String {
        let year = (facet == "detention_year")
            .then(|| (format!("{value}-01-01"), format!("{value}-12-31")));
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, current) in self.fields() {
            let replaced = match (&year, name) {
                (Some((from, _)), "detained_from") => Some(from.as_str()),
                (Some((_, to)), "detained_to") => Some(to.as_str()),
                (None, _) if name == facet => Some(value),
                _ => blank(current),
            };
            if let Some(v) = replaced {
                query.append_pair(name, v);
            }
        }
        if year.is_none() && !self.fields().iter().any(|(name, _)| *name == facet) {
            query.append_pair(facet, value);
        }
        format!("/persons?{}", query.finish())
    }

    /// The filter `field` as typed, for the filter form.
    fn value(&self, field: &str) -> &str {
        self.fields()
            .into_iter()
            .find(|(name, _)| *name == field)
            .and_then(|(_, v)| v.as_deref())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "person/index.html")]
struct ListPage {
    ui: Ui,
    params: ListParams,
    errors: FieldErrors,
    persons: Vec<PersonOut>,
    facets: Option<Facets>,
    facilities: Vec<FacilityOut>,
    organizations: Vec<OrganizationOut>,
    page: i64,
    more: bool,
}

/// The results alone, for htmx updates; the list page includes the same
/// template.
#[derive(Template)]
#[template(path = "person/rows.html")]
struct ListRows<'a> {
    ui: &'a Ui,
    params: &'a ListParams,
    errors: &'a FieldErrors,
    persons: &'a [PersonOut],
    facets: &'a Option<Facets>,
    page: i64,
    more: bool,
}

impl ListPage {
    fn statuses(&self) -> &'static [PersonStatus] {
        PersonStatus::ALL
    }

    fn facet_label(&self, facet: &str, value: &FacetValue) -> String {
        facet_label(&self.ui, facet, value)
    }
}

impl ListRows<'_> {
    fn facet_label(&self, facet: &str, value: &FacetValue) -> String {
        facet_label(self.ui, facet, value)
    }
}

/// How a facet's value reads: a status or yes/no in the reader's language,
/// a facility's, organisation's or article's name, a region or a year.
fn facet_label(ui: &Ui, facet: &str, value: &FacetValue) -> String {
    match (facet, value.value.as_str()) {
        ("status", status) => ui.i18n.label("status", status),
        ("recognized", "true") => ui.t("yes"),
        ("recognized", _) => ui.t("no"),
        ("article", number) => match &value.label {
            Some(title) => format!("{} {number} ({title})", ui.t("facet-article-short")),
            None => format!("{} {number}", ui.t("facet-article-short")),
        },
        (_, v) => value.label.clone().unwrap_or_else(|| v.to_owned()),
    }
}

async fn list_persons(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let (persons, facets, page, more, errors) = match params.filter() {
        Ok((filter, page)) => {
            let day = filter.as_of.unwrap_or_else(today);
            let facets = persons::facets(&state, &staff.caller, filter.clone(), day).await?;
            let (persons, more) = persons::list(&state, &staff.caller, filter, day).await?;
            (persons, Some(facets), page, more, FieldErrors::new())
        }
        Err(errors) => (Vec::new(), None, 1, false, errors),
    };
    let ui = Ui::new(&staff, "persons");
    // With htmx, typing in the search box replaces only the results.
    let partial = headers.contains_key("hx-request") && !headers.contains_key("hx-boosted");
    let mut response = if partial {
        render(&ListRows {
            ui: &ui,
            params: &params,
            errors: &errors,
            persons: &persons,
            facets: &facets,
            page,
            more,
        })?
    } else {
        let caller = &staff.caller;
        let facilities = db::facilities::list(&state.pool, None, None, 1000).await?;
        let organizations = db::organizations::list(&state.pool, None, None, 1000).await?;
        let mut facilities: Vec<FacilityOut> =
            facilities.into_iter().map(|f| f.out(caller)).collect();
        facilities.sort_by(|a, b| a.name.cmp(&b.name));
        let mut organizations: Vec<OrganizationOut> =
            organizations.into_iter().map(|o| o.out(caller)).collect();
        organizations.sort_by(|a, b| a.name.cmp(&b.name));
        render(&ListPage {
            ui,
            params,
            errors: errors.clone(),
            persons,
            facets,
            facilities,
            organizations,
            page,
            more,
        })?
    };
    if !errors.is_empty() {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct ShowParams {
    as_of: Option<String>,
}

#[derive(Template)]
#[template(path = "person/show.html")]
struct ShowPage {
    ui: Ui,
    case: PersonCase,
    /// Charges grouped by criminal case (`None`: no case recorded or not
    /// visible), in the order first met.
    charge_groups: Vec<(Option<String>, Vec<usize>)>,
    as_of_input: String,
    as_of_error: bool,
    may_write: bool,
    may_merge: bool,
    /// Persons merged into this one, newest first.
    merges: Vec<db::persons::merge::MergeInto>,
}

impl ShowPage {
    /// The sources cited for a record (`None`: for the person as a whole).
    fn sources_for(&self, record: Option<&uuid::Uuid>) -> Vec<&CitationOut> {
        self.case
            .sources
            .iter()
            .filter(|c| {
                let target = c
                    .detention_id
                    .map(|i| i.0)
                    .or(c.charge_id.map(|i| i.0))
                    .or(c.sentence_id.map(|i| i.0));
                target.as_ref() == record
            })
            .collect()
    }

    fn charge(&self, i: &usize) -> &ChargeOut {
        &self.case.charges[*i]
    }

    /// The charges a sentence covers, by article.
    fn covered(&self, sentence: &SentenceOut) -> Vec<String> {
        sentence
            .charge_ids
            .iter()
            .filter_map(|id| self.case.charges.iter().find(|c| c.id == *id))
            .map(article_label)
            .collect()
    }
}

impl ShowPage {
    /// When a custodial term runs out, counted from the pronouncement.
    fn expected_release(&self, s: &SentenceOut) -> Option<String> {
        let pronounced = s.pronounced.as_ref()?;
        if s.term_months.is_none() && s.term_days.is_none() {
            return None;
        }
        let end = crate::domain::charge::term_end(
            pronounced,
            s.term_months.unwrap_or(0),
            s.term_days.unwrap_or(0),
        )?;
        Some(self.ui.i18n.date(&end))
    }

    /// `2 years 6 months`, in the page's language.
    fn term(&self, s: &SentenceOut) -> String {
        let months = s.term_months.unwrap_or(0);
        let mut parts = Vec::new();
        if months / 12 > 0 {
            parts.push(self.ui.i18n.count("term-years", i64::from(months / 12)));
        }
        if months % 12 > 0 {
            parts.push(self.ui.i18n.count("term-months", i64::from(months % 12)));
        }
        if let Some(days) = s.term_days.filter(|d| *d > 0) {
            parts.push(self.ui.i18n.count("term-days", i64::from(days)));
        }
        parts.join(" ")
    }

    fn primary_name(&self) -> &str {
        self.case.person.primary_name()
    }
}

/// `Art. 342 part 1`.
fn article_label(charge: &ChargeOut) -> String {
    match &charge.part {
        Some(part) => format!("{} ({part})", charge.article.number),
        None => charge.article.number.clone(),
    }
}

async fn show_person(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Query(params): Query<ShowParams>,
) -> AppResult<Response> {
    let id: PersonId = super::path_id(&id)?;
    let as_of_input = params.as_of.unwrap_or_default();
    let (day, as_of_error) = match blank(&Some(as_of_input.clone())) {
        None => (today(), false),
        Some(v) => parse_day(v).map_or((today(), true), |d| (d, false)),
    };
    let case = match persons::read_case(&state, &staff.caller, id, day).await {
        // A person merged away: the one its records are with now.
        Err(AppError::NotFound) => {
            return match persons::merge::merged_into(&state, &staff.caller, id).await? {
                Some(target) => {
                    Ok(Redirect::temporary(&format!("/persons/{target}")).into_response())
                }
                None => Err(AppError::NotFound),
            };
        }
        case => case?,
    };
    let merges = db::persons::merge::into(&state.pool, id, staff.caller.max_visibility()).await?;
    if let Some(Some(_)) = case.person.restricted_notes.shown() {
        super::log_restricted_read(&state, &staff, address, id, "person").await?;
    }
    let mut charge_groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    for (i, charge) in case.charges.iter().enumerate() {
        let key = charge
            .case
            .shown()
            .and_then(|c| c.as_ref())
            .map(|c| c.number.clone().unwrap_or_else(|| c.id.to_string()));
        match charge_groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(i),
            None => charge_groups.push((key, vec![i])),
        }
    }
    let page = ShowPage {
        may_write: staff.caller.may_write(),
        may_merge: staff.caller.may_merge(),
        merges,
        ui: Ui::new(&staff, "persons"),
        case,
        charge_groups,
        as_of_input,
        as_of_error,
    };
    render(&page)
}
