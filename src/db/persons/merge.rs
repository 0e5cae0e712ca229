//! Merging two records of one person, undoing a merge, and the likely
//! duplicates to merge.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::access::Actor;
use crate::domain::{AccountId, PersonId, TokenId, Visibility};

/// A record a merge moved to the kept person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MovedRecord {
    pub record_type: String,
    pub id: Uuid,
    pub visibility_before: Visibility,
    pub visibility_after: Visibility,
}

/// A `person_merges` row.
#[derive(Debug)]
pub struct MergeRow {
    pub id: Uuid,
    pub kept_id: PersonId,
    pub merged_id: PersonId,
    pub account_id: Option<AccountId>,
    pub at: OffsetDateTime,
    pub kept_before: Value,
    pub kept_after: Value,
    pub merged_before: Value,
    pub moved: Value,
    pub undone_at: Option<OffsetDateTime>,
}

/// Defers the checks of the links between a person's records to the
/// commit, so that records move table by table.
pub async fn defer_links(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("SET CONSTRAINTS ALL DEFERRED")
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves every record of `from` to `to`, each at least `at_least` hidden.
pub async fn move_records(
    conn: &mut PgConnection,
    from: PersonId,
    to: PersonId,
    at_least: Visibility,
) -> sqlx::Result<Vec<MovedRecord>> {
    sqlx::query_as!(
        MovedRecord,
        r#"SELECT record_type AS "record_type!", id AS "id!",
                  visibility_before AS "visibility_before!: Visibility",
                  visibility_after AS "visibility_after!: Visibility"
             FROM move_person_records($1, $2, $3)"#,
        from as PersonId,
        to as PersonId,
        at_least as Visibility,
    )
    .fetch_all(conn)
    .await
}

/// Moves back what a merge moved from `to` to `from` and is still `from`'s;
/// returns what moved back.
pub async fn return_records(
    conn: &mut PgConnection,
    moved: &Value,
    from: PersonId,
    to: PersonId,
) -> sqlx::Result<Vec<MovedRecord>> {
    sqlx::query_as!(
        MovedRecord,
        r#"SELECT record_type AS "record_type!", id AS "id!",
                  visibility_before AS "visibility_before!: Visibility",
                  visibility_after AS "visibility_after!: Visibility"
             FROM return_person_records($1, $2, $3)"#,
        moved,
        from as PersonId,
        to as PersonId
    )
    .fetch_all(conn)
    .await
}

/// Whether moving these records back would split a link made since.
pub async fn links_crossing(conn: &mut PgConnection, moved: &Value) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(r#"SELECT merge_links_crossing($1) AS "crossing!""#, moved)
        .fetch_one(conn)
        .await?;
    Ok(row)
}

/// Marks `merged` as merged into `kept` (and so archived).
pub async fn mark_merged(
    conn: &mut PgConnection,
    merged: PersonId,
    kept: PersonId,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE persons SET merged_into = $2, archived_at = now(), version = version + 1,
                            updated_at = now()
          WHERE id = $1",
        merged as PersonId,
        kept as PersonId
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Brings a merged person back as a person of its own.
pub async fn unmark_merged(conn: &mut PgConnection, merged: PersonId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE persons SET merged_into = NULL, archived_at = NULL, version = version + 1,
                            updated_at = now()
          WHERE id = $1",
        merged as PersonId
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert(conn: &mut PgConnection, actor: Actor, row: &MergeRow) -> sqlx::Result<()> {
    sqlx::query!(
        "INSERT INTO person_merges (id, kept_id, merged_id, account_id, token_id, at,
                                    kept_before, kept_after, merged_before, moved)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        row.id,
        row.kept_id as PersonId,
        row.merged_id as PersonId,
        actor.account_id as Option<AccountId>,
        actor.token_id as Option<TokenId>,
        row.at,
        row.kept_before,
        row.kept_after,
        row.merged_before,
        row.moved,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A merge; `for_update` locks it.
pub async fn get(
    conn: &mut PgConnection,
    id: Uuid,
    for_update: bool,
) -> sqlx::Result<Option<MergeRow>> {
    // Two statements rather than a formatted one: the lock is part of the
    // compile-checked text.
    if for_update {
        sqlx::query_as!(
            MergeRow,
            r#"SELECT id, kept_id AS "kept_id: PersonId", merged_id AS "merged_id: PersonId",
                      account_id AS "account_id: AccountId", at, kept_before, kept_after, merged_before,
                      moved, undone_at
                 FROM person_merges WHERE id = $1 FOR UPDATE"#,
            id
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            MergeRow,
            r#"SELECT id, kept_id AS "kept_id: PersonId", merged_id AS "merged_id: PersonId",
                      account_id AS "account_id: AccountId", at, kept_before, kept_after, merged_before,
                      moved, undone_at
                 FROM person_merges WHERE id = $1"#,
            id
        )
        .fetch_optional(conn)
        .await
    }
}

pub async fn set_undone(conn: &mut PgConnection, id: Uuid, actor: Actor) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE person_merges SET undone_at = now(), undone_by = $2, undone_by_token = $3
          WHERE id = $1",
        id,
        actor.account_id as Option<AccountId>,
        actor.token_id as Option<TokenId>,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A merge into a person, as its page lists it.
#[derive(Debug)]
pub struct MergeInto {
    pub id: Uuid,
    pub merged_id: PersonId,
    /// The merged person's primary name.
    pub merged_name: String,
    pub at: OffsetDateTime,
}

/// The merges into `kept` not undone, of persons a reader of `max` may
/// see, newest first.
pub async fn into(
    db: impl PgExecutor<'_>,
    kept: PersonId,
    max: Visibility,
) -> sqlx::Result<Vec<MergeInto>> {
    sqlx::query_as!(
        MergeInto,
        r#"SELECT m.id, m.merged_id AS "merged_id: PersonId", n.name AS merged_name, m.at
             FROM person_merges m
             JOIN persons p ON p.id = m.merged_id
             JOIN person_names n ON n.person_id = m.merged_id AND n.is_primary
            WHERE m.kept_id = $1 AND m.undone_at IS NULL AND p.visibility <= $2
            ORDER BY m.at DESC"#,
        kept as PersonId,
        max as Visibility
    )
    .fetch_all(db)
    .await
}

/// The person a merged person's records are with now, following merges
/// of merges; `None` if `id` was not merged away.
pub async fn merged_target(
    db: impl PgExecutor<'_>,
    id: PersonId,
) -> sqlx::Result<Option<PersonId>> {
    sqlx::query_scalar!(
        r#"WITH RECURSIVE t (id, next, depth) AS (
               SELECT id, merged_into, 0 FROM persons WHERE id = $1 AND merged_into IS NOT NULL
               UNION ALL
               SELECT p.id, p.merged_into, t.depth + 1
                 FROM persons p JOIN t ON p.id = t.next
                WHERE t.depth < 100
           )
           SELECT id AS "id!: PersonId" FROM t WHERE next IS NULL"#,
        id as PersonId
    )
    .fetch_optional(db)
    .await
}

/// Records that `a` and `b` are two persons, not one.
pub async fn mark_distinct(
    db: impl PgExecutor<'_>,
    a: PersonId,
    b: PersonId,
    account: Option<AccountId>,
) -> sqlx::Result<()> {
    let (a, b) = if a.0 < b.0 { (a, b) } else { (b, a) };
    sqlx::query!(
        "INSERT INTO distinct_persons (person_a, person_b, account_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        a as PersonId,
        b as PersonId,
        account as Option<AccountId>
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Most persons alike in one respect (a name, a detention's day, place and
/// a name's word, a birthday and a name's word) for them to be offered as
/// duplicates of each other.
pub const MAX_GROUP: i64 = 6;

/// A pair of persons that may be one, and why.
#[derive(Debug)]
pub struct DuplicateRow {
    pub a: PersonId,
    pub a_name: String,
    pub b: PersonId,
    pub b_name: String,
    /// Names of the two written alike once spelling and word order are
    /// set aside.
    pub alike: Option<(String, String)>,
    /// A detention both began on this day in this facility.
    pub shared_detention: Option<(time::Date, String)>,
    /// Both were born on this day (known to the day).
    pub birth_day: Option<time::Date>,
    /// Both were born in this year.
    pub birth_year: Option<i32>,
}

/// Likely duplicates among the persons a reader of `max` may see, the
/// pairs with most reasons first: names written alike (the same words
/// once script and spelling are set aside, in any order); or a word of the
/// names in common and a detention begun on the same day in the same
/// facility, or the same birthday. Groups of more than
/// [`MAX_GROUP`] persons alike in one respect are common names or mass
/// detentions, not duplicates, and are left out: so the pairs stay few
/// however large the registry. Pairs staff said are two persons are left
/// out.
pub async fn duplicates(
    db: impl PgExecutor<'_>,
    max: Visibility,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<DuplicateRow>> {
    let rows = sqlx::query!(
        r#"WITH v AS (
               SELECT p.id, p.birth_date FROM persons p
                WHERE p.archived_at IS NULL AND p.visibility <= $1
           ),
           keys AS (
               SELECT n.person_id, n.name,
                      array_to_string(ARRAY(SELECT w FROM unnest(string_to_array(n.search_key, ' ')) w
                                            ORDER BY w), ' ') AS sorted
                 FROM person_names n JOIN v ON v.id = n.person_id
                WHERE n.search_key <> ''
           ),
           keys_grouped AS (
               SELECT k.*, count(*) OVER (PARTITION BY k.sorted) AS persons
                 FROM (SELECT DISTINCT ON (person_id, sorted) * FROM keys
                        ORDER BY person_id, sorted, name) k
           ),
           by_name AS (
               SELECT DISTINCT ON (ka.person_id, kb.person_id)
                      ka.person_id AS a, kb.person_id AS b, ka.name AS a_alike, kb.name AS b_alike
                 FROM keys_grouped ka
                 JOIN keys_grouped kb ON kb.sorted = ka.sorted AND ka.person_id < kb.person_id
                WHERE ka.persons <= $4
                ORDER BY ka.person_id, kb.person_id, ka.name, kb.name
           ),
           -- Words of four letters or more of each person's names.
           words AS (
               SELECT DISTINCT k.person_id, w.word
                 FROM keys k, unnest(string_to_array(k.sorted, ' ')) AS w (word)
                WHERE length(w.word) >= 4
           ),
           held AS (
               SELECT DISTINCT d.person_id, (d.started).earliest AS day, d.facility_id, w.word
                 FROM detentions d
                 JOIN words w ON w.person_id = d.person_id
                WHERE d.archived_at IS NULL AND (d.started).precision = 'day'
                  AND d.facility_id IS NOT NULL AND d.visibility <= $1
           ),
           held_grouped AS (
               SELECT h.*, count(*) OVER (PARTITION BY h.day, h.facility_id, h.word) AS persons
                 FROM held h
           ),
           by_detention AS (
               SELECT DISTINCT ON (ha.person_id, hb.person_id)
                      ha.person_id AS a, hb.person_id AS b, ha.day, f.name AS facility
                 FROM held_grouped ha
                 JOIN held_grouped hb ON hb.day = ha.day AND hb.facility_id = ha.facility_id
                                     AND hb.word = ha.word AND ha.person_id < hb.person_id
                 JOIN facilities f ON f.id = ha.facility_id
                WHERE ha.persons <= $4
                ORDER BY ha.person_id, hb.person_id, ha.day
           ),
           born AS (
               SELECT v.id AS person_id, (v.birth_date).earliest AS day, w.word,
                      count(*) OVER (PARTITION BY (v.birth_date).earliest, w.word) AS persons
                 FROM v JOIN words w ON w.person_id = v.id
                WHERE (v.birth_date).precision = 'day'
           ),
           by_birth AS (
               SELECT DISTINCT ba.person_id AS a, bb.person_id AS b, ba.day
                 FROM born ba
                 JOIN born bb ON bb.day = ba.day AND bb.word = ba.word
                             AND ba.person_id < bb.person_id
                WHERE ba.persons <= $4
           ),
           pairs AS (
               SELECT a, b FROM by_name
               UNION SELECT a, b FROM by_detention
               UNION SELECT a, b FROM by_birth
           )
           SELECT pairs.a AS "a!: PersonId", pairs.b AS "b!: PersonId",
                  (SELECT name FROM person_names WHERE person_id = pairs.a AND is_primary) AS "a_name!",
                  (SELECT name FROM person_names WHERE person_id = pairs.b AND is_primary) AS "b_name!",
                  bn.a_alike AS "a_alike?", bn.b_alike AS "b_alike?",
                  bd.day AS "detained_on?", bd.facility AS "facility?",
                  bb.day AS "birth_day?",
                  CASE WHEN extract(year FROM (va.birth_date).earliest)
                            = extract(year FROM (vb.birth_date).earliest)
                       THEN extract(year FROM (va.birth_date).earliest)::int END AS birth_year
             FROM pairs
             JOIN v va ON va.id = pairs.a
             JOIN v vb ON vb.id = pairs.b
             LEFT JOIN by_name bn ON bn.a = pairs.a AND bn.b = pairs.b
             LEFT JOIN by_detention bd ON bd.a = pairs.a AND bd.b = pairs.b
             LEFT JOIN by_birth bb ON bb.a = pairs.a AND bb.b = pairs.b
            WHERE NOT EXISTS (SELECT 1 FROM distinct_persons d
                               WHERE d.person_a = pairs.a AND d.person_b = pairs.b)
            ORDER BY (bn.a IS NOT NULL)::int + (bd.a IS NOT NULL)::int + (bb.a IS NOT NULL)::int
                     + coalesce(extract(year FROM (va.birth_date).earliest)
                                = extract(year FROM (vb.birth_date).earliest), false)::int DESC,
                     pairs.a, pairs.b
            LIMIT $2 OFFSET $3"#,
        max as Visibility,
        limit,
        offset,
        MAX_GROUP,
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DuplicateRow {
            a: r.a,
            a_name: r.a_name,
            b: r.b,
            b_name: r.b_name,
            alike: r.a_alike.zip(r.b_alike),
            shared_detention: r.detained_on.zip(r.facility),
            birth_day: r.birth_day,
            birth_year: r.birth_year,
        })
        .collect())
}
