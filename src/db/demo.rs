//! Lookups that let the demo loader find the reference rows it created
//! before, so loading the demo twice adds nothing.

use sqlx::PgConnection;

use crate::domain::{CaseId, FacilityId, OrganizationId, SourceId};

pub async fn organization(
    conn: &mut PgConnection,
    name: &str,
) -> sqlx::Result<Option<OrganizationId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: OrganizationId" FROM organizations WHERE name = $1 AND archived_at IS NULL"#,
        name
    )
    .fetch_optional(conn)
    .await
}

pub async fn facility(conn: &mut PgConnection, name: &str) -> sqlx::Result<Option<FacilityId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: FacilityId" FROM facilities WHERE name = $1 AND archived_at IS NULL"#,
        name
    )
    .fetch_optional(conn)
    .await
}

pub async fn source(conn: &mut PgConnection, title: &str) -> sqlx::Result<Option<SourceId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: SourceId" FROM sources WHERE title = $1 AND archived_at IS NULL"#,
        title
    )
    .fetch_optional(conn)
    .await
}

pub async fn criminal_case(
    conn: &mut PgConnection,
    description: &str,
) -> sqlx::Result<Option<CaseId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: CaseId" FROM criminal_cases WHERE description = $1 AND archived_at IS NULL"#,
        description
    )
    .fetch_optional(conn)
    .await
}
