//! Charges of a person, with their article resolved.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::charge::ChargeFields;
use crate::domain::validate::Valid;
use crate::domain::{
    ArticleId, CaseId, ChargeId, ChargeStatus, DetentionId, LegalCode, PartialDate, PersonId,
    Visibility,
};

#[derive(Debug, Clone)]
pub struct ChargeRow {
    pub id: ChargeId,
    pub person_id: PersonId,
    pub article_id: ArticleId,
    pub article_code: LegalCode,
    pub article_number: String,
    pub article_title_en: String,
    pub part: Option<String>,
    pub case_id: Option<CaseId>,
    pub case_number: Option<String>,
    pub detention_id: Option<DetentionId>,
    /// Whether the caller may be shown `detention_id`: the detention's own
    /// visibility, `None` when it is archived (or there is none).
    pub detention_visibility: Option<Visibility>,
    pub filed: Option<PartialDate>,
    pub status: ChargeStatus,
    pub status_since: Option<PartialDate>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: ChargeId,
    for_update: bool,
) -> sqlx::Result<Option<ChargeRow>> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM charges WHERE id = $1 FOR UPDATE",
            id as ChargeId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        ChargeRow,
        r#"SELECT c.id AS "id: ChargeId", c.person_id AS "person_id: PersonId",
                  c.article_id AS "article_id: ArticleId", a.code AS "article_code: LegalCode",
                  a.number AS article_number, a.title_en AS article_title_en, c.part,
                  c.case_id AS "case_id: CaseId", k.number AS "case_number?",
                  c.detention_id AS "detention_id: DetentionId",
                  CASE WHEN dt.archived_at IS NULL THEN dt.visibility END
                      AS "detention_visibility?: Visibility",
                  c.filed AS "filed: PartialDate",
                  c.status AS "status: ChargeStatus", c.status_since AS "status_since: PartialDate",
                  c.notes, c.visibility AS "visibility: Visibility", c.version, c.created_at,
                  c.updated_at, c.archived_at
             FROM charges c JOIN articles a ON a.id = c.article_id
             LEFT JOIN criminal_cases k ON k.id = c.case_id
             LEFT JOIN detentions dt ON dt.id = c.detention_id
            WHERE c.id = $1"#,
        id as ChargeId
    )
    .fetch_optional(conn)
    .await
}

/// A person's charges the caller may see, in the order they were filed.
pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<ChargeRow>> {
    sqlx::query_as!(
        ChargeRow,
        r#"SELECT c.id AS "id: ChargeId", c.person_id AS "person_id: PersonId",
                  c.article_id AS "article_id: ArticleId", a.code AS "article_code: LegalCode",
                  a.number AS article_number, a.title_en AS article_title_en, c.part,
                  c.case_id AS "case_id: CaseId", k.number AS "case_number?",
                  c.detention_id AS "detention_id: DetentionId",
                  CASE WHEN dt.archived_at IS NULL THEN dt.visibility END
                      AS "detention_visibility?: Visibility",
                  c.filed AS "filed: PartialDate",
                  c.status AS "status: ChargeStatus", c.status_since AS "status_since: PartialDate",
                  c.notes, c.visibility AS "visibility: Visibility", c.version, c.created_at,
                  c.updated_at, c.archived_at
             FROM charges c JOIN articles a ON a.id = c.article_id
             LEFT JOIN criminal_cases k ON k.id = c.case_id
             LEFT JOIN detentions dt ON dt.id = c.detention_id
            WHERE c.person_id = $1 AND c.archived_at IS NULL AND c.visibility <= $2
            ORDER BY (c.filed).earliest NULLS LAST, c.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: ChargeId,
    person_id: PersonId,
    f: &Valid<ChargeFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO charges (id, person_id, article_id, part, case_id, detention_id, filed,
                               status, status_since, notes, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
        id as ChargeId,
        person_id as PersonId,
        f.article_id as ArticleId,
        f.part,
        f.case_id as Option<CaseId>,
        f.detention_id as Option<DetentionId>,
        f.filed as Option<PartialDate>,
        f.status as ChargeStatus,
        f.status_since as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: ChargeId,
    f: &Valid<ChargeFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE charges
              SET article_id = $2, part = $3, case_id = $4, detention_id = $5, filed = $6,
                  status = $7, status_since = $8, notes = $9, visibility = $10,
                  version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as ChargeId,
        f.article_id as ArticleId,
        f.part,
        f.case_id as Option<CaseId>,
        f.detention_id as Option<DetentionId>,
        f.filed as Option<PartialDate>,
        f.status as ChargeStatus,
        f.status_since as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: ChargeId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE charges SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as ChargeId
    )
    .execute(conn)
    .await?;
    Ok(())
}
