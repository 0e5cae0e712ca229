//! The person list: optional filters, each a bound parameter.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::{Date, OffsetDateTime};

use super::PersonRow;
use crate::domain::{FacilityId, OrganizationId, PersonId, PersonStatus, Visibility};

/// The records of a case whose changes count for `updated_since`, each the
/// start of an `EXISTS` over it (affiliations, always internal, apart).
const CHILD_TABLES: [&str; 5] = [
    " OR EXISTS (SELECT 1 FROM detentions",
    " OR EXISTS (SELECT 1 FROM charges",
    " OR EXISTS (SELECT 1 FROM sentences",
    " OR EXISTS (SELECT 1 FROM recognitions",
    " OR EXISTS (SELECT 1 FROM citations",
];

/// Filters of the person list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub max_visibility: Option<Visibility>,
    pub q: Option<String>,
    pub status: Option<PersonStatus>,
    pub as_of: Option<Date>,
    pub article: Option<String>,
    pub article_part: Option<String>,
    pub facility: Option<FacilityId>,
    pub organization: Option<OrganizationId>,
    pub recognized: Option<bool>,
    pub detained_from: Option<Date>,
    pub detained_to: Option<Date>,
    pub updated_since: Option<OffsetDateTime>,
    /// Persons deprived of liberty on the day (true) or not (false).
    pub held: Option<bool>,
    /// Exact region, any case.
    pub region: Option<String>,
    pub after: Option<PersonId>,
    pub sort: PersonSort,
    /// Rows to skip (pages of the workspace); the API pages by `after`.
    pub offset: i64,
    pub limit: i64,
}

/// The orders a person list can be read in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PersonSort {
    /// Creation order: stable under seek pagination.
    #[default]
    Id,
    /// By primary name.
    Name,
    /// Most recently changed first.
    Updated,
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
        b.push(" AND EXISTS (SELECT 1 FROM person_names n WHERE n.person_id = p.id AND lower(n.name) LIKE lower(")
            .push_bind(crate::db::contains_pattern(q))
            .push("))");
    }
    if let Some(status) = filter.status {
        b.push(" AND s.status = ").push_bind(status);
    }
    if let Some(held) = filter.held {
        b.push(if held {
            " AND s.status = ANY("
        } else {
            " AND s.status <> ALL("
        })
        .push_bind(PersonStatus::HELD.to_vec())
        .push(")");
    }
    if let Some(region) = &filter.region {
        b.push(" AND lower(p.region) = lower(")
            .push_bind(region.clone())
            .push(")");
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
        b.push(" AND (EXISTS (SELECT 1 FROM recognitions r WHERE r.person_id = p.id");
        visible(&mut b, "r");
        b.push(" AND r.organization_id = ").push_bind(org).push(")");
        // Affiliations are internal whatever their own visibility.
        b.push(" OR EXISTS (SELECT 1 FROM affiliations f WHERE f.person_id = p.id")
            .push(
                " AND f.archived_at IS NULL AND greatest(f.visibility, 'internal'::visibility) <= ",
            )
            .push_bind(max_vis);
        b.push(" AND f.organization_id = ")
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
        // A case changed when the person or any record of it the caller may
        // see did (archiving included: partners must learn of it).
        b.push(" AND (p.updated_at >= ").push_bind(since);
        for child in CHILD_TABLES {
            b.push(child)
                .push(" x WHERE x.person_id = p.id AND x.updated_at >= ")
                .push_bind(since);
            b.push(" AND x.visibility <= ").push_bind(max_vis).push(")");
        }
        b.push(" OR EXISTS (SELECT 1 FROM affiliations x WHERE x.person_id = p.id AND x.updated_at >= ")
            .push_bind(since)
            .push(" AND greatest(x.visibility, 'internal'::visibility) <= ")
            .push_bind(max_vis)
            .push("))");
    }
    if let Some(after) = filter.after {
        b.push(" AND p.id > ").push_bind(after);
    }
    b.push(match filter.sort {
        PersonSort::Id => " ORDER BY p.id",
        PersonSort::Name => {
            " ORDER BY (SELECT lower(n.name) FROM person_names n WHERE n.person_id = p.id
                         ORDER BY n.is_primary DESC, n.position LIMIT 1), p.id"
        }
        PersonSort::Updated => " ORDER BY p.updated_at DESC, p.id",
    });
    b.push(" LIMIT ").push_bind(filter.limit);
    b.push(" OFFSET ").push_bind(filter.offset);
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

/// How many persons a reader cleared up to `max_vis` may see in each
/// status on `day`, and how many of them an organisation recognises then.
pub async fn status_counts(
    ex: impl PgExecutor<'_>,
    max_vis: Visibility,
    day: Date,
) -> sqlx::Result<Vec<(PersonStatus, i64, i64)>> {
    let rows = sqlx::query!(
        r#"SELECT s.status AS "status!: PersonStatus", count(*) AS "total!",
                  count(*) FILTER (WHERE EXISTS (
                      SELECT 1 FROM recognitions r
                       WHERE r.person_id = p.id AND r.archived_at IS NULL AND r.visibility <= $1
                         AND (r.since IS NULL OR (r.since).earliest <= $2)
                         AND (r.until IS NULL OR (r.until).earliest > $2))) AS "recognized!"
             FROM persons p
            CROSS JOIN LATERAL person_status_on(p.id, $2, $1) s
            WHERE p.archived_at IS NULL AND p.visibility <= $1
            GROUP BY s.status"#,
        max_vis as Visibility,
        day
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.status, r.total, r.recognized))
        .collect())
}
