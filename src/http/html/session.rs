//! Staff sessions: login with email and password, the session kept in
//! PostgreSQL, and the staff member behind each page request.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::{Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use super::i18n::I18n;
use crate::db;
use crate::db::accounts::StaffLogin;
use crate::domain::access::Caller;
use crate::domain::{AccountId, Face, Language, Role};
use crate::error::AppError;
use crate::state::AppState;

/// How long a session lasts: without a request, and at most.
#[derive(Clone, Copy, Debug)]
pub struct SessionLimits {
    pub idle: time::Duration,
    pub absolute: time::Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: time::Duration::minutes(30),
            absolute: time::Duration::hours(12),
        }
    }
}

/// When the session's login happened (unix seconds).
pub const LOGGED_IN_AT: &str = "logged_in_at";

/// Notes the moment of login in the session, for the absolute limit.
pub async fn mark_login(session: &Session) -> Result<(), AppError> {
    session
        .insert(
            LOGGED_IN_AT,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        )
        .await
        .map_err(session_error)
}

/// The staff member a session belongs to, as their account is now.
#[derive(Clone)]
pub struct StaffUser {
    pub id: AccountId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub restricted_clearance: bool,
    pub language: Language,
    /// The account has a second factor.
    pub second_factor: bool,
    /// The account must have one before it may do anything else.
    pub second_factor_required: bool,
    /// Digest of the password hash and the session count: a new password,
    /// or "log out everywhere", ends every session.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for StaffUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaffUser").field("id", &self.id).finish()
    }
}

impl From<StaffLogin> for StaffUser {
    fn from(login: StaffLogin) -> Self {
        let StaffLogin {
            id,
            email,
            name,
            role,
            restricted_clearance,
            language,
            password_hash,
            session_epoch,
            second_factor,
            second_factor_required,
        } = login;
        StaffUser {
            id,
            email,
            name,
            role,
            restricted_clearance,
            language,
            second_factor,
            second_factor_required,
            auth_hash: Sha256::new()
                .chain_update(password_hash.as_bytes())
                .chain_update(session_epoch.to_be_bytes())
                .finalize()
                .to_vec(),
        }
    }
}

impl AuthUser for StaffUser {
    type Id = AccountId;

    fn id(&self) -> AccountId {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// What a login form sends.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// Checks passwords and reloads the account on every request.
#[derive(Clone)]
pub struct Backend {
    pool: PgPool,
}

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("password check did not finish")]
    Task(#[from] tokio::task::JoinError),
}

/// A hash of a password nobody has: an unknown email costs as much time as
/// a wrong password, so timing does not tell which accounts exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password_auth::generate_hash("no account has this password"));

impl AuthnBackend for Backend {
    type User = StaffUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<StaffUser>, BackendError> {
        let login = db::accounts::staff_by_email(&self.pool, creds.email.trim()).await?;
        let hash = login
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |l| l.password_hash.clone());
        let verified = tokio::task::spawn_blocking(move || {
            password_auth::verify_password(creds.password, &hash).is_ok()
        })
        .await?;
        Ok(login.filter(|_| verified).map(StaffUser::from))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<StaffUser>, BackendError> {
        Ok(db::accounts::staff_by_id(&self.pool, *id)
            .await?
            .map(StaffUser::from))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The session layers: cookie `HttpOnly`, `SameSite=Lax`, and `Secure` with
/// the `__Host-` prefix when the server is reached over TLS.
pub fn layer(
    pool: PgPool,
    secure: bool,
    limits: SessionLimits,
) -> AuthManagerLayer<Backend, PostgresStore> {
    let store = PostgresStore::new(pool.clone());
    let name = if secure {
        "__Host-docket_session"
    } else {
        "docket_session"
    };
    let sessions = SessionManagerLayer::new(store)
        .with_name(name)
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        // Saved on every request, so that the idle timeout counts from the
        // last request, not from the last change.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(Duration::seconds(
            limits.idle.whole_seconds(),
        )));
    AuthManagerLayerBuilder::new(Backend { pool }, sessions).build()
}

/// Deletes expired sessions every few minutes, for as long as the server
/// runs; a failed round is logged and tried again.
pub async fn delete_expired_sessions(pool: PgPool) {
    use tower_sessions::ExpiredDeletion;
    let store = PostgresStore::new(pool);
    let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
    loop {
        every.tick().await;
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "deleting expired sessions failed");
        }
    }
}

/// The key of the form token in the session.
pub const CSRF_KEY: &str = "csrf";

/// The session's form token, made on first use. Every form carries it
/// back; a request from another site cannot know it.
pub async fn csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(token);
    }
    let token = crate::crypto::random_token(24);
    session
        .insert(CSRF_KEY, &token)
        .await
        .map_err(session_error)?;
    Ok(token)
}

/// True when `sent` is this session's form token.
pub async fn csrf_matches(session: &Session, sent: &str) -> Result<bool, AppError> {
    let Some(token) = session
        .get::<String>(CSRF_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(false);
    };
    Ok(crate::crypto::constant_time_eq(
        token.as_bytes(),
        sent.as_bytes(),
    ))
}

pub fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {error}"))
}

/// A signed-in staff member behind a page request: who they are, the
/// caller they act as, their language and the session's form token.
#[derive(Clone)]
pub struct Staff {
    pub user: StaffUser,
    pub caller: Caller,
    pub i18n: I18n,
    pub csrf: String,
}

impl Staff {
    /// This staff member, from `address`, as the author of a change to
    /// accounts, tokens or second factors (for the security log).
    pub fn by(&self, address: Option<std::net::IpAddr>) -> crate::records::accounts::By {
        crate::records::accounts::By {
            account_id: Some(self.user.id),
            address,
            face: Face::Web,
        }
    }

    /// The staff member signed in to this session, if it is still good:
    /// the account enabled and unchanged, within the session's limits.
    async fn signed_in(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let mut auth = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("session layer missing")))?;
        let Some(user) = auth.user.clone() else {
            return Err(AppError::Unauthorized("Log in to continue."));
        };
        // However active, a session ends a fixed time after its login.
        let logged_in_at: Option<i64> = auth
            .session
            .get(LOGGED_IN_AT)
            .await
            .map_err(session_error)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        if logged_in_at.is_none_or(|at| now - at >= state.session_limits.absolute.whole_seconds()) {
            auth.logout()
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!("logout: {e}")))?;
            return Err(AppError::Unauthorized("Log in to continue."));
        }
        let csrf = csrf_token(&auth.session).await?;
        let caller = Caller {
            account_id: user.id,
            token_id: None,
            role: user.role,
            restricted_clearance: user.restricted_clearance,
            scope: None,
            face: Face::Web,
            import: None,
        };
        Ok(Staff {
            i18n: I18n::new(user.language),
            user,
            caller,
            csrf,
        })
    }
}

/// Every page but setting up a second factor (and the language switch)
/// needs one when the account must have it.
impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let staff = Staff::signed_in(parts, state).await?;
        if staff.user.second_factor_required && !staff.user.second_factor {
            return Err(AppError::SecondFactorRequired);
        }
        Ok(staff)
    }
}

/// A signed-in staff member who may still have to set up the second factor
/// their account needs: for that page and the language switch.
pub struct Enrolling(pub Staff);

impl FromRequestParts<AppState> for Enrolling {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Staff::signed_in(parts, state).await.map(Enrolling)
    }
}

impl OptionalFromRequestParts<AppState> for Enrolling {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match Staff::signed_in(parts, state).await {
            Ok(staff) => Ok(Some(Enrolling(staff))),
            Err(AppError::Unauthorized(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
