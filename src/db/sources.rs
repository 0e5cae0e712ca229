//! Sources: what facts are cited from. Each has its own visibility.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::contains_pattern;
use crate::domain::source::SourceFields;
use crate::domain::validate::Valid;
use crate::domain::{PartialDate, SourceId, SourceKind, Visibility};

/// A `sources` row.
#[derive(Debug, Clone)]
pub struct SourceRow {
    pub id: SourceId,
    pub title: String,
    pub publisher: Option<String>,
    pub published: Option<PartialDate>,
    pub url: Option<String>,
    pub kind: SourceKind,
    pub visibility: Visibility,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: SourceId,
    for_update: bool,
) -> sqlx::Result<Option<SourceRow>> {
    // Locking the row first keeps the compile-checked select free of
    // optional clauses.
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM sources WHERE id = $1 FOR UPDATE",
            id as SourceId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        SourceRow,
        r#"SELECT id AS "id: SourceId", title, publisher, published AS "published: PartialDate",
                  url, kind AS "kind: SourceKind", visibility AS "visibility: Visibility", notes,
                  version, created_at, updated_at, archived_at
             FROM sources WHERE id = $1"#,
        id as SourceId
    )
    .fetch_optional(conn)
    .await
}

/// Up to `limit` sources in use and at most `max_visibility` after `after`
/// in id order, those whose title contains `q` (any case) if given.
pub async fn list(
    ex: impl PgExecutor<'_>,
    max_visibility: Visibility,
    q: Option<&str>,
    after: Option<SourceId>,
    limit: i64,
) -> sqlx::Result<Vec<SourceRow>> {
    // The nil id sorts before every other: no cursor needs no extra clause.
    let after = after.unwrap_or(SourceId(Uuid::nil()));
    match q {
        Some(q) => {
            sqlx::query_as!(
                SourceRow,
                r#"SELECT id AS "id: SourceId", title, publisher,
                          published AS "published: PartialDate", url, kind AS "kind: SourceKind",
                          visibility AS "visibility: Visibility", notes, version, created_at,
                          updated_at, archived_at
                     FROM sources
                    WHERE archived_at IS NULL AND visibility <= $1 AND id > $2
                      AND title ILIKE $3
                    ORDER BY id LIMIT $4"#,
                max_visibility as Visibility,
                after as SourceId,
                contains_pattern(q),
                limit
            )
            .fetch_all(ex)
            .await
        }
        None => {
            sqlx::query_as!(
                SourceRow,
                r#"SELECT id AS "id: SourceId", title, publisher,
                          published AS "published: PartialDate", url, kind AS "kind: SourceKind",
                          visibility AS "visibility: Visibility", notes, version, created_at,
                          updated_at, archived_at
                     FROM sources
                    WHERE archived_at IS NULL AND visibility <= $1 AND id > $2
                    ORDER BY id LIMIT $3"#,
                max_visibility as Visibility,
                after as SourceId,
                limit
            )
            .fetch_all(ex)
            .await
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    id: SourceId,
    f: &Valid<SourceFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO sources (id, title, publisher, published, url, kind, visibility, notes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id as SourceId,
        f.title,
        f.publisher,
        f.published as Option<PartialDate>,
        f.url,
        f.kind as SourceKind,
        f.visibility as Visibility,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: SourceId,
    f: &Valid<SourceFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE sources
              SET title = $2, publisher = $3, published = $4, url = $5, kind = $6,
                  visibility = $7, notes = $8, version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as SourceId,
        f.title,
        f.publisher,
        f.published as Option<PartialDate>,
        f.url,
        f.kind as SourceKind,
        f.visibility as Visibility,
        f.notes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: SourceId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE sources SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as SourceId
    )
    .execute(conn)
    .await?;
    Ok(())
}
