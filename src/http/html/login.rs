//! `/login`, `/logout` and the language switch.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_login::AuthUser;
use serde::{Deserialize, Serialize};

use super::form::Form;
use super::i18n::I18n;
use super::session::{
    AuthSession, CSRF_KEY, Credentials, Enrolling, StaffUser, csrf_token, mark_login, session_error,
};
use super::throttle::{Admission, MAX_EMAIL, Throttle};
use super::{Ui, render, visitor_language};
use crate::db;
use crate::db::security::Event;
use crate::domain::{AccountId, Language, SecurityEvent};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::second_factor::{self, Passed};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/login", get(login_page).post(log_in))
        .listed("/login/code", get(code_page).post(check_code))
        .listed("/logout", post(log_out))
        .listed("/language", post(set_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ui: Ui,
    email: String,
    next: String,
    failed: bool,
    /// Minutes to wait after too many failures.
    wait_minutes: Option<i64>,
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// Where to go after logging in: a path on this site only, never another
/// site (`//evil.example`) named in the link.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}

async fn login_page(
    auth: AuthSession,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> AppResult<Response> {
    let next = local_path(q.next.as_deref());
    if auth.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let page = LoginPage {
        ui: visitor_ui(&auth, &headers).await?,
        email: String::new(),
        next,
        failed: false,
        wait_minutes: None,
    };
    render(&page)
}

/// The layout for someone not signed in.
async fn visitor_ui(auth: &AuthSession, headers: &HeaderMap) -> AppResult<Ui> {
    Ok(Ui {
        i18n: I18n::new(visitor_language(headers)),
        user: None,
        csrf: csrf_token(&auth.session).await?,
        section: "login",
    })
}

/// The login page answering 429: too many attempts, and the time to wait.
async fn throttled(
    auth: &AuthSession,
    headers: &HeaderMap,
    email: String,
    next: String,
    seconds: i64,
) -> AppResult<Response> {
    let page = LoginPage {
        ui: visitor_ui(auth, headers).await?,
        email,
        next,
        failed: false,
        wait_minutes: Some((seconds + 59) / 60),
    };
    too_many(render(&page)?, seconds)
}

/// A page answering 429, with the seconds to wait in `Retry-After`.
fn too_many(mut response: Response, seconds: i64) -> AppResult<Response> {
    *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(response)
}

/// What the security log keeps of a typed email: the email, or nothing
/// when it does not look like one (a password typed in the wrong box).
fn typed_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    (email.contains('@') && !email.chars().any(char::is_whitespace)).then_some(email)
}

async fn log_in(
    State(state): State<AppState>,
    client: ClientAddress,
    mut auth: AuthSession,
    headers: HeaderMap,
    Form(form): Form,
) -> AppResult<Response> {
    let email = form.text("email").unwrap_or_default();
    let next = local_path(form.raw("next"));
    let address = client.or_unspecified();
    // No account has a longer email: such a one is looked at no further.
    let email: String = email.chars().take(MAX_EMAIL).collect();
    let typed = typed_email(&email);
    let event = |kind| Event {
        address: Some(address),
        subject: typed.as_deref(),
        ..Event::new(kind)
    };
    let mut throttle = Throttle::login(&state, &email, address).await?;
    if let Admission::Wait { seconds, first } = throttle.admit(&state).await? {
        if first {
            tracing::info!("login throttled");
            db::security::record(&state.pool, event(SecurityEvent::LoginThrottled)).await?;
        }
        return throttled(&auth, &headers, email, next, seconds).await;
    }
    let credentials = Credentials {
        email: email.clone(),
        password: form.raw("password").unwrap_or_default().to_owned(),
    };
    let user = auth
        .authenticate(credentials)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("login: {e}")))?;
    let Some(user) = user else {
        tracing::info!("login failed");
        db::security::record(&state.pool, event(SecurityEvent::LoginFailed)).await?;
        let page = LoginPage {
            ui: visitor_ui(&auth, &headers).await?,
            email,
            next,
            failed: true,
            wait_minutes: None,
        };
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    if user.second_factor {
        // The password is right; the code comes next, in this browser only
        // and for a few minutes. The attempt keeps counting until then.
        auth.session.cycle_id().await.map_err(session_error)?;
        let step = SecondStep {
            account: user.id,
            auth_hash: user.session_auth_hash().to_vec(),
            email,
            next,
            at: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        auth.session
            .insert(SECOND_STEP, &step)
            .await
            .map_err(session_error)?;
        return Ok(Redirect::to("/login/code").into_response());
    }
    throttle.succeeded(&state).await?;
    finish_login(&state, &mut auth, &user, address, typed.as_deref(), None).await?;
    Ok(Redirect::to(&next).into_response())
}

/// Signs `user` in to this session: a new session id (one fixed before
/// login, or known from an earlier login of this browser, is worth nothing
/// after), the login time for the absolute limit, a fresh form token, and
/// the security log.
async fn finish_login(
    state: &AppState,
    auth: &mut AuthSession,
    user: &StaffUser,
    address: std::net::IpAddr,
    typed: Option<&str>,
    passed: Option<Passed>,
) -> AppResult<()> {
    auth.session.cycle_id().await.map_err(session_error)?;
    auth.login(user)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("login: {e}")))?;
    mark_login(&auth.session).await?;
    forget_unfinished(&auth.session).await?;
    tracing::info!(account = %user.id, "logged in");
    let detail = match passed {
        Some(p) => serde_json::json!({ "second_factor": p.as_str() }),
        None => serde_json::json!({}),
    };
    let logged = Event {
        account_id: Some(user.id),
        address: Some(address),
        subject: typed,
        detail,
        ..Event::new(SecurityEvent::Login)
    };
    db::security::record(&state.pool, logged).await?;
    Ok(())
}

/// The key in the session of a login waiting for its second factor.
const SECOND_STEP: &str = "second_step";
/// How long the second step waits for its code, in seconds.
const SECOND_STEP_SECONDS: i64 = 300;

/// Forgets what belonged to whoever used the session before: the form
/// token, a login waiting for its code, a second factor being set up.
async fn forget_unfinished(session: &tower_sessions::Session) -> AppResult<()> {
    session
        .remove::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?;
    session
        .remove::<SecondStep>(SECOND_STEP)
        .await
        .map_err(session_error)?;
    super::second_factor::forget_setup(session).await
}

/// A login whose password was right, waiting for the code.
#[derive(Serialize, Deserialize)]
struct SecondStep {
    account: AccountId,
    /// The account's session digest then: a new password, or "log out my
    /// other sessions", ends the wait too.
    auth_hash: Vec<u8>,
    /// As typed, for the throttle's keys and the log.
    email: String,
    next: String,
    /// When the password was checked (unix seconds).
    at: i64,
}

/// The login of this session waiting for its code, unless it waited too
/// long.
async fn second_step(auth: &AuthSession) -> AppResult<Option<SecondStep>> {
    let step: Option<SecondStep> = auth.session.get(SECOND_STEP).await.map_err(session_error)?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(step.filter(|s| (0..SECOND_STEP_SECONDS).contains(&(now - s.at))))
}

#[derive(Template)]
#[template(path = "login_code.html")]
struct CodePage {
    ui: Ui,
    failed: bool,
    wait_minutes: Option<i64>,
}

/// `GET /login/code`: the second step, while a login waits for it.
async fn code_page(auth: AuthSession, headers: HeaderMap) -> AppResult<Response> {
    if second_step(&auth).await?.is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    render(&CodePage {
        ui: visitor_ui(&auth, &headers).await?,
        failed: false,
        wait_minutes: None,
    })
}

/// `POST /login/code`: a code from the app or a recovery code, counted by
/// the login throttle like a password; each is accepted once.
async fn check_code(
    State(state): State<AppState>,
    client: ClientAddress,
    mut auth: AuthSession,
    headers: HeaderMap,
    Form(form): Form,
) -> AppResult<Response> {
    let Some(step) = second_step(&auth).await? else {
        return Ok(Redirect::to("/login").into_response());
    };
    let address = client.or_unspecified();
    let typed = typed_email(&step.email);
    let event = |kind| Event {
        account_id: Some(step.account),
        address: Some(address),
        subject: typed.as_deref(),
        ..Event::new(kind)
    };
    let mut throttle = Throttle::login(&state, &step.email, address)
        .await?
        .with_codes(step.account);
    if let Admission::Wait { seconds, first } = throttle.admit(&state).await? {
        if first {
            db::security::record(&state.pool, event(SecurityEvent::LoginThrottled)).await?;
        }
        let page = CodePage {
            ui: visitor_ui(&auth, &headers).await?,
            failed: false,
            wait_minutes: Some((seconds + 59) / 60),
        };
        return too_many(render(&page)?, seconds);
    }
    // The account as it is now: disabled, or its sessions ended (a new
    // password among them), since the password step, it logs in no further.
    let user = db::accounts::staff_by_id(&state.pool, step.account)
        .await?
        .map(StaffUser::from)
        .filter(|u| crate::crypto::constant_time_eq(u.session_auth_hash(), &step.auth_hash));
    let Some(user) = user else {
        forget_unfinished(&auth.session).await?;
        return Ok(Redirect::to("/login").into_response());
    };
    let typed_code = form.raw("code").unwrap_or_default();
    let passed =
        second_factor::check_login(&state.pool, &state.cipher, user.id, &user.email, typed_code)
            .await?;
    let Some(passed) = passed else {
        tracing::info!(account = %user.id, "second factor failed");
        db::security::record(&state.pool, event(SecurityEvent::SecondFactorFailed)).await?;
        let page = CodePage {
            ui: visitor_ui(&auth, &headers).await?,
            failed: true,
            wait_minutes: None,
        };
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    throttle.succeeded(&state).await?;
    if passed == Passed::RecoveryCode {
        db::security::record(&state.pool, event(SecurityEvent::RecoveryCodeUsed)).await?;
    }
    let next = step.next.clone();
    finish_login(
        &state,
        &mut auth,
        &user,
        address,
        typed.as_deref(),
        Some(passed),
    )
    .await?;
    Ok(Redirect::to(&next).into_response())
}

/// `POST /logout`: ends the session, and a login waiting for its code.
async fn log_out(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    mut auth: AuthSession,
    _form: Form,
) -> AppResult<Response> {
    forget_unfinished(&auth.session).await?;
    if let Some(user) = auth
        .logout()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("logout: {e}")))?
    {
        tracing::info!(account = %user.id, "logged out");
        let event = Event {
            account_id: Some(user.id),
            address,
            ..Event::new(SecurityEvent::Logout)
        };
        db::security::record(&state.pool, event).await?;
    }
    Ok(Redirect::to("/login").into_response())
}

/// Switches the interface language: for the account when signed in (it
/// sticks on every device), and in a cookie for the login page.
async fn set_language(
    state: axum::extract::State<AppState>,
    staff: Option<Enrolling>,
    Form(form): Form,
) -> AppResult<Response> {
    let staff = staff.map(|Enrolling(staff)| staff);
    let language: Language = form
        .text("language")
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| AppError::BadRequest("unknown language".into()))?;
    if let Some(staff) = &staff {
        db::accounts::set_language(&state.pool, staff.user.id, language).await?;
    }
    let back = local_path(form.raw("back"));
    let mut response = Redirect::to(&back).into_response();
    let cookie = format!(
        "docket_lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        language.as_str()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
