//! Merging two records of one person into one, undoing a merge, and the
//! likely duplicates to merge. Merges are for admins; every step is in the
//! history, and the merge keeps what undoing it needs.

use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::write::{fields_from_snapshot, snapshot};
use super::{PersonParts, load_parts, today};
use crate::db;
use crate::db::history::{self, Change};
use crate::db::persons::merge::{MergeRow, MovedRecord};
use crate::domain::access::Caller;
use crate::domain::person::PersonFields;
use crate::domain::validate::FieldErrors;
use crate::domain::{ChangeAction, PersonId};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A merge as the API and pages show it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MergeOut {
    pub id: Uuid,
    /// The person kept, with the merged person's names and records.
    pub kept_id: PersonId,
    /// The person merged away: its address leads to the kept one.
    pub merged_id: PersonId,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub merged_at: OffsetDateTime,
    /// When the merge was undone, if it was.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub undone_at: Option<OffsetDateTime>,
}

fn merge_out(row: &MergeRow) -> MergeOut {
    MergeOut {
        id: row.id,
        kept_id: row.kept_id,
        merged_id: row.merged_id,
        merged_at: row.at,
        undone_at: row.undone_at,
    }
}

/// 403 unless the caller is an admin who may write.
fn require_admin(caller: &Caller) -> AppResult<()> {
    if caller.may_merge() {
        Ok(())
    } else {
        Err(AppError::Forbidden("Merging persons is for admins."))
    }
}

/// A merge or its undo writes both persons' restricted notes: only staff
/// who may write restricted fields do it when either has some.
fn require_restricted_write(
    caller: &Caller,
    persons: [&db::persons::PersonRow; 2],
) -> AppResult<()> {
    if persons.iter().any(|p| p.restricted_notes.is_some()) && !caller.may_write_restricted() {
        return Err(AppError::Forbidden(
            "One of the two has restricted notes: merging them needs restricted clearance in a browser session.",
        ));
    }
    Ok(())
}

/// What a merge asks for: both persons at the versions the admin compared.
pub struct MergeRequest {
    pub kept: PersonId,
    pub kept_version: i32,
    pub merged: PersonId,
    pub merged_version: i32,
}

/// A person's stored details, restricted notes opened: they go into the
/// kept person sealed again, whoever merges.
fn stored_fields(
    state: &AppState,
    caller: &Caller,
    parts: &PersonParts,
) -> AppResult<PersonFields> {
    let mut fields = super::current_fields(state, caller, parts)?;
    fields.restricted_notes = parts
        .row
        .restricted_notes
        .as_deref()
        .map(|s| state.cipher.open(s))
        .transpose()?;
    Ok(fields)
}

/// Seals the restricted notes of `fields` for storing.
fn sealed(state: &AppState, fields: &PersonFields) -> AppResult<Option<Vec<u8>>> {
    fields
        .restricted_notes
        .as_deref()
        .map(|n| state.cipher.seal(n))
        .transpose()
        .map_err(AppError::from)
}

/// A history entry for each record moved between the two persons.
async fn record_moves(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    moved: &[MovedRecord],
    (from, to): (PersonId, PersonId),
    action: ChangeAction,
) -> AppResult<()> {
    for m in moved {
        let before = json!({"person_id": from, "visibility": m.visibility_before});
        let after = json!({"person_id": to, "visibility": m.visibility_after});
        let change = Change {
            record_type: &m.record_type,
            record_id: m.id,
            person_id: Some(to),
            action,
            before: Some(&before),
            after: Some(&after),
        };
        history::record(conn, caller.actor(), change).await?;
    }
    Ok(())
}

/// A history entry for each of the two persons.
async fn record_persons(
    conn: &mut sqlx::PgConnection,
    caller: &Caller,
    action: ChangeAction,
    entries: [(PersonId, &Value, &Value); 2],
) -> AppResult<()> {
    for (id, before, after) in entries {
        let change = Change {
            record_type: "person",
            record_id: id.0,
            person_id: Some(id),
            action,
            before: Some(before),
            after: Some(after),
        };
        history::record(conn, caller.actor(), change).await?;
    }
    Ok(())
}

/// Locks two persons, in id order so that two merges of one pair cannot
/// wait on each other; returns them as asked.
async fn lock_both(
    conn: &mut sqlx::PgConnection,
    a: PersonId,
    b: PersonId,
) -> AppResult<(db::persons::PersonRow, db::persons::PersonRow)> {
    let (first, second) = if a.0 < b.0 { (a, b) } else { (b, a) };
    let first = db::persons::get(conn, first, true).await?;
    let second = db::persons::get(conn, second, true).await?;
    let (Some(first), Some(second)) = (first, second) else {
        return Err(AppError::NotFound);
    };
    Ok(if first.id == a {
        (first, second)
    } else {
        (second, first)
    })
}

/// Merges `merged` into `kept`: the kept person gets the other's names,
/// ids in other registries, notes and missing details, and all of its
/// records, each at least as hidden as the merged person was; the merged
/// person is archived and leads to the kept one.
pub async fn merge(state: &AppState, caller: &Caller, req: MergeRequest) -> AppResult<MergeOut> {
    require_admin(caller)?;
    if req.kept == req.merged {
        return Err(
            FieldErrors::single("merged_id", "must be another person than the one kept").into(),
        );
    }
    let mut tx = state.pool.begin().await?;
    db::persons::merge::defer_links(&mut tx).await?;
    let (kept_row, merged_row) = lock_both(&mut tx, req.kept, req.merged).await?;
    for row in [&kept_row, &merged_row] {
        if row.archived_at.is_some() || !caller.may_see(row.visibility) {
            return Err(AppError::NotFound);
        }
    }
    if kept_row.version != req.kept_version || merged_row.version != req.merged_version {
        return Err(AppError::PreconditionFailed);
    }
    require_restricted_write(caller, [&kept_row, &merged_row])?;
    let hide_as = merged_row.visibility;
    let kept_parts = load_parts(&mut tx, caller, kept_row, today()).await?;
    let merged_parts = load_parts(&mut tx, caller, merged_row, today()).await?;
    let kept_fields = stored_fields(state, caller, &kept_parts)?;
    let merged_fields = stored_fields(state, caller, &merged_parts)?;
    let kept_before = snapshot(&kept_fields, kept_parts.row.restricted_notes.as_deref())?;
    let merged_before = snapshot(&merged_fields, merged_parts.row.restricted_notes.as_deref())?;
    let merged_names = merged_fields.names.clone();
    let combined = crate::domain::merge::merge(kept_fields, merged_fields).validate()?;
    let combined_sealed = sealed(state, &combined)?;
    let kept_after = snapshot(&combined, combined_sealed.as_deref())?;

    // The merged person's ids in other registries go with it to the kept one.
    db::persons::replace_names(&mut tx, req.merged, &merged_names, &[]).await?;
    db::persons::update(&mut tx, req.kept, &combined, combined_sealed).await?;
    let moved = db::persons::merge::move_records(&mut tx, req.merged, req.kept, hide_as).await?;
    db::persons::merge::mark_merged(&mut tx, req.merged, req.kept).await?;

    let merged_after = json!({"merged_into": req.kept});
    record_persons(
        &mut tx,
        caller,
        ChangeAction::Merge,
        [
            (req.kept, &kept_before, &kept_after),
            (req.merged, &merged_before, &merged_after),
        ],
    )
    .await?;
    record_moves(
        &mut tx,
        caller,
        &moved,
        (req.merged, req.kept),
        ChangeAction::Merge,
    )
    .await?;
    let row = MergeRow {
        id: Uuid::now_v7(),
        kept_id: req.kept,
        merged_id: req.merged,
        account_id: Some(caller.account_id),
        at: OffsetDateTime::now_utc(),
        kept_before,
        kept_after,
        merged_before,
        moved: serde_json::to_value(&moved).map_err(anyhow::Error::from)?,
        undone_at: None,
    };
    db::persons::merge::insert(&mut tx, caller.actor(), &row).await?;
    tx.commit().await?;
    Ok(merge_out(&row))
}

/// A merge the caller may see: both persons visible to them. Merges are
/// history, which is internal.
pub async fn read_merge(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<MergeOut> {
    if !caller.may_see(crate::domain::Visibility::Internal) {
        return Err(AppError::Forbidden(
            "Merges are history: they need internal read access.",
        ));
    }
    let mut conn = state.pool.acquire().await?;
    let row = db::persons::merge::get(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    for person in [row.kept_id, row.merged_id] {
        let p = db::persons::get(&mut conn, person, false).await?;
        if !p.is_some_and(|p| caller.may_see(p.visibility)) {
            return Err(AppError::NotFound);
        }
    }
    Ok(merge_out(&row))
}

/// Undoes a merge: the merged person comes back with its names, ids and
/// the records the merge moved (those still with the kept person), and the
/// kept person loses what the merge added to it. Changes made since stay.
pub async fn undo(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<MergeOut> {
    require_admin(caller)?;
    let mut tx = state.pool.begin().await?;
    db::persons::merge::defer_links(&mut tx).await?;
    let row = db::persons::merge::get(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let (kept_row, merged_row) = lock_both(&mut tx, row.kept_id, row.merged_id).await?;
    if !caller.may_see(kept_row.visibility) || !caller.may_see(merged_row.visibility) {
        return Err(AppError::NotFound);
    }
    if row.undone_at.is_some() {
        return Err(AppError::Conflict("This merge was undone already.".into()));
    }
    if kept_row.archived_at.is_some() {
        return Err(AppError::Conflict(
            "The person kept was archived or merged into another since: undo that first.".into(),
        ));
    }
    require_restricted_write(caller, [&kept_row, &merged_row])?;
    if db::persons::merge::links_crossing(&mut tx, &row.moved).await? {
        return Err(AppError::Conflict(
            "Records this merge moved were linked since to records it did not move \
             (a charge to a detention, a sentence to a charge, a source cited for a record): \
             undo those links first."
                .into(),
        ));
    }
    let kept_parts = load_parts(&mut tx, caller, kept_row, today()).await?;
    let kept_now = stored_fields(state, caller, &kept_parts)?;
    let kept_now_snapshot = snapshot(&kept_now, kept_parts.row.restricted_notes.as_deref())?;
    let opened = |v: &Value| fields_from_snapshot(state, v);
    let restored = crate::domain::merge::unmerge(
        kept_now,
        opened(&row.kept_before)?,
        opened(&row.kept_after)?,
    )
    .validate()?;
    let merged_fields = opened(&row.merged_before)?.validate()?;
    let restored_sealed = sealed(state, &restored)?;
    let merged_sealed = merged_row.restricted_notes.clone();

    let moved =
        db::persons::merge::return_records(&mut tx, &row.moved, row.kept_id, row.merged_id).await?;
    // The kept person first, so that the ids it gives back are free.
    db::persons::update(&mut tx, row.kept_id, &restored, restored_sealed.clone()).await?;
    db::persons::merge::unmark_merged(&mut tx, row.merged_id).await?;
    db::persons::replace_names(
        &mut tx,
        row.merged_id,
        &merged_fields.names,
        &merged_fields.external_ids,
    )
    .await?;

    let kept_after = snapshot(&restored, restored_sealed.as_deref())?;
    let merged_before = json!({"merged_into": row.kept_id});
    let merged_after = snapshot(&merged_fields, merged_sealed.as_deref())?;
    record_persons(
        &mut tx,
        caller,
        ChangeAction::Restore,
        [
            (row.kept_id, &kept_now_snapshot, &kept_after),
            (row.merged_id, &merged_before, &merged_after),
        ],
    )
    .await?;
    // A move back is part of the merge as a whole, which is undone as one:
    // not restorable by itself.
    record_moves(
        &mut tx,
        caller,
        &moved,
        (row.kept_id, row.merged_id),
        ChangeAction::Merge,
    )
    .await?;
    db::persons::merge::set_undone(&mut tx, id, caller.actor()).await?;
    tx.commit().await?;
    let mut conn = state.pool.acquire().await?;
    let row = db::persons::merge::get(&mut conn, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(merge_out(&row))
}

/// Why two persons may be one.
#[derive(Serialize, utoipa::ToSchema, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DuplicateReason {
    /// A name of each, written alike once spelling, script and word order
    /// are set aside.
    NamesAlike { names: [String; 2] },
    /// Detentions of both began on the same day in the same facility (and
    /// their names are somewhat alike).
    SharedDetention {
        #[serde(with = "crate::domain::date::iso_day")]
        #[schema(value_type = String, format = Date)]
        started: time::Date,
        facility: String,
    },
    /// Both were born on this day (and their names are somewhat alike).
    SameBirthDate {
        #[serde(with = "crate::domain::date::iso_day")]
        #[schema(value_type = String, format = Date)]
        born: time::Date,
    },
    /// Both were born in this year.
    SameBirthYear { year: i32 },
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DuplicatePerson {
    pub id: PersonId,
    /// The primary name.
    pub name: String,
}

/// Two persons that may be one, with the reasons.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Duplicate {
    pub persons: [DuplicatePerson; 2],
    pub reasons: Vec<DuplicateReason>,
}

/// Likely duplicates among the persons the caller may see, the pairs with
/// most reasons first. Reasons rest on internal details (exact birth
/// dates): for staff and internal readers only.
pub async fn duplicates(
    state: &AppState,
    caller: &Caller,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Duplicate>> {
    if !caller.may_see(crate::domain::Visibility::Internal) {
        return Err(AppError::Forbidden(
            "Duplicates rest on internal details: they need internal read access.",
        ));
    }
    let rows =
        db::persons::merge::duplicates(&state.pool, caller.max_visibility(), limit, offset).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut reasons = Vec::new();
            if let Some((a, b)) = r.alike {
                reasons.push(DuplicateReason::NamesAlike { names: [a, b] });
            }
            if let Some((started, facility)) = r.shared_detention {
                reasons.push(DuplicateReason::SharedDetention { started, facility });
            }
            if let Some(born) = r.birth_day {
                reasons.push(DuplicateReason::SameBirthDate { born });
            } else if let Some(year) = r.birth_year {
                reasons.push(DuplicateReason::SameBirthYear { year });
            }
            Duplicate {
                persons: [
                    DuplicatePerson {
                        id: r.a,
                        name: r.a_name,
                    },
                    DuplicatePerson {
                        id: r.b,
                        name: r.b_name,
                    },
                ],
                reasons,
            }
        })
        .collect())
}

/// Records that two persons offered as duplicates are two persons.
pub async fn mark_distinct(
    state: &AppState,
    caller: &Caller,
    a: PersonId,
    b: PersonId,
) -> AppResult<()> {
    crate::records::require_write(caller)?;
    let mut conn = state.pool.acquire().await?;
    for id in [a, b] {
        let p = db::persons::get(&mut conn, id, false).await?;
        if !p.is_some_and(|p| p.archived_at.is_none() && caller.may_see(p.visibility)) || a == b {
            return Err(AppError::NotFound);
        }
    }
    db::persons::merge::mark_distinct(&mut *conn, a, b, Some(caller.account_id)).await?;
    Ok(())
}

/// Where a person merged away is now, if the caller may see both it (as
/// it was) and the person it leads to.
pub async fn merged_into(
    state: &AppState,
    caller: &Caller,
    id: PersonId,
) -> AppResult<Option<PersonId>> {
    let mut conn = state.pool.acquire().await?;
    let Some(row) = db::persons::get(&mut conn, id, false).await? else {
        return Ok(None);
    };
    if !caller.may_see(row.visibility) {
        return Ok(None);
    }
    let Some(target) = db::persons::merge::merged_target(&mut *conn, id).await? else {
        return Ok(None);
    };
    match super::visible_person(&mut conn, caller, target, false).await {
        Ok(_) => Ok(Some(target)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}
