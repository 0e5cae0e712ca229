//! `/`: how many people are held now, the latest changes, shortcuts.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::session::Staff;
use super::{Ui, render};
use crate::db;
use crate::db::history::RecentChange;
use crate::domain::PersonStatus;
use crate::error::AppResult;
use crate::http::routes::Listed;
use crate::records::persons::today;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().listed("/", get(dashboard))
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    held: i64,
    held_recognized: i64,
    total: i64,
    by_status: Vec<(PersonStatus, i64)>,
    changes: Vec<RecentChange>,
    today: String,
}

async fn dashboard(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let max = staff.caller.max_visibility();
    let day = today();
    let counts = db::persons::status_counts(&state.pool, max, day).await?;
    let held_rows = counts
        .iter()
        .filter(|(s, _, _)| PersonStatus::HELD.contains(s));
    let page = DashboardPage {
        held: held_rows.clone().map(|(_, n, _)| n).sum(),
        held_recognized: held_rows.map(|(_, _, r)| r).sum(),
        total: counts.iter().map(|(_, n, _)| n).sum(),
        by_status: PersonStatus::ALL
            .iter()
            .filter_map(|s| {
                counts
                    .iter()
                    .find(|(c, _, _)| c == s)
                    .map(|(_, n, _)| (*s, *n))
            })
            .collect(),
        changes: db::history::recent(&state.pool, max, 15).await?,
        today: staff.i18n.day(day),
        ui: Ui::new(&staff, "dashboard"),
    };
    render(&page)
}
