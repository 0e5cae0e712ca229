//! Organisations: recognising bodies and those persons belong to.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::contains_pattern;
use crate::domain::organization::OrganizationFields;
use crate::domain::validate::Valid;
use crate::domain::{OrganizationId, OrganizationKind};

/// An `organizations` row.
#[derive(Debug, Clone)]
pub struct OrganizationRow {
    pub id: OrganizationId,
    pub name: String,
    pub kind: OrganizationKind,
    pub country: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: OrganizationId,
    for_update: bool,
) -> sqlx::Result<Option<OrganizationRow>> {
    // Locking the row first keeps the compile-checked select free of
    // optional clauses.
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM organizations WHERE id = $1 FOR UPDATE",
            id as OrganizationId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        OrganizationRow,
        r#"SELECT id AS "id: OrganizationId", name, kind AS "kind: OrganizationKind", country,
                  url, notes, version, created_at, updated_at, archived_at
             FROM organizations WHERE id = $1"#,
        id as OrganizationId
    )
    .fetch_optional(conn)
    .await
}

/// Up to `limit` organisations in use after `after` in id order, those
/// whose name contains `q` (any case) if given.
pub async fn list(
    ex: impl PgExecutor<'_>,
    q: Option<&str>,
    after: Option<OrganizationId>,
    limit: i64,
) -> sqlx::Result<Vec<OrganizationRow>> {
    // The nil id sorts before every other: no cursor needs no extra clause.
    let after = after.unwrap_or(OrganizationId(Uuid::nil()));
    match q {
        Some(q) => {
            sqlx::query_as!(
                OrganizationRow,
                r#"SELECT id AS "id: OrganizationId", name, kind AS "kind: OrganizationKind",
                          country, url, notes, version, created_at, updated_at, archived_at
                     FROM organizations
                    WHERE archived_at IS NULL AND id > $1 AND name ILIKE $2
                    ORDER BY id LIMIT $3"#,
                after as OrganizationId,
                contains_pattern(q),
                limit
            )
            .fetch_all(ex)
            .await
        }
        None => {
            sqlx::query_as!(
                OrganizationRow,
                r#"SELECT id AS "id: OrganizationId", name, kind AS "kind: OrganizationKind",
                          country, url, notes, version, created_at, updated_at, archived_at
                     FROM organizations
                    WHERE archived_at IS NULL AND id > $1
                    ORDER BY id LIMIT $2"#,
                after as OrganizationId,
                limit
            )
            .fetch_all(ex)
            .await
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    id: OrganizationId,
    f: &Valid<OrganizationFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO organizations (id, name, kind, country, url, notes)
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        id as OrganizationId,
        f.name,
        f.kind as OrganizationKind,
        f.country,
        f.url,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: OrganizationId,
    f: &Valid<OrganizationFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE organizations
              SET name = $2, kind = $3, country = $4, url = $5, notes = $6,
                  version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as OrganizationId,
        f.name,
        f.kind as OrganizationKind,
        f.country,
        f.url,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: OrganizationId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE organizations SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as OrganizationId
    )
    .execute(conn)
    .await?;
    Ok(())
}
