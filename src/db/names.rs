//! Readable names of records, by id, for pages that show links: what a
//! history entry or a form points to.

use uuid::Uuid;

use crate::domain::Visibility;

/// Readable names of the reference records among `ids` a reader cleared up
/// to `max_vis` may see: facilities, organisations, articles, criminal
/// cases, sources, the charges and detentions of cases (by article and
/// start), and persons (by primary name: a merge's two persons).
pub async fn of(
    ex: impl sqlx::PgExecutor<'_>,
    ids: &[Uuid],
    max_vis: Visibility,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name AS "name!" FROM (
               SELECT id, name FROM facilities WHERE id = ANY($1)
               UNION ALL SELECT id, name FROM organizations WHERE id = ANY($1)
               UNION ALL SELECT id, 'Art. ' || number FROM articles WHERE id = ANY($1)
               UNION ALL SELECT id, coalesce(number, description, '') FROM criminal_cases
                          WHERE id = ANY($1)
               UNION ALL SELECT id, title FROM sources WHERE id = ANY($1) AND visibility <= $2
               UNION ALL SELECT c.id, 'Art. ' || a.number || coalesce(' (' || c.part || ')', '')
                           FROM charges c JOIN articles a ON a.id = c.article_id
                           JOIN persons p ON p.id = c.person_id
                          WHERE c.id = ANY($1) AND c.visibility <= $2 AND p.visibility <= $2
               UNION ALL SELECT d.id, to_char((d.started).earliest, 'YYYY-MM-DD')
                           FROM detentions d JOIN persons p ON p.id = d.person_id
                          WHERE d.id = ANY($1) AND d.visibility <= $2 AND p.visibility <= $2
               UNION ALL SELECT p.id, n.name
                           FROM persons p JOIN person_names n ON n.person_id = p.id AND n.is_primary
                          WHERE p.id = ANY($1) AND p.visibility <= $2
           ) AS n"#,
        ids,
        max_vis as Visibility
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}
