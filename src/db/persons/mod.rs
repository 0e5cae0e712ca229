//! Persons, their names and their ids in other registries.

mod list;
pub mod merge;

pub use list::{
    FacetCount, Listed, NameMatch, PersonFilter, PersonSort, detained_on, facets, list,
    status_counts,
};

use sqlx::{PgConnection, PgExecutor};
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

/// Writes a person's names and ids in other registries anew.
pub async fn replace_names(
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
    // The person's few spans first: with statistics from before a registry
    // was filled in one transaction (an import), the planner would scan the
    // day's spans of everyone.
    let row = sqlx::query!(
        r#"WITH theirs AS MATERIALIZED (
               SELECT status, uncertain, seen_from, seen_to, during
                 FROM status_spans WHERE person_id = $1)
           SELECT status AS "status!: PersonStatus", uncertain AS "uncertain!"
             FROM theirs
            WHERE $3 BETWEEN seen_from AND seen_to AND during @> $2::date"#,
        id as PersonId,
        day,
        max_visibility as Visibility
    )
    .fetch_one(ex)
    .await?;
    Ok((row.status, row.uncertain))
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
