//! What a caller may see of each record and the lifecycle every record
//! shares — create, read, change against a known version, archive, each
//! change written to history in the same transaction — written once over the
//! [`Record`] trait. Both faces (pages and the JSON API) go through here, so
//! the classification of fields and the rules of writing hold in one place.

pub mod accounts;
pub mod cases;
pub mod changes;
pub mod charges;
pub mod citations;
pub mod detentions;
pub mod export;
pub mod facilities;
pub mod import;
pub mod organizations;
pub mod persons;
pub mod recognitions;
pub mod second_factor;
pub mod sources;
pub mod tables;
pub mod text_search;

use std::fmt::Display;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use self::persons::visible_person;
use crate::db::history::{self, Change};
use crate::domain::access::Caller;
use crate::domain::validate::{FieldErrors, Valid};
use crate::domain::{ChangeAction, FacilityId, PersonId, Visibility};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Version and timestamps every record carries.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Meta {
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: time::OffsetDateTime,
}

/// A facility as other records show it: where to write to a prisoner.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FacilityRef {
    pub id: FacilityId,
    pub name: String,
    pub city: Option<String>,
    pub postal_address: Option<String>,
}

/// 403 unless the caller may change case data.
pub fn require_write(caller: &Caller) -> Result<(), AppError> {
    if caller.may_write() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Your token or role does not allow changes.",
        ))
    }
}

/// A stored record (its database row) and what a caller may see of it.
pub trait Record: Sized + Send + Sync + 'static {
    /// Record type in history: `detention`.
    const KIND: &'static str;
    /// Path segment under `/api/v1`: `detentions`.
    const COLLECTION: &'static str;
    type Id: Copy + Display + Send + Sync + Into<Uuid> + From<Uuid>;
    /// The write shape: what a client sends, and what a merge patch applies to.
    type Fields: Serialize + DeserializeOwned + Send + Sync;
    /// The response, built from an explicit decision for every column.
    type Out: Serialize;

    fn validate(fields: Self::Fields) -> Result<Valid<Self::Fields>, FieldErrors>;
    fn fields(&self) -> Self::Fields;
    fn id(&self) -> Self::Id;
    fn version(&self) -> i32;
    /// The visibility a caller needs to see the record: its own, or
    /// stricter where what it shows is stricter (a citation's source).
    fn reach(&self) -> Visibility;
    fn person_id(&self) -> Option<PersonId>;
    fn archived(&self) -> bool;
    fn out(self, caller: &Caller) -> Self::Out;
    /// What history keeps of the fields: by default the fields as written.
    fn snapshot(fields: &Self::Fields) -> AppResult<Value> {
        Ok(serde_json::to_value(fields).map_err(anyhow::Error::from)?)
    }

    /// The fields of a version history keeps (the `after` of an entry);
    /// `current` gives what a snapshot leaves to the record.
    fn from_snapshot(snapshot: &Value, _current: &Self::Fields) -> AppResult<Self::Fields> {
        serde_json::from_value(snapshot.clone()).map_err(|_| not_restorable())
    }

    /// Carries from the stored record to the patched fields what the caller
    /// may not change: what the wire shape leaves out, and references to
    /// records the caller may not see (a patch never cuts those links).
    fn carry_over(&self, _caller: &Caller, _patched: &mut Self::Fields) {}

    /// The visibility the fields ask for (reference data has none: public).
    fn fields_visibility(fields: &Self::Fields) -> Visibility;

    fn get(
        conn: &mut PgConnection,
        id: Self::Id,
        for_update: bool,
    ) -> impl Future<Output = sqlx::Result<Option<Self>>> + Send;
    fn insert(
        conn: &mut PgConnection,
        id: Self::Id,
        person_id: Option<PersonId>,
        fields: &Valid<Self::Fields>,
    ) -> impl Future<Output = sqlx::Result<()>> + Send;
    fn update(
        conn: &mut PgConnection,
        id: Self::Id,
        fields: &Valid<Self::Fields>,
    ) -> impl Future<Output = sqlx::Result<()>> + Send;
    fn archive(
        conn: &mut PgConnection,
        id: Self::Id,
    ) -> impl Future<Output = sqlx::Result<()>> + Send;

    /// Checks that the records the fields point to exist for this caller;
    /// on a patch (`current` given) only the references it changes.
    fn check_references(
        _conn: &mut PgConnection,
        _caller: &Caller,
        _person_id: Option<PersonId>,
        _fields: &Self::Fields,
        _current: Option<&Self::Fields>,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

/// Whether the caller may see the record itself (its person aside): not
/// archived, and its reach allowed.
pub fn shown_to<R: Record>(record: &R, caller: &Caller) -> bool {
    !record.archived() && caller.may_see(record.reach())
}

/// The record if the caller may see it: not archived, its own visibility
/// and its person's allowed.
pub async fn visible<R: Record>(
    conn: &mut PgConnection,
    caller: &Caller,
    id: R::Id,
    for_update: bool,
) -> AppResult<R> {
    let record = R::get(conn, id, for_update)
        .await?
        .filter(|r| shown_to(r, caller))
        .ok_or(AppError::NotFound)?;
    if let Some(person_id) = record.person_id() {
        visible_person(conn, caller, person_id, false).await?;
    }
    Ok(record)
}

/// Locks the case of record `id` for a change, then the record: every
/// writer takes a person's row before any record of theirs (a new record,
/// a merge, and the status spans' refresh at the end of each statement do
/// too), so that two writers of one case wait for each other instead of
/// each holding what the other needs. A record a merge moved meanwhile is
/// locked again under its new person. Nothing when there is no such record.
async fn lock_case<R: Record>(conn: &mut PgConnection, id: R::Id) -> AppResult<()> {
    for _ in 0..3 {
        let Some(seen) = R::get(conn, id, false).await? else {
            return Ok(());
        };
        if let Some(person_id) = seen.person_id() {
            crate::db::persons::get(conn, person_id, true).await?;
        }
        let locked = R::get(conn, id, true).await?;
        if locked.is_none_or(|r| r.person_id() == seen.person_id()) {
            return Ok(());
        }
    }
    Err(AppError::Conflict(
        "The record moved to another person meanwhile; try again.".into(),
    ))
}

fn check_visibility(caller: &Caller, visibility: Visibility) -> AppResult<()> {
    if caller.may_set_visibility(visibility) {
        Ok(())
    } else {
        Err(FieldErrors::single("visibility", "you may not give a record this visibility").into())
    }
}

/// Adds a record: under a person (`person_id`) or at the top (reference
/// data). Returns the record as stored.
pub async fn create<R: Record>(
    state: &AppState,
    caller: &Caller,
    person_id: Option<PersonId>,
    fields: R::Fields,
    new_id: R::Id,
) -> AppResult<R> {
    let mut tx = state.pool.begin().await?;
    create_on::<R>(&mut tx, caller, person_id, fields, new_id).await?;
    let record = visible::<R>(&mut tx, caller, new_id, false).await?;
    tx.commit().await?;
    Ok(record)
}

/// [`create`] within the caller's transaction.
pub async fn create_on<R: Record>(
    conn: &mut PgConnection,
    caller: &Caller,
    person_id: Option<PersonId>,
    fields: R::Fields,
    new_id: R::Id,
) -> AppResult<()> {
    require_write(caller)?;
    let fields = R::validate(fields)?;
    check_visibility(caller, R::fields_visibility(&fields))?;
    if let Some(person_id) = person_id {
        // Locks the person: a child is never added to an archived case.
        visible_person(conn, caller, person_id, true).await?;
    }
    R::check_references(conn, caller, person_id, &fields, None).await?;
    R::insert(conn, new_id, person_id, &fields).await?;
    let after = R::snapshot(&fields)?;
    let change = Change {
        record_type: R::KIND,
        record_id: new_id.into(),
        person_id,
        action: ChangeAction::Create,
        before: None,
        after: Some(&after),
    };
    history::record(conn, caller.actor(), change).await?;
    Ok(())
}

/// Changes a record read at `expected_version`: `edit` turns its current
/// fields into the new ones (a merge patch, or a whole form). `None` when
/// the change hid the record from its author.
pub async fn update<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: R::Id,
    expected_version: i32,
    edit: impl FnOnce(&R::Fields) -> AppResult<R::Fields> + Send,
) -> AppResult<Option<R>> {
    let mut tx = state.pool.begin().await?;
    update_on::<R>(&mut tx, caller, id, Some(expected_version), edit).await?;
    let updated = match visible::<R>(&mut tx, caller, id, false).await {
        Ok(record) => Some(record),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e),
    };
    tx.commit().await?;
    Ok(updated)
}

/// [`update`] within the caller's transaction; at whatever version the
/// record has when `expected_version` is `None`.
pub async fn update_on<R: Record>(
    conn: &mut PgConnection,
    caller: &Caller,
    id: R::Id,
    expected_version: Option<i32>,
    edit: impl FnOnce(&R::Fields) -> AppResult<R::Fields> + Send,
) -> AppResult<()> {
    require_write(caller)?;
    lock_case::<R>(conn, id).await?;
    let record = visible::<R>(conn, caller, id, true).await?;
    if expected_version.is_some_and(|v| v != record.version()) {
        return Err(AppError::PreconditionFailed);
    }
    let current = record.fields();
    let mut edited = edit(&current)?;
    record.carry_over(caller, &mut edited);
    let fields = R::validate(edited)?;
    check_visibility(caller, R::fields_visibility(&fields))?;
    R::check_references(conn, caller, record.person_id(), &fields, Some(&current)).await?;
    R::update(conn, id, &fields).await?;
    let (before, after) = (R::snapshot(&current)?, R::snapshot(&fields)?);
    let change = Change {
        record_type: R::KIND,
        record_id: id.into(),
        person_id: record.person_id(),
        action: ChangeAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    history::record(conn, caller.actor(), change).await?;
    Ok(())
}

/// Archives a record read at `expected_version`; history keeps every
/// version.
pub async fn archive<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: R::Id,
    expected_version: i32,
) -> AppResult<()> {
    require_write(caller)?;
    let mut tx = state.pool.begin().await?;
    lock_case::<R>(&mut tx, id).await?;
    let record = visible::<R>(&mut tx, caller, id, true).await?;
    if record.version() != expected_version {
        return Err(AppError::PreconditionFailed);
    }
    R::archive(&mut tx, id).await?;
    let before = R::snapshot(&record.fields())?;
    let change = Change {
        record_type: R::KIND,
        record_id: id.into(),
        person_id: record.person_id(),
        action: ChangeAction::Archive,
        before: Some(&before),
        after: None,
    };
    history::record(&mut tx, caller.actor(), change).await?;
    tx.commit().await?;
    Ok(())
}

/// A version history keeps that today's rules do not read.
pub fn not_restorable() -> AppError {
    AppError::Conflict("This version can no longer be restored as it was.".into())
}

/// Restores a record, archived or not, to a version history keeps (the
/// `after` of an entry): a new change, attributed, whose action says so.
/// Links the caller may not see stay as they are now.
pub async fn restore<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: R::Id,
    snapshot: &Value,
) -> AppResult<()> {
    require_write(caller)?;
    let mut tx = state.pool.begin().await?;
    lock_case::<R>(&mut tx, id).await?;
    let record = R::get(&mut tx, id, true)
        .await?
        .filter(|r| caller.may_see(r.reach()))
        .ok_or(AppError::NotFound)?;
    if let Some(person_id) = record.person_id() {
        visible_person(&mut tx, caller, person_id, true).await?;
    }
    let current = record.fields();
    let mut restored = R::from_snapshot(snapshot, &current)?;
    record.carry_over(caller, &mut restored);
    let fields = R::validate(restored)?;
    check_visibility(caller, R::fields_visibility(&fields))?;
    R::check_references(&mut tx, caller, record.person_id(), &fields, Some(&current)).await?;
    R::update(&mut tx, id, &fields).await?;
    if record.archived() {
        crate::db::unarchive(&mut tx, R::KIND, id.into()).await?;
    }
    let (before, after) = (R::snapshot(&current)?, R::snapshot(&fields)?);
    let change = Change {
        record_type: R::KIND,
        record_id: id.into(),
        person_id: record.person_id(),
        action: ChangeAction::Restore,
        before: Some(&before),
        after: Some(&after),
    };
    history::record(&mut tx, caller.actor(), change).await?;
    tx.commit().await?;
    Ok(())
}

/// The accessors every row type shares, for inside `impl Record`.
macro_rules! row_accessors {
    ($id:ty) => {
        fn id(&self) -> $id {
            self.id
        }

        fn version(&self) -> i32 {
            self.version
        }

        fn archived(&self) -> bool {
            self.archived_at.is_some()
        }
    };
}
pub(crate) use row_accessors;

/// The items of `impl Record` shared by every record of a person's case:
/// accessors, and the SQL of the `db` module named (`get`, `insert`,
/// `update`, `archive`).
macro_rules! case_record {
    (id = $id:ty, fields = $fields:ty, db = $($db:ident)::+ $(,)?) => {
        $crate::records::row_accessors!($id);

        fn person_id(&self) -> Option<$crate::domain::PersonId> {
            Some(self.person_id)
        }

        fn fields_visibility(fields: &$fields) -> $crate::domain::Visibility {
            fields.visibility
        }

        async fn get(
            conn: &mut sqlx::PgConnection,
            id: $id,
            for_update: bool,
        ) -> sqlx::Result<Option<Self>> {
            $($db)::+::get(conn, id, for_update).await
        }

        async fn insert(
            conn: &mut sqlx::PgConnection,
            id: $id,
            person_id: Option<$crate::domain::PersonId>,
            fields: &$crate::domain::validate::Valid<$fields>,
        ) -> sqlx::Result<()> {
            $($db)::+::insert(conn, id, $crate::records::owner(person_id)?, fields).await
        }

        async fn update(
            conn: &mut sqlx::PgConnection,
            id: $id,
            fields: &$crate::domain::validate::Valid<$fields>,
        ) -> sqlx::Result<()> {
            $($db)::+::update(conn, id, fields).await
        }

        async fn archive(conn: &mut sqlx::PgConnection, id: $id) -> sqlx::Result<()> {
            $($db)::+::archive(conn, id).await
        }
    };
}
pub(crate) use case_record;

/// The items of `impl Record` shared by reference data (facilities,
/// organisations, sources, cases), which belong to no person.
macro_rules! reference_record {
    (id = $id:ty, fields = $fields:ty, db = $($db:ident)::+ $(,)?) => {
        $crate::records::row_accessors!($id);

        fn person_id(&self) -> Option<$crate::domain::PersonId> {
            None
        }

        async fn get(
            conn: &mut sqlx::PgConnection,
            id: $id,
            for_update: bool,
        ) -> sqlx::Result<Option<Self>> {
            $($db)::+::get(conn, id, for_update).await
        }

        async fn insert(
            conn: &mut sqlx::PgConnection,
            id: $id,
            _person_id: Option<$crate::domain::PersonId>,
            fields: &$crate::domain::validate::Valid<$fields>,
        ) -> sqlx::Result<()> {
            $($db)::+::insert(conn, id, fields).await
        }

        async fn update(
            conn: &mut sqlx::PgConnection,
            id: $id,
            fields: &$crate::domain::validate::Valid<$fields>,
        ) -> sqlx::Result<()> {
            $($db)::+::update(conn, id, fields).await
        }

        async fn archive(conn: &mut sqlx::PgConnection, id: $id) -> sqlx::Result<()> {
            $($db)::+::archive(conn, id).await
        }
    };
}
pub(crate) use reference_record;

/// The person a child record is created under (always given by the
/// handlers of person children).
pub fn owner(person_id: Option<PersonId>) -> sqlx::Result<PersonId> {
    person_id.ok_or_else(|| sqlx::Error::Protocol("a record of a case needs its person".into()))
}

/// A 422 on `field` unless the referenced record exists, is not archived
/// and the caller may see it (so a reference never reveals a hidden record).
/// A reference a patch leaves as it was (`before`) is not checked again.
pub async fn must_refer<R: Record>(
    conn: &mut PgConnection,
    caller: &Caller,
    id: Option<R::Id>,
    before: Option<Option<R::Id>>,
    field: &str,
) -> AppResult<()>
where
    R::Id: PartialEq,
{
    let Some(id) = id else { return Ok(()) };
    if before == Some(Some(id)) {
        return Ok(());
    }
    match visible::<R>(conn, caller, id, false).await {
        Ok(_) => Ok(()),
        Err(AppError::NotFound) => {
            Err(FieldErrors::single(field, format!("no such {}", R::KIND)).into())
        }
        Err(e) => Err(e),
    }
}
