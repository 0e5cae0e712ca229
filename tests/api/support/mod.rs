//! A running server on a fresh database for each test.
//!
//! The database server is `DATABASE_URL` if set, otherwise the private
//! cluster under `target/`. One migrated template database is built per test
//! run; each test gets its own copy (`CREATE DATABASE … TEMPLATE …`).

use std::num::NonZeroU32;
use std::sync::OnceLock;

use docket::cluster::Cluster;
use docket::crypto::{Cipher, new_api_token};
use docket::db;
use docket::domain::{AccountId, AccountKind, Role, TokenScope};
use docket::http::api::rate::{Quota, RateLimits};
use docket::http::html::session::SessionLimits;
use docket::state::AppState;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use time::Duration;
use tokio::sync::OnceCell;

/// Connection options for the server's maintenance database.
fn server() -> &'static PgConnectOptions {
    &server_and_url().0
}

/// The database server, and its URL with `{db}` where a database name goes.
fn server_and_url() -> &'static (PgConnectOptions, String) {
    static SERVER: OnceLock<(PgConnectOptions, String)> = OnceLock::new();
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("DATABASE_URL") {
            let options = url.parse().expect("DATABASE_URL is a PostgreSQL URL");
            let (base, query) = url
                .split_once('?')
                .map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
            let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
            let pattern = match query {
                Some(q) => format!("{server}/{{db}}?{q}"),
                None => format!("{server}/{{db}}"),
            };
            return (options, pattern);
        }
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("postgres");
        let cluster = Cluster::ensure_started(&dir).expect("the private PostgreSQL cluster starts");
        let options = cluster.connect_options("postgres");
        let pattern = cluster.url("{db}");
        if cluster.started_here() {
            let _ = STARTED.set(cluster);
            // SAFETY: registers a plain function to run at process exit.
            unsafe { libc::atexit(stop_cluster) };
        }
        (options, pattern)
    })
}

static STARTED: OnceLock<Cluster> = OnceLock::new();

extern "C" fn stop_cluster() {
    if let Some(cluster) = STARTED.get() {
        cluster.stop();
    }
}

/// The migrated template database of this run.
async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("{TEMPLATE_PREFIX}{}", std::process::id());
            let mut admin = PgConnection::connect_with(server()).await.expect("connect");
            drop_leftovers(&mut admin).await;
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut admin)
                .await
                .expect("create template");
            let mut conn = PgConnection::connect_with(&server().clone().database(&name))
                .await
                .expect("connect to template");
            db::MIGRATOR.run(&mut conn).await.expect("migrations apply");
            db::roles::ensure_server_login(&mut conn)
                .await
                .expect("the server's login role");
            conn.close().await.ok();
            name
        })
        .await
}

const TEMPLATE_PREFIX: &str = "docket_testrun_";
const TEST_PREFIX: &str = "docket_testdb_";

/// Drops what earlier runs left: templates of runs whose process is gone,
/// and test databases nobody is connected to (another run's are in use).
async fn drop_leftovers(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'docket\\_test%'")
            .fetch_all(&mut *admin)
            .await
            .expect("list databases");
    for name in names {
        let stale = match name.strip_prefix(TEMPLATE_PREFIX) {
            Some(pid) => !std::path::Path::new("/proc").join(pid).exists(),
            None => name.starts_with(TEST_PREFIX),
        };
        if stale {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *admin)
                .await;
        }
    }
}

/// A server on its own database.
pub struct TestApp {
    pub base: String,
    /// This test's database, dropped when the test ends.
    name: String,
    /// URL of this test's database, for the command line.
    pub database_url: String,
    /// The owner's pool: tests look at and tamper with the database
    /// through it; the server has a pool of its own, as its own role.
    pub pool: PgPool,
    /// The server's pool, as the server's role.
    pub server_pool: PgPool,
    pub client: reqwest::Client,
}

impl Drop for TestApp {
    /// Drops the test's database, on a thread of its own: `drop` cannot
    /// await, and the test's runtime is busy ending.
    fn drop(&mut self) {
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect_with(server()).await.ok()?;
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                sqlx::query(&sql).execute(&mut admin).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("could not drop the test database {}", self.name);
        }
    }
}

/// Rate limits no test but the rate limits' own reaches.
fn unlimited() -> RateLimits {
    let many = NonZeroU32::new(1_000_000).expect("a quota");
    RateLimits::per_minute(many, many)
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_served(false, SessionLimits::default(), None, unlimited()).await
    }

    /// A server behind a reverse proxy at 127.0.0.1: clients are told apart
    /// by `X-Forwarded-For` (see [`TestApp::visitor_from`]).
    pub async fn spawn_behind_proxy() -> TestApp {
        let proxy = std::net::Ipv4Addr::LOCALHOST.into();
        Self::spawn_served(false, SessionLimits::default(), Some(proxy), unlimited()).await
    }

    /// A server as if reached over TLS (`DOCKET_PUBLIC_URL` is https).
    pub async fn spawn_behind_tls() -> TestApp {
        Self::spawn_served(true, SessionLimits::default(), None, unlimited()).await
    }

    /// A server whose sessions end after these idle and absolute times.
    pub async fn spawn_with_sessions(idle: Duration, absolute: Duration) -> TestApp {
        Self::spawn_served(false, SessionLimits { idle, absolute }, None, unlimited()).await
    }

    /// A server behind a reverse proxy at 127.0.0.1 (as
    /// [`TestApp::spawn_behind_proxy`]) allowing so many API requests an
    /// hour per token and per address.
    pub async fn spawn_with_rate_limits(per_token: u32, per_address: u32) -> TestApp {
        let proxy = std::net::Ipv4Addr::LOCALHOST.into();
        // Quotas of an hour: none comes back while the test runs.
        let quota = |n| Quota::per_hour(NonZeroU32::new(n).expect("a quota"));
        let rate = RateLimits::new(quota(per_token), quota(per_address));
        Self::spawn_served(false, SessionLimits::default(), Some(proxy), rate).await
    }

    async fn spawn_served(
        tls: bool,
        limits: SessionLimits,
        trusted_proxy: Option<std::net::IpAddr>,
        rate_limits: RateLimits,
    ) -> TestApp {
        let template = template().await;
        let name = format!("{TEST_PREFIX}{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect_with(server()).await.expect("connect");
        sqlx::query(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
        ))
        .execute(&mut admin)
        .await
        .expect("copy the template");
        admin.close().await.ok();
        let pool = db::connect(server().clone().database(&name))
            .await
            .expect("pool");
        // The server connects as its own role, as in the private cluster.
        let server_pool = db::connect_server(
            server()
                .clone()
                .database(&name)
                .username(db::roles::SERVER_LOGIN),
        )
        .await
        .expect("the server's pool");
        let state = AppState {
            pool: server_pool.clone(),
            cipher: Cipher::from_secret("test secret"),
            secure_cookies: tls,
            trusted_proxy,
            session_limits: limits,
            rate_limits,
            token_usage: Default::default(),
            export_slots: Default::default(),
            import_jobs: Default::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let app = docket::build_router(state)
                .into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, app).await.ok();
        });
        let database_url = server_and_url().1.replace("{db}", &name);
        TestApp {
            base,
            name,
            database_url,
            pool,
            server_pool,
            // Redirects are answers to look at, not to follow.
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// A token of a new account with this role, clearance and scope.
    pub async fn token(&self, role: Role, scope: TokenScope) -> String {
        let email = format!("{}@example.org", uuid::Uuid::now_v7().simple());
        let account = db::accounts::NewAccount {
            kind: AccountKind::Staff,
            email: Some(&email),
            name: "Test account",
            password_hash: None,
            role,
            restricted_clearance: true,
        };
        let id: AccountId = db::accounts::insert(&self.pool, &account)
            .await
            .expect("account");
        let (token, hash) = new_api_token();
        db::accounts::insert_token(&self.pool, id, None, scope, &hash, None)
            .await
            .expect("token");
        token
    }

    pub async fn writer(&self) -> String {
        self.token(Role::Editor, TokenScope::Write).await
    }

    pub fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A merge patch with `If-Match: "<version>"`.
    pub async fn patch(&self, path: &str, token: &str, version: i64, body: &Value) -> Response {
        self.request(Method::PATCH, path, token)
            .header("If-Match", format!("\"{version}\""))
            .header("Content-Type", "application/merge-patch+json")
            .body(body.to_string())
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str, token: &str, version: i64) -> Response {
        self.request(Method::DELETE, path, token)
            .header("If-Match", format!("\"{version}\""))
            .send()
            .await
            .expect("request")
    }

    /// Creates a record and returns its body; panics unless 201.
    pub async fn create(&self, path: &str, token: &str, body: &Value) -> Value {
        let response = self.post(path, token, body).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, 201, "creating at {path}: {text}");
        serde_json::from_str(&text).expect("json")
    }

    /// Number of history entries.
    pub async fn history_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM history")
            .fetch_one(&self.pool)
            .await
            .expect("count")
    }

    /// Asserts that the status spans lists and counts read agree with the
    /// status's definition for every person, on every day a record names,
    /// the days either side, long ago and today, for every clearance that
    /// may see the person, and that no clearance below sees any.
    pub async fn assert_status_spans_hold(&self) {
        let wrong: Vec<String> = sqlx::query_scalar(
            "WITH d AS (
                 SELECT p.id, p.visibility, x.day FROM persons p,
                        LATERAL (SELECT c + k AS day FROM status_changes(p.id) c,
                                        (VALUES (-1), (0), (1)) k (k)
                                 UNION SELECT date '1900-01-01' UNION SELECT current_date) x)
             SELECT format('%s as %s on %s: %s, spans %s', d.id, l.lvl, d.day,
                           (f.status, f.uncertain), s.spans)
               FROM d CROSS JOIN unnest(enum_range(NULL::visibility)) l (lvl)
              CROSS JOIN LATERAL person_status_on(d.id, d.day, l.lvl) f
              CROSS JOIN LATERAL (
                    SELECT array_agg((s.status, s.uncertain)::text) AS spans FROM status_spans s
                     WHERE s.person_id = d.id AND l.lvl BETWEEN s.seen_from AND s.seen_to
                       AND s.during @> d.day) s
              WHERE s.spans IS DISTINCT FROM CASE WHEN l.lvl >= d.visibility
                                                  THEN ARRAY[(f.status, f.uncertain)::text] END
              ORDER BY 1 LIMIT 20",
        )
        .fetch_all(&self.pool)
        .await
        .expect("status spans");
        assert!(wrong.is_empty(), "status spans disagree: {wrong:#?}");
    }
}

/// The body of a response as JSON, with its status.
pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The fields named in a 422 problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A minimal public person.
pub fn person(name: &str) -> Value {
    serde_json::json!({
        "names": [{"name": name, "lang": "en", "primary": true}],
        "visibility": "public"
    })
}

/// A browser-like client: keeps cookies, follows no redirects, and logs in
/// through the login form.
pub struct WebSession {
    pub client: reqwest::Client,
    pub base: String,
}

/// The password of every account the page tests make.
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// A staff account with a password.
    pub async fn staff_account(&self, role: Role, restricted: bool) -> String {
        let email = format!("{}@example.org", uuid::Uuid::now_v7().simple());
        let hash = tokio::task::spawn_blocking(|| password_auth::generate_hash(PASSWORD))
            .await
            .expect("hash");
        let account = db::accounts::NewAccount {
            kind: AccountKind::Staff,
            email: Some(&email),
            name: "Test Staff",
            password_hash: Some(&hash),
            role,
            restricted_clearance: restricted,
        };
        db::accounts::insert(&self.pool, &account)
            .await
            .expect("account");
        email
    }

    /// A session of a new staff member, logged in through the form; an
    /// admin sets up the second factor every admin must have.
    pub async fn web(&self, role: Role) -> WebSession {
        let email = self.staff_account(role, false).await;
        let session = self.visitor();
        let (status, _, location) = session.login(&email, PASSWORD).await;
        assert_eq!((status, location.as_deref()), (303, Some("/")));
        if role == Role::Admin {
            session.enrol().await;
        }
        session
    }

    /// A session nobody has logged in to yet.
    pub fn visitor(&self) -> WebSession {
        self.visitor_with(reqwest::header::HeaderMap::new())
    }

    /// A session from `address`, as the proxy of
    /// [`TestApp::spawn_behind_proxy`] names it.
    pub fn visitor_from(&self, address: &str) -> WebSession {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            address.parse().expect("an address as a header"),
        );
        self.visitor_with(headers)
    }

    fn visitor_with(&self, headers: reqwest::header::HeaderMap) -> WebSession {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .expect("client");
        WebSession {
            client,
            base: self.base.clone(),
        }
    }
}

impl WebSession {
    /// `(status, body)` of a page.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("page");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// The form token of the page at `path`.
    pub async fn csrf(&self, path: &str) -> String {
        let (_, body) = self.get(path).await;
        let start = body.find("name=\"csrf\" value=\"").expect("a form token") + 19;
        body[start..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_owned()
    }

    /// Posts a form as the page at `from` would, with its form token:
    /// `(status, body, Location)`.
    pub async fn submit(
        &self,
        from: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String, Option<String>) {
        let csrf = self.csrf(from).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, &[]).await
    }

    /// Posts exactly these fields and headers.
    pub async fn post_raw(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> (u16, String, Option<String>) {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send().await.expect("post")).await
    }

    /// Sets up the second factor through its page, as someone with an
    /// authenticator app would: the secret and the recovery codes.
    pub async fn enrol(&self) -> (String, Vec<String>) {
        let (status, page) = self.get("/account/second-factor").await;
        assert_eq!(status, 200, "{page}");
        let start = page.find("id=\"secret\">").expect("the key to type") + 12;
        let secret: String = page[start..]
            .split('<')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let code = totp_code(&secret, now());
        let (status, page, _) = self
            .submit(
                "/account/second-factor",
                "/account/second-factor",
                &[("code", &code), ("current_password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let codes = recovery_codes(&page);
        assert_eq!(codes.len(), 10, "{page}");
        (secret, codes)
    }

    /// Adds a record of a case under the person at `page` through its form;
    /// returns its id, taken from the anchor the redirect points to.
    pub async fn add_record(
        &self,
        page: &str,
        collection: &str,
        fields: &[(&str, &str)],
    ) -> String {
        let from = format!("{page}/{collection}/new");
        let (status, body, location) = self
            .submit(&from, &format!("{page}/{collection}"), fields)
            .await;
        assert_eq!(status, 303, "{body}");
        let location = location.expect("back to the person");
        assert!(location.starts_with(page), "{location}");
        // `#detention-<id>`
        let (_, anchor) = location.split_once('#').expect("an anchor");
        let (_, id) = anchor.split_once('-').expect("the record's id");
        id.to_owned()
    }

    /// Adds reference data (a source, facility, organisation or criminal
    /// case) through its form; returns its id, from the redirect's anchor.
    pub async fn add_reference(&self, collection: &str, fields: &[(&str, &str)]) -> String {
        let (status, body, location) = self
            .submit(
                &format!("/{collection}/new"),
                &format!("/{collection}"),
                fields,
            )
            .await;
        assert_eq!(status, 303, "{body}");
        let location = location.expect("back to the list");
        let (_, anchor) = location.split_once('#').expect("an anchor");
        anchor.split_once('-').expect("an id").1.to_owned()
    }

    pub async fn login(&self, email: &str, password: &str) -> (u16, String, Option<String>) {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password), ("next", "/")],
        )
        .await
    }
}

/// Now, in unix seconds.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// The code an authenticator app shows at `at` (unix seconds) for this
/// base32 secret.
pub fn totp_code(secret: &str, at: u64) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("a base32 secret");
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        None,
        String::new(),
    )
    .expect("a TOTP")
    .generate(at)
}

/// The recovery codes a page shows.
pub fn recovery_codes(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .map(str::to_owned)
        .collect()
}

/// A date of the API known to the day.
pub fn day(date: &str) -> Value {
    serde_json::json!({"date": date, "precision": "day"})
}

/// A date of the API known to the month.
pub fn month(date: &str) -> Value {
    serde_json::json!({"date": date, "precision": "month"})
}

impl TestApp {
    /// A person (`body`) with these detentions and sentences, through the
    /// API; returns the person's address.
    pub async fn case_with(
        &self,
        token: &str,
        body: &Value,
        detentions: &[Value],
        sentences: &[Value],
    ) -> String {
        let p = self.create("/api/v1/persons", token, body).await;
        let id = p["id"].as_str().expect("an id");
        for d in detentions {
            self.create(&format!("/api/v1/persons/{id}/detentions"), token, d)
                .await;
        }
        for s in sentences {
            self.create(&format!("/api/v1/persons/{id}/sentences"), token, s)
                .await;
        }
        format!("/api/v1/persons/{id}")
    }
}

/// A posted form's answer: `(status, body, Location)`.
pub async fn answer(response: reqwest::Response) -> (u16, String, Option<String>) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, response.text().await.unwrap_or_default(), location)
}
