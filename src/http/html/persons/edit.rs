//! `/persons/new` and `/persons/{id}/edit`: the person form, with a row per
//! written form of the name, errors beside their fields, and the other
//! person's change shown when two edits meet.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::form::{Form, FormData};
use super::super::session::Staff;
use super::super::{Ui, render};
use crate::db;
use crate::domain::person::{PersonFields, PersonName, StatusOverride};
use crate::domain::validate::FieldErrors;
use crate::domain::{Gender, PersonId, PersonStatus, Visibility};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::records::persons::{self, current_fields};
use crate::state::AppState;

/// Empty name rows offered below the filled ones.
const SPARE_NAME_ROWS: usize = 2;

/// One row of the names editor, as typed.
#[derive(Debug, Clone, Default)]
pub struct NameRow {
    pub name: String,
    pub lang: String,
    pub family: String,
    pub primary: bool,
}

/// The form as typed (or as stored, when it opens).
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub names: Vec<NameRow>,
    pub birth_date: String,
    pub birth_date_approximate: bool,
    pub gender: String,
    pub pronouns: String,
    pub occupation: String,
    pub region: String,
    pub visibility: String,
    pub notes: String,
    pub restricted_notes: String,
    /// A status set by hand: the status, why, from and until which day.
    pub status_override: String,
    pub status_reason: String,
    pub status_since: String,
    pub status_until: String,
}

impl PersonInput {
    fn from_fields(f: &PersonFields) -> Self {
        PersonInput {
            names: f
                .names
                .iter()
                .map(|n| NameRow {
                    name: n.name.clone(),
                    lang: n.lang.clone(),
                    family: n.family.clone().unwrap_or_default(),
                    primary: n.primary,
                })
                .collect(),
            birth_date: f.birth_date.map(|d| d.written()).unwrap_or_default(),
            birth_date_approximate: f.birth_date.is_some_and(|d| d.approximate()),
            gender: f.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
            pronouns: f.pronouns.clone().unwrap_or_default(),
            occupation: f.occupation.clone().unwrap_or_default(),
            region: f.region.clone().unwrap_or_default(),
            visibility: f.visibility.as_str().to_owned(),
            notes: f.notes.clone().unwrap_or_default(),
            restricted_notes: f.restricted_notes.clone().unwrap_or_default(),
            status_override: f
                .status_override
                .as_ref()
                .map(|o| o.status.as_str().to_owned())
                .unwrap_or_default(),
            status_reason: f
                .status_override
                .as_ref()
                .map(|o| o.reason.clone())
                .unwrap_or_default(),
            status_since: f
                .status_override
                .as_ref()
                .and_then(|o| o.since)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            status_until: f
                .status_override
                .as_ref()
                .and_then(|o| o.until)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    fn from_form(form: &FormData) -> Self {
        let primary = form.raw("primary").unwrap_or("");
        let mut names = Vec::new();
        for i in 0..50 {
            let key = |part: &str| format!("names[{i}].{part}");
            let Some(name) = form.raw(&key("name")) else {
                break;
            };
            let row = NameRow {
                name: name.to_owned(),
                lang: form.raw(&key("lang")).unwrap_or("").to_owned(),
                family: form.raw(&key("family")).unwrap_or("").to_owned(),
                primary: primary == i.to_string(),
            };
            // Rows left empty are the editor's spare ones, not names.
            let empty = [&row.name, &row.lang, &row.family]
                .iter()
                .all(|v| v.trim().is_empty());
            if !empty {
                names.push(row);
            }
        }
        let raw = |k: &str| form.raw(k).unwrap_or("").to_owned();
        PersonInput {
            names,
            birth_date: raw("birth_date"),
            birth_date_approximate: form.checked("birth_date_approximate"),
            gender: raw("gender"),
            pronouns: raw("pronouns"),
            occupation: raw("occupation"),
            region: raw("region"),
            visibility: raw("visibility"),
            notes: raw("notes"),
            restricted_notes: raw("restricted_notes"),
            status_override: raw("status_override.status"),
            status_reason: raw("status_override.reason"),
            status_since: raw("status_override.since"),
            status_until: raw("status_override.until"),
        }
    }

    /// The fields, or every field's error. Rows without a name are left
    /// out; what the form does not show is taken from `kept`.
    fn parse(
        &self,
        form: &FormData,
        kept: Option<&PersonFields>,
    ) -> Result<PersonFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let filled: Vec<(usize, &NameRow)> = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.name.trim().is_empty())
            .collect();
        // With no name marked, the first is shown first.
        let none_marked = !filled.iter().any(|(_, n)| n.primary);
        let names = filled
            .into_iter()
            .enumerate()
            .map(|(i, (_, n))| PersonName {
                name: n.name.clone(),
                lang: n.lang.clone(),
                primary: n.primary || (none_marked && i == 0),
                family: Some(n.family.trim().to_owned()).filter(|f| !f.is_empty()),
            })
            .collect();
        let fields = PersonFields {
            names,
            external_ids: kept.map(|k| k.external_ids.clone()).unwrap_or_default(),
            birth_date: form.date(&mut e, "birth_date"),
            gender: form.choice::<Gender>(&mut e, "gender"),
            pronouns: form.text("pronouns"),
            occupation: form.text("occupation"),
            region: form.text("region"),
            visibility: form
                .choice::<Visibility>(&mut e, "visibility")
                .unwrap_or(Visibility::Internal),
            notes: form.text("notes"),
            restricted_notes: if form.raw("restricted_notes").is_some() {
                form.text("restricted_notes")
            } else {
                kept.and_then(|k| k.restricted_notes.clone())
            },
            status_override: Self::status_override(form, &mut e),
        };
        // With values the form could not read, the record's own rules
        // still name what else is wrong, so one answer names every field.
        if !e.is_empty()
            && let Err(more) = fields.clone().validate()
        {
            for error in more.0 {
                if e.message(&error.field).is_none() {
                    e.0.push(error);
                }
            }
        }
        e.finish(fields)
    }

    /// The status set by hand; blank status: none, and then nothing else
    /// of it may be given.
    fn status_override(form: &FormData, e: &mut FieldErrors) -> Option<StatusOverride> {
        let status = form.choice::<PersonStatus>(e, "status_override.status");
        let reason = form.text("status_override.reason");
        let since = form.day(e, "status_override.since");
        let until = form.day(e, "status_override.until");
        match status {
            Some(status) => Some(StatusOverride {
                status,
                reason: reason.unwrap_or_default(),
                since,
                until,
            }),
            None => {
                if reason.is_some() || since.is_some() || until.is_some() {
                    e.add("status_override.status", "is required");
                }
                None
            }
        }
    }

    /// The rows the editor shows: those typed and a few empty ones.
    pub fn name_rows(&self) -> Vec<NameRow> {
        let mut rows = self.names.clone();
        rows.extend((0..SPARE_NAME_ROWS).map(|_| NameRow::default()));
        if !rows.iter().any(|r| r.primary)
            && let Some(first) = rows.first_mut()
        {
            first.primary = true;
        }
        rows
    }
}

/// A field the other editor changed: its label key, their value, yours.
pub struct Difference {
    pub label: &'static str,
    pub theirs: String,
    pub yours: String,
}

fn differences(theirs: &PersonFields, yours: &PersonInput) -> Vec<Difference> {
    let theirs = PersonInput::from_fields(theirs);
    let names = |i: &PersonInput| {
        i.names
            .iter()
            .filter(|n| !n.name.trim().is_empty())
            .map(|n| format!("{} ({})", n.name.trim(), n.lang.trim()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let status = |i: &PersonInput| {
        [
            &i.status_override,
            &i.status_reason,
            &i.status_since,
            &i.status_until,
        ]
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
    };
    let pairs: [(&'static str, String, String); 10] = [
        ("person-names", names(&theirs), names(yours)),
        (
            "person-birth-date",
            theirs.birth_date.clone(),
            yours.birth_date.trim().to_owned(),
        ),
        ("person-gender", theirs.gender.clone(), yours.gender.clone()),
        (
            "person-pronouns",
            theirs.pronouns.clone(),
            yours.pronouns.trim().to_owned(),
        ),
        (
            "person-occupation",
            theirs.occupation.clone(),
            yours.occupation.trim().to_owned(),
        ),
        (
            "person-region",
            theirs.region.clone(),
            yours.region.trim().to_owned(),
        ),
        (
            "field-visibility",
            theirs.visibility.clone(),
            yours.visibility.clone(),
        ),
        (
            "person-notes",
            theirs.notes.clone(),
            yours.notes.trim().to_owned(),
        ),
        ("person-status-override", status(&theirs), status(yours)),
        (
            "person-restricted-notes",
            theirs.restricted_notes.clone(),
            yours.restricted_notes.trim().to_owned(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(label, theirs, yours)| Difference {
            label,
            theirs,
            yours,
        })
        .collect()
}

/// The other edit that came first: who, when, and what differs.
pub struct Conflict {
    pub author: String,
    pub at: String,
    pub differences: Vec<Difference>,
}

#[derive(Template)]
#[template(path = "person/form.html")]
struct FormPage {
    ui: Ui,
    /// `None` for a new person.
    id: Option<PersonId>,
    version: i32,
    input: PersonInput,
    errors: FieldErrors,
    conflict: Option<Conflict>,
    cleared: bool,
    visibilities: Vec<Visibility>,
}

impl FormPage {
    fn new(staff: &Staff, id: Option<PersonId>, version: i32, input: PersonInput) -> Self {
        let caller = &staff.caller;
        FormPage {
            ui: Ui::new(
                staff,
                if id.is_some() {
                    "persons"
                } else {
                    "new-person"
                },
            ),
            id,
            version,
            input,
            errors: FieldErrors::new(),
            conflict: None,
            cleared: caller.may_write_restricted(),
            visibilities: Visibility::ALL
                .iter()
                .copied()
                .filter(|v| caller.may_set_visibility(*v))
                .collect(),
        }
    }

    fn genders(&self) -> &'static [Gender] {
        Gender::ALL
    }

    fn statuses(&self) -> &'static [PersonStatus] {
        PersonStatus::ALL
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/persons/{id}"),
            None => "/persons".into(),
        }
    }
}

fn require_write(staff: &Staff) -> AppResult<()> {
    crate::records::require_write(&staff.caller)
}

/// `GET /persons/new`.
pub(super) async fn new_person(staff: Staff) -> AppResult<Response> {
    require_write(&staff)?;
    let input = PersonInput {
        visibility: Visibility::Internal.as_str().into(),
        ..PersonInput::default()
    };
    render(&FormPage::new(&staff, None, 0, input))
}

/// The 422 page: the form as typed, each error beside its field.
fn invalid(page: FormPage, errors: FieldErrors) -> AppResult<Response> {
    let mut response = render(&FormPage { errors, ..page })?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /persons`.
pub(super) async fn create_person(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    require_write(&staff)?;
    let input = PersonInput::from_form(&form);
    let page = FormPage::new(&staff, None, 0, input.clone());
    let fields = match input.parse(&form, None) {
        Ok(f) => f,
        Err(errors) => return invalid(page, errors),
    };
    match persons::create(&state, &staff.caller, fields).await {
        Ok(parts) => Ok(Redirect::to(&format!("/persons/{}", parts.row.id)).into_response()),
        Err(AppError::Invalid(errors)) => invalid(page, errors),
        Err(e) => Err(e),
    }
}

/// `GET /persons/{id}/edit`.
pub(super) async fn edit_person(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    require_write(&staff)?;
    let id: PersonId = super::super::path_id(&id)?;
    let (version, current) = stored(&state, &staff, id).await?;
    if current.restricted_notes.is_some() {
        super::super::log_restricted_read(&state, &staff, address, id, "person form").await?;
    }
    render(&FormPage::new(
        &staff,
        Some(id),
        version,
        PersonInput::from_fields(&current),
    ))
}

/// The person's version and fields as the caller may see them.
async fn stored(state: &AppState, staff: &Staff, id: PersonId) -> AppResult<(i32, PersonFields)> {
    let mut conn = state.pool.acquire().await?;
    let row = persons::visible_person(&mut conn, &staff.caller, id, false).await?;
    let parts = persons::load_parts(&mut conn, &staff.caller, row, persons::today()).await?;
    Ok((
        parts.row.version,
        current_fields(state, &staff.caller, &parts)?,
    ))
}

/// `POST /persons/{id}`: saves the form if nobody changed the person since
/// it was opened; otherwise shows both versions and saves nothing.
pub(super) async fn update_person(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form,
) -> AppResult<Response> {
    require_write(&staff)?;
    let id: PersonId = super::super::path_id(&id)?;
    let version: i32 = form
        .text("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("the form has no version".into()))?;
    let input = PersonInput::from_form(&form);
    let page = FormPage::new(&staff, Some(id), version, input.clone());
    let result = persons::update(&state, &staff.caller, id, version, |current, _hidden| {
        input.parse(&form, Some(current)).map_err(AppError::Invalid)
    })
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => invalid(page, errors),
        Err(AppError::PreconditionFailed) => conflict(&state, &staff, address, id, page).await,
        Err(e) => Err(e),
    }
}

/// The 409 page: the other edit's values beside the user's, the user's
/// still in the form, which now carries the new version.
async fn conflict(
    state: &AppState,
    staff: &Staff,
    address: Option<std::net::IpAddr>,
    id: PersonId,
    page: FormPage,
) -> AppResult<Response> {
    let (version, theirs) = stored(state, staff, id).await?;
    if theirs.restricted_notes.is_some() {
        super::super::log_restricted_read(state, staff, address, id, "person conflict").await?;
    }
    let (author, at) = db::history::last_change(&state.pool, id.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let conflict = Conflict {
        author: author.unwrap_or_else(|| "Docket".into()),
        at: staff.i18n.moment(at),
        differences: differences(&theirs, &page.input),
    };
    let mut response = render(&FormPage {
        version,
        conflict: Some(conflict),
        ..page
    })?;
    *response.status_mut() = StatusCode::CONFLICT;
    Ok(response)
}
