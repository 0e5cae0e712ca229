//! `/account`: the signed-in staff member's own account, and ending their
//! other sessions.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::form::{Form, FormData};
use super::session::{AuthSession, LOGGED_IN_AT, Staff, StaffUser, session_error};
use super::throttle::{Admission, Throttle};
use super::{Ui, render};
use crate::db;
use crate::db::security::Event;
use crate::domain::SecurityEvent;
use crate::domain::validate::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::accounts::password_problem;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/account", get(show_account))
        .listed("/account/other-sessions", post(end_other_sessions))
        .listed("/account/password", post(change_password))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ui: Ui,
    user: StaffUser,
    /// `sessions-ended` or `password-changed`: what just happened.
    done: Option<&'static str>,
    errors: FieldErrors,
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
    done: Option<String>,
}

fn account_page(
    state: &AppState,
    staff: &Staff,
    done: Option<&'static str>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let invalid = !errors.is_empty();
    let mut response = render(&AccountPage {
        ui: Ui::new(staff, "account"),
        user: staff.user.clone(),
        done,
        errors,
        idle_minutes: state.session_limits.idle.whole_minutes(),
        hours: state.session_limits.absolute.whole_hours(),
    })?;
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /account`.
async fn show_account(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(params): axum::extract::Query<Params>,
) -> AppResult<Response> {
    let done = match params.done.as_deref() {
        Some("sessions") => Some("account-sessions-ended"),
        Some("password") => Some("account-password-changed"),
        _ => None,
    };
    account_page(&state, &staff, done, FieldErrors::new())
}

/// Logs this session in again as the account is now (a new digest), its
/// login time kept: the other sessions end, this one goes on.
pub(super) async fn keep_this_session(
    state: &AppState,
    auth: &mut AuthSession,
    staff: &Staff,
) -> AppResult<()> {
    let fresh = db::accounts::staff_by_id(&state.pool, staff.user.id)
        .await?
        .map(StaffUser::from)
        .ok_or(AppError::Unauthorized("Log in to continue."))?;
    let logged_in_at: Option<i64> = auth
        .session
        .get(LOGGED_IN_AT)
        .await
        .map_err(session_error)?;
    // A new id too: a copy of this session's cookie must end with the rest.
    auth.session.cycle_id().await.map_err(session_error)?;
    auth.login(&fresh)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("login: {e}")))?;
    if let Some(at) = logged_in_at {
        auth.session
            .insert(LOGGED_IN_AT, at)
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// `POST /account/other-sessions`: every session of the account ends but
/// this one, on its next request.
async fn end_other_sessions(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    mut auth: AuthSession,
    staff: Staff,
    _form: Form,
) -> AppResult<Response> {
    db::accounts::end_sessions(&state.pool, staff.user.id).await?;
    keep_this_session(&state, &mut auth, &staff).await?;
    tracing::info!(account = %staff.user.id, "other sessions ended");
    let event = Event {
        account_id: Some(staff.user.id),
        address,
        ..Event::new(SecurityEvent::SessionsEnded)
    };
    db::security::record(&state.pool, event).await?;
    Ok(Redirect::to("/account?done=sessions").into_response())
}

/// `POST /account/password`: a new password, given the current one; the
/// account's other sessions end. Wrong current passwords count towards the
/// login throttle.
async fn change_password(
    State(state): State<AppState>,
    client: ClientAddress,
    mut auth: AuthSession,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    let address = client.or_unspecified();
    let event = |kind| Event {
        account_id: Some(staff.user.id),
        address: Some(address),
        ..Event::new(kind)
    };
    let new = form.raw("new_password").unwrap_or_default().to_owned();
    let mut errors = FieldErrors::new();
    let throttle = match confirm_password(&state, &staff, address, &form, "password change").await?
    {
        Ok(throttle) => Some(throttle),
        Err(refusal @ Refusal::Wait) => {
            let errors = FieldErrors::single("current_password", refusal.message());
            let mut response = account_page(&state, &staff, None, errors)?;
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            return Ok(response);
        }
        Err(refusal) => {
            errors.add("current_password", refusal.message());
            None
        }
    };
    let stored = &staff.user;
    if let Some(problem) = password_problem(&new, &[&stored.email, &stored.name]) {
        errors.add("new_password", problem);
    }
    let Some(throttle) = throttle.filter(|_| errors.is_empty()) else {
        return account_page(&state, &staff, None, errors);
    };
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(new))
        .await
        .map_err(anyhow::Error::from)?;
    throttle.succeeded(&state).await?;
    db::accounts::set_password(&state.pool, staff.user.id, &hash).await?;
    keep_this_session(&state, &mut auth, &staff).await?;
    tracing::info!(account = %staff.user.id, "password changed");
    db::security::record(&state.pool, event(SecurityEvent::PasswordChanged)).await?;
    Ok(Redirect::to("/account?done=password").into_response())
}

/// Why the current password, typed to change the account, was refused.
#[derive(Debug, Clone, Copy)]
pub(super) enum Refusal {
    /// Not the current password.
    Wrong,
    /// Too many wrong ones lately: not even checked.
    Wait,
}

impl Refusal {
    /// The refusal beside the form's `current_password` field.
    pub(super) fn errors(self) -> FieldErrors {
        FieldErrors::single("current_password", self.message())
    }

    pub(super) fn message(self) -> &'static str {
        match self {
            Refusal::Wrong => "is not your current password",
            Refusal::Wait => "too many failed attempts; wait",
        }
    }
}

/// Checks the current password typed in `form`'s `current_password` to
/// change something (`during` says what, for the log). Wrong ones are logged and
/// throttled apart from logins; on success, the caller forgets the count
/// with the returned throttle once the change is made.
pub(super) async fn confirm_password(
    state: &AppState,
    staff: &Staff,
    address: std::net::IpAddr,
    form: &FormData,
    during: &str,
) -> AppResult<Result<Throttle, Refusal>> {
    let typed = form.raw("current_password").unwrap_or_default();
    let mut throttle = Throttle::password_change(staff.user.id, address);
    if let Admission::Wait { .. } = throttle.admit(state).await? {
        return Ok(Err(Refusal::Wait));
    }
    let stored = db::accounts::staff_by_id(&state.pool, staff.user.id)
        .await?
        .ok_or(AppError::Unauthorized("Log in to continue."))?;
    let hash = stored.password_hash;
    let typed = typed.to_owned();
    let verified =
        tokio::task::spawn_blocking(move || password_auth::verify_password(typed, &hash).is_ok())
            .await
            .map_err(anyhow::Error::from)?;
    if verified {
        return Ok(Ok(throttle));
    }
    let failed = Event {
        account_id: Some(staff.user.id),
        address: Some(address),
        detail: serde_json::json!({ "during": during }),
        ..Event::new(SecurityEvent::LoginFailed)
    };
    db::security::record(&state.pool, failed).await?;
    Ok(Err(Refusal::Wrong))
}
