//! Sentences of a person and the charges each covers.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::domain::charge::SentenceFields;
use crate::domain::validate::Valid;
use crate::domain::{
    FacilityId, PartialDate, PersonId, Regime, SentenceId, SentenceKind, Visibility,
};

#[derive(Debug, Clone)]
pub struct SentenceRow {
    pub id: SentenceId,
    pub person_id: PersonId,
    pub kind: SentenceKind,
    pub pronounced: Option<PartialDate>,
    pub court: Option<String>,
    pub judge: Option<String>,
    pub term_months: Option<i32>,
    pub term_days: Option<i32>,
    pub regime: Option<Regime>,
    pub fine_basic_units: Option<i32>,
    pub fine_amount: Option<String>,
    pub currency: Option<String>,
    pub charge_ids: Vec<Uuid>,
    /// The visibility of each of `charge_ids`, in the same order; `None`
    /// for an archived charge.
    pub charge_visibilities: Vec<Option<Visibility>>,
    pub facility_id: Option<FacilityId>,
    pub facility_name: Option<String>,
    pub facility_city: Option<String>,
    pub facility_postal_address: Option<String>,
    pub in_absentia: bool,
    pub appeal_outcome: Option<String>,
    pub released_on: Option<PartialDate>,
    pub notes: Option<String>,
    pub visibility: Visibility,
    pub version: i32,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub archived_at: Option<OffsetDateTime>,
}

pub async fn get(
    conn: &mut PgConnection,
    id: SentenceId,
    for_update: bool,
) -> sqlx::Result<Option<SentenceRow>> {
    if for_update {
        sqlx::query!(
            "SELECT 1 AS x FROM sentences WHERE id = $1 FOR UPDATE",
            id as SentenceId
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    sqlx::query_as!(
        SentenceRow,
        r#"SELECT s.id AS "id: SentenceId", s.person_id AS "person_id: PersonId",
                  s.kind AS "kind: SentenceKind", s.pronounced AS "pronounced: PartialDate",
                  s.court, s.judge, s.term_months, s.term_days, s.regime AS "regime: Regime",
                  s.fine_basic_units, s.fine_amount::text AS fine_amount, s.currency,
                  ARRAY(SELECT sc.charge_id FROM sentence_charges sc
                         WHERE sc.sentence_id = s.id ORDER BY sc.charge_id) AS "charge_ids!",
                  ARRAY(SELECT CASE WHEN c.archived_at IS NULL THEN c.visibility END
                          FROM sentence_charges sc JOIN charges c ON c.id = sc.charge_id
                         WHERE sc.sentence_id = s.id ORDER BY sc.charge_id)
                      AS "charge_visibilities!: Vec<Option<Visibility>>",
                  s.facility_id AS "facility_id: FacilityId", f.name AS "facility_name?",
                  f.city AS "facility_city?", f.postal_address AS "facility_postal_address?",
                  s.in_absentia, s.appeal_outcome, s.released_on AS "released_on: PartialDate",
                  s.notes, s.visibility AS "visibility: Visibility", s.version, s.created_at,
                  s.updated_at, s.archived_at
             FROM sentences s LEFT JOIN facilities f ON f.id = s.facility_id
            WHERE s.id = $1"#,
        id as SentenceId
    )
    .fetch_optional(conn)
    .await
}

/// A person's sentences the caller may see, in the order pronounced.
pub async fn for_person(
    ex: impl PgExecutor<'_>,
    person_id: PersonId,
    max_visibility: Visibility,
) -> sqlx::Result<Vec<SentenceRow>> {
    sqlx::query_as!(
        SentenceRow,
        r#"SELECT s.id AS "id: SentenceId", s.person_id AS "person_id: PersonId",
                  s.kind AS "kind: SentenceKind", s.pronounced AS "pronounced: PartialDate",
                  s.court, s.judge, s.term_months, s.term_days, s.regime AS "regime: Regime",
                  s.fine_basic_units, s.fine_amount::text AS fine_amount, s.currency,
                  ARRAY(SELECT sc.charge_id FROM sentence_charges sc
                          JOIN charges c ON c.id = sc.charge_id
                         WHERE sc.sentence_id = s.id AND c.archived_at IS NULL AND c.visibility <= $2
                         ORDER BY sc.charge_id) AS "charge_ids!",
                  ARRAY(SELECT c.visibility FROM sentence_charges sc JOIN charges c ON c.id = sc.charge_id
                         WHERE sc.sentence_id = s.id AND c.archived_at IS NULL AND c.visibility <= $2
                         ORDER BY sc.charge_id) AS "charge_visibilities!: Vec<Option<Visibility>>",
                  s.facility_id AS "facility_id: FacilityId", f.name AS "facility_name?",
                  f.city AS "facility_city?", f.postal_address AS "facility_postal_address?",
                  s.in_absentia, s.appeal_outcome, s.released_on AS "released_on: PartialDate",
                  s.notes, s.visibility AS "visibility: Visibility", s.version, s.created_at,
                  s.updated_at, s.archived_at
             FROM sentences s LEFT JOIN facilities f ON f.id = s.facility_id
            WHERE s.person_id = $1 AND s.archived_at IS NULL AND s.visibility <= $2
            ORDER BY (s.pronounced).earliest NULLS LAST, s.id"#,
        person_id as PersonId,
        max_visibility as Visibility
    )
    .fetch_all(ex)
    .await
}

pub async fn insert(
    conn: &mut PgConnection,
    id: SentenceId,
    person_id: PersonId,
    f: &Valid<SentenceFields>,
) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO sentences (id, person_id, kind, pronounced, court, judge, term_months,
                                 term_days, regime, fine_basic_units, fine_amount, currency,
                                 facility_id, in_absentia, appeal_outcome, released_on, notes,
                                 visibility)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::numeric, $12, $13, $14,
                   $15, $16, $17, $18)"#,
        id as SentenceId,
        person_id as PersonId,
        f.kind as SentenceKind,
        f.pronounced as Option<PartialDate>,
        f.court,
        f.judge,
        f.term_months,
        f.term_days,
        f.regime as Option<Regime>,
        f.fine_basic_units,
        f.fine_amount,
        f.currency,
        f.facility_id as Option<FacilityId>,
        f.in_absentia,
        f.appeal_outcome,
        f.released_on as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .execute(&mut *conn)
    .await?;
    replace_charges(conn, id, person_id, f).await
}

pub async fn update(
    conn: &mut PgConnection,
    id: SentenceId,
    f: &Valid<SentenceFields>,
) -> sqlx::Result<()> {
    let person_id = sqlx::query_scalar!(
        r#"UPDATE sentences
              SET kind = $2, pronounced = $3, court = $4, judge = $5, term_months = $6,
                  term_days = $7, regime = $8, fine_basic_units = $9,
                  fine_amount = $10::text::numeric, currency = $11, facility_id = $12,
                  in_absentia = $13, appeal_outcome = $14, released_on = $15, notes = $16,
                  visibility = $17, version = version + 1, updated_at = now()
            WHERE id = $1
        RETURNING person_id AS "person_id: PersonId""#,
        id as SentenceId,
        f.kind as SentenceKind,
        f.pronounced as Option<PartialDate>,
        f.court,
        f.judge,
        f.term_months,
        f.term_days,
        f.regime as Option<Regime>,
        f.fine_basic_units,
        f.fine_amount,
        f.currency,
        f.facility_id as Option<FacilityId>,
        f.in_absentia,
        f.appeal_outcome,
        f.released_on as Option<PartialDate>,
        f.notes,
        f.visibility as Visibility,
    )
    .fetch_one(&mut *conn)
    .await?;
    replace_charges(conn, id, person_id, f).await
}

async fn replace_charges(
    conn: &mut PgConnection,
    id: SentenceId,
    person_id: PersonId,
    f: &SentenceFields,
) -> sqlx::Result<()> {
    sqlx::query!(
        "DELETE FROM sentence_charges WHERE sentence_id = $1",
        id as SentenceId
    )
    .execute(&mut *conn)
    .await?;
    let charge_ids: Vec<Uuid> = f.charge_ids.iter().map(|c| c.0).collect();
    sqlx::query!(
        r#"INSERT INTO sentence_charges (sentence_id, charge_id, person_id)
           SELECT $1, charge, $2 FROM UNNEST($3::uuid[]) AS charge"#,
        id as SentenceId,
        person_id as PersonId,
        &charge_ids,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archive(conn: &mut PgConnection, id: SentenceId) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE sentences SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = $1",
        id as SentenceId
    )
    .execute(conn)
    .await?;
    Ok(())
}
