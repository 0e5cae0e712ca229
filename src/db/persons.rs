//! Persons, their names and their ids in other registries.

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};

use crate::domain::person::{ExternalId, PersonFields, PersonName};
use crate::domain::validate::Valid;
use crate::domain::{Gender, PartialDate, PersonId, PersonStatus, Visibility};

/// A `persons` row. Restricted notes stay sealed here.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: PersonId,
    pub birth_date: Option<PartialDate>,
    pub gender: Option<Gender>,
    pub pronouns: Option<String>,
    pub occupation: Option<String>,
    pub region: Option<String>,
    pub visibility: Visibility,
    pub notes: Option<String>,
    pub restricted_notes: Option<Vec<u8>>,
    pub status_override: Option<PersonStatus>,
    pub status_override_reason: Option<String>,
    pub status_override_since: Option<Date>,
    pub status_override_until: Option<Date>,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

/// Loads a person, archived or not; `for_update` locks the row.
pub async fn get(
    conn: &mut PgConnection,
    id: PersonId,
    for_update: bool,
) -> sqlx::Result<Option<PersonRow>> {
    // Two statements rather than a formatted one: the lock is part of the
    // compile-checked text.
    if for_update {
        sqlx::query_as!(
            PersonRow,
            r#"SELECT id AS "id: PersonId", birth_date AS "birth_date: PartialDate",
                      gender AS "gender: Gender", pronouns, occupation, region,
                      visibility AS "visibility: Visibility", notes, restricted_notes,
                      status_override AS "status_override: PersonStatus", status_override_reason,
                      status_override_since, status_override_until, version, created_at,
                      updated_at, archived_at
                 FROM persons WHERE id = $1 FOR UPDATE"#,
            id as PersonId
        )
        .fetch_optional(conn)
        .await
    } else {
        sqlx::query_as!(
            PersonRow,
            r#"SELECT id AS "id: PersonId", birth_date AS "birth_date: PartialDate",
                      gender AS "gender: Gender", pronouns, occupation, region,
                      visibility AS "visibility: Visibility", notes, restricted_notes,
                      status_override AS "status_override: PersonStatus", status_override_reason,
                      status_override_since, status_override_until, version, created_at,
                      updated_at, archived_at
                 FROM persons WHERE id = $1"#,
            id as PersonId
        )
        .fetch_optional(conn)
        .await
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    id: PersonId,
    fields: &Valid<PersonFields>,
    restricted_notes: Option<Vec<u8>>,
) -> sqlx::Result<()> {
    let o = fields.status_override.as_ref();
    sqlx::query!(
        r#"INSERT INTO persons (id, birth_date, gender, pronouns, occupation, region, visibility,
                               notes, restricted_notes, status_override, status_override_reason,
                               status_override_since, status_override_until)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"#,
        id as PersonId,
        fields.birth_date as Option<PartialDate>,
        fields.gender as Option<Gender>,
        fields.pronouns,
        fields.occupation,
        fields.region,
        fields.visibility as Visibility,
        fields.notes,
        restricted_notes,
        o.map(|o| o.status) as Option<PersonStatus>,
        o.map(|o| o.reason.as_str()),
        o.and_then(|o| o.since),
        o.and_then(|o| o.until),
    )
    .execute(&mut *conn)
    .await?;
    replace_names(conn, id, &fields.names, &fields.external_ids).await
}

/// Writes new values over version `version`; false if the row is gone.
pub async fn update(
    conn: &mut PgConnection,
    id: PersonId,
    fields: &Valid<PersonFields>,
    restricted_notes: Option<Vec<u8>>,
) -> sqlx::Result<()> {
    let o = fields.status_override.as_ref();
    sqlx::query!(
        r#"UPDATE persons
              SET birth_date = $2, gender = $3, pronouns = $4, occupation = $5, region = $6,
                  visibility = $7, notes = $8, restricted_notes = $9, status_override = $10,
                  status_override_reason = $11, status_override_since = $12,
                  status_override_until = $13, version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as PersonId,
        fields.birth_date as Option<PartialDate>,
        fields.gender as Option<Gender>,
        fields.pronouns,
        fields.occupation,
        fields.region,
        fields.visibility as Visibility,
        fields.notes,
        restricted_notes,
        o.map(|o| o.status) as Option<PersonStatus>,
        o.map(|o| o.reason.as_str()),
        o.and_then(|o| o.since),
        o.and_then(|o| o.until),
    )
    .execute(&mut *conn)
    .await?;
    replace_names(conn, id, &fields.names, &fields.external_ids).await
}

pub async fn archive(conn: &mut PgConnection, id: PersonId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE persons SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as PersonId
    )
    .execute(conn)
    .await?;
    Ok(())
}

async fn replace_names(
    conn: &mut PgConnection,
    id: PersonId,
    names: &[PersonName],
    external_ids: &[ExternalId],
) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM person_names WHERE person_id = $1",
        id as PersonId
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM person_external_ids WHERE person_id = $1",
        id as PersonId
    )
    .execute(&mut *conn)
    .await?;
    let positions: Vec<i16> = (0..names.len() as i16).collect();
    let texts: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
    let langs: Vec<&str> = names.iter().map(|n| n.lang.as_str()).collect();
    let primaries: Vec<bool> = names.iter().map(|n| n.primary).collect();
    let families: Vec<Option<String>> = names.iter().map(|n| n.family.clone()).collect();
    sqlx::query!(
        r#"INSERT INTO person_names (person_id, position, name, lang, is_primary, family)
           SELECT $1, * FROM UNNEST($2::smallint[], $3::text[], $4::text[], $5::boolean[], $6::text[])"#,
        id as PersonId,
        &positions,
        &texts as &[&str],
        &langs as &[&str],
        &primaries,
        &families as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let systems: Vec<&str> = external_ids.iter().map(|x| x.system.as_str()).collect();
    let ids: Vec<&str> = external_ids.iter().map(|x| x.id.as_str()).collect();
    sqlx::query!(
        r#"INSERT INTO person_external_ids (person_id, system, external_id)
           SELECT $1, * FROM UNNEST($2::text[], $3::text[])"#,
        id as PersonId,
        &systems as &[&str],
        &ids as &[&str],
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn names(ex: impl PgExecutor<'_>, id: PersonId) -> sqlx::Result<Vec<PersonName>> {
    sqlx::query_as!(
        PersonName,
        r#"SELECT name, lang, is_primary AS "primary", family
             FROM person_names WHERE person_id = $1 ORDER BY position"#,
        id as PersonId
    )
    .fetch_all(ex)
    .await
}

pub async fn external_ids(ex: impl PgExecutor<'_>, id: PersonId) -> sqlx::Result<Vec<ExternalId>> {
    sqlx::query_as!(
        ExternalId,
        r#"SELECT system, external_id AS id FROM person_external_ids
            WHERE person_id = $1 ORDER BY system"#,
        id as PersonId
    )
    .fetch_all(ex)
    .await
}

/// The person an external id belongs to.
pub async fn by_external_id(
    ex: impl PgExecutor<'_>,
    system: &str,
    external_id: &str,
) -> sqlx::Result<Option<PersonId>> {
    sqlx::query_scalar!(
        r#"SELECT person_id AS "id: PersonId" FROM person_external_ids
            WHERE system = $1 AND external_id = $2"#,
        system,
        external_id
    )
    .fetch_optional(ex)
    .await
}

/// Status on `day` as a caller reading up to `max_visibility` sees it, and
/// whether it rests on an uncertain date.
pub async fn status_on(
    ex: impl PgExecutor<'_>,
    id: PersonId,
    day: Date,
    max_visibility: Visibility,
) -> sqlx::Result<(PersonStatus, bool)> {
    let row = sqlx::query!(
        r#"SELECT status AS "status!: PersonStatus", uncertain AS "uncertain!"
             FROM person_status_on($1, $2, $3)"#,
        id as PersonId,
        day,
        max_visibility as Visibility
    )
    .fetch_one(ex)
    .await?;
    Ok((row.status, row.uncertain))
}

/// Filters of the person list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub max_visibility: Option<Visibility>,
    pub q: Option<String>,
    pub status: Option<PersonStatus>,
    pub as_of: Option<Date>,
    pub article: Option<String>,
    pub article_part: Option<String>,
    pub facility: Option<crate::domain::FacilityId>,
    pub organization: Option<crate::domain::OrganizationId>,
    pub recognized: Option<bool>,
    pub detained_from: Option<Date>,
    pub detained_to: Option<Date>,
    pub updated_since: Option<OffsetDateTime>,
    pub after: Option<PersonId>,
    pub limit: i64,
}

/// One page of persons with their status on the filter's day.
pub async fn list(
    ex: impl PgExecutor<'_>,
    filter: &PersonFilter,
    today: Date,
) -> sqlx::Result<Vec<(PersonRow, PersonStatus, bool)>> {
    let max_vis = filter.max_visibility.unwrap_or(Visibility::Public);
    let day = filter.as_of.unwrap_or(today);
    let mut b: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT p.id, p.birth_date, p.gender, p.pronouns, p.occupation, p.region, p.visibility,
                p.notes, p.restricted_notes, p.status_override, p.status_override_reason,
                p.status_override_since, p.status_override_until, p.version, p.created_at,
                p.updated_at, p.archived_at, s.status, s.uncertain
           FROM persons p
          CROSS JOIN LATERAL person_status_on(p.id, ",
    );
    b.push_bind(day)
        .push(", ")
        .push_bind(max_vis)
        .push(") s WHERE p.archived_at IS NULL AND p.visibility <= ");
    b.push_bind(max_vis);
    // A child counts only when the caller may see it.
    let visible = |b: &mut QueryBuilder<Postgres>, alias: &str| {
        b.push(format_args!(
            " AND {alias}.archived_at IS NULL AND {alias}.visibility <= "
        ))
        .push_bind(max_vis);
    };
    if let Some(q) = &filter.q {
        b.push(" AND EXISTS (SELECT 1 FROM person_names n WHERE n.person_id = p.id AND lower(n.name) LIKE '%' || lower(")
            .push_bind(q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
            .push(") || '%')");
    }
    if let Some(status) = filter.status {
        b.push(" AND s.status = ").push_bind(status);
    }
    if let Some(article) = &filter.article {
        // Any edition of the same offence matches.
        b.push(" AND EXISTS (SELECT 1 FROM charges c JOIN articles a ON a.id = c.article_id WHERE c.person_id = p.id");
        visible(&mut b, "c");
        b.push(" AND (a.number = ").push_bind(article.clone());
        b.push(" OR a.offence IN (SELECT offence FROM articles WHERE number = ")
            .push_bind(article.clone())
            .push("))");
        if let Some(part) = &filter.article_part {
            b.push(" AND c.part = ").push_bind(part.clone());
        }
        b.push(")");
    }
    if let Some(facility) = filter.facility {
        b.push(" AND EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.id");
        visible(&mut b, "d");
        b.push(" AND d.facility_id = ")
            .push_bind(facility)
            .push(")");
    }
    if let Some(org) = filter.organization {
        b.push(" AND (EXISTS (SELECT 1 FROM affiliations f WHERE f.person_id = p.id");
        visible(&mut b, "f");
        b.push(" AND f.organization_id = ")
            .push_bind(org)
            .push(") OR EXISTS (SELECT 1 FROM recognitions r WHERE r.person_id = p.id");
        visible(&mut b, "r");
        b.push(" AND r.organization_id = ")
            .push_bind(org)
            .push("))");
    }
    if let Some(recognized) = filter.recognized {
        b.push(if recognized {
            " AND EXISTS"
        } else {
            " AND NOT EXISTS"
        });
        b.push(" (SELECT 1 FROM recognitions r WHERE r.person_id = p.id");
        visible(&mut b, "r");
        b.push(" AND (r.since IS NULL OR (r.since).earliest <= ")
            .push_bind(day);
        b.push(") AND (r.until IS NULL OR (r.until).earliest > ")
            .push_bind(day)
            .push("))");
    }
    if filter.detained_from.is_some() || filter.detained_to.is_some() {
        // A detention overlapping the window.
        b.push(" AND EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.id");
        visible(&mut b, "d");
        if let Some(to) = filter.detained_to {
            b.push(" AND (d.started).earliest <= ").push_bind(to);
        }
        if let Some(from) = filter.detained_from {
            b.push(" AND (d.ended IS NULL OR pd_latest(d.ended) >= ")
                .push_bind(from)
                .push(")");
        }
        b.push(")");
    }
    if let Some(since) = filter.updated_since {
        b.push(" AND p.updated_at >= ").push_bind(since);
    }
    if let Some(after) = filter.after {
        b.push(" AND p.id > ").push_bind(after);
    }
    b.push(" ORDER BY p.id LIMIT ").push_bind(filter.limit);
    let rows = b.build().fetch_all(ex).await?;
    rows.into_iter().map(|r| list_row(&r)).collect()
}

fn list_row(r: &sqlx::postgres::PgRow) -> sqlx::Result<(PersonRow, PersonStatus, bool)> {
    use sqlx::Row;
    let person = PersonRow {
        id: r.try_get("id")?,
        birth_date: r.try_get("birth_date")?,
        gender: r.try_get("gender")?,
        pronouns: r.try_get("pronouns")?,
        occupation: r.try_get("occupation")?,
        region: r.try_get("region")?,
        visibility: r.try_get("visibility")?,
        notes: r.try_get("notes")?,
        restricted_notes: r.try_get("restricted_notes")?,
        status_override: r.try_get("status_override")?,
        status_override_reason: r.try_get("status_override_reason")?,
        status_override_since: r.try_get("status_override_since")?,
        status_override_until: r.try_get("status_override_until")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        archived_at: r.try_get("archived_at")?,
    };
    Ok((person, r.try_get("status")?, r.try_get("uncertain")?))
}

/// Names of several persons at once, in order, for a list page.
pub async fn names_of(
    ex: impl PgExecutor<'_>,
    ids: &[PersonId],
) -> sqlx::Result<Vec<(PersonId, PersonName)>> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|id| id.0).collect();
    let rows = sqlx::query!(
        r#"SELECT person_id AS "person_id: PersonId", name, lang, is_primary, family
             FROM person_names WHERE person_id = ANY($1) ORDER BY person_id, position"#,
        &ids
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = PersonName {
                name: r.name,
                lang: r.lang,
                primary: r.is_primary,
                family: r.family,
            };
            (r.person_id, name)
        })
        .collect())
}

/// External ids of several persons at once, for a list page.
pub async fn external_ids_of(
    ex: impl PgExecutor<'_>,
    ids: &[PersonId],
) -> sqlx::Result<Vec<(PersonId, ExternalId)>> {
    let ids: Vec<uuid::Uuid> = ids.iter().map(|id| id.0).collect();
    let rows = sqlx::query!(
        r#"SELECT person_id AS "person_id: PersonId", system, external_id
             FROM person_external_ids WHERE person_id = ANY($1) ORDER BY person_id, system"#,
        &ids
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.person_id,
                ExternalId {
                    system: r.system,
                    id: r.external_id,
                },
            )
        })
        .collect())
}
