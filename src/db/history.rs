//! The history of every change to case and reference data.
//!
//! An entry is written in the transaction of the change. Its sequence number
//! is taken from `history_head` under a row lock, so numbers are gapless and
//! in commit order; each entry's hash covers the previous hash and a digest
//! of its payload.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::access::Actor;
use crate::domain::{AccountId, ChangeAction, Face, ImportId, PersonId, TokenId, Visibility};

/// One change to one record.
pub struct Change<'a> {
    pub record_type: &'a str,
    pub record_id: Uuid,
    pub person_id: Option<PersonId>,
    pub action: ChangeAction,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

/// Appends `change` to the history; returns its sequence number.
pub async fn record(
    conn: &mut PgConnection,
    actor: Actor,
    change: Change<'_>,
) -> sqlx::Result<i64> {
    let head = if actor.import_id.is_some() {
        // An import holds the head from its first record and moves it once
        // at its end (`hold`, `settle`): the head's one row, updated for each of
        // thousands of entries in one transaction, would slow every update
        // by the versions before it.
        sqlx::query_as!(
            Head,
            r#"SELECT coalesce(h.seq, hh.last_seq) + 1 AS "last_seq!",
                      coalesce(h.hash, hh.last_hash) AS "last_hash!"
                 FROM history_head hh
                 LEFT JOIN LATERAL (SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1) h
                   ON true"#
        )
        .fetch_one(&mut *conn)
        .await?
    } else {
        sqlx::query_as!(
            Head,
            "UPDATE history_head SET last_seq = last_seq + 1 RETURNING last_seq, last_hash"
        )
        .fetch_one(&mut *conn)
        .await?
    };
    // Microseconds: what PostgreSQL stores, so the hash can be recomputed.
    let now = OffsetDateTime::now_utc();
    let at = now
        .replace_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now);
    let payload = serde_json::json!({ "before": change.before, "after": change.after });
    let payload_digest = Sha256::digest(payload.to_string().as_bytes()).to_vec();
    let hash = entry_hash(
        &head.last_hash,
        head.last_seq,
        at,
        &actor,
        &change,
        &payload_digest,
    );
    sqlx::query!(
        r#"INSERT INTO history (seq, at, account_id, token_id, face, record_type, record_id,
                               person_id, action, before, after, payload_digest, prev_hash, hash,
                               import_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"#,
        head.last_seq,
        at,
        actor.account_id as Option<AccountId>,
        actor.token_id as Option<TokenId>,
        actor.face as Face,
        change.record_type,
        change.record_id,
        change.person_id as Option<PersonId>,
        change.action as ChangeAction,
        change.before,
        change.after,
        payload_digest,
        head.last_hash,
        hash,
        actor.import_id as Option<ImportId>,
    )
    .execute(&mut *conn)
    .await?;
    if actor.import_id.is_none() {
        sqlx::query!("UPDATE history_head SET last_hash = $1", hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(head.last_seq)
}

/// The number an entry takes and the hash before it.
struct Head {
    last_seq: i64,
    last_hash: Vec<u8>,
}

/// Holds the head for the rest of the transaction, as an import does from
/// its first record: other writers wait for it to end.
pub async fn hold(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("SELECT singleton FROM history_head FOR UPDATE")
        .fetch_one(&mut *conn)
        .await?;
    Ok(())
}

/// Moves the head held by `hold` to the last entry written since.
pub async fn settle(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE history_head hh SET last_seq = h.seq, last_hash = h.hash
           FROM (SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1) h
          WHERE h.seq > hh.last_seq"
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn entry_hash(
    prev: &[u8],
    seq: i64,
    at: OffsetDateTime,
    actor: &Actor,
    change: &Change<'_>,
    payload_digest: &[u8],
) -> Vec<u8> {
    let mut line = format!(
        "{seq}|{}|{}|{}|{}|{}|{}|{}|{}",
        at.unix_timestamp_nanos() / 1000,
        actor.account_id.map(|a| a.to_string()).unwrap_or_default(),
        actor.token_id.map(|t| t.to_string()).unwrap_or_default(),
        actor.face,
        change.record_type,
        change.record_id,
        change.person_id.map(|p| p.to_string()).unwrap_or_default(),
        change.action,
    );
    // Entries from before imports were named hash as they always did.
    if let Some(import) = actor.import_id {
        line.push_str(&format!("|{import}"));
    }
    Sha256::new()
        .chain_update(prev)
        .chain_update(line.as_bytes())
        .chain_update(payload_digest)
        .finalize()
        .to_vec()
}

/// One history entry as read back.
#[derive(Debug, Clone)]
pub struct Entry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub account_id: Option<AccountId>,
    pub token_id: Option<TokenId>,
    pub face: Face,
    pub record_type: String,
    pub record_id: Uuid,
    pub action: ChangeAction,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The entries of one record, oldest first.
pub async fn for_record(
    ex: impl sqlx::PgExecutor<'_>,
    record_id: Uuid,
) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"SELECT seq, at, account_id AS "account_id: AccountId", token_id AS "token_id: TokenId",
                  face AS "face: Face", record_type, record_id, action AS "action: ChangeAction",
                  before, after
             FROM history WHERE record_id = $1 ORDER BY seq"#,
        record_id
    )
    .fetch_all(ex)
    .await
}

/// A change as the latest-changes list shows it.
#[derive(Debug, Clone)]
pub struct RecentChange {
    pub at: OffsetDateTime,
    pub author: Option<String>,
    pub face: Face,
    pub record_type: String,
    pub action: ChangeAction,
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
}

/// The latest changes to cases a reader cleared up to `max_vis` may see:
/// the record as it is now and every version the entry holds must be
/// visible to them.
pub async fn recent(
    ex: impl sqlx::PgExecutor<'_>,
    max_vis: Visibility,
    limit: i64,
) -> sqlx::Result<Vec<RecentChange>> {
    sqlx::query_as!(
        RecentChange,
        r#"SELECT h.at, a.name AS "author?", h.face AS "face: Face", h.record_type,
                  h.action AS "action: ChangeAction", h.person_id AS "person_id: PersonId",
                  (SELECT n.name FROM person_names n WHERE n.person_id = h.person_id
                    ORDER BY n.is_primary DESC, n.position LIMIT 1) AS "person_name?"
             FROM history h
             LEFT JOIN accounts a ON a.id = h.account_id
             JOIN persons p ON p.id = h.person_id AND p.archived_at IS NULL
            WHERE h.person_id IS NOT NULL
              AND record_reach(h.record_type, h.record_id) <= $1
              AND coalesce((h.before->>'visibility')::visibility, 'public') <= $1
              AND coalesce((h.after->>'visibility')::visibility, 'public') <= $1
              AND coalesce(visibility_at('person', h.person_id, h.seq), 'public') <= $1
            ORDER BY h.seq DESC LIMIT $2"#,
        max_vis as Visibility,
        limit
    )
    .fetch_all(ex)
    .await
}

/// Who last changed a record and when (for the conflict of two edits).
pub async fn last_change(
    ex: impl sqlx::PgExecutor<'_>,
    record_id: Uuid,
) -> sqlx::Result<Option<(Option<String>, OffsetDateTime)>> {
    let row = sqlx::query!(
        r#"SELECT a.name AS "author?", h.at
             FROM history h LEFT JOIN accounts a ON a.id = h.account_id
            WHERE h.record_id = $1 ORDER BY h.seq DESC LIMIT 1"#,
        record_id
    )
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| (r.author, r.at)))
}

/// An entry of a person's history as the history page shows it.
#[derive(Debug, Clone)]
pub struct CaseEntry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub author: Option<String>,
    pub face: Face,
    /// The file of the import the change came with.
    pub import_file: Option<String>,
    pub record_type: String,
    pub record_id: Uuid,
    pub action: ChangeAction,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The record is archived now.
    pub archived: bool,
    /// No later entry of the record exists: this is its current version.
    pub newest: bool,
}

/// The entries of a person's case — the person and every record of the
/// case — that a reader cleared up to `max_vis` may see, newest first: the
/// record as it is now and every version the entry holds must be visible
/// to them. Entries before `before_seq` only, `limit` of them.
pub async fn for_person(
    ex: impl sqlx::PgExecutor<'_>,
    person_id: PersonId,
    max_vis: Visibility,
    before_seq: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<CaseEntry>> {
    sqlx::query_as!(
        CaseEntry,
        r#"SELECT h.seq, h.at, a.name AS "author?", h.face AS "face: Face",
                  i.file_name AS "import_file?", h.record_type,
                  h.record_id, h.action AS "action: ChangeAction", h.before, h.after,
                  record_archived(h.record_type, h.record_id) AS "archived!",
                  h.seq = (SELECT max(x.seq) FROM history x WHERE x.record_id = h.record_id)
                      AS "newest!"
             FROM history h
             LEFT JOIN accounts a ON a.id = h.account_id
             LEFT JOIN imports i ON i.id = h.import_id
            -- the person's entries and those of persons merged into it
            WHERE h.person_id = ANY(merged_persons($1))
              AND h.seq < coalesce($3, 9223372036854775807)
              AND record_reach(h.record_type, h.record_id) <= $2
              AND coalesce((h.before->>'visibility')::visibility, 'public') <= $2
              AND coalesce((h.after->>'visibility')::visibility, 'public') <= $2
              -- the person as it was then
              AND coalesce(visibility_at('person', h.person_id, h.seq), 'public') <= $2
              -- a citation reaches no further than its source and the
              -- record it is for, then and now
              AND (h.record_type <> 'citation' OR NOT EXISTS (
                    SELECT 1
                      FROM (VALUES ('source', h.before->>'source_id'),
                                   ('source', h.after->>'source_id'),
                                   (h.before->'cited_for'->>'record_type',
                                    h.before->'cited_for'->>'record_id'),
                                   (h.after->'cited_for'->>'record_type',
                                    h.after->'cited_for'->>'record_id')) AS l (kind, rid)
                     WHERE l.rid IS NOT NULL
                       AND (coalesce(visibility_at(l.kind, l.rid::uuid, h.seq), 'public') > $2
                            OR coalesce(record_reach(l.kind, l.rid::uuid), 'public') > $2)))
            ORDER BY h.seq DESC LIMIT $4"#,
        person_id as PersonId,
        max_vis as Visibility,
        before_seq,
        limit
    )
    .fetch_all(ex)
    .await
}

/// One entry of a person's case, if a reader cleared up to `max_vis` may
/// see it (as [`for_person`] decides).
pub async fn case_entry(
    ex: impl sqlx::PgExecutor<'_>,
    person_id: PersonId,
    seq: i64,
    max_vis: Visibility,
) -> sqlx::Result<Option<CaseEntry>> {
    let Some(next) = seq.checked_add(1) else {
        return Ok(None);
    };
    let mut entries = for_person(ex, person_id, max_vis, Some(next), 1).await?;
    Ok(entries.pop().filter(|e| e.seq == seq))
}

/// An entry of the change feed: the case (`person`) or the reference record
/// it changed. `derived` marks a case with a citation the reader could see
/// of a source whose reach the entry changed: the citation came or went
/// with it.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub kind: String,
    pub id: Uuid,
    pub derived: bool,
}

/// The newest entry's number (0 before the first).
pub async fn head(ex: impl sqlx::PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!("SELECT last_seq FROM history_head")
        .fetch_one(ex)
        .await
}

/// The first `limit` entries numbered after `after` and up to `until` whose
/// record a reader cleared up to `max_vis` could see just before the entry
/// or just after it, with the cases citing a source whose reach an entry
/// changed; in sequence order.
pub async fn feed(
    ex: impl sqlx::PgExecutor<'_>,
    after: i64,
    until: i64,
    max_vis: Visibility,
    limit: i64,
) -> sqlx::Result<Vec<FeedEntry>> {
    sqlx::query_as!(
        FeedEntry,
        r#"WITH entry AS (
               SELECT h.seq, h.at, h.record_type, h.record_id, h.person_id, h.action,
                      -- A record a merge moved is taken as under the person
                      -- it moved to on both sides: the item names that person.
                      version_reach(h.record_type, h.before, h.person_id, h.seq - 1)
                          AS reach_before,
                      version_reach(h.record_type, h.after, h.person_id, h.seq) AS reach_after
                 FROM history h
                WHERE h.seq > $1 AND h.seq <= $2),
           page AS (
               SELECT * FROM entry WHERE reach_before <= $3 OR reach_after <= $3
                ORDER BY seq LIMIT $4)
           SELECT seq AS "seq!", at AS "at!",
                  CASE WHEN person_id IS NULL THEN record_type ELSE 'person' END AS "kind!",
                  coalesce(person_id, record_id) AS "id!", false AS "derived!"
             FROM page
           UNION ALL
           SELECT DISTINCT p.seq, p.at, 'person', c.person_id, true
             FROM page p
             JOIN citations c ON c.source_id = p.record_id
             JOIN citation_reach r ON r.id = c.id
            WHERE p.record_type = 'source'
              AND (p.reach_before IS DISTINCT FROM p.reach_after
                   OR p.action IN ('archive', 'restore'))
              -- citations the reader could see on either side of the entry
              AND r.archived_but_source_at IS NULL
              AND greatest(r.reach_but_source, least(p.reach_before, p.reach_after)) <= $3
            ORDER BY 1, 5"#,
        after,
        until,
        max_vis as Visibility,
        limit
    )
    .fetch_all(ex)
    .await
}

/// What recomputing the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every entry matches its hash and links to the one before; the head
    /// names the last.
    Intact { entries: i64, head_hash: Vec<u8> },
    /// An entry's content no longer matches its hash.
    Altered { seq: i64 },
    /// Entries were removed: `seq` is the first number missing.
    Missing { seq: i64 },
    /// An entry does not link to the one before it (moved, or replaced
    /// with the chain recomputed from there on).
    Unlinked { seq: i64 },
    /// The newest entries were removed: the head counts `head`, history
    /// ends at `last`.
    Truncated { last: i64, head: i64 },
}

/// Entries read at a time while checking.
const CHECK_BATCH: i64 = 5_000;

/// Recomputes every entry's payload digest and hash in sequence order and
/// checks the links between them and the head; names the first problem.
pub async fn check_chain(pool: &sqlx::PgPool) -> sqlx::Result<ChainCheck> {
    // One snapshot for the entries and the head, whatever is written
    // meanwhile.
    let mut tx = super::begin_snapshot(pool).await?;
    let conn: &mut PgConnection = &mut tx;
    let mut expected_seq = 1_i64;
    let mut prev = vec![0u8; 32];
    loop {
        let rows = sqlx::query!(
            r#"SELECT seq, at, account_id AS "account_id: AccountId",
                      token_id AS "token_id: TokenId", face AS "face: Face", record_type,
                      record_id, person_id AS "person_id: PersonId",
                      action AS "action: ChangeAction", before, after, payload_digest,
                      prev_hash, hash, import_id AS "import_id: ImportId"
                 FROM history WHERE seq >= $1 ORDER BY seq LIMIT $2"#,
            expected_seq,
            CHECK_BATCH
        )
        .fetch_all(&mut *conn)
        .await?;
        let done = (rows.len() as i64) < CHECK_BATCH;
        for row in rows {
            if row.seq != expected_seq {
                return Ok(ChainCheck::Missing { seq: expected_seq });
            }
            let payload = serde_json::json!({ "before": row.before, "after": row.after });
            let digest = Sha256::digest(payload.to_string().as_bytes()).to_vec();
            let actor = Actor {
                account_id: row.account_id,
                token_id: row.token_id,
                face: row.face,
                import_id: row.import_id,
            };
            let change = Change {
                record_type: &row.record_type,
                record_id: row.record_id,
                person_id: row.person_id,
                action: row.action,
                before: row.before.as_ref(),
                after: row.after.as_ref(),
            };
            let hash = entry_hash(&row.prev_hash, row.seq, row.at, &actor, &change, &digest);
            if digest != row.payload_digest || hash != row.hash {
                return Ok(ChainCheck::Altered { seq: row.seq });
            }
            if row.prev_hash != prev {
                return Ok(ChainCheck::Unlinked { seq: row.seq });
            }
            prev = row.hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }
    let last = expected_seq - 1;
    // Entries outside 1..=last (numbered 0 or below) are not in the chain.
    let stray = sqlx::query_scalar!(
        r#"SELECT min(seq) AS "seq" FROM history WHERE seq < 1 OR seq > $1"#,
        last
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(seq) = stray {
        return Ok(ChainCheck::Unlinked { seq });
    }
    let head = sqlx::query!("SELECT last_seq, last_hash FROM history_head")
        .fetch_one(&mut *conn)
        .await?;
    if head.last_seq > last {
        return Ok(ChainCheck::Truncated {
            last,
            head: head.last_seq,
        });
    }
    if head.last_seq < last || (last > 0 && head.last_hash != prev) {
        return Ok(ChainCheck::Unlinked { seq: last });
    }
    Ok(ChainCheck::Intact {
        entries: last,
        head_hash: head.last_hash,
    })
}
