//! `/account`: the signed-in staff member's own account, and ending their
//! other sessions.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::form::Form;
use super::session::{AuthSession, LOGGED_IN_AT, Staff, StaffUser, session_error};
use super::{Ui, render};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show_account))
        .route("/account/other-sessions", post(end_other_sessions))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ui: Ui,
    user: StaffUser,
    ended: bool,
    /// The session limits, as the page explains them.
    idle_minutes: i64,
    hours: i64,
}

impl AccountPage {
    fn sessions_hint(&self) -> String {
        self.ui.i18n.t2(
            "account-sessions-hint",
            "idle",
            &self.idle_minutes.to_string(),
            "hours",
            &self.hours.to_string(),
        )
    }
}

#[derive(serde::Deserialize)]
struct Params {
    ended: Option<String>,
}

/// `GET /account`.
async fn show_account(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(params): axum::extract::Query<Params>,
) -> AppResult<Response> {
    render(&AccountPage {
        ui: Ui::new(&staff, "account"),
        user: staff.user.clone(),
        ended: params.ended.is_some(),
        idle_minutes: state.session_limits.idle.whole_minutes(),
        hours: state.session_limits.absolute.whole_hours(),
    })
}

/// `POST /account/other-sessions`: every session of the account ends but
/// this one, on its next request.
async fn end_other_sessions(
    State(state): State<AppState>,
    mut auth: AuthSession,
    staff: Staff,
    _form: Form,
) -> AppResult<Response> {
    db::accounts::end_sessions(&state.pool, staff.user.id).await?;
    let fresh = db::accounts::staff_by_id(&state.pool, staff.user.id)
        .await?
        .map(StaffUser::from)
        .ok_or(AppError::Unauthorized("Log in to continue."))?;
    // This session takes the new count; its login time stays as it was.
    let logged_in_at: Option<i64> = auth
        .session
        .get(LOGGED_IN_AT)
        .await
        .map_err(session_error)?;
    auth.login(&fresh)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("login: {e}")))?;
    if let Some(at) = logged_in_at {
        auth.session
            .insert(LOGGED_IN_AT, at)
            .await
            .map_err(session_error)?;
    }
    tracing::info!(account = %staff.user.id, "other sessions ended");
    Ok(Redirect::to("/account?ended=1").into_response())
}
