//! A person's affiliations to organisations.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::affiliation::AffiliationFields;
use crate::domain::validate::Valid;
use crate::domain::{AffiliationId, OrganizationId, PartialDate, PersonId, Visibility};

#[derive(Debug, Clone)]
pub struct AffiliationRow {
    pub id: AffiliationId,
    pub person_id: PersonId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub role: Option<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: AffiliationId,
    for_update: bool,
) -> sqlx::Result<Option<AffiliationRow>> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM affiliations WHERE id = $1 FOR UPDATE",
            id as AffiliationId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        AffiliationRow,
        r#"SELECT a.id AS "id: AffiliationId", a.person_id AS "person_id: PersonId",
                  a.organization_id AS "organization_id: OrganizationId", o.name AS organization_name,
                  a.role, a.since AS "since: PartialDate", a.until AS "until: PartialDate", a.notes,
                  a.visibility AS "visibility: Visibility", a.version, a.created_at, a.updated_at,
                  a.archived_at
             FROM affiliations a JOIN organizations o ON o.id = a.organization_id
            WHERE a.id = $1"#,
        id as AffiliationId
    )
    .fetch_optional(conn)
    .await
}

pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<AffiliationRow>> {
    sqlx::query_as!(
        AffiliationRow,
        r#"SELECT a.id AS "id: AffiliationId", a.person_id AS "person_id: PersonId",
                  a.organization_id AS "organization_id: OrganizationId", o.name AS organization_name,
                  a.role, a.since AS "since: PartialDate", a.until AS "until: PartialDate", a.notes,
                  a.visibility AS "visibility: Visibility", a.version, a.created_at, a.updated_at,
                  a.archived_at
             FROM affiliations a JOIN organizations o ON o.id = a.organization_id
            WHERE a.person_id = $1 AND a.archived_at IS NULL AND a.visibility <= $2
            ORDER BY (a.since).earliest NULLS LAST, a.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: AffiliationId,
    person_id: PersonId,
    f: &Valid<AffiliationFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO affiliations (id, person_id, organization_id, role, since, until, notes, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id as AffiliationId,
        person_id as PersonId,
        f.organization_id as OrganizationId,
        f.role,
        f.since as Option<PartialDate>,
        f.until as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update(
    conn: &mut PgConnection,
    id: AffiliationId,
    f: &Valid<AffiliationFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE affiliations
              SET organization_id = $2, role = $3, since = $4, until = $5, notes = $6,
                  visibility = $7, version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as AffiliationId,
        f.organization_id as OrganizationId,
        f.role,
        f.since as Option<PartialDate>,
        f.until as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: AffiliationId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE affiliations SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as AffiliationId
    )
    .execute(conn)
    .await?;
    Ok(())
}
