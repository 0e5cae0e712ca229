//! Citations: a source cited for a person or one of their records.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;

use crate::domain::affiliation::{CitationFields, CitationTarget};
use crate::domain::validate::Valid;
use crate::domain::{
    ChargeId, CitationId, DetentionId, PartialDate, PersonId, SentenceId, SourceId, Visibility,
};

/// A citation with its source resolved. `archived_at` is also set when its
/// source or its record is archived (view `citation_reach`).
#[derive(Debug, Clone)]
pub struct CitationRow {
    pub id: CitationId,
    pub person_id: PersonId,
    pub detention_id: Option<DetentionId>,
    pub charge_id: Option<ChargeId>,
    pub sentence_id: Option<SentenceId>,
    pub source_id: SourceId,
    pub source_title: String,
    pub source_publisher: Option<String>,
    pub source_published: Option<PartialDate>,
    pub source_url: Option<String>,
    /// The strictest of the citation's, its source's and its record's
    /// visibility.
    pub reach: Visibility,
    pub note: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: CitationId,
    for_update: bool,
) -> sqlx::Result<Option<CitationRow>> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM citations WHERE id = $1 FOR UPDATE",
            id as CitationId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        CitationRow,
        r#"SELECT c.id AS "id: CitationId", c.person_id AS "person_id: PersonId",
                  c.detention_id AS "detention_id: DetentionId", c.charge_id AS "charge_id: ChargeId",
                  c.sentence_id AS "sentence_id: SentenceId", c.source_id AS "source_id: SourceId",
                  s.title AS source_title, s.publisher AS source_publisher,
                  s.published AS "source_published: PartialDate", s.url AS source_url,
                  r.reach AS "reach!: Visibility", c.note,
                  c.visibility AS "visibility: Visibility", c.version, c.created_at, c.updated_at,
                  r.archived_at
             FROM citations c JOIN sources s ON s.id = c.source_id
             JOIN citation_reach r ON r.id = c.id
            WHERE c.id = $1"#,
        id as CitationId
    )
    .fetch_optional(conn)
    .await
}

/// Citations of a person and their records that the caller may see.
pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<CitationRow>> {
    sqlx::query_as!(
        CitationRow,
        r#"SELECT c.id AS "id: CitationId", c.person_id AS "person_id: PersonId",
                  c.detention_id AS "detention_id: DetentionId", c.charge_id AS "charge_id: ChargeId",
                  c.sentence_id AS "sentence_id: SentenceId", c.source_id AS "source_id: SourceId",
                  s.title AS source_title, s.publisher AS source_publisher,
                  s.published AS "source_published: PartialDate", s.url AS source_url,
                  r.reach AS "reach!: Visibility", c.note,
                  c.visibility AS "visibility: Visibility", c.version, c.created_at, c.updated_at,
                  r.archived_at
             FROM citations c JOIN sources s ON s.id = c.source_id
             JOIN citation_reach r ON r.id = c.id
            WHERE c.person_id = $1 AND r.archived_at IS NULL AND r.reach <= $2
            ORDER BY c.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: CitationId,
    person_id: PersonId,
    f: &Valid<CitationFields>,
) -> sqlx::Result<()> {
    let (detention, charge, sentence) = match f.target {
        CitationTarget::Person => (None, None, None),
        CitationTarget::Detention(d) => (Some(d), None, None),
        CitationTarget::Charge(c) => (None, Some(c), None),
        CitationTarget::Sentence(s) => (None, None, Some(s)),
    };
    sqlx::query!(
        r#"INSERT INTO citations (id, source_id, person_id, detention_id, charge_id, sentence_id, note, visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        id as CitationId,
        f.source_id as SourceId,
        person_id as PersonId,
        detention as Option<DetentionId>,
        charge as Option<ChargeId>,
        sentence as Option<SentenceId>,
        f.note,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Changes what is said; what is cited stays.
pub async fn update(
    conn: &mut PgConnection,
    id: CitationId,
    f: &Valid<CitationFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"UPDATE citations SET source_id = $2, note = $3, visibility = $4,
                  version = version + 1, updated_at = now()
            WHERE id = $1"#,
        id as CitationId,
        f.source_id as SourceId,
        f.note,
        f.visibility as Visibility,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: CitationId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE citations SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as CitationId
    )
    .execute(conn)
    .await?;
    Ok(())
}
