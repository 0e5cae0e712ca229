//! Criminal cases (table `criminal_cases`).

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::contains_pattern;
use crate::domain::case::CaseFields;
use crate::domain::validate::Valid;
use crate::domain::{CaseId, PartialDate};

/// A `criminal_cases` row.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: CaseId,
    pub number: Option<String>,
    pub opened: Option<PartialDate>,
    pub authority: Option<String>,
    pub description: Option<String>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: CaseId,
    for_update: bool,
) -> sqlx::Result<Option<CaseRow>> {
    // Locking the row first keeps the compile-checked select free of
    // optional clauses.
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM criminal_cases WHERE id = $1 FOR UPDATE",
            id as CaseId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        CaseRow,
        r#"SELECT id AS "id: CaseId", number, opened AS "opened: PartialDate", authority,
                  description, version, created_at, updated_at, archived_at
             FROM criminal_cases WHERE id = $1"#,
        id as CaseId
    )
    .fetch_optional(conn)
    .await
}

/// What the case list is narrowed to.
pub struct CaseSearch<'a> {
    pub q: &'a str,
    /// Whether `q` may match case numbers: only for callers who may read
    /// them, or the list would reveal them.
    pub in_numbers: bool,
}

/// Up to `limit` cases in use after `after` in id order, those whose
/// description (or number, if allowed) contains the search (any case).
pub async fn list(
    ex: impl PgExecutor<'_>,
    search: Option<CaseSearch<'_>>,
    after: Option<CaseId>,
    limit: i64,
) -> sqlx::Result<Vec<CaseRow>> {
    // The nil id sorts before every other: no cursor needs no extra clause.
    let after = after.unwrap_or(CaseId(Uuid::nil()));
    match search {
        Some(search) => {
            sqlx::query_as!(
                CaseRow,
                r#"SELECT id AS "id: CaseId", number, opened AS "opened: PartialDate", authority,
                          description, version, created_at, updated_at, archived_at
                     FROM criminal_cases
                    WHERE archived_at IS NULL AND id > $1
                      AND (description ILIKE $2 OR ($3 AND number ILIKE $2))
                    ORDER BY id LIMIT $4"#,
                after as CaseId,
                contains_pattern(search.q),
                search.in_numbers,
                limit
            )
            .fetch_all(ex)
            .await
        }
        None => {
            sqlx::query_as!(
                CaseRow,
                r#"SELECT id AS "id: CaseId", number, opened AS "opened: PartialDate", authority,
                          description, version, created_at, updated_at, archived_at
                     FROM criminal_cases
                    WHERE archived_at IS NULL AND id > $1
                    ORDER BY id LIMIT $2"#,
                after as CaseId,
                limit
            )
            .fetch_all(ex)
            .await
        }
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    id: CaseId,
    f: &Valid<CaseFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO criminal_cases (id, number, opened, authority, description)
           VALUES ($1, $2, $3, $4, $5)"#,
        id as CaseId,
        f.number,
        f.opened as Option<PartialDate>,
        f.authority,
        f.description,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: CaseId,
    f: &Valid<CaseFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE criminal_cases
              SET number = $2, opened = $3, authority = $4, description = $5,
                  version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as CaseId,
        f.number,
        f.opened as Option<PartialDate>,
        f.authority,
        f.description,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: CaseId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE criminal_cases SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as CaseId
    )
    .execute(conn)
    .await?;
    Ok(())
}
