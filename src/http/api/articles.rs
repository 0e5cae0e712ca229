//! `/articles`: the legal-article catalogue, read-only.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{Path, Query};
use super::{Cursor, Page, cursor, page_size};
use crate::db;
use crate::db::articles::{ArticleFilter, ArticlePartRow, ArticlePeriodRow, ArticleRow};
use crate::domain::access::Caller;
use crate::domain::{ArticleId, LegalCode};
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_articles))
        .routes(routes!(get_article))
}

/// An article of a code edition, with its parts and when it was in force.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ArticleOut {
    pub id: ArticleId,
    pub code: LegalCode,
    /// As the code writes it: `342`, `193.1`, `361-1`, `23.34`.
    pub number: String,
    pub title_en: String,
    pub title_be: Option<String>,
    pub title_ru: Option<String>,
    /// Shared by the articles that are the same offence across code
    /// editions: `mass_event_rules` for 23.34 (2003) and 24.23 (2021).
    pub offence: Option<String>,
    pub parts: Vec<ArticlePartOut>,
    /// Periods in force, earliest first; empty when unknown.
    pub in_force: Vec<InForceOut>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ArticlePartOut {
    pub part: String,
    pub title_en: String,
}

/// A period in force; an open end is unknown or still ongoing (see `note`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct InForceOut {
    #[serde(with = "crate::domain::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    #[serde(with = "crate::domain::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<Date>,
    pub note: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ArticleQuery {
    /// Exactly as the code writes it: `342`, `193.1`, `361-1`, `23.34`.
    pub number: Option<String>,
    pub code: Option<LegalCode>,
    /// Part of the number or of a title in any language, any case.
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = Cursor::after_schema)]
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Builds the responses, with the parts and periods of all the articles
/// loaded in one query each.
async fn with_details(state: &AppState, rows: Vec<ArticleRow>) -> AppResult<Vec<ArticleOut>> {
    let ids: Vec<ArticleId> = rows.iter().map(|r| r.id).collect();
    let mut parts: HashMap<ArticleId, Vec<ArticlePartOut>> = HashMap::new();
    for ArticlePartRow {
        article_id,
        part,
        title_en,
    } in db::articles::parts(&state.pool, &ids).await?
    {
        parts
            .entry(article_id)
            .or_default()
            .push(ArticlePartOut { part, title_en });
    }
    let mut periods: HashMap<ArticleId, Vec<InForceOut>> = HashMap::new();
    for ArticlePeriodRow {
        article_id,
        in_force_from,
        in_force_until,
        note,
    } in db::articles::periods(&state.pool, &ids).await?
    {
        periods.entry(article_id).or_default().push(InForceOut {
            from: in_force_from,
            until: in_force_until,
            note,
        });
    }
    let out = rows.into_iter().map(|row| {
        let ArticleRow {
            id,
            code,
            number,
            title_en,
            title_be,
            title_ru,
            offence,
        } = row;
        ArticleOut {
            id,
            code,
            number,
            title_en,
            title_be,
            title_ru,
            offence,
            parts: parts.remove(&id).unwrap_or_default(),
            in_force: periods.remove(&id).unwrap_or_default(),
        }
    });
    Ok(out.collect())
}

/// Search the catalogue; seek pagination.
#[utoipa::path(get, path = "/articles", tag = "articles", params(ArticleQuery),
    responses((status = 200, body = Page<ArticleOut>), (status = 422, body = Problem)))]
async fn list_articles(
    State(state): State<AppState>,
    // The catalogue is public, but like everything here it needs a token.
    _caller: Caller,
    Query(q): Query<ArticleQuery>,
) -> AppResult<Json<Page<ArticleOut>>> {
    let limit = page_size(q.limit)?;
    let trimmed = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = ArticleFilter {
        number: trimmed(q.number),
        code: q.code,
        q: trimmed(q.q),
        after: cursor(q.cursor.as_deref())?.map(ArticleId),
        limit: limit + 1,
    };
    let rows = db::articles::list(&state.pool, &filter).await?;
    let page = Page::from_rows(rows, limit, |r| r.id.0, |r| r);
    Ok(Json(Page {
        items: with_details(&state, page.items).await?,
        next_cursor: page.next_cursor,
    }))
}

/// Read one article.
#[utoipa::path(get, path = "/articles/{id}", tag = "articles", params(("id" = ArticleId, Path)),
    responses((status = 200, body = ArticleOut), (status = 404, body = Problem)))]
async fn get_article(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<ArticleId>,
) -> AppResult<Json<ArticleOut>> {
    let row = db::articles::get(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut out = with_details(&state, vec![row]).await?;
    out.pop().map(Json).ok_or(AppError::NotFound)
}
