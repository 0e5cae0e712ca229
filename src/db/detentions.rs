//! Detentions of a person.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::detention::DetentionFields;
use crate::domain::validate::Valid;
use crate::domain::{
    DetentionEndReason, DetentionId, DetentionKind, FacilityId, PartialDate, PersonId, Visibility,
};

/// A `detentions` row with its facility resolved.
#[derive(Debug, Clone)]
pub struct DetentionRow {
    pub id: DetentionId,
    pub person_id: PersonId,
    pub kind: DetentionKind,
    pub started: PartialDate,
    pub ended: Option<PartialDate>,
    pub facility_id: Option<FacilityId>,
    pub facility_name: Option<String>,
    pub facility_city: Option<String>,
    pub facility_postal_address: Option<String>,
    pub authority: Option<String>,
    pub end_reason: Option<DetentionEndReason>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: DetentionId,
    for_update: bool,
) -> sqlx::Result<Option<DetentionRow>> {
    // Locking the row first keeps the compile-checked select free of
    // optional clauses.
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM detentions WHERE id = $1 FOR UPDATE",
            id as DetentionId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        DetentionRow,
        r#"SELECT d.id AS "id: DetentionId", d.person_id AS "person_id: PersonId",
                  d.kind AS "kind: DetentionKind", d.started AS "started!: PartialDate",
                  d.ended AS "ended: PartialDate", d.facility_id AS "facility_id: FacilityId",
                  f.name AS "facility_name?", f.city AS "facility_city?",
                  f.postal_address AS "facility_postal_address?", d.authority,
                  d.end_reason AS "end_reason: DetentionEndReason", d.notes,
                  d.visibility AS "visibility: Visibility", d.version, d.created_at,
                  d.updated_at, d.archived_at
             FROM detentions d LEFT JOIN facilities f ON f.id = d.facility_id
            WHERE d.id = $1"#,
        id as DetentionId
    )
    .fetch_optional(conn)
    .await
}

/// A person's detentions the caller may see, oldest first.
pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<DetentionRow>> {
    sqlx::query_as!(
        DetentionRow,
        r#"SELECT d.id AS "id: DetentionId", d.person_id AS "person_id: PersonId",
                  d.kind AS "kind: DetentionKind", d.started AS "started!: PartialDate",
                  d.ended AS "ended: PartialDate", d.facility_id AS "facility_id: FacilityId",
                  f.name AS "facility_name?", f.city AS "facility_city?",
                  f.postal_address AS "facility_postal_address?", d.authority,
                  d.end_reason AS "end_reason: DetentionEndReason", d.notes,
                  d.visibility AS "visibility: Visibility", d.version, d.created_at,
                  d.updated_at, d.archived_at
             FROM detentions d LEFT JOIN facilities f ON f.id = d.facility_id
            WHERE d.person_id = $1 AND d.archived_at IS NULL AND d.visibility <= $2
            ORDER BY (d.started).earliest, d.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: DetentionId,
    person_id: PersonId,
    f: &Valid<DetentionFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO detentions (id, person_id, kind, started, ended, facility_id, authority,
                                  end_reason, notes, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        id as DetentionId,
        person_id as PersonId,
        f.kind as DetentionKind,
        f.started as PartialDate,
        f.ended as Option<PartialDate>,
        f.facility_id as Option<FacilityId>,
        f.authority,
        f.end_reason as Option<DetentionEndReason>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: DetentionId,
    f: &Valid<DetentionFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE detentions
              SET kind = $2, started = $3, ended = $4, facility_id = $5, authority = $6,
                  end_reason = $7, notes = $8, visibility = $9, version = version + 1,
                  updated_at = now()
            WHERE id = $1"#,
        id as DetentionId,
        f.kind as DetentionKind,
        f.started as PartialDate,
        f.ended as Option<PartialDate>,
        f.facility_id as Option<FacilityId>,
        f.authority,
        f.end_reason as Option<DetentionEndReason>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: DetentionId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE detentions SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as DetentionId
    )
    .execute(conn)
    .await?;
    Ok(())
}
