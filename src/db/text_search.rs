//! Full-text search over the notes of persons and their records, citation
//! notes, and source titles and notes (`docket_text`, migration 17).

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::{PersonId, Visibility};

/// One text that matched, with an extract: matching words are enclosed in
/// [`MARK_START`] and [`MARK_END`].
#[derive(Debug)]
pub struct TextHitRow {
    pub record_type: String,
    pub record_id: Uuid,
    /// The person the record belongs to; `None` for a source.
    pub person_id: Option<PersonId>,
    pub person_name: Option<String>,
    /// A source's title, for a source.
    pub source_title: Option<String>,
    pub field: String,
    pub extract: String,
    /// How many texts matched in all.
    pub total: i64,
}

/// Marks around a matching word in an extract: characters of Unicode's
/// private use area, which no note is expected to hold.
pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// Whether `tsquery` (in `to_tsquery` syntax) keeps a word to search for
/// once the configuration has dropped the words too common to index (stop
/// words): one that keeps none matches nothing.
pub async fn keeps_a_word(db: impl PgExecutor<'_>, tsquery: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"SELECT numnode(to_tsquery('docket_text', $1)) > 0 AS "keeps!""#,
        tsquery
    )
    .fetch_one(db)
    .await
}

/// The texts matching `tsquery` (in `to_tsquery` syntax) that a reader of
/// `max` may see, best first: records and persons not archived, each
/// record's reach (its own visibility and its person's) at most `max`.
pub async fn search(
    db: impl PgExecutor<'_>,
    tsquery: &str,
    max: Visibility,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<TextHitRow>> {
    sqlx::query_as!(
        TextHitRow,
        r#"WITH q AS (SELECT to_tsquery('docket_text', $1) AS q),
           hits AS (
               SELECT 'person' AS kind, p.id, p.id AS person_id, 'notes' AS field, p.notes AS body,
                      ts_rank_cd(p.notes_words, q.q) AS rank
                 FROM persons p, q
                WHERE p.notes_words @@ q.q AND p.archived_at IS NULL AND p.visibility <= $2
               UNION ALL
               SELECT 'detention', x.id, p.id, 'notes', x.notes, ts_rank_cd(x.notes_words, q.q)
                 FROM detentions x JOIN persons p ON p.id = x.person_id, q
                WHERE x.notes_words @@ q.q AND x.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(x.visibility, p.visibility) <= $2
               UNION ALL
               SELECT 'charge', x.id, p.id, 'notes', x.notes, ts_rank_cd(x.notes_words, q.q)
                 FROM charges x JOIN persons p ON p.id = x.person_id, q
                WHERE x.notes_words @@ q.q AND x.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(x.visibility, p.visibility) <= $2
               UNION ALL
               SELECT 'sentence', x.id, p.id, 'notes', x.notes, ts_rank_cd(x.notes_words, q.q)
                 FROM sentences x JOIN persons p ON p.id = x.person_id, q
                WHERE x.notes_words @@ q.q AND x.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(x.visibility, p.visibility) <= $2
               UNION ALL
               SELECT 'recognition', x.id, p.id, 'notes', x.notes, ts_rank_cd(x.notes_words, q.q)
                 FROM recognitions x JOIN persons p ON p.id = x.person_id, q
                WHERE x.notes_words @@ q.q AND x.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(x.visibility, p.visibility) <= $2
               UNION ALL
               SELECT 'affiliation', x.id, p.id, 'notes', x.notes, ts_rank_cd(x.notes_words, q.q)
                 FROM affiliations x JOIN persons p ON p.id = x.person_id, q
                WHERE x.notes_words @@ q.q AND x.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(x.visibility, p.visibility, 'internal') <= $2
               UNION ALL
               SELECT 'citation', x.id, p.id, 'note', x.note, ts_rank_cd(x.note_words, q.q)
                 FROM citations x JOIN citation_reach r ON r.id = x.id
                 JOIN persons p ON p.id = x.person_id, q
                WHERE x.note_words @@ q.q AND r.archived_at IS NULL AND p.archived_at IS NULL
                  AND greatest(r.reach, p.visibility) <= $2
               UNION ALL
               SELECT 'source', s.id, NULL, 'title', s.title, ts_rank_cd(s.title_words, q.q)
                 FROM sources s, q
                WHERE s.title_words @@ q.q AND s.archived_at IS NULL AND s.visibility <= $2
               UNION ALL
               SELECT 'source', s.id, NULL, 'notes', s.notes, ts_rank_cd(s.notes_words, q.q)
                 FROM sources s, q
                WHERE s.notes_words @@ q.q AND s.archived_at IS NULL AND s.visibility <= $2
           ),
           page AS (
               SELECT *, count(*) OVER () AS total FROM hits
                ORDER BY rank DESC, id, field LIMIT $3 OFFSET $4
           )
           SELECT page.kind AS "record_type!", page.id AS "record_id!",
                  page.person_id AS "person_id: PersonId",
                  (SELECT n.name FROM person_names n
                    WHERE n.person_id = page.person_id AND n.is_primary) AS person_name,
                  (SELECT s.title FROM sources s
                    WHERE page.kind = 'source' AND s.id = page.id) AS source_title,
                  page.field AS "field!",
                  -- Extracts only for the page: they cost more than the match.
                  ts_headline('docket_text', page.body, q.q,
                              format('StartSel=%s, StopSel=%s, MaxWords=35, MinWords=15',
                                     chr(57344), chr(57345))) AS "extract!",
                  page.total AS "total!"
             FROM page, q
            ORDER BY page.rank DESC, page.id, page.field"#,
        tsquery,
        max as Visibility,
        limit,
        offset,
    )
    .fetch_all(db)
    .await
}
