//! Lookups and find-or-create of the reference rows the demo cases point
//! to, so loading the demo twice adds nothing.

use sqlx::PgConnection;

use crate::domain::{
    ArticleId, CaseId, FacilityId, FacilityKind, LegalCode, OrganizationId, OrganizationKind,
    PartialDate, SourceId, SourceKind, Visibility,
};

/// The id of an existing row, or of the one just inserted (`None` if it existed).
pub struct Found<T> {
    pub id: T,
    pub created: bool,
}

pub async fn organization(
    conn: &mut PgConnection,
    name: &str,
    kind: OrganizationKind,
    country: Option<&str>,
    url: Option<&str>,
) -> sqlx::Result<Found<OrganizationId>> {
    if let Some(id) = sqlx::query_scalar!(
        r#"SELECT id AS "id: OrganizationId" FROM organizations WHERE name = $1 AND archived_at IS NULL"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(Found { id, created: false });
    }
    let id = OrganizationId::new();
    sqlx::query!(
        "INSERT INTO organizations (id, name, kind, country, url) VALUES ($1, $2, $3, $4, $5)",
        id as OrganizationId,
        name,
        kind as OrganizationKind,
        country,
        url
    )
    .execute(conn)
    .await?;
    Ok(Found { id, created: true })
}

pub async fn facility(
    conn: &mut PgConnection,
    name: &str,
    kind: FacilityKind,
    city: Option<&str>,
    postal_address: Option<&str>,
) -> sqlx::Result<Found<FacilityId>> {
    if let Some(id) = sqlx::query_scalar!(
        r#"SELECT id AS "id: FacilityId" FROM facilities WHERE name = $1 AND archived_at IS NULL"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(Found { id, created: false });
    }
    let id = FacilityId::new();
    sqlx::query!(
        "INSERT INTO facilities (id, name, kind, city, postal_address) VALUES ($1, $2, $3, $4, $5)",
        id as FacilityId,
        name,
        kind as FacilityKind,
        city,
        postal_address
    )
    .execute(conn)
    .await?;
    Ok(Found { id, created: true })
}

pub struct NewSource<'a> {
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub published: Option<PartialDate>,
    pub url: Option<&'a str>,
    pub kind: SourceKind,
    pub visibility: Visibility,
}

pub async fn source(conn: &mut PgConnection, s: &NewSource<'_>) -> sqlx::Result<Found<SourceId>> {
    if let Some(id) = sqlx::query_scalar!(
        r#"SELECT id AS "id: SourceId" FROM sources WHERE title = $1 AND archived_at IS NULL"#,
        s.title
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(Found { id, created: false });
    }
    let id = SourceId::new();
    sqlx::query!(
        r#"INSERT INTO sources (id, title, publisher, published, url, kind, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
        id as SourceId,
        s.title,
        s.publisher,
        s.published as Option<PartialDate>,
        s.url,
        s.kind as SourceKind,
        s.visibility as Visibility
    )
    .execute(conn)
    .await?;
    Ok(Found { id, created: true })
}

pub async fn criminal_case(
    conn: &mut PgConnection,
    description: &str,
    number: Option<&str>,
    opened: Option<PartialDate>,
    authority: Option<&str>,
) -> sqlx::Result<Found<CaseId>> {
    if let Some(id) = sqlx::query_scalar!(
        r#"SELECT id AS "id: CaseId" FROM criminal_cases WHERE description = $1 AND archived_at IS NULL"#,
        description
    )
    .fetch_optional(&mut *conn)
    .await?
    {
        return Ok(Found { id, created: false });
    }
    let id = CaseId::new();
    sqlx::query!(
        r#"INSERT INTO criminal_cases (id, number, opened, authority, description)
           VALUES ($1, $2, $3, $4, $5)"#,
        id as CaseId,
        number,
        opened as Option<PartialDate>,
        authority,
        description
    )
    .execute(conn)
    .await?;
    Ok(Found { id, created: true })
}

pub async fn article(
    conn: &mut PgConnection,
    code: LegalCode,
    number: &str,
) -> sqlx::Result<Option<ArticleId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: ArticleId" FROM articles WHERE code = $1 AND number = $2"#,
        code as LegalCode,
        number
    )
    .fetch_optional(conn)
    .await
}
