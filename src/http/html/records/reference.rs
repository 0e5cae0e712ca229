//! `/sources`, `/facilities`, `/organizations`: the reference data cases
//! point to, listed, added, changed and archived with the same form as the
//! records of a case.

use std::str::FromStr;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::super::form::{Form, FormData};
use super::super::i18n::I18n;
use super::super::session::Staff;
use super::super::{Ui, path_id, render};
use super::{Conflict, FormField, Input, RecordForm, form_version, respond};
use crate::db;
use crate::db::cases::{CaseRow, CaseSearch};
use crate::db::facilities::FacilityRow;
use crate::db::organizations::OrganizationRow;
use crate::db::sources::SourceRow;
use crate::domain::access::Caller;
use crate::domain::case::CaseFields;
use crate::domain::facility::FacilityFields;
use crate::domain::organization::OrganizationFields;
use crate::domain::source::SourceFields;
use crate::domain::validate::FieldErrors;
use crate::domain::{FacilityKind, OrganizationKind, SourceKind, Visibility};
use crate::error::{AppError, AppResult};
use crate::http::routes::Listed;
use crate::records::{self, Record, visible};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(routes::<SourceRow>())
        .merge(routes::<FacilityRow>())
        .merge(routes::<OrganizationRow>())
        .merge(routes::<CaseRow>())
}

fn routes<R: ReferenceForm>() -> Router<AppState> {
    let c = R::COLLECTION;
    Router::new()
        .listed(&format!("/{c}"), get(list::<R>).post(create::<R>))
        .listed(&format!("/{c}/new"), get(new_form::<R>))
        .listed(&format!("/{c}/{{id}}/edit"), get(edit_form::<R>))
        .listed(&format!("/{c}/{{id}}"), post(update::<R>))
        .listed(&format!("/{c}/{{id}}/archive"), post(archive::<R>))
}

/// One line of a reference list.
pub struct Row {
    pub id: String,
    pub title: String,
    pub detail: String,
}

impl Row {
    /// A line whose detail is the details given, joined.
    fn new(
        id: impl std::fmt::Display,
        title: String,
        details: impl IntoIterator<Item = Option<String>>,
    ) -> Self {
        let details: Vec<String> = details.into_iter().flatten().collect();
        Row {
            id: id.to_string(),
            title,
            detail: details.join(" · "),
        }
    }
}

/// Reference data as its form and its list show it.
pub trait ReferenceForm: Record<Id: FromStr + Default> {
    fn values(fields: &Self::Fields) -> FormData;
    fn inputs(caller: &Caller, i18n: &I18n) -> Vec<FormField>;
    fn parse(values: &FormData) -> Result<Self::Fields, FieldErrors>;
    /// Values a new record starts with.
    fn defaults(values: &mut FormData);
    /// The records whose name contains `q`, as this caller may see them.
    fn rows(
        state: &AppState,
        caller: &Caller,
        i18n: &I18n,
        q: Option<&str>,
    ) -> impl Future<Output = AppResult<Vec<Row>>> + Send;
}

/// Rows listed at most; the search narrows them.
const LIST_LIMIT: i64 = 500;

fn field(i18n: &I18n, name: &'static str, key: &str, input: Input) -> FormField {
    FormField::new(name, i18n.t(key), input)
}

fn notes(i18n: &I18n) -> FormField {
    FormField::new("notes", i18n.t("field-notes"), Input::Area).hint(i18n.t("field-internal-hint"))
}

/// A text the record requires: checked with the record's other rules, so
/// that one answer names every bad field.
fn raw_text(v: &FormData, name: &str) -> String {
    v.raw(name).unwrap_or("").to_owned()
}

impl ReferenceForm for FacilityRow {
    fn values(f: &FacilityFields) -> FormData {
        let mut v = FormData::default();
        v.set("name", f.name.clone());
        v.set("kind", f.kind.as_str());
        v.set_some("city", f.city.as_ref());
        v.set_some("postal_address", f.postal_address.as_ref());
        v.set_some("notes", f.notes.as_ref());
        v
    }

    fn inputs(_caller: &Caller, i18n: &I18n) -> Vec<FormField> {
        let kinds = super::forms::vocabulary(
            i18n,
            "facility-kind",
            FacilityKind::ALL,
            FacilityKind::as_str,
        );
        vec![
            field(i18n, "name", "reference-name", Input::Text).required(),
            field(i18n, "kind", "reference-kind", Input::Select(kinds)).required(),
            field(i18n, "city", "facility-city", Input::Text),
            field(
                i18n,
                "postal_address",
                "facility-postal-address",
                Input::Area,
            )
            .hint(i18n.t("facility-postal-address-hint")),
            notes(i18n),
        ]
    }

    fn parse(v: &FormData) -> Result<FacilityFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = raw_text(v, "name");
        let kind = v.required(&mut e, "kind");
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(e);
        };
        Ok(FacilityFields {
            name,
            kind,
            city: v.text("city"),
            postal_address: v.text("postal_address"),
            notes: v.text("notes"),
        })
    }

    fn defaults(v: &mut FormData) {
        v.set("kind", FacilityKind::Other.as_str());
    }

    async fn rows(
        state: &AppState,
        caller: &Caller,
        i18n: &I18n,
        q: Option<&str>,
    ) -> AppResult<Vec<Row>> {
        let rows = db::facilities::list(&state.pool, q, None, LIST_LIMIT).await?;
        let rows = rows.into_iter().map(|r| r.out(caller)).map(|f| {
            let kind = i18n.label("facility-kind", f.kind.as_str());
            let address = f.postal_address.map(|a| a.replace('\n', ", "));
            Row::new(f.id, f.name, [Some(kind), f.city, address])
        });
        Ok(rows.collect())
    }
}

impl ReferenceForm for OrganizationRow {
    fn values(f: &OrganizationFields) -> FormData {
        let mut v = FormData::default();
        v.set("name", f.name.clone());
        v.set("kind", f.kind.as_str());
        v.set_some("country", f.country.as_ref());
        v.set_some("url", f.url.as_ref());
        v.set_some("notes", f.notes.as_ref());
        v
    }

    fn inputs(_caller: &Caller, i18n: &I18n) -> Vec<FormField> {
        let kinds = super::forms::vocabulary(
            i18n,
            "organization-kind",
            OrganizationKind::ALL,
            OrganizationKind::as_str,
        );
        vec![
            field(i18n, "name", "reference-name", Input::Text).required(),
            field(i18n, "kind", "reference-kind", Input::Select(kinds)).required(),
            field(i18n, "country", "organization-country", Input::Text)
                .hint(i18n.t("organization-country-hint")),
            field(i18n, "url", "reference-url", Input::Text),
            notes(i18n),
        ]
    }

    fn parse(v: &FormData) -> Result<OrganizationFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = raw_text(v, "name");
        let kind = v.required(&mut e, "kind");
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(e);
        };
        Ok(OrganizationFields {
            name,
            kind,
            country: v.text("country").map(|c| c.to_uppercase()),
            url: v.text("url"),
            notes: v.text("notes"),
        })
    }

    fn defaults(v: &mut FormData) {
        v.set("kind", OrganizationKind::Ngo.as_str());
    }

    async fn rows(
        state: &AppState,
        caller: &Caller,
        i18n: &I18n,
        q: Option<&str>,
    ) -> AppResult<Vec<Row>> {
        let rows = db::organizations::list(&state.pool, q, None, LIST_LIMIT).await?;
        let rows = rows.into_iter().map(|r| r.out(caller)).map(|o| {
            let kind = i18n.label("organization-kind", o.kind.as_str());
            Row::new(o.id, o.name, [Some(kind), o.country])
        });
        Ok(rows.collect())
    }
}

impl ReferenceForm for SourceRow {
    fn values(f: &SourceFields) -> FormData {
        let mut v = FormData::default();
        v.set("title", f.title.clone());
        v.set_some("publisher", f.publisher.as_ref());
        v.set_date("published", f.published);
        v.set_some("url", f.url.as_ref());
        v.set("kind", f.kind.as_str());
        v.set("visibility", f.visibility.as_str());
        v.set_some("notes", f.notes.as_ref());
        v
    }

    fn inputs(caller: &Caller, i18n: &I18n) -> Vec<FormField> {
        let kinds =
            super::forms::vocabulary(i18n, "source-kind", SourceKind::ALL, SourceKind::as_str);
        let visibilities = super::visibilities(caller, i18n);
        vec![
            field(i18n, "title", "source-title", Input::Text).required(),
            field(i18n, "kind", "reference-kind", Input::Select(kinds)).required(),
            field(i18n, "publisher", "source-publisher", Input::Text),
            field(i18n, "published", "source-published", Input::Date)
                .hint(i18n.t("date-hint-short")),
            field(i18n, "url", "reference-url", Input::Text),
            field(
                i18n,
                "visibility",
                "field-visibility",
                Input::Select(visibilities),
            )
            .required(),
            notes(i18n),
        ]
    }

    fn parse(v: &FormData) -> Result<SourceFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = raw_text(v, "title");
        let kind = v.required(&mut e, "kind");
        let published = v.date(&mut e, "published");
        let visibility = v.required(&mut e, "visibility");
        let (Some(kind), Some(visibility), true) = (kind, visibility, e.is_empty()) else {
            return Err(e);
        };
        Ok(SourceFields {
            title,
            publisher: v.text("publisher"),
            published,
            url: v.text("url"),
            kind,
            visibility,
            notes: v.text("notes"),
        })
    }

    fn defaults(v: &mut FormData) {
        v.set("kind", SourceKind::Document.as_str());
        v.set("visibility", Visibility::Public.as_str());
    }

    async fn rows(
        state: &AppState,
        caller: &Caller,
        i18n: &I18n,
        q: Option<&str>,
    ) -> AppResult<Vec<Row>> {
        let rows =
            db::sources::list(&state.pool, caller.max_visibility(), q, None, LIST_LIMIT).await?;
        let rows = rows.into_iter().map(|r| r.out(caller)).map(|s| {
            let kind = i18n.label("source-kind", s.kind.as_str());
            let published = s.published.map(|d| i18n.date(&d));
            let visibility = i18n.label("visibility", s.visibility.as_str());
            Row::new(
                s.id,
                s.title,
                [Some(kind), s.publisher, published, Some(visibility)],
            )
        });
        Ok(rows.collect())
    }
}

impl ReferenceForm for CaseRow {
    fn values(f: &CaseFields) -> FormData {
        let mut v = FormData::default();
        v.set_some("number", f.number.as_ref());
        v.set_date("opened", f.opened);
        v.set_some("authority", f.authority.as_ref());
        v.set_some("description", f.description.as_ref());
        v
    }

    fn inputs(_caller: &Caller, i18n: &I18n) -> Vec<FormField> {
        vec![
            field(i18n, "number", "case-number", Input::Text),
            field(i18n, "opened", "case-opened", Input::Date).hint(i18n.t("date-hint-short")),
            field(i18n, "authority", "case-authority", Input::Text),
            field(i18n, "description", "case-description", Input::Area),
        ]
    }

    fn parse(v: &FormData) -> Result<CaseFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let opened = v.date(&mut e, "opened");
        e.finish(CaseFields {
            number: v.text("number"),
            opened,
            authority: v.text("authority"),
            description: v.text("description"),
        })
    }

    fn defaults(_v: &mut FormData) {}

    async fn rows(
        state: &AppState,
        caller: &Caller,
        i18n: &I18n,
        q: Option<&str>,
    ) -> AppResult<Vec<Row>> {
        let search = q.map(|q| CaseSearch {
            q,
            in_numbers: caller.may_see(crate::domain::access::Field::CaseNumber.class()),
        });
        let rows = db::cases::list(&state.pool, search, None, LIST_LIMIT).await?;
        let rows = rows.into_iter().map(|r| r.out(caller)).map(|c| {
            let number = c.number.shown().cloned().flatten();
            let title = number
                .or_else(|| c.description.clone())
                .unwrap_or_else(|| i18n.t("case-unnumbered"));
            let opened = c.opened.map(|d| i18n.date(&d));
            Row::new(c.id, title, [c.authority, opened, c.description])
        });
        Ok(rows.collect())
    }
}

#[derive(Template)]
#[template(path = "reference/index.html")]
struct ListPage {
    ui: Ui,
    collection: &'static str,
    kind: &'static str,
    q: String,
    rows: Vec<Row>,
    may_write: bool,
}

impl ListPage {
    /// `add-source`: the add button's words.
    fn add_key(&self) -> String {
        format!("add-{}", self.kind)
    }
}

#[derive(Deserialize)]
struct ListParams {
    q: Option<String>,
}

/// `GET /<reference>`: the list, narrowed by a name search.
async fn list<R: ReferenceForm>(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let q = params.q.unwrap_or_default();
    let search = Some(q.trim()).filter(|q| !q.is_empty());
    let mut rows = R::rows(&state, &staff.caller, &staff.i18n, search).await?;
    rows.sort_by_key(|r| r.title.to_lowercase());
    render(&ListPage {
        ui: Ui::new(&staff, R::COLLECTION),
        collection: R::COLLECTION,
        kind: R::KIND,
        q,
        rows,
        may_write: staff.caller.may_write(),
    })
}

/// The list a form came from, and its name.
fn back<R: ReferenceForm>(i18n: &I18n) -> (String, String) {
    (format!("/{}", R::COLLECTION), i18n.t(R::COLLECTION))
}

fn form<R: ReferenceForm>(
    staff: &Staff,
    editing: Option<(R::Id, i32)>,
    values: FormData,
    errors: FieldErrors,
) -> RecordForm {
    let fields = R::inputs(&staff.caller, &staff.i18n);
    let new_action = format!("/{}", R::COLLECTION);
    let mut form = RecordForm::new::<R>(
        staff,
        editing,
        new_action,
        back::<R>(&staff.i18n),
        fields,
        values,
        errors,
    );
    form.ui.section = R::COLLECTION;
    form
}

/// `GET /<reference>/new`.
async fn new_form<R: ReferenceForm>(staff: Staff, headers: HeaderMap) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let mut values = FormData::default();
    R::defaults(&mut values);
    respond(
        form::<R>(&staff, None, values, FieldErrors::new()),
        &headers,
        StatusCode::OK,
    )
}

/// After a save: the list, at the record.
fn saved<R: ReferenceForm>(id: impl std::fmt::Display) -> Response {
    Redirect::to(&format!("/{}#{}-{id}", R::COLLECTION, R::KIND)).into_response()
}

/// `POST /<reference>`.
async fn create<R: ReferenceForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Form(values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let id = R::Id::default();
    let result = match R::parse(&values) {
        Ok(fields) => records::create::<R>(&state, &staff.caller, None, fields, id)
            .await
            .map(|_| ()),
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(()) => Ok(saved::<R>(id)),
        Err(AppError::Invalid(errors)) => respond(
            form::<R>(&staff, None, values, errors),
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e),
    }
}

async fn stored<R: ReferenceForm>(state: &AppState, staff: &Staff, id: &str) -> AppResult<R> {
    let id: R::Id = path_id(id)?;
    let mut conn = state.pool.acquire().await?;
    visible::<R>(&mut conn, &staff.caller, id, false).await
}

/// `GET /<reference>/{id}/edit`.
async fn edit_form<R: ReferenceForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let record = stored::<R>(&state, &staff, &id).await?;
    let editing = Some((record.id(), record.version()));
    let values = R::values(&record.fields());
    respond(
        form::<R>(&staff, editing, values, FieldErrors::new()),
        &headers,
        StatusCode::OK,
    )
}

/// `POST /<reference>/{id}`: saves if nobody changed the record since the
/// form was opened; otherwise shows both versions.
async fn update<R: ReferenceForm>(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let version = form_version(&values)?;
    let id = stored::<R>(&state, &staff, &id).await?.id();
    let result = records::update::<R>(&state, &staff.caller, id, version, |_| {
        R::parse(&values).map_err(AppError::Invalid)
    })
    .await;
    match result {
        Ok(_) => Ok(saved::<R>(id)),
        Err(AppError::Invalid(errors)) => respond(
            form::<R>(&staff, Some((id, version)), values, errors),
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(AppError::PreconditionFailed) => {
            let record = stored::<R>(&state, &staff, &id.to_string()).await?;
            let (author, at) = db::history::last_change(&state.pool, id.into())
                .await?
                .ok_or(AppError::NotFound)?;
            let theirs = R::values(&record.fields());
            let editing = Some((id, record.version()));
            let mut form = form::<R>(&staff, editing, values, FieldErrors::new());
            form.conflict = Some(Conflict::new(&form, &theirs, author, at, &staff.i18n));
            respond(form, &headers, StatusCode::CONFLICT)
        }
        Err(e) => Err(e),
    }
}

/// `POST /<reference>/{id}/archive`: records that point to it keep
/// pointing to it; new ones cannot.
async fn archive<R: ReferenceForm>(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(values): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let version = form_version(&values)?;
    let id: R::Id = path_id(&id)?;
    records::archive::<R>(&state, &staff.caller, id, version).await?;
    Ok(Redirect::to(&format!("/{}", R::COLLECTION)).into_response())
}
