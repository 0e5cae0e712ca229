//! Server-rendered pages for staff. They work without JavaScript; htmx,
//! served from `/static/`, makes lists and forms update in place.

mod account;
mod admin;
mod assets;
mod dashboard;
mod form;
mod history;
pub mod i18n;
pub mod import;
mod login;
mod messages;
mod persons;
mod records;
mod search;
mod second_factor;
pub mod session;
mod throttle;

use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use self::i18n::I18n;
use self::session::{AuthSession, Staff};
use crate::domain::{Language, Role};
use crate::error::{AppError, AppResult, ErrorPage};
use crate::http::routes::Listed;
use crate::state::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .merge(login::router())
        .merge(dashboard::router())
        .merge(persons::router())
        .merge(records::router())
        .merge(history::router())
        .merge(import::router())
        .merge(admin::router())
        .merge(account::router())
        .merge(second_factor::router())
        .merge(search::router())
        .fallback(not_found)
        .layer(middleware::from_fn(error_pages))
        .layer(middleware::from_fn(same_origin_writes))
        .layer(session::layer(
            state.pool.clone(),
            state.secure_cookies,
            state.session_limits,
        ));
    Router::new()
        // Only the assets are compressed: pages carry the form token next to
        // what users typed, which compression must not expose (BREACH).
        .listed(
            "/static/{version}/{file}",
            get(assets::serve).layer(tower_http::compression::CompressionLayer::new()),
        )
        .merge(pages)
}

/// Notes in the security log that a cleared staff member was shown a
/// person's restricted values, on which page.
pub async fn log_restricted_read(
    state: &AppState,
    staff: &Staff,
    address: Option<std::net::IpAddr>,
    person: crate::domain::PersonId,
    page: &str,
) -> AppResult<()> {
    let subject = person.to_string();
    let event = crate::db::security::Event {
        account_id: Some(staff.user.id),
        address,
        subject: Some(&subject),
        detail: serde_json::json!({ "page": page }),
        ..crate::db::security::Event::new(crate::domain::SecurityEvent::RestrictedRead)
    };
    crate::db::security::record(&state.pool, event).await?;
    Ok(())
}

/// The record an address names; an id that is not one is a page that
/// does not exist.
pub fn path_id<T: std::str::FromStr>(written: &str) -> AppResult<T> {
    written.parse().map_err(|_| AppError::NotFound)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// What every page's layout needs: the language, who is signed in, the
/// form token, and where the stylesheet is.
#[derive(Clone)]
pub struct Ui {
    pub i18n: I18n,
    pub user: Option<(String, Role)>,
    pub csrf: String,
    pub section: &'static str,
}

impl Ui {
    pub fn new(staff: &Staff, section: &'static str) -> Self {
        Ui {
            i18n: staff.i18n.clone(),
            user: Some((staff.user.name.clone(), staff.user.role)),
            csrf: staff.csrf.clone(),
            section,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(key)
    }

    pub fn asset(&self, file: &str) -> String {
        format!("/static/{}/{file}", *assets::VERSION)
    }

    pub fn languages(&self) -> &'static [Language] {
        Language::ALL
    }
}

/// Renders a page; a template that fails to render is a 500, logged.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    let html = template.render().map_err(anyhow::Error::from)?;
    Ok(Html(html).into_response())
}

/// The language for someone not signed in: the `docket_lang` cookie, else
/// the browser's first language we have, else English.
pub fn visitor_language(headers: &HeaderMap) -> Language {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix("docket_lang="))
        .find_map(|v| v.parse().ok());
    if let Some(language) = cookie {
        return language;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|tag| tag.split(';').next())
        .filter_map(|tag| tag.trim().split('-').next())
        .find_map(|primary| primary.to_ascii_lowercase().parse().ok())
        .unwrap_or(Language::En)
}

/// Refuses a state-changing request sent by another site, whatever the
/// cookie says (the form token is checked as well, by each form).
async fn same_origin_writes(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !same_origin(request.headers()) {
        return AppError::Forbidden("Requests from other sites are refused.").into_response();
    }
    next.run(request).await
}

fn same_origin(headers: &HeaderMap) -> bool {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == host),
        // Browsers send Origin on every cross-site POST; without one it is
        // not a browser forging a request.
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// Where an account that must have a second factor sets it up.
pub const SECOND_FACTOR_SETUP: &str = "/account/second-factor";

/// Sends the browser elsewhere: a redirect, or for htmx a whole-page one.
fn redirect(to: &str, htmx: bool) -> Response {
    if htmx {
        let mut r = StatusCode::UNAUTHORIZED.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            r.headers_mut().insert("hx-redirect", v);
        }
        return r;
    }
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ui: Ui,
    status: u16,
    kind: &'static str,
}

impl ErrorTemplate {
    fn title_key(&self) -> String {
        format!("error-{}", self.kind)
    }

    fn detail_key(&self) -> String {
        format!("error-{}-detail", self.kind)
    }
}

/// Gives the errors of page routes their HTML face: a page in the user's
/// language, or the login page when no one is signed in.
async fn error_pages(request: Request, next: Next) -> Response {
    let (language, csrf, user) = match request.extensions().get::<AuthSession>() {
        Some(AuthSession {
            user: Some(u),
            session,
            ..
        }) => (
            u.language,
            // The error page's logout and language forms need the token.
            session::csrf_token(session).await.ok(),
            Some((u.name.clone(), u.role)),
        ),
        _ => (visitor_language(request.headers()), None, None),
    };
    let htmx = request.headers().contains_key("hx-request");
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    let is_get = request.method() == Method::GET;
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    if page.kind == "second-factor-required" {
        return redirect(SECOND_FACTOR_SETUP, htmx);
    }
    if page.status == StatusCode::UNAUTHORIZED {
        let next = if is_get { target } else { "/".into() };
        let login = format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return redirect(&login, htmx);
    }
    let template = ErrorTemplate {
        ui: Ui {
            i18n: I18n::new(language),
            user,
            csrf: csrf.unwrap_or_default(),
            section: "",
        },
        status: page.status.as_u16(),
        kind: page.kind,
    };
    let mut rendered = match render(&template) {
        Ok(r) => r,
        Err(_) => return (page.status, "error").into_response(),
    };
    *rendered.status_mut() = page.status;
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        rendered
            .headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    rendered
}
