//! Creating, changing and archiving a person.

use serde_json::Value;
use sqlx::PgConnection;

use super::{PersonParts, load_parts, today, visible_person};
use crate::crypto::{sealed_for_history, sealed_from_history};
use crate::db;
use crate::db::history::{self, Change};
use crate::domain::access::Caller;
use crate::domain::person::{PersonFields, StatusOverride};
use crate::domain::validate::FieldErrors;
use crate::domain::{ChangeAction, PersonId, Visibility};
use crate::error::{AppError, AppResult};
use crate::records::require_write;
use crate::state::AppState;

/// The history snapshot of a person: the write shape, restricted values sealed.
pub(super) fn snapshot(fields: &PersonFields, sealed: Option<&[u8]>) -> AppResult<Value> {
    let mut value = serde_json::to_value(fields).map_err(anyhow::Error::from)?;
    value["restricted_notes"] =
        sealed.map_or(Value::Null, |s| Value::String(sealed_for_history(s)));
    Ok(value)
}

/// The history snapshot of the stored person: restricted notes as stored,
/// sealed, whatever the caller could read.
fn stored_snapshot(current: PersonFields, parts: &PersonParts) -> AppResult<Value> {
    let fields = PersonFields {
        restricted_notes: None,
        ..current
    };
    snapshot(&fields, parts.row.restricted_notes.as_deref())
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

/// Adds a person; returns them as the caller now sees them.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    fields: PersonFields,
) -> AppResult<PersonParts> {
    let id = PersonId::new();
    let mut tx = state.pool.begin().await?;
    create_on(&mut tx, state, caller, id, fields).await?;
    let row = visible_person(&mut tx, caller, id, false).await?;
    let parts = load_parts(&mut tx, caller, row, today()).await?;
    tx.commit().await?;
    Ok(parts)
}

/// [`create`] within the caller's transaction, under the id given.
pub async fn create_on(
    conn: &mut PgConnection,
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    fields: PersonFields,
) -> AppResult<()> {
    require_write(caller)?;
    let fields = fields.validate()?;
    check_write(caller, &fields, fields.restricted_notes.is_some())?;
    let sealed = fields
        .restricted_notes
        .as_deref()
        .map(|n| state.cipher.seal(n))
        .transpose()?;
    db::persons::insert(&mut *conn, id, &fields, sealed.clone()).await?;
    let after = snapshot(&fields, sealed.as_deref())?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action: ChangeAction::Create,
        before: None,
        after: Some(&after),
    };
    history::record(conn, caller.actor(), change).await?;
    Ok(())
}

/// The write shape of a stored person; restricted notes opened only for
/// callers who may see them.
pub fn current_fields(
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

/// Changes a person read at `expected_version`. `edit` turns the fields the
/// caller may see into the new ones; it is told which fields were left out
/// because the caller may not see them (they cannot be changed). `None` when
/// the change hid the person from its author.
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    expected_version: i32,
    edit: impl FnOnce(&PersonFields, &[&str]) -> AppResult<PersonFields> + Send,
) -> AppResult<Option<PersonParts>> {
    change(
        state,
        caller,
        id,
        expected_version,
        ChangeAction::Update,
        edit,
    )
    .await
}

/// Restores a person read at `expected_version` to a version history
/// keeps (the `after` of an entry): a new change whose action says so.
/// Restricted notes come back only for a caller who may read them; for
/// others they stay as they are now.
pub async fn restore(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    expected_version: i32,
    snapshot: &Value,
) -> AppResult<()> {
    let restored = fields_from_snapshot(state, snapshot)?;
    change(
        state,
        caller,
        id,
        expected_version,
        ChangeAction::Restore,
        |current, hidden| {
            let restricted_notes = if hidden.contains(&"restricted_notes") {
                current.restricted_notes.clone()
            } else {
                restored.restricted_notes.clone()
            };
            Ok(PersonFields {
                restricted_notes,
                ..restored
            })
        },
    )
    .await
    .map(|_| ())
}

/// The fields a history snapshot holds, restricted notes opened.
pub(super) fn fields_from_snapshot(state: &AppState, snapshot: &Value) -> AppResult<PersonFields> {
    let mut snapshot = snapshot.clone();
    let sealed = snapshot
        .get_mut("restricted_notes")
        .map(Value::take)
        .and_then(|v| v.as_str().map(str::to_owned));
    let mut fields: PersonFields =
        serde_json::from_value(snapshot).map_err(|_| crate::records::not_restorable())?;
    fields.restricted_notes = sealed
        .map(|s| {
            let bytes = sealed_from_history(&s).ok_or_else(crate::records::not_restorable)?;
            state.cipher.open(&bytes)
        })
        .transpose()?;
    Ok(fields)
}

async fn change(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    expected_version: i32,
    action: ChangeAction,
    edit: impl FnOnce(&PersonFields, &[&str]) -> AppResult<PersonFields> + Send,
) -> AppResult<Option<PersonParts>> {
    let mut tx = state.pool.begin().await?;
    change_on(
        &mut tx,
        state,
        caller,
        id,
        Some(expected_version),
        action,
        edit,
    )
    .await?;
    let updated = match visible_person(&mut tx, caller, id, false).await {
        Ok(row) => Some(load_parts(&mut tx, caller, row, today()).await?),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    Ok(updated)
}

/// Changes a person within the caller's transaction; at whatever version
/// the person has when `expected_version` is `None`.
pub async fn change_on(
    conn: &mut PgConnection,
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    expected_version: Option<i32>,
    action: ChangeAction,
    edit: impl FnOnce(&PersonFields, &[&str]) -> AppResult<PersonFields> + Send,
) -> AppResult<()> {
    require_write(caller)?;
    let row = visible_person(conn, caller, id, true).await?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(AppError::PreconditionFailed);
    }
    let parts = load_parts(conn, caller, row, today()).await?;
    let current = current_fields(state, caller, &parts)?;
    let cleared = caller.may_see(Visibility::Restricted);
    let hidden: &[&str] = if cleared { &[] } else { &["restricted_notes"] };
    let fields = edit(&current, hidden)?.validate()?;
    check_write(
        caller,
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
            .transpose()?
    };
    let before = stored_snapshot(current, &parts)?;
    let after = snapshot(&fields, sealed.as_deref())?;
    db::persons::update(&mut *conn, id, &fields, sealed).await?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action,
        before: Some(&before),
        after: Some(&after),
    };
    history::record(conn, caller.actor(), change).await?;
    Ok(())
}

/// Archives a person read at `expected_version`; history keeps every
/// version.
pub async fn archive(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
    expected_version: i32,
) -> AppResult<()> {
    require_write(caller)?;
    let mut tx = state.pool.begin().await?;
    let row = visible_person(&mut tx, caller, id, true).await?;
    if row.version != expected_version {
        return Err(AppError::PreconditionFailed);
    }
    let parts = load_parts(&mut tx, caller, row, today()).await?;
    let before = stored_snapshot(current_fields(state, caller, &parts)?, &parts)?;
    db::persons::archive(&mut tx, id).await?;
    let change = Change {
        record_type: "person",
        record_id: id.0,
        person_id: Some(id),
        action: ChangeAction::Archive,
        before: Some(&before),
        after: None,
    };
    history::record(&mut tx, caller.actor(), change).await?;
    tx.commit().await?;
    Ok(())
}
