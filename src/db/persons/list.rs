//! The person list: optional filters, each a bound parameter.

use sqlx::{Acquire, PgConnection, PgExecutor, Postgres, QueryBuilder};
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
    /// Rows to skip (pages of the workspace, and of a search in the API).
    pub offset: i64,
    pub limit: i64,
}

impl PersonFilter {
    /// Whether the filter selects by status (`status` or `held`): the
    /// status of every candidate is then needed, not of a page only.
    pub fn by_status(&self) -> bool {
        self.status.is_some() || self.held.is_some()
    }
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
    /// Closest match of a name to `q` first (by name without `q`).
    Closeness,
}

/// The name of a person that matched a search, and how closely (0 to 1).
/// Names are public: this goes out as it is.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NameMatch {
    pub name: String,
    pub closeness: f32,
}

/// A person of a list: the row, the status on the list's day (and whether
/// it rests on an uncertain date), and with a search the name that matched.
pub struct Listed {
    pub row: PersonRow,
    pub status: PersonStatus,
    pub uncertain: bool,
    pub matched: Option<NameMatch>,
}

/// One page of persons with their status on the filter's day.
///
/// A search `q` finds a person by any of their names, in any script or
/// spelling: names are compared by their search keys (`name_key`, one
/// spelling per sound) with trigram similarity, word similarity for a part
/// of a name, and containment; and as typed, containing the search. A
/// search of a letter or two finds names with a word starting so; one with
/// no letter the key keeps (another script, digits), names as typed.
pub async fn list(
    conn: &mut PgConnection,
    filter: &PersonFilter,
    today: Date,
) -> sqlx::Result<Vec<Listed>> {
    let key = filter_key(&mut *conn, filter).await?;
    // The order's keys, selected, and the page's order by them.
    let (keys, order) = match (filter.sort, filter.q.is_some()) {
        (PersonSort::Id, _) => ("p.id AS k1", "k1"),
        (PersonSort::Updated, _) => ("p.updated_at AS k1, p.id AS k2", "k1 DESC, k2"),
        (PersonSort::Closeness, true) => (
            "m.closeness AS k1, m.spelling AS k2, p.id AS k3",
            "k1 DESC, k2 DESC, k3",
        ),
        // Without a search, closeness is no order: by name.
        (PersonSort::Name | PersonSort::Closeness, _) => (
            "(SELECT lower(n.name) FROM person_names n WHERE n.person_id = p.id
               ORDER BY n.is_primary DESC, n.position LIMIT 1) AS k1, p.id AS k2",
            "k1, k2",
        ),
    };
    // The page is cut first and the status computed for its persons only,
    // unless a status filter needs it for every candidate.
    let mut b: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT q.*, s.status, s.uncertain FROM (
         SELECT p.id, p.birth_date, p.gender, p.pronouns, p.occupation, p.region, p.visibility,
                p.notes, p.restricted_notes, p.status_override, p.status_override_reason,
                p.status_override_since, p.status_override_until, p.version, p.created_at,
                p.updated_at, p.archived_at, m.matched_name, m.closeness, {keys}
           FROM persons p"
    ));
    match (&filter.q, &key) {
        (Some(q), Some(key)) => {
            // The name closest to the search, and how close; of names as
            // close by sound, the one written most like the search.
            b.push(
                " CROSS JOIN LATERAL (SELECT n.name AS matched_name,
                        greatest(similarity(n.search_key, ",
            )
            .push_bind(key.clone())
            .push("), word_similarity(")
            .push_bind(key.clone())
            .push(
                ", n.search_key))::real AS closeness,
                        similarity(lower(n.name), lower(",
            )
            .push_bind(q.clone())
            .push(
                ")) AS spelling
                   FROM person_names n WHERE n.person_id = p.id
                  ORDER BY 2 DESC, 3 DESC, n.position LIMIT 1) m",
            );
        }
        _ => {
            b.push(
                " CROSS JOIN (SELECT NULL::text AS matched_name, NULL::real AS closeness,
                              NULL::real AS spelling) m",
            );
        }
    }
    let by_status = filter.by_status();
    push_filtered(&mut b, filter, key.as_deref(), today, by_status);
    if let Some(after) = filter.after {
        b.push(" AND p.id > ").push_bind(after);
    }
    b.push(format_args!(" ORDER BY {order} LIMIT "))
        .push_bind(filter.limit);
    b.push(" OFFSET ").push_bind(filter.offset);
    b.push(") q");
    push_status_join(
        &mut b,
        "q.id",
        filter.as_of.unwrap_or(today),
        filter.max_visibility.unwrap_or(Visibility::Public),
    );
    b.push(" ORDER BY ").push(order.replace('k', "q.k"));
    let rows = fetch_planned(conn, b, by_status).await?;
    rows.into_iter().map(|r| list_row(&r)).collect()
}

/// Runs a list's statement; one that filters by status with a generic plan.
/// Planned for its values, a status on a day looks far more common than it
/// is (to the planner a status and a span of days are independent: 8,000
/// persons expected for 500 at 100,000), and the plan hashes whole tables
/// where the generic one looks up the few persons found (facets of a list
/// by status and article: 6 against 108 a second). Without a status filter
/// the estimates hold and the values' own plan is the better one.
async fn fetch_planned(
    conn: &mut PgConnection,
    mut statement: QueryBuilder<'_, Postgres>,
    by_status: bool,
) -> sqlx::Result<Vec<sqlx::postgres::PgRow>> {
    if !by_status {
        return statement.build().fetch_all(conn).await;
    }
    let mut tx = conn.begin().await?;
    sqlx::query!("SET LOCAL plan_cache_mode = force_generic_plan")
        .execute(&mut *tx)
        .await?;
    let rows = statement.build().fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The key of the filter's search, if it has one: computed first and bound
/// as a value, it lets the index serve.
async fn filter_key(
    conn: &mut PgConnection,
    filter: &PersonFilter,
) -> sqlx::Result<Option<String>> {
    match &filter.q {
        Some(q) => search_key(conn, q).await.map(Some),
        None => Ok(None),
    }
}

/// A name's search key: how names are compared (see the migration that
/// made `name_key`).
pub async fn search_key(ex: impl PgExecutor<'_>, name: &str) -> sqlx::Result<String> {
    sqlx::query_scalar!(r#"SELECT name_key($1) AS "key!""#, name)
        .fetch_one(ex)
        .await
}

/// How many persons a reader cleared up to `max_vis` may see were deprived
/// of liberty on each of `days` (in order, once each), and how many of them
/// have that status from records with a date not known to the day (the
/// status's own `uncertain`). The same status as the list's `held` filter.
///
/// One pass over the spans, however many days: each span of a status that
/// holds adds one from the first day asked on or after its start and takes
/// it away from the first on or after its end (`width_bucket` counts the
/// days before a date), and each day's count is the sum up to it. A reader
/// has spans only of the persons their clearance sees.
pub async fn detained_on(
    ex: impl PgExecutor<'_>,
    max_vis: Visibility,
    days: &[Date],
) -> sqlx::Result<Vec<(Date, i64, i64)>> {
    let mut days = days.to_vec();
    days.sort();
    days.dedup();
    let rows = sqlx::query!(
        r#"WITH changes AS (
               SELECT c.at, sum(c.change) AS change,
                      sum(c.change) FILTER (WHERE s.uncertain) AS uncertain
                 FROM status_spans s
                CROSS JOIN LATERAL (VALUES
                      (coalesce(width_bucket(lower(s.during) - 1, $2::date[]) + 1, 1), 1),
                      (width_bucket(upper(s.during) - 1, $2::date[]) + 1, -1)) c (at, change)
                WHERE $1 BETWEEN s.seen_from AND s.seen_to AND s.status = ANY($3)
                  AND c.at IS NOT NULL
                  AND s.person_id NOT IN (SELECT id FROM persons WHERE archived_at IS NOT NULL)
                GROUP BY c.at
           )
           SELECT d.day AS "day!",
                  (sum(coalesce(c.change, 0)) OVER w)::bigint AS "detained!",
                  (sum(coalesce(c.uncertain, 0)) OVER w)::bigint AS "uncertain!"
             FROM unnest($2::date[]) WITH ORDINALITY d (day, at)
             LEFT JOIN changes c ON c.at = d.at
           WINDOW w AS (ORDER BY d.at)
            ORDER BY d.at"#,
        max_vis as Visibility,
        &days,
        PersonStatus::HELD as &[PersonStatus],
    )
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.day, r.detained, r.uncertain))
        .collect())
}

/// How many of the persons a filter selects have each value of a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    /// The facet: `status`, `article`, `facility`, `organization`,
    /// `region`, `detention_year` or `recognized`.
    pub facet: String,
    /// The value as the list's filter takes it.
    pub value: String,
    /// A name to show for the value (facilities, organisations, articles).
    pub label: Option<String>,
    pub count: i64,
}

/// The persons `filter` selects (its order and page aside), counted by each
/// value of each facet, under the same conditions and visibility as the
/// list: a facet's count for a value is the length of the list filtered by
/// that value as well. A person may have several articles, facilities,
/// organisations and years, and the list takes one of each: a facet whose
/// filter is set is left out, since its other values would count persons
/// with both. `total` comes as facet `total`, value `all`.
pub async fn facets(
    conn: &mut PgConnection,
    filter: &PersonFilter,
    today: Date,
) -> sqlx::Result<Vec<FacetCount>> {
    let key = filter_key(&mut *conn, filter).await?;
    let max_vis = filter.max_visibility.unwrap_or(Visibility::Public);
    let day = filter.as_of.unwrap_or(today);
    let mut b: QueryBuilder<Postgres> =
        QueryBuilder::new("WITH f AS MATERIALIZED (SELECT p.id, p.region, s.status FROM persons p");
    push_filtered(&mut b, filter, key.as_deref(), today, true);
    b.push("), v AS (SELECT ")
        .push_bind(max_vis)
        .push("::visibility AS max_vis, ");
    b.push_bind(day).push("::date AS day)");
    b.push(
        "
        SELECT 'total' AS facet, 'all' AS value, NULL::text AS label, count(*) AS count FROM f
        UNION ALL
        SELECT 'status', f.status::text, NULL, count(*) FROM f GROUP BY f.status
        UNION ALL
        SELECT 'region', min(f.region), NULL, count(*) FROM f
         WHERE f.region IS NOT NULL GROUP BY lower(f.region)
        UNION ALL
        SELECT 'recognized', EXISTS (
                   SELECT 1 FROM recognitions r, v
                    WHERE r.person_id = f.id AND r.archived_at IS NULL AND r.visibility <= v.max_vis
                      AND (r.since IS NULL OR (r.since).earliest <= v.day)
                      AND (r.until IS NULL OR (r.until).earliest > v.day))::text,
               NULL, count(*)
          FROM f GROUP BY 2",
    );
    if filter.article.is_none() {
        // One value per offence, whatever the edition, as the list's
        // filter takes any edition of it: the newest edition's number.
        b.push(
            "
        UNION ALL
        SELECT 'article', x.number, x.title_en, count(DISTINCT f.id)
          FROM (SELECT DISTINCT ON (coalesce(offence, number)) number, offence, title_en
                  FROM articles ORDER BY coalesce(offence, number), number DESC) x
          JOIN articles a ON a.number = x.number OR a.offence = x.offence
          JOIN charges c ON c.article_id = a.id
          JOIN f ON f.id = c.person_id, v
         WHERE c.archived_at IS NULL AND c.visibility <= v.max_vis
         GROUP BY x.number, x.title_en",
        );
    }
    if filter.facility.is_none() {
        b.push(
            "
        UNION ALL
        SELECT 'facility', d.facility_id::text, min(fa.name), count(DISTINCT f.id)
          FROM f JOIN detentions d ON d.person_id = f.id
          JOIN facilities fa ON fa.id = d.facility_id, v
         WHERE d.archived_at IS NULL AND d.visibility <= v.max_vis
         GROUP BY d.facility_id",
        );
    }
    if filter.organization.is_none() {
        b.push(
            "
        UNION ALL
        SELECT 'organization', o.id::text, min(o.name), count(DISTINCT f.id)
          FROM f JOIN (
                SELECT r.person_id, r.organization_id FROM recognitions r, v
                 WHERE r.archived_at IS NULL AND r.visibility <= v.max_vis
                UNION
                -- Affiliations are internal whatever their own visibility.
                SELECT a.person_id, a.organization_id FROM affiliations a, v
                 WHERE a.archived_at IS NULL
                   AND greatest(a.visibility, 'internal'::visibility) <= v.max_vis
               ) x ON x.person_id = f.id
          JOIN organizations o ON o.id = x.organization_id
         GROUP BY o.id",
        );
    }
    if filter.detained_from.is_none() && filter.detained_to.is_none() {
        // A year counts when a detention overlaps it, as the list's period
        // filter takes it: from the detention's start to its end, or for
        // one still going to the list's day or the latest start shown,
        // whichever is later (so that every year shown counts it).
        b.push(
            "
        UNION ALL
        SELECT 'detention_year', y::text, NULL, count(DISTINCT f.id)
          FROM f JOIN detentions d ON d.person_id = f.id, v,
               LATERAL (SELECT greatest(v.day, max((x.started).earliest)) AS horizon
                          FROM f JOIN detentions x ON x.person_id = f.id
                         WHERE x.archived_at IS NULL AND x.visibility <= v.max_vis) h,
               generate_series(extract(year FROM (d.started).earliest)::int,
                               extract(year FROM greatest((d.started).earliest,
                                   coalesce(pd_latest(d.ended), h.horizon)))::int) y
         WHERE d.archived_at IS NULL AND d.visibility <= v.max_vis
         GROUP BY y",
        );
    }
    b.push(" ORDER BY 1, 4 DESC, 2");
    let rows = fetch_planned(conn, b, filter.by_status()).await?;
    rows.iter()
        .map(|r| {
            use sqlx::Row;
            Ok(FacetCount {
                facet: r.try_get("facet")?,
                value: r.try_get("value")?,
                label: r.try_get("label")?,
                count: r.try_get("count")?,
            })
        })
        .collect()
}

/// Joins the status span (`s`) of the person `person` on `day`, as a reader
/// cleared up to `max_vis` sees it: one per person the reader may see (see
/// the migration that made `status_spans`).
fn push_status_join(
    b: &mut QueryBuilder<'_, Postgres>,
    person: &str,
    day: Date,
    max_vis: Visibility,
) {
    b.push(format_args!(
        " JOIN status_spans s ON s.person_id = {person} AND "
    ))
    .push_bind(max_vis)
    .push(" BETWEEN s.seen_from AND s.seen_to AND s.during @> ")
    .push_bind(day)
    .push("::date");
}

/// The persons `filter` selects, as the caller may see them: pushes the
/// status on the filter's day (`s`) and every condition, after `FROM
/// persons p` (and any join on `p`). The list and the facets share it, so
/// that they count the same persons.
fn push_filtered(
    b: &mut QueryBuilder<'_, Postgres>,
    filter: &PersonFilter,
    key: Option<&str>,
    today: Date,
    with_status: bool,
) {
    let max_vis = filter.max_visibility.unwrap_or(Visibility::Public);
    let day = filter.as_of.unwrap_or(today);
    if with_status {
        push_status_join(b, "p.id", day, max_vis);
    }
    b.push(" WHERE p.archived_at IS NULL AND p.visibility <= ");
    b.push_bind(max_vis);
    // A child counts only when the caller may see it.
    let visible = |b: &mut QueryBuilder<Postgres>, alias: &str| {
        b.push(format_args!(
            " AND {alias}.archived_at IS NULL AND {alias}.visibility <= "
        ))
        .push_bind(max_vis);
    };
    match (&filter.q, key) {
        // Names as typed, when the key keeps nothing of the search.
        (Some(q), Some("")) => {
            b.push(" AND p.id IN (SELECT n.person_id FROM person_names n WHERE lower(n.name) LIKE lower(")
                .push_bind(crate::db::contains_pattern(q))
                .push("))");
        }
        // A letter or two: names with a word starting so.
        (Some(_), Some(key)) if key.len() < 3 => {
            b.push(" AND p.id IN (SELECT n.person_id FROM person_names n WHERE n.search_key LIKE ")
                .push_bind(format!("{key}%"))
                .push(" OR n.search_key LIKE ")
                .push_bind(format!("% {key}%"))
                .push(")");
        }
        // Each comparison a query of its own, so that an index serves each:
        // similar keys, a key containing the search's as a part, and the
        // names as typed containing it.
        (Some(q), Some(key)) => {
            b.push(" AND p.id IN (SELECT n.person_id FROM person_names n WHERE n.search_key % ")
                .push_bind(key.to_owned())
                .push(" UNION SELECT n.person_id FROM person_names n WHERE ")
                .push_bind(key.to_owned())
                .push(" <% n.search_key UNION SELECT n.person_id FROM person_names n WHERE n.search_key LIKE ")
                .push_bind(format!("%{key}%"))
                .push(" UNION SELECT n.person_id FROM person_names n WHERE lower(n.name) LIKE lower(")
                .push_bind(crate::db::contains_pattern(q))
                .push("))");
        }
        _ => {}
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
        visible(b, "c");
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
        visible(b, "d");
        b.push(" AND d.facility_id = ")
            .push_bind(facility)
            .push(")");
    }
    if let Some(org) = filter.organization {
        b.push(" AND (EXISTS (SELECT 1 FROM recognitions r WHERE r.person_id = p.id");
        visible(b, "r");
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
        visible(b, "r");
        b.push(" AND (r.since IS NULL OR (r.since).earliest <= ")
            .push_bind(day);
        b.push(") AND (r.until IS NULL OR (r.until).earliest > ")
            .push_bind(day)
            .push("))");
    }
    if filter.detained_from.is_some() || filter.detained_to.is_some() {
        // A detention overlapping the window.
        b.push(" AND EXISTS (SELECT 1 FROM detentions d WHERE d.person_id = p.id");
        visible(b, "d");
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
}

fn list_row(r: &sqlx::postgres::PgRow) -> sqlx::Result<Listed> {
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
    let name: Option<String> = r.try_get("matched_name")?;
    let closeness: Option<f32> = r.try_get("closeness")?;
    Ok(Listed {
        row: person,
        status: r.try_get("status")?,
        uncertain: r.try_get("uncertain")?,
        matched: name.map(|name| NameMatch {
            name,
            closeness: closeness.unwrap_or_default(),
        }),
    })
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
             JOIN status_spans s ON s.person_id = p.id AND $1 BETWEEN s.seen_from AND s.seen_to
              AND s.during @> $2::date
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
