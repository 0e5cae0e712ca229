//! `/persons`: the case of one person, and the list with its filters.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, OffsetDateTime};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::charges::{ChargeOut, SentenceOut};
use super::citations::CitationOut;
use super::detentions::DetentionOut;
use super::extract::{ApiJson, IfMatch, Path, Query};
use super::recognitions::{AffiliationOut, RecognitionOut};
use super::records::Record;
use super::{Meta, Page, created, merge_patch, page_size, require_write, versioned};
use crate::crypto::sealed_for_history;
use crate::db;
use crate::db::history::{self, Change};
use crate::db::persons::{PersonFilter, PersonRow};
use crate::domain::access::{Caller, Field, Guarded};
use crate::domain::person::{ExternalId, PersonFields, PersonName, StatusOverride};
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{
    ChangeAction, FacilityId, Gender, OrganizationId, PartialDate, PersonId, PersonStatus,
    Visibility,
};
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_persons, create_person))
        .routes(routes!(get_person, update_person, archive_person))
}

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
    #[serde(flatten)]
    pub meta: Meta,
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
}

/// Builds the response from an explicit decision for every column.
pub fn person_out(state: &AppState, caller: &Caller, parts: PersonParts) -> AppResult<PersonOut> {
    let PersonParts {
        row,
        names,
        external_ids,
        status,
        as_of,
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

async fn load_parts(
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
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    /// Day for the status (default: today), `YYYY-MM-DD`.
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
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

/// Read one person's case, with everything recorded about them that the
/// caller may see.
#[utoipa::path(get, path = "/persons/{id}", tag = "persons",
    params(("id" = PersonId, Path), AsOf),
    responses((status = 200, body = PersonCase), (status = 404, body = Problem)))]
async fn get_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    Query(q): Query<AsOf>,
) -> AppResult<Response> {
    let mut conn = state.pool.acquire().await?;
    let row = visible_person(&mut conn, &caller, id, false).await?;
    let parts = load_parts(&mut conn, &caller, row, q.as_of.unwrap_or_else(today)).await?;
    let version = parts.row.version;
    let person = person_out(&state, &caller, parts)?;
    let case = load_case(&mut conn, &caller, person).await?;
    Ok(versioned(StatusCode::OK, version, &case))
}

/// The records of a case the caller may see.
async fn load_case(
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

/// The history snapshot of a person: the write shape, restricted values sealed.
fn snapshot(fields: &PersonFields, sealed: Option<&[u8]>) -> AppResult<Value> {
    let mut value = serde_json::to_value(fields).map_err(anyhow::Error::from)?;
    value["restricted_notes"] =
        sealed.map_or(Value::Null, |s| Value::String(sealed_for_history(s)));
    Ok(value)
}

/// Checks what only some writers may do with these fields.
fn check_write(caller: &Caller, fields: &PersonFields, restricted_changed: bool) -> AppResult<()> {
    if !caller.may_set_visibility(fields.visibility) {
        return Err(
            FieldErrors::single("visibility", "you may not give a record this visibility").into(),
        );
    }
    if restricted_changed && !caller.may_write_restricted() {
        return Err(AppError::Forbidden(
            "Restricted fields need restricted clearance in a browser session.",
        ));
    }
    Ok(())
}

/// Create a person.
#[utoipa::path(post, path = "/persons", tag = "persons", request_body = PersonFields,
    responses((status = 201, body = PersonOut), (status = 422, body = Problem)))]
async fn create_person(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(fields): ApiJson<PersonFields>,
) -> AppResult<Response> {
    require_write(&caller)?;
    let fields = fields.validate()?;
    check_write(&caller, &fields, fields.restricted_notes.is_some())?;
    let id = PersonId::new();
    let sealed = fields
        .restricted_notes
        .as_deref()
        .map(|n| state.cipher.seal(n));
    let mut tx = state.pool.begin().await?;
    db::persons::insert(&mut tx, id, &fields, sealed.clone()).await?;
    let after = snapshot(&fields, sealed.as_deref())?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action: ChangeAction::Create,
        before: None,
        after: Some(&after),
    };
    history::record(&mut tx, caller.actor(), change).await?;
    let row = visible_person(&mut tx, &caller, id, false).await?;
    let parts = load_parts(&mut tx, &caller, row, today()).await?;
    tx.commit().await?;
    let version = parts.row.version;
    Ok(created(
        format!("/api/v1/persons/{id}"),
        version,
        &person_out(&state, &caller, parts)?,
    ))
}

/// The write shape of a stored person; restricted notes opened only for
/// callers who may see them.
fn current_fields(
    state: &AppState,
    caller: &Caller,
    parts: &PersonParts,
) -> AppResult<PersonFields> {
    let row = &parts.row;
    let restricted_notes = match (
        &row.restricted_notes,
        caller.may_see(Visibility::Restricted),
    ) {
        (Some(sealed), true) => Some(state.cipher.open(sealed)?),
        _ => None,
    };
    Ok(PersonFields {
        names: parts.names.clone(),
        external_ids: parts.external_ids.clone(),
        birth_date: row.birth_date,
        gender: row.gender,
        pronouns: row.pronouns.clone(),
        occupation: row.occupation.clone(),
        region: row.region.clone(),
        visibility: row.visibility,
        notes: row.notes.clone(),
        restricted_notes,
        status_override: row.status_override.map(|status| StatusOverride {
            status,
            reason: row.status_override_reason.clone().unwrap_or_default(),
            since: row.status_override_since,
            until: row.status_override_until,
        }),
    })
}

/// Change a person (JSON merge patch, with `If-Match`).
#[utoipa::path(patch, path = "/persons/{id}", tag = "persons", params(("id" = PersonId, Path)),
    request_body(content = Value, content_type = "application/merge-patch+json"),
    responses((status = 200, body = PersonOut), (status = 412, body = Problem),
               (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn update_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    if_match: IfMatch,
    ApiJson(patch): ApiJson<Value>,
) -> AppResult<Response> {
    require_write(&caller)?;
    let mut tx = state.pool.begin().await?;
    let row = visible_person(&mut tx, &caller, id, true).await?;
    if_match.check(row.version)?;
    let parts = load_parts(&mut tx, &caller, row, today()).await?;
    let current = current_fields(&state, &caller, &parts)?;
    let cleared = caller.may_see(Visibility::Restricted);
    let hidden: &[&str] = if cleared { &[] } else { &["restricted_notes"] };
    let fields = merge_patch(&current, &patch, hidden)?.validate()?;
    check_write(
        &caller,
        &fields,
        fields.restricted_notes != current.restricted_notes,
    )?;
    // Sealed values are kept as they are unless the caller changed them.
    let sealed = if !cleared || fields.restricted_notes == current.restricted_notes {
        parts.row.restricted_notes.clone()
    } else {
        fields
            .restricted_notes
            .as_deref()
            .map(|n| state.cipher.seal(n))
    };
    let before_fields = PersonFields {
        restricted_notes: None,
        ..current
    };
    let before = snapshot(&before_fields, parts.row.restricted_notes.as_deref())?;
    let after = snapshot(&fields, sealed.as_deref())?;
    save(&mut tx, &caller, id, &fields, sealed, &before, &after).await?;
    let row = visible_person(&mut tx, &caller, id, false).await;
    let body = match row {
        Ok(row) => Some(load_parts(&mut tx, &caller, row, today()).await?),
        // The change made the person invisible to the caller.
        Err(_) => None,
    };
    tx.commit().await?;
    match body {
        Some(parts) => {
            let version = parts.row.version;
            Ok(versioned(
                StatusCode::OK,
                version,
                &person_out(&state, &caller, parts)?,
            ))
        }
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

async fn save(
    tx: &mut sqlx::PgConnection,
    caller: &Caller,
    id: PersonId,
    fields: &Valid<PersonFields>,
    sealed: Option<Vec<u8>>,
    before: &Value,
    after: &Value,
) -> AppResult<()> {
    db::persons::update(tx, id, fields, sealed).await?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action: ChangeAction::Update,
        before: Some(before),
        after: Some(after),
    };
    history::record(tx, caller.actor(), change).await?;
    Ok(())
}

/// Archive a person (with `If-Match`); history keeps every version.
#[utoipa::path(delete, path = "/persons/{id}", tag = "persons", params(("id" = PersonId, Path)),
    responses((status = 204), (status = 412, body = Problem), (status = 428, body = Problem)))]
async fn archive_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<PersonId>,
    if_match: IfMatch,
) -> AppResult<StatusCode> {
    require_write(&caller)?;
    let mut tx = state.pool.begin().await?;
    let row = visible_person(&mut tx, &caller, id, true).await?;
    if_match.check(row.version)?;
    db::persons::archive(&mut tx, id).await?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action: ChangeAction::Archive,
        before: None,
        after: None,
    };
    history::record(&mut tx, caller.actor(), change).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

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
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// List persons with filters; seek pagination.
#[utoipa::path(get, path = "/persons", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Page<PersonOut>), (status = 422, body = Problem)))]
async fn list_persons(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PersonQuery>,
) -> AppResult<axum::Json<Page<PersonOut>>> {
    let limit = page_size(q.limit)?;
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
