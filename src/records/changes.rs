//! The change feed: what changed after a point of the history, as a reader
//! sees it now, for partners who keep a mirror.
//!
//! History numbers its entries under a row lock held until the writing
//! transaction commits, so numbers are in commit order and every reader
//! sees them without gaps: a position in the history is a cursor that
//! skips and repeats nothing. A case record's entry brings its whole case,
//! a reference record's entry the record; either as the reader may see it
//! now, or a tombstone when the reader may no longer see it. An entry is
//! shown only to readers who could see its record just before or just
//! after it, so the feed names nothing a reader never saw, and one kind of
//! tombstone stands for archived, merged away and hidden alike.

use std::collections::HashMap;

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::cases::CaseOut;
use super::facilities::FacilityOut;
use super::organizations::OrganizationOut;
use super::persons::{PersonCase, read_case, today};
use super::sources::SourceOut;
use super::{Record, visible};
use crate::db;
use crate::db::cases::CaseRow;
use crate::db::facilities::FacilityRow;
use crate::db::organizations::OrganizationRow;
use crate::db::sources::SourceRow;
use crate::domain::PersonId;
use crate::domain::access::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// Entries looked at for one page at most: a reader who may see few of
/// them gets a page with fewer items, or none, and a cursor further on.
const WINDOW: i64 = 10_000;

/// What an item of the feed is about (written out as the tag of
/// [`ChangedRecord`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A person's case: the person or any record of theirs.
    Person,
    Facility,
    Organization,
    Source,
    /// A criminal case.
    Case,
}

impl ChangeKind {
    /// The kind a name (`person`, `facility`, …) is of.
    pub fn from_name(kind: &str) -> Option<Self> {
        Some(match kind {
            "person" => Self::Person,
            "facility" => Self::Facility,
            "organization" => Self::Organization,
            "source" => Self::Source,
            "case" => Self::Case,
            _ => return None,
        })
    }
}

/// A record's kind, and the record as `GET` on its address returns it now:
/// `{"kind": "facility", "record": {…}}`. `record` is `null` only in a
/// tombstone of the change feed.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum ChangedRecord {
    /// A person's whole case, as `GET /persons/{id}` returns it.
    Person(Option<Box<PersonCase>>),
    Facility(Option<FacilityOut>),
    Organization(Option<OrganizationOut>),
    Source(Option<SourceOut>),
    /// A criminal case.
    Case(Option<CaseOut>),
}

impl ChangedRecord {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Self::Person(_) => ChangeKind::Person,
            Self::Facility(_) => ChangeKind::Facility,
            Self::Organization(_) => ChangeKind::Organization,
            Self::Source(_) => ChangeKind::Source,
            Self::Case(_) => ChangeKind::Case,
        }
    }

    /// No record: the reader may not see it.
    fn is_gone(&self) -> bool {
        match self {
            Self::Person(r) => r.is_none(),
            Self::Facility(r) => r.is_none(),
            Self::Organization(r) => r.is_none(),
            Self::Source(r) => r.is_none(),
            Self::Case(r) => r.is_none(),
        }
    }
}

/// One item of the feed: the latest change of a record within the page.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChangeItem {
    /// When the change was made.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    /// The record's id: for `person`, the person's.
    pub id: Uuid,
    /// The record is no longer yours to see (archived, merged into another
    /// person, or hidden from your token): remove it, and for `person` its
    /// whole case. Its `record` is then `null`.
    pub tombstone: bool,
    /// `kind`, and the record as it is now.
    #[serde(flatten)]
    pub record: ChangedRecord,
}

/// A page of the feed.
pub struct FeedPage {
    pub items: Vec<ChangeItem>,
    /// The position the page ends at: the next page starts after it.
    pub until: i64,
    /// No entry after `until` existed when the page was read.
    pub caught_up: bool,
}

/// The changes after position `after` (0: from the beginning): the records
/// of up to `limit` entries, each record once, at its last change in the
/// page.
pub async fn read(
    state: &AppState,
    caller: &Caller,
    after: i64,
    limit: i64,
) -> AppResult<FeedPage> {
    // The entries and the head in one snapshot.
    let mut tx = db::begin_snapshot(&state.pool).await?;
    let head = db::history::head(&mut *tx).await?;
    if after > head {
        return Err(crate::domain::validate::FieldErrors::single(
            "since",
            "is past the newest change: not a cursor of this registry",
        )
        .into());
    }
    let until = head.min(after.saturating_add(WINDOW));
    let entries = db::history::feed(&mut *tx, after, until, caller.max_visibility(), limit).await?;
    tx.commit().await?;
    let full = i64::try_from(entries.iter().filter(|e| !e.derived).count()) == Ok(limit);
    let until = match entries.iter().rfind(|e| !e.derived) {
        Some(last) if full => last.seq,
        _ => until,
    };
    // Each record once, at its last change; a tombstone only where an
    // entry of its own showed it.
    let mut latest: HashMap<(ChangeKind, Uuid), (usize, OffsetDateTime, bool)> = HashMap::new();
    for (position, entry) in entries.into_iter().enumerate() {
        let Some(kind) = ChangeKind::from_name(&entry.kind) else {
            // A record type written to history that the feed does not
            // know: left out, rather than stopping the feed at it.
            tracing::error!(
                kind = entry.kind,
                "the change feed leaves out a record type"
            );
            continue;
        };
        let key = (kind, entry.id);
        let direct = latest.get(&key).is_some_and(|l| l.2) || !entry.derived;
        latest.insert(key, (position, entry.at, direct));
    }
    let mut ordered: Vec<_> = latest.into_iter().collect();
    ordered.sort_by_key(|(_, (position, _, _))| *position);
    let mut items = Vec::with_capacity(ordered.len());
    for ((kind, id), (_, at, direct)) in ordered {
        let record = current(state, caller, kind, id).await?;
        if record.is_gone() && !direct {
            continue;
        }
        items.push(ChangeItem {
            at,
            id,
            tombstone: record.is_gone(),
            record,
        });
    }
    Ok(FeedPage {
        items,
        until,
        caught_up: until >= head,
    })
}

/// The record as the caller may see it now; none if they may not.
async fn current(
    state: &AppState,
    caller: &Caller,
    kind: ChangeKind,
    id: Uuid,
) -> AppResult<ChangedRecord> {
    Ok(match kind {
        ChangeKind::Person => match read_case(state, caller, PersonId(id), today()).await {
            Ok(case) => ChangedRecord::Person(Some(Box::new(case))),
            Err(AppError::NotFound) => ChangedRecord::Person(None),
            Err(e) => return Err(e),
        },
        ChangeKind::Facility => {
            ChangedRecord::Facility(visible_out::<FacilityRow>(state, caller, id).await?)
        }
        ChangeKind::Organization => {
            ChangedRecord::Organization(visible_out::<OrganizationRow>(state, caller, id).await?)
        }
        ChangeKind::Source => {
            ChangedRecord::Source(visible_out::<SourceRow>(state, caller, id).await?)
        }
        ChangeKind::Case => ChangedRecord::Case(visible_out::<CaseRow>(state, caller, id).await?),
    })
}

async fn visible_out<R: Record>(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
) -> AppResult<Option<R::Out>> {
    let mut conn = state.pool.acquire().await?;
    match visible::<R>(&mut conn, caller, R::Id::from(id), false).await {
        Ok(record) => Ok(Some(record.out(caller))),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}
