//! `/account/second-factor`: setting up a second factor (an authenticator
//! app, from a QR code drawn by the server), new recovery codes, and
//! turning it off where the account need not have one. Each asks for the
//! current password. An account that must have a second factor is sent
//! here from every other page until it has one.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use super::account::{Refusal, confirm_password, keep_this_session};
use super::form::Form;
use super::session::{AuthSession, Enrolling, Staff, session_error};
use super::{Ui, render};
use crate::db;
use crate::domain::validate::FieldErrors;
use crate::domain::{AccountId, SecurityEvent};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::second_factor::{self, Enabled, Setup};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed(super::SECOND_FACTOR_SETUP, get(show).post(enable))
        .listed("/account/second-factor/recovery-codes", post(renew_codes))
        .listed("/account/second-factor/remove", post(remove))
}

/// The key in the session of the secret being set up, sealed.
const SETUP_SECRET: &str = "second_factor_setup";

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    ui: Ui,
    /// For password managers: whose password is asked for.
    email: String,
    required: bool,
    view: View,
    errors: FieldErrors,
    /// What just happened, as a message key.
    done: Option<&'static str>,
}

enum View {
    /// No second factor yet: how to add one to an app.
    Setup(Setup),
    /// New recovery codes, shown this once.
    Codes(Vec<String>),
    /// On since then, with this many unused recovery codes.
    On {
        since: OffsetDateTime,
        codes_left: i64,
    },
}

impl SecondFactorPage {
    fn codes_left(&self, left: &i64) -> String {
        self.ui.i18n.count("second-factor-codes-left", *left)
    }
}

#[derive(serde::Deserialize)]
struct Params {
    done: Option<String>,
}

/// A secret being set up, sealed, with the account it is for.
#[derive(serde::Serialize, serde::Deserialize)]
struct SetupSecret {
    account: AccountId,
    sealed: String,
}

/// The secret being set up in this session for this account, made on first
/// use: the QR code stays the same across reloads and failed attempts.
async fn setup_secret(state: &AppState, auth: &AuthSession, staff: &Staff) -> AppResult<String> {
    let kept: Option<SetupSecret> = auth
        .session
        .get(SETUP_SECRET)
        .await
        .map_err(session_error)?;
    if let Some(secret) = kept
        .filter(|k| k.account == staff.user.id)
        .and_then(|k| STANDARD.decode(k.sealed).ok())
        .and_then(|s| state.cipher.open(&s).ok())
    {
        return Ok(secret);
    }
    let secret = second_factor::new_secret();
    let kept = SetupSecret {
        account: staff.user.id,
        sealed: STANDARD.encode(state.cipher.seal(&secret)?),
    };
    auth.session
        .insert(SETUP_SECRET, kept)
        .await
        .map_err(session_error)?;
    Ok(secret)
}

/// Forgets a secret being set up (at login and logout).
pub(super) async fn forget_setup(session: &tower_sessions::Session) -> AppResult<()> {
    session
        .remove::<SetupSecret>(SETUP_SECRET)
        .await
        .map_err(session_error)?;
    Ok(())
}

async fn page(
    state: &AppState,
    auth: &AuthSession,
    staff: &Staff,
    errors: FieldErrors,
    done: Option<&'static str>,
) -> AppResult<Response> {
    let view = match db::second_factor::enrolled(&state.pool, staff.user.id).await? {
        Some(enrolled) => View::On {
            since: enrolled.enabled_at,
            codes_left: db::second_factor::recovery_codes_left(&state.pool, staff.user.id).await?,
        },
        None => {
            let secret = setup_secret(state, auth, staff).await?;
            View::Setup(second_factor::setup(&secret, &staff.user.email)?)
        }
    };
    let invalid = !errors.is_empty();
    let mut response = render(&SecondFactorPage {
        ui: Ui::new(staff, "account"),
        email: staff.user.email.clone(),
        required: staff.user.second_factor_required,
        view,
        errors,
        done,
    })?;
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The page showing new recovery codes, once.
fn codes_page(staff: &Staff, codes: Vec<String>, done: &'static str) -> AppResult<Response> {
    render(&SecondFactorPage {
        ui: Ui::new(staff, "account"),
        email: staff.user.email.clone(),
        required: staff.user.second_factor_required,
        view: View::Codes(codes),
        errors: FieldErrors::new(),
        done: Some(done),
    })
}

/// `GET /account/second-factor`.
async fn show(
    State(state): State<AppState>,
    auth: AuthSession,
    Enrolling(staff): Enrolling,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    let done = match params.done.as_deref() {
        Some("off") => Some("second-factor-turned-off"),
        _ => None,
    };
    page(&state, &auth, &staff, FieldErrors::new(), done).await
}

/// The current password typed in `form`, checked; a refusal as the page
/// to answer with.
async fn confirmed(
    state: &AppState,
    auth: &AuthSession,
    staff: &Staff,
    client: &ClientAddress,
    form: &super::form::FormData,
    during: &str,
) -> AppResult<Result<super::throttle::Throttle, Response>> {
    match confirm_password(state, staff, client.or_unspecified(), form, during).await? {
        Ok(throttle) => Ok(Ok(throttle)),
        Err(refusal) => {
            let mut response = page(state, auth, staff, refusal.errors(), None).await?;
            if let Refusal::Wait = refusal {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            }
            Ok(Err(response))
        }
    }
}

/// `POST /account/second-factor`: turns the second factor on once a code shows
/// the app has the secret; the account's other sessions end, and the
/// recovery codes are shown once.
async fn enable(
    State(state): State<AppState>,
    client: ClientAddress,
    mut auth: AuthSession,
    Enrolling(staff): Enrolling,
    Form(form): Form,
) -> AppResult<Response> {
    if db::second_factor::enrolled(&state.pool, staff.user.id)
        .await?
        .is_some()
    {
        return Ok(Redirect::to(super::SECOND_FACTOR_SETUP).into_response());
    }
    let throttle = match confirmed(&state, &auth, &staff, &client, &form, "second factor").await? {
        Ok(throttle) => throttle,
        Err(response) => return Ok(response),
    };
    let secret = setup_secret(&state, &auth, &staff).await?;
    let code = form.raw("code").unwrap_or_default();
    let by = staff.by(client.0);
    let enabled = second_factor::enable(
        &state.pool,
        &state.cipher,
        staff.user.id,
        &staff.user.email,
        &secret,
        code,
        by,
    )
    .await?;
    let codes = match enabled {
        Enabled::Codes(codes) => codes,
        Enabled::AlreadyOn => {
            return Ok(Redirect::to(super::SECOND_FACTOR_SETUP).into_response());
        }
        Enabled::WrongCode => {
            let errors = FieldErrors::single("code", "is not the code the app shows now");
            return page(&state, &auth, &staff, errors, None).await;
        }
    };
    throttle.succeeded(&state).await?;
    forget_setup(&auth.session).await?;
    keep_this_session(&state, &mut auth, &staff).await?;
    tracing::info!(account = %staff.user.id, "second factor turned on");
    codes_page(&staff, codes, "second-factor-turned-on")
}

/// `POST /account/second-factor/recovery-codes`: new recovery codes in place
/// of the old ones, shown once.
async fn renew_codes(
    State(state): State<AppState>,
    client: ClientAddress,
    auth: AuthSession,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    if !staff.user.second_factor {
        return Ok(Redirect::to(super::SECOND_FACTOR_SETUP).into_response());
    }
    let throttle = match confirmed(&state, &auth, &staff, &client, &form, "recovery codes").await? {
        Ok(throttle) => throttle,
        Err(response) => return Ok(response),
    };
    let codes =
        second_factor::renew_recovery_codes(&state.pool, staff.user.id, staff.by(client.0)).await?;
    throttle.succeeded(&state).await?;
    tracing::info!(account = %staff.user.id, "recovery codes renewed");
    codes_page(&staff, codes, "second-factor-codes-renewed")
}

/// `POST /account/second-factor/remove`: for an account that need not have
/// second factor; its other sessions end.
async fn remove(
    State(state): State<AppState>,
    client: ClientAddress,
    mut auth: AuthSession,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    if staff.user.second_factor_required {
        return Err(AppError::Forbidden(
            "This account must have a second factor.",
        ));
    }
    let throttle = match confirmed(&state, &auth, &staff, &client, &form, "second factor").await? {
        Ok(throttle) => throttle,
        Err(response) => return Ok(response),
    };
    second_factor::remove(
        &state.pool,
        staff.user.id,
        SecurityEvent::SecondFactorDisabled,
        staff.by(client.0),
    )
    .await?;
    throttle.succeeded(&state).await?;
    keep_this_session(&state, &mut auth, &staff).await?;
    tracing::info!(account = %staff.user.id, "second factor turned off");
    Ok(Redirect::to("/account/second-factor?done=off").into_response())
}
