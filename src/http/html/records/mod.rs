//! The records of a person's case — detentions, charges, sentences,
//! recognitions, affiliations, citations — added, changed and archived
//! from the person page. One form for all of them, built from the list of
//! inputs each record declares ([`CaseForm`]); with htmx it opens inside
//! the person page, without JavaScript as a page of its own.

mod forms;
mod reference;

use std::str::FromStr;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::{Form, FormData};
use super::i18n::I18n;
use super::session::Staff;
use super::{Ui, path_id, render};
use crate::db;
use crate::domain::access::Caller;
use crate::domain::validate::FieldErrors;
use crate::domain::{PersonId, Visibility};
use crate::error::{AppError, AppResult};
use crate::http::routes::Listed;
use crate::records::persons::{self, PersonCase, today};
use crate::records::{self, Record, visible};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    use crate::db::{
        affiliations::AffiliationRow, charges::ChargeRow, citations::CitationRow,
        detentions::DetentionRow, recognitions::RecognitionRow, sentences::SentenceRow,
    };
    Router::new()
        .merge(routes::<DetentionRow>())
        .merge(routes::<ChargeRow>())
        .merge(routes::<SentenceRow>())
        .merge(routes::<RecognitionRow>())
        .merge(routes::<AffiliationRow>())
        .merge(routes::<CitationRow>())
        .listed("/articles/pick", get(forms::pick_article))
        .merge(reference::router())
}

fn routes<R: CaseForm>() -> Router<AppState> {
    let c = R::COLLECTION;
    Router::new()
        .listed(&format!("/persons/{{id}}/{c}/new"), get(new_form::<R>))
        .listed(&format!("/persons/{{id}}/{c}"), post(create::<R>))
        .listed(&format!("/{c}/{{id}}/edit"), get(edit_form::<R>))
        .listed(&format!("/{c}/{{id}}"), post(update::<R>))
        .listed(&format!("/{c}/{{id}}/archive"), post(archive::<R>))
}

/// One value a select, a group of boxes or the article picker offers.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// How a field is typed.
pub enum Input {
    Text,
    Number,
    /// A partial date, with its approximate box.
    Date,
    Area,
    Check,
    /// One of the choices; `required` selects have no blank entry.
    Select(Vec<Choice>),
    /// Any number of the choices.
    Checks(Vec<Choice>),
    /// The article picker: a search box and the articles found.
    Article(Vec<Choice>),
    /// Shown, not changed: what a citation is for.
    Fixed(String),
}

/// One field of a record form.
pub struct FormField {
    /// The form's field name, the same as the record's (`started`).
    pub name: &'static str,
    pub label: String,
    pub input: Input,
    pub required: bool,
    pub hint: Option<String>,
}

impl FormField {
    pub fn new(name: &'static str, label: String, input: Input) -> Self {
        FormField {
            name,
            label,
            input,
            required: false,
            hint: None,
        }
    }

    pub fn required(self) -> Self {
        FormField {
            required: true,
            ..self
        }
    }

    pub fn hint(self, hint: String) -> Self {
        FormField {
            hint: Some(hint),
            ..self
        }
    }

    fn is_date(&self) -> bool {
        matches!(self.input, Input::Date)
    }

    /// Fields that take a row of their own.
    fn is_wide(&self) -> bool {
        matches!(self.input, Input::Area)
    }

    /// The choices offered, if the field offers any.
    fn choices(&self) -> Option<&[Choice]> {
        match &self.input {
            Input::Select(c) | Input::Checks(c) | Input::Article(c) => Some(c),
            _ => None,
        }
    }

    fn choices_mut(&mut self) -> Option<&mut Vec<Choice>> {
        match &mut self.input {
            Input::Select(c) | Input::Checks(c) | Input::Article(c) => Some(c),
            _ => None,
        }
    }

    /// A value as a reader sees it: a choice's label, a box as yes or no.
    fn shown(&self, values: &FormData, i18n: &I18n) -> String {
        match &self.input {
            Input::Check => i18n.t(if values.checked(self.name) {
                "yes"
            } else {
                "no"
            }),
            Input::Date => {
                let written = values.text(self.name).unwrap_or_default();
                if values.checked(&format!("{}_approximate", self.name)) && !written.is_empty() {
                    i18n.t1("date-approximate", "date", &written)
                } else {
                    written
                }
            }
            _ => {
                // A value the caller is not offered (a link to a record
                // they may not see) is named, never shown.
                let labels: Vec<String> = values
                    .all(self.name)
                    .map(|v| match self.choices() {
                        Some(choices) => choices
                            .iter()
                            .find(|c| c.value == v)
                            .map_or_else(|| i18n.t("history-linked-record"), |c| c.label.clone()),
                        None => v.to_owned(),
                    })
                    .collect();
                labels.join("; ")
            }
        }
    }
}

/// Adds to each field's choices the records its values point to that the
/// lists leave out (archived, or beyond the list's length) and the caller
/// may see, so that saving a form keeps every link it did not change.
async fn offer_current(
    cx: &Context<'_>,
    fields: &mut [FormField],
    values: &FormData,
) -> AppResult<()> {
    let missing: Vec<uuid::Uuid> = fields
        .iter()
        .filter_map(|f| f.choices().map(|c| (f, c)))
        .flat_map(|(f, choices)| {
            values
                .all(f.name)
                .filter(|v| !choices.iter().any(|c| c.value == *v))
                .filter_map(|v| v.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names = db::names::of(&cx.state.pool, &missing, cx.caller.max_visibility()).await?;
    for field in fields.iter_mut() {
        let chosen: Vec<String> = values.all(field.name).map(str::to_owned).collect();
        if let Some(choices) = field.choices_mut() {
            for (id, name) in &names {
                let value = id.to_string();
                if chosen.contains(&value) && !choices.iter().any(|c| c.value == value) {
                    choices.push(Choice {
                        value,
                        label: name.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Leaves out the values a field does not offer, so that a link the
/// caller may not see never reaches the page, nor a comparison.
fn keep_offered(fields: &[FormField], values: &mut FormData) {
    for field in fields {
        if let Some(choices) = field.choices() {
            values.retain(field.name, |v| {
                v.trim().is_empty() || choices.iter().any(|c| c.value == v)
            });
        }
    }
}

/// The visibilities a caller may give a record, labelled.
pub fn visibilities(caller: &Caller, i18n: &I18n) -> Vec<Choice> {
    Visibility::ALL
        .iter()
        .filter(|v| caller.may_set_visibility(**v))
        .map(|v| Choice {
            value: v.as_str().into(),
            label: i18n.label("visibility", v.as_str()),
        })
        .collect()
}

/// What building a form may look at: the person's case as the caller sees
/// it, and the reference data.
pub struct Context<'a> {
    pub state: &'a AppState,
    pub caller: &'a Caller,
    pub i18n: &'a I18n,
    pub case: &'a PersonCase,
}

impl<'a> Context<'a> {
    fn new(state: &'a AppState, staff: &'a Staff, case: &'a PersonCase) -> Self {
        Context {
            state,
            caller: &staff.caller,
            i18n: &staff.i18n,
            case,
        }
    }

    /// The visibilities this caller may give a record.
    pub fn visibilities(&self) -> Vec<Choice> {
        visibilities(self.caller, self.i18n)
    }

    /// The visibility field every record has.
    pub fn visibility_field(&self) -> FormField {
        FormField::new(
            "visibility",
            self.i18n.t("field-visibility"),
            Input::Select(self.visibilities()),
        )
        .required()
    }

    pub fn label(&self, key: &str) -> String {
        self.i18n.t(key)
    }
}

/// A record of a person's case as a form edits it.
pub trait CaseForm: Record<Id: FromStr + PartialEq + Default> {
    /// The form's values for stored fields.
    fn values(fields: &Self::Fields) -> FormData;

    /// The form's inputs, in order, with what they offer this caller.
    fn inputs(
        cx: &Context<'_>,
        values: &FormData,
    ) -> impl Future<Output = AppResult<Vec<FormField>>> + Send;

    /// The fields the values describe; `current` is the stored record's,
    /// for what the form does not change.
    fn parse(
        cx: &Context<'_>,
        values: &FormData,
        current: Option<&Self::Fields>,
    ) -> Result<Self::Fields, FieldErrors>;

    /// Completes the values before they are parsed (an article typed by
    /// its number alone).
    fn complete(
        _cx: &Context<'_>,
        _values: &mut FormData,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }

    /// Values a new record starts with.
    fn defaults(_values: &mut FormData) {}
}

/// The other edit that came first: who, when, and what differs.
pub struct Conflict {
    pub author: String,
    pub at: String,
    /// Field label, their value, yours.
    pub differences: Vec<(String, String, String)>,
}

impl Conflict {
    /// The fields where the stored values (`theirs`) differ from the form's.
    fn new(
        form: &RecordForm,
        theirs: &FormData,
        author: Option<String>,
        at: time::OffsetDateTime,
        i18n: &I18n,
    ) -> Self {
        let mut theirs = theirs.clone();
        keep_offered(&form.fields, &mut theirs);
        let differences = form
            .fields
            .iter()
            .filter(|f| !matches!(f.input, Input::Fixed(_)))
            .map(|f| {
                (
                    f.label.clone(),
                    f.shown(&theirs, i18n),
                    f.shown(&form.values, i18n),
                )
            })
            .filter(|(_, theirs, yours)| theirs != yours)
            .collect();
        Conflict {
            author: author.unwrap_or_else(|| "Docket".into()),
            at: i18n.moment(at),
            differences,
        }
    }
}

/// The form itself, alone (what htmx puts into the person page) or inside
/// [`FormPage`].
#[derive(Template)]
#[template(path = "record/form.html")]
struct RecordForm {
    ui: Ui,
    /// `detention`: names the form and its title.
    kind: &'static str,
    editing: bool,
    /// Where the form came from (cancel), and what that page is called.
    back: String,
    back_label: String,
    action: String,
    /// Where archiving posts, when editing.
    archive_action: Option<String>,
    version: i32,
    fields: Vec<FormField>,
    values: FormData,
    errors: FieldErrors,
    conflict: Option<Conflict>,
}

impl RecordForm {
    fn value(&self, name: &str) -> &str {
        self.values.raw(name).unwrap_or("")
    }

    fn has(&self, name: &str, value: &str) -> bool {
        self.values.all(name).any(|v| v == value)
    }

    fn checked(&self, name: &str) -> bool {
        self.values.checked(name)
    }

    fn approximate(&self, name: &str) -> bool {
        self.values.checked(&format!("{name}_approximate"))
    }

    fn input_id(&self, field: &FormField) -> String {
        format!("{}-{}", self.kind, field.name)
    }

    /// The ids of the hint and the error that describe an input.
    fn described(&self, field: &FormField) -> String {
        let mut ids = Vec::new();
        if field.hint.is_some() {
            ids.push(format!("{}-hint", self.input_id(field)));
        }
        if self.errors.message(field.name).is_some() {
            ids.push(format!("{}-error", field.name));
        }
        ids.join(" ")
    }

    fn title(&self) -> String {
        let verb = if self.editing { "edit" } else { "add" };
        self.ui.t(&format!("form-{verb}-{}", self.kind))
    }
}

/// The form as a page of its own, for browsers without JavaScript.
#[derive(Template)]
#[template(path = "record/page.html")]
struct FormPage {
    ui: Ui,
    title: String,
    back: String,
    back_label: String,
    form: String,
}

/// True for a request htmx sent to put a part of a page in place.
fn from_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-boosted")
}

/// The form with a status: alone for htmx, else inside its page.
fn respond(form: RecordForm, headers: &HeaderMap, status: StatusCode) -> AppResult<Response> {
    let mut response = if from_htmx(headers) {
        render(&form)?
    } else {
        let body = form.render().map_err(anyhow::Error::from)?;
        render(&FormPage {
            ui: form.ui.clone(),
            title: form.title(),
            back: form.back.clone(),
            back_label: form.back_label.clone(),
            form: body,
        })?
    };
    *response.status_mut() = status;
    Ok(response)
}

/// After a save: back to the person, at the record. htmx reloads the case
/// in place; a plain form follows the redirect.
fn saved(headers: &HeaderMap, person_id: PersonId, anchor: &str) -> Response {
    if from_htmx(headers) {
        let location = serde_json::json!({
            "path": format!("/persons/{person_id}"),
            "target": "#case",
            "select": "#case",
            "swap": format!("outerHTML show:#{anchor}:top"),
        });
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(&location.to_string()) {
            response.headers_mut().insert("hx-location", v);
        }
        response
    } else {
        Redirect::to(&format!("/persons/{person_id}#{anchor}")).into_response()
    }
}

/// The person's case as the caller sees it today.
async fn case_of(state: &AppState, staff: &Staff, person_id: PersonId) -> AppResult<PersonCase> {
    persons::read_case(state, &staff.caller, person_id, today()).await
}

/// Builds the form; values a select does not offer are left out, so a
/// link the caller may not see never reaches the page.
async fn build<R: CaseForm>(
    cx: &Context<'_>,
    staff: &Staff,
    editing: Option<(R::Id, i32)>,
    values: FormData,
    errors: FieldErrors,
) -> AppResult<RecordForm> {
    let mut fields = R::inputs(cx, &values).await?;
    offer_current(cx, &mut fields, &values).await?;
    let person_id = cx.case.person.id;
    let person = (
        format!("/persons/{person_id}"),
        cx.case.person.primary_name().to_owned(),
    );
    let new_action = format!("/persons/{person_id}/{}", R::COLLECTION);
    Ok(RecordForm::new::<R>(
        staff, editing, new_action, person, fields, values, errors,
    ))
}

impl RecordForm {
    /// The form of a record: editing `(id, version)` posts to the record,
    /// else to `new_action`; `back` is where it came from, and its name.
    fn new<R: Record>(
        staff: &Staff,
        editing: Option<(R::Id, i32)>,
        new_action: String,
        back: (String, String),
        fields: Vec<FormField>,
        mut values: FormData,
        errors: FieldErrors,
    ) -> Self {
        keep_offered(&fields, &mut values);
        let (action, archive_action, version) = match editing {
            Some((id, version)) => (
                format!("/{}/{id}", R::COLLECTION),
                Some(format!("/{}/{id}/archive", R::COLLECTION)),
                version,
            ),
            None => (new_action, None, 0),
        };
        RecordForm {
            ui: Ui::new(staff, "persons"),
            kind: R::KIND,
            editing: editing.is_some(),
            back: back.0,
            back_label: back.1,
            action,
            archive_action,
            version,
            fields,
            values,
            errors,
            conflict: None,
        }
    }
}

#[derive(Deserialize)]
struct NewParams {
    /// For a citation: the record it is for (`detention:<id>`).
    #[serde(rename = "for")]
    cited_for: Option<String>,
}

/// `GET /persons/{id}/<records>/new`.
async fn new_form<R: CaseForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(person_id): Path<String>,
    Query(params): Query<NewParams>,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let person_id: PersonId = path_id(&person_id)?;
    let case = case_of(&state, &staff, person_id).await?;
    let cx = Context::new(&state, &staff, &case);
    let mut values = FormData::default();
    values.set("visibility", Visibility::Public.as_str());
    if let Some(cited_for) = params.cited_for {
        values.set("cited_for", cited_for);
    }
    R::defaults(&mut values);
    let form = build::<R>(&cx, &staff, None, values, FieldErrors::new()).await?;
    respond(form, &headers, StatusCode::OK)
}

/// True when the form was sent to look up an article, not to be saved.
fn finding(values: &FormData) -> bool {
    values.raw("find").is_some()
}

/// `POST /persons/{id}/<records>`.
async fn create<R: CaseForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(person_id): Path<String>,
    Form(mut values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let person_id: PersonId = path_id(&person_id)?;
    let case = case_of(&state, &staff, person_id).await?;
    let cx = Context::new(&state, &staff, &case);
    R::complete(&cx, &mut values).await?;
    if finding(&values) {
        let form = build::<R>(&cx, &staff, None, values, FieldErrors::new()).await?;
        return respond(form, &headers, StatusCode::OK);
    }
    let result = match R::parse(&cx, &values, None) {
        Ok(fields) => {
            let id = R::Id::default();
            records::create::<R>(&state, &staff.caller, Some(person_id), fields, id)
                .await
                .map(|_| id)
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(id) => Ok(saved(&headers, person_id, &format!("{}-{id}", R::KIND))),
        Err(AppError::Invalid(errors)) => {
            let form = build::<R>(&cx, &staff, None, values, errors).await?;
            respond(form, &headers, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e),
    }
}

/// The record, its person's case and a form context, for the handlers of
/// one record.
async fn stored<R: CaseForm>(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> AppResult<(R, PersonCase)> {
    let id: R::Id = path_id(id)?;
    let mut conn = state.pool.acquire().await?;
    let record = visible::<R>(&mut conn, &staff.caller, id, false).await?;
    drop(conn);
    let person_id = record.person_id().ok_or(AppError::NotFound)?;
    let case = case_of(state, staff, person_id).await?;
    Ok((record, case))
}

/// `GET /<records>/{id}/edit`.
async fn edit_form<R: CaseForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let (record, case) = stored::<R>(&state, &staff, &id).await?;
    let cx = Context::new(&state, &staff, &case);
    let values = R::values(&record.fields());
    let editing = Some((record.id(), record.version()));
    let form = build::<R>(&cx, &staff, editing, values, FieldErrors::new()).await?;
    respond(form, &headers, StatusCode::OK)
}

/// The version a form was opened at.
fn form_version(values: &FormData) -> AppResult<i32> {
    values
        .text("version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| AppError::BadRequest("the form has no version".into()))
}

/// `POST /<records>/{id}`: saves the form if nobody changed the record
/// since it was opened; otherwise shows both versions and saves nothing.
async fn update<R: CaseForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(mut values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let version = form_version(&values)?;
    let (record, case) = stored::<R>(&state, &staff, &id).await?;
    let id = record.id();
    let person_id = case.person.id;
    let cx = Context::new(&state, &staff, &case);
    R::complete(&cx, &mut values).await?;
    if finding(&values) {
        let form = build::<R>(&cx, &staff, Some((id, version)), values, FieldErrors::new()).await?;
        return respond(form, &headers, StatusCode::OK);
    }
    let result = records::update::<R>(&state, &staff.caller, id, version, |current| {
        R::parse(&cx, &values, Some(current)).map_err(AppError::Invalid)
    })
    .await;
    match result {
        Ok(_) => Ok(saved(&headers, person_id, &format!("{}-{id}", R::KIND))),
        Err(AppError::Invalid(errors)) => {
            let form = build::<R>(&cx, &staff, Some((id, version)), values, errors).await?;
            respond(form, &headers, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AppError::PreconditionFailed) => conflict::<R>(&cx, &staff, id, values, &headers).await,
        Err(e) => Err(e),
    }
}

/// The 409 form: the other edit's values beside the user's, the user's
/// still in the form, which now carries the new version.
async fn conflict<R: CaseForm>(
    cx: &Context<'_>,
    staff: &Staff,
    id: R::Id,
    yours: FormData,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let mut conn = cx.state.pool.acquire().await?;
    let record = visible::<R>(&mut conn, &staff.caller, id, false).await?;
    drop(conn);
    let (author, at) = db::history::last_change(&cx.state.pool, id.into())
        .await?
        .ok_or(AppError::NotFound)?;
    let theirs = R::values(&record.fields());
    let mut form = build::<R>(
        cx,
        staff,
        Some((id, record.version())),
        yours,
        FieldErrors::new(),
    )
    .await?;
    form.conflict = Some(Conflict::new(&form, &theirs, author, at, &staff.i18n));
    respond(form, headers, StatusCode::CONFLICT)
}

/// `POST /<records>/{id}/archive`: archives the record read at the form's
/// version; history keeps it, and it can be restored from there.
async fn archive<R: CaseForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let version = form_version(&values)?;
    let id: R::Id = path_id(&id)?;
    let mut conn = state.pool.acquire().await?;
    let record = visible::<R>(&mut conn, &staff.caller, id, false).await?;
    drop(conn);
    let person_id = record.person_id().ok_or(AppError::NotFound)?;
    records::archive::<R>(&state, &staff.caller, id, version).await?;
    Ok(saved(&headers, person_id, R::COLLECTION))
}
