//! Likely duplicates, the comparison of two persons before a merge, the
//! merge itself and its undoing.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::super::form::Form;
use super::super::session::Staff;
use super::super::{Ui, path_id, render};
use crate::domain::PersonId;
use crate::error::{AppError, AppResult};
use crate::records::persons::merge::{self, Duplicate, DuplicateReason, MergeRequest};
use crate::records::persons::{self, PersonCase, today};
use crate::state::AppState;

/// Pairs per page.
const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub(super) struct DuplicatesParams {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "person/duplicates.html")]
struct DuplicatesPage {
    ui: Ui,
    pairs: Vec<Duplicate>,
    page: i64,
    more: bool,
    may_write: bool,
    may_merge: bool,
}

impl DuplicatesPage {
    /// A reason in the reader's language.
    fn reason(&self, reason: &DuplicateReason) -> String {
        let i18n = &self.ui.i18n;
        match reason {
            DuplicateReason::NamesAlike { names } => {
                i18n.t2("duplicate-names-alike", "a", &names[0], "b", &names[1])
            }
            DuplicateReason::SharedDetention { started, facility } => i18n.t2(
                "duplicate-shared-detention",
                "date",
                &i18n.day(started),
                "facility",
                facility,
            ),
            DuplicateReason::SameBirthDate { born } => {
                i18n.t1("duplicate-same-birth-date", "date", &i18n.day(born))
            }
            DuplicateReason::SameBirthYear { year } => {
                i18n.t1("duplicate-same-birth-year", "year", &year.to_string())
            }
        }
    }
}

/// `GET /persons/duplicates`: pairs that may be one person, with reasons.
pub(super) async fn list_duplicates(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<DuplicatesParams>,
) -> AppResult<Response> {
    let page = match params.page.as_deref().map(str::parse::<i64>) {
        None => 1,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => return Err(AppError::NotFound),
    };
    let offset = (page - 1) * PAGE_SIZE;
    let mut pairs = merge::duplicates(&state, &staff.caller, PAGE_SIZE + 1, offset).await?;
    let more = pairs.len() as i64 > PAGE_SIZE;
    pairs.truncate(PAGE_SIZE as usize);
    render(&DuplicatesPage {
        ui: Ui::new(&staff, "persons"),
        pairs,
        page,
        more,
        may_write: staff.caller.may_write(),
        may_merge: staff.caller.may_merge(),
    })
}

/// `POST /persons/duplicates/distinct`: the two are two persons.
pub(super) async fn mark_distinct(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    let id = |name: &str| -> AppResult<PersonId> { path_id(form.raw(name).unwrap_or("")) };
    merge::mark_distinct(&state, &staff.caller, id("a")?, id("b")?).await?;
    Ok(Redirect::to("/persons/duplicates").into_response())
}

#[derive(Deserialize)]
pub(super) struct CompareParams {
    with: Option<String>,
}

/// The other person as typed: an id, or an address ending in one.
fn other_person(typed: &str) -> Option<PersonId> {
    let last = typed.trim().trim_end_matches('/').rsplit('/').next()?;
    let last = last.split(['?', '#']).next()?;
    last.parse().ok()
}

#[derive(Template)]
#[template(path = "person/merge.html")]
struct MergePage {
    ui: Ui,
    this: PersonCase,
    other: Option<PersonCase>,
    typed: String,
    /// A message key for what went wrong.
    problem: Option<String>,
}

impl MergePage {
    fn both(&self) -> Vec<&PersonCase> {
        std::iter::once(&self.this)
            .chain(self.other.as_ref())
            .collect()
    }
}

/// `GET /persons/{id}/merge?with=OTHER`: the two side by side, and which
/// to keep. Without `with`, asks for the other person.
pub(super) async fn compare(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(params): Query<CompareParams>,
) -> AppResult<Response> {
    require_merge(&staff)?;
    let id: PersonId = path_id(&id)?;
    let typed = params.with.unwrap_or_default();
    compare_page(&state, &staff, id, typed, None).await
}

fn require_merge(staff: &Staff) -> AppResult<()> {
    if staff.caller.may_merge() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Merging persons is for admins."))
    }
}

async fn compare_page(
    state: &AppState,
    staff: &Staff,
    id: PersonId,
    typed: String,
    problem: Option<String>,
) -> AppResult<Response> {
    let this = persons::read_case(state, &staff.caller, id, today()).await?;
    let (other, problem) = match (typed.trim(), problem) {
        ("", p) => (None, p),
        (t, p) => match other_person(t).filter(|o| *o != id) {
            None => (None, Some("merge-no-such-person".to_owned())),
            Some(o) => match persons::read_case(state, &staff.caller, o, today()).await {
                Ok(case) => (Some(case), p),
                Err(AppError::NotFound) => (None, Some("merge-no-such-person".to_owned())),
                Err(e) => return Err(e),
            },
        },
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = render(&MergePage {
        ui: Ui::new(staff, "persons"),
        this,
        other,
        typed,
        problem,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /persons/{id}/merge`: merges the person not chosen into the one
/// chosen, at the versions compared.
pub(super) async fn merge_persons(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form,
) -> AppResult<Response> {
    require_merge(&staff)?;
    let id: PersonId = path_id(&id)?;
    let field = |name: &str| form.raw(name).unwrap_or("").trim().to_owned();
    let other: PersonId = path_id(&field("other"))?;
    let version = |name: &str| -> AppResult<i32> {
        field(name)
            .parse()
            .map_err(|_| AppError::BadRequest("the form has no version".into()))
    };
    let (this_version, other_version) = (version("this_version")?, version("other_version")?);
    let keep_other = field("keep") == other.to_string();
    let request = if keep_other {
        MergeRequest {
            kept: other,
            kept_version: other_version,
            merged: id,
            merged_version: this_version,
        }
    } else {
        MergeRequest {
            kept: id,
            kept_version: this_version,
            merged: other,
            merged_version: other_version,
        }
    };
    let kept = request.kept;
    match merge::merge(&state, &staff.caller, request).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{kept}")).into_response()),
        Err(AppError::PreconditionFailed) => {
            let problem = Some("merge-stale".to_owned());
            compare_page(&state, &staff, id, other.to_string(), problem).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /merges/{id}/undo`: back to two persons; shows the one merged
/// away.
pub(super) async fn undo_merge(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(_form): Form,
) -> AppResult<Response> {
    let id: Uuid = path_id(&id)?;
    let out = merge::undo(&state, &staff.caller, id).await?;
    Ok(Redirect::to(&format!("/persons/{}", out.merged_id)).into_response())
}
