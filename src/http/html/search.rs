//! `/search`: full-text search over internal notes and source titles.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::session::Staff;
use super::{Ui, render};
use crate::domain::text_search::TextQuery;
use crate::domain::validate::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::http::routes::Listed;
use crate::records::text_search::{self, TextHit};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().listed("/search", get(search_page))
}

/// Hits per page.
const PAGE_SIZE: i64 = 25;

#[derive(Debug, Default, Deserialize)]
struct SearchParams {
    q: Option<String>,
    page: Option<String>,
}

impl SearchParams {
    fn q(&self) -> &str {
        self.q.as_deref().unwrap_or("")
    }

    /// The address of another page of the same search.
    fn with_page(&self, page: i64) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", self.q())
            .append_pair("page", &page.to_string())
            .finish();
        format!("/search?{query}")
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    ui: Ui,
    params: SearchParams,
    errors: FieldErrors,
    searched: bool,
    hits: Vec<TextHit>,
    total: i64,
    page: i64,
    more: bool,
}

async fn search_page(
    State(state): State<AppState>,
    staff: Staff,
    Query(params): Query<SearchParams>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let typed = params.q().trim();
    let query = (!typed.is_empty())
        .then(|| TextQuery::parse(typed).map_err(|m| errors.add("q", m)).ok())
        .flatten();
    let page = match params.page.as_deref().map(str::parse::<i64>) {
        None => 1,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => {
            errors.add("page", "no such page");
            1
        }
    };
    let (hits, total) = match (&query, errors.is_empty()) {
        (Some(query), true) => {
            let offset = (page - 1) * PAGE_SIZE;
            match text_search::search(&state, &staff.caller, query, PAGE_SIZE, offset).await {
                Ok(found) => (found.items, found.total),
                // What the search itself finds wrong is shown on the form.
                Err(AppError::Invalid(found)) => {
                    errors = found;
                    (Vec::new(), 0)
                }
                Err(e) => return Err(e),
            }
        }
        _ => (Vec::new(), 0),
    };
    render(&SearchPage {
        ui: Ui::new(&staff, "search"),
        searched: query.is_some() && errors.is_empty(),
        more: page * PAGE_SIZE < total,
        params,
        errors,
        hits,
        total,
        page,
    })
}
