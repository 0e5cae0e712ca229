//! All SQL of the registry. Functions take `impl PgExecutor<'_>` (or a
//! connection, when they run several statements) so that one function runs
//! on the pool or inside a transaction.

pub mod accounts;
pub mod affiliations;
pub mod articles;
pub mod cases;
pub mod charges;
pub mod citations;
pub mod demo;
pub mod detentions;
pub mod facilities;
pub mod history;
pub mod imports;
pub mod logins;
pub mod names;
pub mod organizations;
pub mod persons;
pub mod recognitions;
pub mod roles;
pub mod second_factor;
pub mod security;
pub mod sentences;
pub mod sources;
pub mod text_search;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!();

pub async fn connect(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
}

/// The server's pool: as [`connect`], and no statement runs longer than
/// 30 seconds, so that a costly request cannot hold connections for long.
/// No JIT compiling: it pays off for long analytical queries only, and on
/// the registry's statements costs more than it saves (2 of the 2.7 s the
/// facets took at 100,000 persons).
pub async fn connect_server(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    connect(options.options([("statement_timeout", "30s"), ("jit", "off")])).await
}

/// Whether the database answers.
/// A read-only transaction whose statements all see one snapshot, whatever
/// is written meanwhile.
pub async fn begin_snapshot(
    pool: &PgPool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

pub async fn ping(pool: &PgPool) -> sqlx::Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

/// A `LIKE` pattern matching `q` anywhere, with `q`'s own `%`, `_` and `\`
/// taken literally (backslash is `LIKE`'s default escape character).
pub fn contains_pattern(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The field and message a named constraint stands for, so a violation
/// becomes a 422 on that field instead of a 500.
pub fn constraint_field(constraint: &str) -> Option<(&'static str, &'static str)> {
    Some(match constraint {
        "accounts_email_key" => ("email", "is already used by another account"),
        "person_external_ids_system_id_key" => (
            "external_ids",
            "an id in this system already belongs to another person",
        ),
        "person_names_one_primary_key" => ("names", "exactly one name must be primary"),
        "detentions_ended_after_started" => ("ended", "must not be before `started`"),
        "detentions_end_reason_needs_end" => ("end_reason", "needs `ended`"),
        "detentions_facility_id_fkey" | "sentences_facility_id_fkey" => {
            ("facility_id", "no such facility")
        }
        "charges_article_id_fkey" => ("article_id", "no such article"),
        "charges_case_id_fkey" => ("case_id", "no such criminal case"),
        "charges_detention_fkey" => ("detention_id", "no such detention of this person"),
        "sentence_charges_charge_fkey" => ("charge_ids", "each must be a charge of this person"),
        "sentences_term_required" => ("term_months", "a sentence of this kind needs a term"),
        "sentences_fine_required" => ("fine_basic_units", "a fine needs an amount"),
        "sentences_term_not_negative" => ("term_months", "must not be negative"),
        "sentences_term_bounded" => (
            "term_months",
            "must be at most 1200 months (and days at most 36500)",
        ),
        "sentences_currency_with_amount" => {
            ("currency", "is required with `fine_amount`, and only then")
        }
        "recognitions_organization_id_fkey" | "affiliations_organization_id_fkey" => {
            ("organization_id", "no such organisation")
        }
        "recognitions_source_id_fkey" | "citations_source_id_fkey" => {
            ("source_id", "no such source")
        }
        "recognitions_until_after_since" | "affiliations_until_after_since" => {
            ("until", "must not be before `since`")
        }
        "citations_detention_fkey" => ("detention_id", "no such detention of this person"),
        "citations_charge_fkey" => ("charge_id", "no such charge of this person"),
        "citations_sentence_fkey" => ("sentence_id", "no such sentence of this person"),
        "persons_status_override_reason_required" => ("status_override.reason", "is required"),
        "persons_status_override_until_after_since" => {
            ("status_override.until", "must be after `since`")
        }
        _ => return None,
    })
}

/// Brings an archived record of a case back (`kind` as history names it).
pub async fn unarchive(conn: &mut sqlx::PgConnection, kind: &str, id: Uuid) -> sqlx::Result<()> {
    let query = match kind {
        "detention" => sqlx::query!(
            "UPDATE detentions SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        "charge" => sqlx::query!(
            "UPDATE charges SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        "sentence" => sqlx::query!(
            "UPDATE sentences SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        "recognition" => sqlx::query!(
            "UPDATE recognitions SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        "affiliation" => sqlx::query!(
            "UPDATE affiliations SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        "citation" => sqlx::query!(
            "UPDATE citations SET archived_at = NULL, version = version + 1, updated_at = now() WHERE id = $1",
            id
        ),
        _ => return Err(sqlx::Error::Protocol(format!("{kind} cannot be restored"))),
    };
    query.execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_in_a_search_are_taken_literally() {
        assert_eq!(contains_pattern("Minsk"), "%Minsk%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
