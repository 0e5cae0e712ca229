//! `/admin/users`: staff and partner accounts (create, role, restricted
//! clearance, disable) and their API tokens (create — shown once —, scope,
//! expiry, last use, revoke), second factors (reset for a lost phone, or
//! required of everyone). Admins only.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::account::confirm_password;
use super::form::{Form, FormData};
use super::session::Staff;
use super::{Ui, path_id, render};
use crate::crypto::random_token;
use crate::db;
use crate::db::accounts::{AccountChange, AccountRow, TokenInfo, TokenOfAccount};
use crate::db::security::LoggedEvent;
use crate::domain::validate::FieldErrors;
use crate::domain::{AccountId, AccountKind, Role, SecurityEvent, TokenId, TokenScope};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::accounts::{self, DEFAULT_TOKEN_DAYS, NewAccount};
use crate::records::second_factor;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/admin/users", get(list_accounts).post(create_account))
        .listed("/admin/users/{id}", get(show_account).post(update_account))
        .listed("/admin/users/{id}/tokens", post(create_token))
        .listed(
            "/admin/users/{id}/second-factor/reset",
            post(reset_second_factor),
        )
        .listed("/admin/security/settings", post(change_settings))
        .listed("/admin/tokens", get(list_tokens))
        .listed("/admin/security", get(security_log))
        .listed(
            "/admin/users/{id}/tokens/{token}/revoke",
            post(revoke_token),
        )
}

/// The admin making a change, for the security log.
fn require_admin(staff: &Staff) -> AppResult<()> {
    if staff.caller.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only admins manage accounts and tokens.",
        ))
    }
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    ui: Ui,
    accounts: Vec<AccountRow>,
    /// The new-account form as typed.
    form: FormData,
    errors: FieldErrors,
}

impl AccountsPage {
    fn roles(&self) -> &'static [Role] {
        Role::ALL
    }

    fn value(&self, name: &str) -> &str {
        self.form.raw(name).unwrap_or("")
    }
}

async fn accounts_page(
    state: &AppState,
    staff: &Staff,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let invalid = !errors.is_empty();
    let mut response = render(&AccountsPage {
        ui: Ui::new(staff, "admin"),
        accounts: db::accounts::list(&state.pool).await?,
        form,
        errors,
    })?;
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /admin/users`.
async fn list_accounts(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    require_admin(&staff)?;
    let mut form = FormData::default();
    form.set("kind", AccountKind::Staff.as_str());
    form.set("role", Role::Viewer.as_str());
    accounts_page(&state, &staff, form, FieldErrors::new()).await
}

/// A secret shown once: a generated password or a new token.
#[derive(Template)]
#[template(path = "admin/secret.html")]
struct SecretPage {
    ui: Ui,
    account: AccountRow,
    /// Message key: what the secret is.
    what: &'static str,
    secret: String,
}

/// `POST /admin/users`: a staff account (with a password typed or
/// generated and shown once) or a partner account (tokens only).
async fn create_account(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let mut e = FieldErrors::new();
    let kind = form.required::<AccountKind>(&mut e, "kind");
    let role = form.required::<Role>(&mut e, "role");
    let (Some(kind), Some(role)) = (kind, role) else {
        return accounts_page(&state, &staff, form, e).await;
    };
    let typed = form.text("password");
    let generated = (kind == AccountKind::Staff && typed.is_none()).then(|| random_token(18));
    let account = NewAccount {
        kind,
        email: form.raw("email"),
        name: form.raw("name").unwrap_or(""),
        password: typed.as_deref().or(generated.as_deref()),
        role,
        restricted_clearance: form.checked("restricted_clearance"),
    };
    let id = match accounts::add(&state.pool, account, staff.by(address)).await {
        Ok(id) => id,
        Err(AppError::Invalid(errors)) => {
            let mut form = form;
            form.set("password", "");
            return accounts_page(&state, &staff, form, errors).await;
        }
        Err(e) => return Err(e),
    };
    match generated {
        Some(password) => {
            let account = stored(&state, id).await?;
            render(&SecretPage {
                ui: Ui::new(&staff, "admin"),
                account,
                what: "admin-password-shown-once",
                secret: password,
            })
        }
        None => Ok(Redirect::to(&format!("/admin/users/{id}")).into_response()),
    }
}

async fn stored(state: &AppState, id: AccountId) -> AppResult<AccountRow> {
    db::accounts::get(&state.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "admin/account.html")]
struct AccountPage {
    ui: Ui,
    account: AccountRow,
    tokens: Vec<TokenInfo>,
    /// The account form as typed.
    form: FormData,
    /// The new-token form as typed.
    token_form: FormData,
    errors: FieldErrors,
}

impl AccountPage {
    fn roles(&self) -> &'static [Role] {
        Role::ALL
    }

    fn scopes(&self) -> &'static [TokenScope] {
        TokenScope::ALL
    }

    fn value(&self, name: &str) -> &str {
        self.form.raw(name).unwrap_or("")
    }

    fn token_value(&self, name: &str) -> &str {
        self.token_form.raw(name).unwrap_or("")
    }

    fn token_state(&self, t: &TokenInfo) -> &'static str {
        token_state(t)
    }
}

/// `live`, `revoked` or `expired`: a message key's last part.
fn token_state(t: &TokenInfo) -> &'static str {
    if t.revoked_at.is_some() {
        "revoked"
    } else if t
        .expires_at
        .is_some_and(|at| at <= time::OffsetDateTime::now_utc())
    {
        "expired"
    } else {
        "live"
    }
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    ui: Ui,
    tokens: Vec<TokenOfAccount>,
}

impl TokensPage {
    fn token_state(&self, t: &TokenInfo) -> &'static str {
        token_state(t)
    }
}

/// `GET /admin/tokens`: every token of every account, live ones first.
async fn list_tokens(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    require_admin(&staff)?;
    render(&TokensPage {
        ui: Ui::new(&staff, "admin"),
        tokens: db::accounts::all_tokens(&state.pool).await?,
    })
}

fn account_form(account: &AccountRow) -> FormData {
    let mut form = FormData::default();
    form.set("name", account.name.clone());
    form.set("role", account.role.as_str());
    if account.restricted_clearance {
        form.set("restricted_clearance", "on");
    }
    if account.disabled_at.is_some() {
        form.set("disabled", "on");
    }
    form
}

fn token_form() -> FormData {
    let mut form = FormData::default();
    form.set("scope", TokenScope::ReadPublic.as_str());
    form.set("expires_days", DEFAULT_TOKEN_DAYS.to_string());
    form
}

async fn account_page(
    state: &AppState,
    staff: &Staff,
    account: AccountRow,
    form: FormData,
    token_form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let invalid = !errors.is_empty();
    let tokens = db::accounts::tokens_of(&state.pool, account.id).await?;
    let mut response = render(&AccountPage {
        ui: Ui::new(staff, "admin"),
        account,
        tokens,
        form,
        token_form,
        errors,
    })?;
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /admin/users/{id}`.
async fn show_account(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let account = stored(&state, path_id(&id)?).await?;
    let form = account_form(&account);
    account_page(
        &state,
        &staff,
        account,
        form,
        token_form(),
        FieldErrors::new(),
    )
    .await
}

/// `POST /admin/users/{id}`: name, role, clearance, disabled.
async fn update_account(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let account = stored(&state, path_id(&id)?).await?;
    let mut e = FieldErrors::new();
    let role = form.required::<Role>(&mut e, "role");
    let result = match role {
        Some(role) => {
            let change = AccountChange {
                name: form.raw("name").unwrap_or(""),
                role,
                restricted_clearance: form.checked("restricted_clearance"),
                disabled: form.checked("disabled"),
            };
            accounts::change(&state.pool, &account, change, staff.by(address)).await
        }
        None => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/users/{}", account.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            account_page(&state, &staff, account, form, token_form(), errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /admin/users/{id}/tokens`: a new token, shown once.
async fn create_token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let account = stored(&state, path_id(&id)?).await?;
    let mut e = FieldErrors::new();
    let scope = form.required::<TokenScope>(&mut e, "scope");
    let days = form.number(&mut e, "expires_days");
    let result = match (scope, days) {
        (Some(scope), Some(days)) if e.is_empty() => {
            let name = form.text("name");
            accounts::issue_token(
                &state.pool,
                &account,
                name.as_deref(),
                scope,
                days.into(),
                staff.by(address),
            )
            .await
        }
        _ => {
            if days.is_none() && e.message("expires_days").is_none() {
                e.add("expires_days", "is required");
            }
            Err(e.into())
        }
    };
    match result {
        Ok(token) => render(&SecretPage {
            ui: Ui::new(&staff, "admin"),
            account,
            what: "admin-token-shown-once",
            secret: token,
        }),
        Err(AppError::Invalid(errors)) => {
            let current = account_form(&account);
            account_page(&state, &staff, account, current, form, errors).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /admin/users/{id}/tokens/{token}/revoke`: refused from the
/// next request on.
async fn revoke_token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path((id, token)): Path<(String, String)>,
    Form(_form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let account: AccountId = path_id(&id)?;
    let token: TokenId = path_id(&token)?;
    if !accounts::revoke_token(&state.pool, Some(account), token, staff.by(address)).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/admin/users/{account}")).into_response())
}

/// `POST /admin/users/{id}/second-factor/reset`: for someone who lost
/// their phone and recovery codes, with the admin's current password. Their
/// sessions end; they set up a new second factor at their next login if
/// they must have one. One's own is changed on one's account page.
async fn reset_second_factor(
    State(state): State<AppState>,
    client: ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let account = stored(&state, path_id(&id)?).await?;
    if account.id == staff.user.id {
        return Err(AppError::Forbidden(
            "Change your own second factor on your account page.",
        ));
    }
    // The admin's own password: a stolen session alone cannot weaken
    // another's second factor.
    let throttle = match confirm_password(
        &state,
        &staff,
        client.or_unspecified(),
        &form,
        "second factor reset",
    )
    .await?
    {
        Ok(throttle) => throttle,
        Err(refusal) => {
            let errors = refusal.errors();
            let form = account_form(&account);
            return account_page(&state, &staff, account, form, token_form(), errors).await;
        }
    };
    second_factor::remove(
        &state.pool,
        account.id,
        SecurityEvent::SecondFactorReset,
        staff.by(client.0),
    )
    .await?;
    throttle.succeeded(&state).await?;
    Ok(Redirect::to(&format!("/admin/users/{}", account.id)).into_response())
}

/// `POST /admin/security/settings`: whether every staff member must log in
/// with a second factor, with the admin's current password.
async fn change_settings(
    State(state): State<AppState>,
    client: ClientAddress,
    staff: Staff,
    Form(form): Form,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let throttle =
        match confirm_password(&state, &staff, client.or_unspecified(), &form, "settings").await? {
            Ok(throttle) => throttle,
            Err(refusal) => return security_page(&state, &staff, None, refusal.errors()).await,
        };
    let required = form.checked("second_factor_for_all");
    second_factor::require_for_all(&state.pool, required, staff.by(client.0)).await?;
    throttle.succeeded(&state).await?;
    Ok(Redirect::to("/admin/security").into_response())
}

#[derive(Template)]
#[template(path = "admin/security.html")]
struct SecurityPage {
    ui: Ui,
    /// Every staff member must have a second factor.
    second_factor_for_all: bool,
    /// The reader may know which restricted records were read.
    cleared: bool,
    /// Of the settings form.
    errors: FieldErrors,
    events: Vec<LoggedEvent>,
    /// The `before` of the next page, if there is one.
    older: Option<i64>,
}

impl SecurityPage {
    /// What the event concerns; the restricted record read only for a
    /// cleared reader (to others, that it exists is itself restricted).
    fn subject<'a>(&self, e: &'a LoggedEvent) -> &'a str {
        if e.event == SecurityEvent::RestrictedRead && !self.cleared {
            return "—";
        }
        e.subject.as_deref().unwrap_or("—")
    }

    /// The detail as `key: value` pairs.
    fn detail(&self, e: &LoggedEvent) -> String {
        match e.detail.as_object() {
            Some(o) => o
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            None => String::new(),
        }
    }
}

#[derive(serde::Deserialize)]
struct SecurityParams {
    before: Option<String>,
}

/// Events per page of the security log.
const SECURITY_PAGE: i64 = 100;

/// `GET /admin/security`: the security log, newest first.
async fn security_log(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Query(params): axum::extract::Query<SecurityParams>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let before = match params.before.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    security_page(&state, &staff, before, FieldErrors::new()).await
}

async fn security_page(
    state: &AppState,
    staff: &Staff,
    before: Option<i64>,
    errors: FieldErrors,
) -> AppResult<Response> {
    let mut events = db::security::latest(&state.pool, before, SECURITY_PAGE + 1).await?;
    let older = (events.len() as i64 > SECURITY_PAGE).then(|| {
        events.truncate(SECURITY_PAGE as usize);
        events.last().map(|e| e.id)
    });
    let invalid = !errors.is_empty();
    let mut response = render(&SecurityPage {
        ui: Ui::new(staff, "admin"),
        second_factor_for_all: db::second_factor::required_for_all(&state.pool).await?,
        cleared: staff.user.restricted_clearance,
        errors,
        events,
        older: older.flatten(),
    })?;
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}
