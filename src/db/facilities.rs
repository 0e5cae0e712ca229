//! Facilities: places of detention, public reference data.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::contains_pattern;
use crate::domain::facility::FacilityFields;
use crate::domain::validate::Valid;
use crate::domain::{FacilityId, FacilityKind};

/// A `facilities` row.
#[derive(Debug, Clone)]
pub struct FacilityRow {
    pub id: FacilityId,
    pub name: String,
    pub kind: FacilityKind,
    pub city: Option<String>,
    pub postal_address: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: FacilityId,
    for_update: bool,
) -> sqlx::Result<Option<FacilityRow>> {
    // Locking the row first keeps the compile-checked select free of
    // optional clauses.
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM facilities WHERE id = $1 FOR UPDATE",
            id as FacilityId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        FacilityRow,
        r#"SELECT id AS "id: FacilityId", name, kind AS "kind: FacilityKind", city,
                  postal_address, notes, version, created_at, updated_at, archived_at
             FROM facilities WHERE id = $1"#,
        id as FacilityId
    )
    .fetch_optional(conn)
    .await
}

/// Up to `limit` facilities in use after `after` in id order, those whose
/// name contains `q` (any case) if given.
pub async fn list(
    ex: impl PgExecutor<'_>,
    q: Option<&str>,
    after: Option<FacilityId>,
    limit: i64,
) -> sqlx::Result<Vec<FacilityRow>> {
    // The nil id sorts before every other: no cursor needs no extra clause.
    let after = after.unwrap_or(FacilityId(Uuid::nil()));
    match q {
        Some(q) => {
            sqlx::query_as!(
                FacilityRow,
                r#"SELECT id AS "id: FacilityId", name, kind AS "kind: FacilityKind", city,
                          postal_address, notes, version, created_at, updated_at, archived_at
                     FROM facilities
                    WHERE archived_at IS NULL AND id > $1 AND name ILIKE $2
                    ORDER BY id LIMIT $3"#,
                after as FacilityId,
                contains_pattern(q),
                limit
            )
            .fetch_all(ex)
            .await
        }
        None => {
            sqlx::query_as!(
                FacilityRow,
                r#"SELECT id AS "id: FacilityId", name, kind AS "kind: FacilityKind", city,
                          postal_address, notes, version, created_at, updated_at, archived_at
                     FROM facilities
                    WHERE archived_at IS NULL AND id > $1
                    ORDER BY id LIMIT $2"#,
                after as FacilityId,
                limit
            )
            .fetch_all(ex)
            .await
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    id: FacilityId,
    f: &Valid<FacilityFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO facilities (id, name, kind, city, postal_address, notes)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        id as FacilityId,
        f.name,
        f.kind as FacilityKind,
        f.city,
        f.postal_address,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: FacilityId,
    f: &Valid<FacilityFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE facilities
              SET name = $2, kind = $3, city = $4, postal_address = $5, notes = $6,
                  version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as FacilityId,
        f.name,
        f.kind as FacilityKind,
        f.city,
        f.postal_address,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: FacilityId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE facilities SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as FacilityId
    )
    .execute(conn)
    .await?;
    Ok(())
}
