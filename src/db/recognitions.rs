//! Recognitions of a person as a political prisoner.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::affiliation::RecognitionFields;
use crate::domain::validate::Valid;
use crate::domain::{OrganizationId, PartialDate, PersonId, RecognitionId, SourceId, Visibility};

#[derive(Debug, Clone)]
pub struct RecognitionRow {
    pub id: RecognitionId,
    pub person_id: PersonId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub source_id: Option<SourceId>,
    /// The source's visibility, `None` when it is archived (or there is none).
    pub source_visibility: Option<Visibility>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: RecognitionId,
    for_update: bool,
) -> sqlx::Result<Option<RecognitionRow>> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM recognitions WHERE id = $1 FOR UPDATE",
            id as RecognitionId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        RecognitionRow,
        r#"SELECT r.id AS "id: RecognitionId", r.person_id AS "person_id: PersonId",
                  r.organization_id AS "organization_id: OrganizationId", o.name AS organization_name,
                  r.since AS "since: PartialDate", r.until AS "until: PartialDate",
                  r.source_id AS "source_id: SourceId",
                  CASE WHEN s.archived_at IS NULL THEN s.visibility END
                      AS "source_visibility?: Visibility",
                  r.notes,
                  r.visibility AS "visibility: Visibility", r.version, r.created_at, r.updated_at,
                  r.archived_at
             FROM recognitions r JOIN organizations o ON o.id = r.organization_id
             LEFT JOIN sources s ON s.id = r.source_id
            WHERE r.id = $1"#,
        id as RecognitionId
    )
    .fetch_optional(conn)
    .await
}

pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<RecognitionRow>> {
    sqlx::query_as!(
        RecognitionRow,
        r#"SELECT r.id AS "id: RecognitionId", r.person_id AS "person_id: PersonId",
                  r.organization_id AS "organization_id: OrganizationId", o.name AS organization_name,
                  r.since AS "since: PartialDate", r.until AS "until: PartialDate",
                  r.source_id AS "source_id: SourceId",
                  CASE WHEN s.archived_at IS NULL THEN s.visibility END
                      AS "source_visibility?: Visibility",
                  r.notes,
                  r.visibility AS "visibility: Visibility", r.version, r.created_at, r.updated_at,
                  r.archived_at
             FROM recognitions r JOIN organizations o ON o.id = r.organization_id
             LEFT JOIN sources s ON s.id = r.source_id
            WHERE r.person_id = $1 AND r.archived_at IS NULL AND r.visibility <= $2
            ORDER BY (r.since).earliest NULLS LAST, r.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: RecognitionId,
    person_id: PersonId,
    f: &Valid<RecognitionFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO recognitions (id, person_id, organization_id, since, until, source_id, notes, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id as RecognitionId,
        person_id as PersonId,
        f.organization_id as OrganizationId,
        f.since as Option<PartialDate>,
        f.until as Option<PartialDate>,
        f.source_id as Option<SourceId>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: RecognitionId,
    f: &Valid<RecognitionFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE recognitions
              SET organization_id = $2, since = $3, until = $4, source_id = $5, notes = $6,
                  visibility = $7, version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as RecognitionId,
        f.organization_id as OrganizationId,
        f.since as Option<PartialDate>,
        f.until as Option<PartialDate>,
        f.source_id as Option<SourceId>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: RecognitionId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE recognitions SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as RecognitionId
    )
    .execute(conn)
    .await?;
    Ok(())
}
