//! The legal-article catalogue: read-only, filled by migrations.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use super::contains_pattern;
use crate::domain::{ArticleId, LegalCode};

/// An `articles` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub code: LegalCode,
    pub number: String,
    pub title_en: String,
    pub title_be: Option<String>,
    pub title_ru: Option<String>,
    pub offence: Option<String>,
}

/// One numbered part of an article.
#[derive(Debug, Clone)]
pub struct ArticlePartRow {
    pub article_id: ArticleId,
    pub part: String,
    pub title_en: String,
}

/// One period an article was in force; an open end is unknown or ongoing.
#[derive(Debug, Clone)]
pub struct ArticlePeriodRow {
    pub article_id: ArticleId,
    pub in_force_from: Option<Date>,
    pub in_force_until: Option<Date>,
    pub note: Option<String>,
}

/// Filters of the article list; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Exact, as the code writes it: `342`, `193.1`, `23.34`.
    pub number: Option<String>,
    pub code: Option<LegalCode>,
    /// Part of the number or of a title in any language, any case.
    pub q: Option<String>,
    pub after: Option<ArticleId>,
    pub limit: i64,
}

pub async fn get(ex: impl PgExecutor<'_>, id: ArticleId) -> sqlx::Result<Option<ArticleRow>> {
    sqlx::query_as!(
        ArticleRow,
        r#"SELECT id AS "id: ArticleId", code AS "code: LegalCode", number, title_en, title_be,
                  title_ru, offence
             FROM articles WHERE id = $1"#,
        id as ArticleId
    )
    .fetch_optional(ex)
    .await
}

/// One page of articles in id order.
pub async fn list(ex: impl PgExecutor<'_>, f: &ArticleFilter) -> sqlx::Result<Vec<ArticleRow>> {
    let mut b: QueryBuilder<Postgres> = QueryBuilder::new(
        "SELECT id, code, number, title_en, title_be, title_ru, offence FROM articles WHERE id > ",
    );
    // The nil id sorts before every other: the first page needs no cursor.
    b.push_bind(f.after.unwrap_or(ArticleId(Uuid::nil())));
    if let Some(number) = &f.number {
        b.push(" AND number = ").push_bind(number.clone());
    }
    if let Some(code) = f.code {
        b.push(" AND code = ").push_bind(code);
    }
    if let Some(q) = &f.q {
        let pattern = contains_pattern(q);
        b.push(" AND (");
        let mut columns = b.separated(" OR ");
        for column in ["number", "title_en", "title_be", "title_ru"] {
            columns
                .push(column)
                .push_unseparated(" ILIKE ")
                .push_bind_unseparated(pattern.clone());
        }
        b.push(")");
    }
    b.push(" ORDER BY id LIMIT ").push_bind(f.limit);
    b.build_query_as().fetch_all(ex).await
}

/// The parts of these articles, in order.
pub async fn parts(
    ex: impl PgExecutor<'_>,
    ids: &[ArticleId],
) -> sqlx::Result<Vec<ArticlePartRow>> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    // Parts are numbers written as text: shorter ones first puts 2 before 10.
    sqlx::query_as!(
        ArticlePartRow,
        r#"SELECT article_id AS "article_id: ArticleId", part, title_en
             FROM article_parts WHERE article_id = ANY($1)
            ORDER BY article_id, length(part), part"#,
        &ids
    )
    .fetch_all(ex)
    .await
}

/// The periods in force of these articles, earliest first.
pub async fn periods(
    ex: impl PgExecutor<'_>,
    ids: &[ArticleId],
) -> sqlx::Result<Vec<ArticlePeriodRow>> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    sqlx::query_as!(
        ArticlePeriodRow,
        r#"SELECT article_id AS "article_id: ArticleId", in_force_from, in_force_until, note
             FROM article_periods WHERE article_id = ANY($1)
            ORDER BY article_id, in_force_from NULLS FIRST"#,
        &ids
    )
    .fetch_all(ex)
    .await
}

/// The article of a code by its number: how registries that do not share
/// ids name it.
pub async fn by_number(
    ex: impl PgExecutor<'_>,
    code: LegalCode,
    number: &str,
) -> sqlx::Result<Option<ArticleId>> {
    sqlx::query_scalar!(
        r#"SELECT id AS "id: ArticleId" FROM articles WHERE code = $1 AND number = $2"#,
        code as LegalCode,
        number
    )
    .fetch_optional(ex)
    .await
}
