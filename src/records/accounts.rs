//! Accounts and their API tokens as admins manage them, from the command
//! line or the admin pages: the rules live here once.

use sqlx::PgPool;
use time::{Duration, OffsetDateTime};

use crate::crypto::new_api_token;
use crate::db;
use crate::db::accounts::{AccountChange, AccountRow};
use crate::domain::validate::FieldErrors;
use std::net::IpAddr;

use crate::db::security::Event;
use crate::domain::{AccountId, AccountKind, Face, Role, SecurityEvent, TokenId, TokenScope};
use crate::error::{AppError, AppResult};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest password accepted (argon2 takes any length; this only bounds
/// the work one request can ask for). Nothing is cut off.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Passwords up to this length are checked against common passwords,
/// names and patterns; longer ones are passphrases beyond those lists.
const GUESSABLE_UP_TO: usize = 64;

/// What is wrong with a new password, if anything: too short, too long,
/// or easy to guess (a common password, a word list, a name, the email,
/// a keyboard or date pattern). Any Unicode is allowed.
pub fn password_problem(password: &str, personal: &[&str]) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "must have at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Some(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    // The email and the name, whole and in their parts (`ales.bialiatski`,
    // `ales`, `bialiatski`), count as words an attacker would try.
    let mut words: Vec<String> = Vec::new();
    for given in personal {
        let given = given.to_lowercase();
        let local = given.split('@').next().unwrap_or_default().to_owned();
        words.extend(
            given
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() > 2)
                .map(str::to_owned),
        );
        words.push(local);
        words.push(given);
    }
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if chars <= GUESSABLE_UP_TO && zxcvbn::zxcvbn(password, &words).score() < zxcvbn::Score::Three {
        return Some("is too easy to guess".into());
    }
    None
}

/// Token lifetimes accepted, in days; 90 unless chosen.
pub const TOKEN_DAYS: std::ops::RangeInclusive<i64> = 1..=3650;
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Who makes a change to accounts or tokens, for the security log: an
/// admin in the workspace (with their address), or the command line.
#[derive(Debug, Clone, Copy)]
pub struct By {
    pub account_id: Option<AccountId>,
    pub address: Option<IpAddr>,
    pub face: Face,
}

impl By {
    /// The command line: whoever runs it has the database.
    pub const CLI: By = By {
        account_id: None,
        address: None,
        face: Face::Cli,
    };

    pub(crate) fn event<'a>(
        &self,
        event: SecurityEvent,
        subject: &'a str,
        mut detail: serde_json::Value,
    ) -> Event<'a> {
        detail["face"] = self.face.as_str().into();
        Event {
            account_id: self.account_id,
            address: self.address,
            subject: Some(subject),
            detail,
            ..Event::new(event)
        }
    }
}

/// A new account as an admin describes it.
pub struct NewAccount<'a> {
    pub kind: AccountKind,
    /// Staff only: how they log in.
    pub email: Option<&'a str>,
    pub name: &'a str,
    /// Staff only.
    pub password: Option<&'a str>,
    pub role: Role,
    pub restricted_clearance: bool,
}

/// Adds an account; a staff account needs an email and a password of at
/// least [`MIN_PASSWORD_CHARS`] characters. Partners never log in and
/// never get restricted clearance.
pub async fn add(pool: &PgPool, account: NewAccount<'_>, by: By) -> AppResult<AccountId> {
    let mut e = FieldErrors::new();
    let staff = account.kind == AccountKind::Staff;
    let email = account.email.map(str::trim).filter(|v| !v.is_empty());
    let name = account.name.trim();
    if staff {
        match email {
            None => e.add("email", "is required"),
            Some(v) if !v.contains('@') || v.chars().any(char::is_whitespace) => {
                e.add("email", "is not an email address")
            }
            _ => {}
        }
        let personal = [email.unwrap_or_default(), name];
        match account.password {
            None => e.add(
                "password",
                format!("must have at least {MIN_PASSWORD_CHARS} characters"),
            ),
            Some(p) => {
                if let Some(problem) = password_problem(p, &personal) {
                    e.add("password", problem);
                }
            }
        }
    }
    if !staff && name.is_empty() {
        e.add("name", "is required");
    }
    if !staff && account.restricted_clearance {
        e.add("restricted_clearance", "partners never see restricted data");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let hash = match account.password.filter(|_| staff) {
        Some(password) => {
            let password = password.to_owned();
            Some(
                tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
                    .await
                    .map_err(anyhow::Error::from)?,
            )
        }
        None => None,
    };
    let name = if name.is_empty() {
        email.unwrap_or_default()
    } else {
        name
    };
    let row = db::accounts::NewAccount {
        kind: account.kind,
        email: if staff { email } else { None },
        name,
        password_hash: hash.as_deref(),
        role: account.role,
        restricted_clearance: account.restricted_clearance,
    };
    let mut tx = pool.begin().await?;
    let id = db::accounts::insert(&mut *tx, &row)
        .await
        .map_err(|err| match &err {
            sqlx::Error::Database(d) if d.constraint() == Some("accounts_email_key") => {
                AppError::from(FieldErrors::single(
                    "email",
                    "an account with this email already exists",
                ))
            }
            _ => AppError::from(err),
        })?;
    let detail = serde_json::json!({
        "kind": account.kind.as_str(),
        "role": account.role.as_str(),
        "restricted_clearance": account.restricted_clearance,
    });
    let subject = id.to_string();
    db::security::record(
        &mut *tx,
        by.event(SecurityEvent::AccountCreated, &subject, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an account's name, role, clearance or access; refused when it
/// would leave no enabled admin. Takes effect on the account's next
/// request (sessions and tokens read the account every time).
pub async fn change(
    pool: &PgPool,
    account: &AccountRow,
    change: AccountChange<'_>,
    by: By,
) -> AppResult<()> {
    let mut e = FieldErrors::new();
    if change.name.trim().is_empty() {
        e.add("name", "is required");
    }
    if account.kind == AccountKind::Partner && change.restricted_clearance {
        e.add("restricted_clearance", "partners never see restricted data");
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = pool.begin().await?;
    let change = AccountChange {
        name: change.name.trim(),
        ..change
    };
    if !db::accounts::update(&mut tx, account.id, &change).await? {
        return Err(
            FieldErrors::single("role", "the registry needs at least one enabled admin").into(),
        );
    }
    let detail = serde_json::json!({
        "role": [account.role.as_str(), change.role.as_str()],
        "restricted_clearance": [account.restricted_clearance, change.restricted_clearance],
        "disabled": [account.disabled_at.is_some(), change.disabled],
    });
    let subject = account.id.to_string();
    db::security::record(
        &mut *tx,
        by.event(SecurityEvent::AccountChanged, &subject, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a token for an enabled account; returns the token, which is
/// stored only as a hash and so shown once.
pub async fn issue_token(
    pool: &PgPool,
    account: &AccountRow,
    name: Option<&str>,
    scope: TokenScope,
    days: i64,
    by: By,
) -> AppResult<String> {
    let mut e = FieldErrors::new();
    if account.disabled_at.is_some() {
        e.add("account", "is disabled");
    }
    if !TOKEN_DAYS.contains(&days) {
        e.add(
            "expires_days",
            format!(
                "must be between {} and {}",
                TOKEN_DAYS.start(),
                TOKEN_DAYS.end()
            ),
        );
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let (token, hash) = new_api_token();
    let expires = OffsetDateTime::now_utc() + Duration::days(days);
    let mut tx = pool.begin().await?;
    let id =
        db::accounts::insert_token(&mut *tx, account.id, name, scope, &hash, Some(expires)).await?;
    let detail = serde_json::json!({
        "account": account.id,
        "scope": scope.as_str(),
        "expires_days": days,
    });
    let subject = id.to_string();
    db::security::record(
        &mut *tx,
        by.event(SecurityEvent::TokenCreated, &subject, detail),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Revokes a live token (of `account`, when given); false if there is no
/// such live token. Refused from the token's next request on.
pub async fn revoke_token(
    pool: &PgPool,
    account: Option<AccountId>,
    id: TokenId,
    by: By,
) -> AppResult<bool> {
    let mut tx = pool.begin().await?;
    let revoked = match account {
        Some(account) => db::accounts::revoke_token_of(&mut *tx, account, id).await?,
        None => db::accounts::revoke_token(&mut *tx, id).await?,
    };
    if revoked {
        let subject = id.to_string();
        let detail = serde_json::json!({});
        db::security::record(
            &mut *tx,
            by.event(SecurityEvent::TokenRevoked, &subject, detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused_and_passphrases_in_any_script_pass() {
        for weak in [
            "password1234",
            "qwertyuiop123",
            "111111111111",
            "iloveyou2024!",
            "ales.bialiatski",
        ] {
            assert!(
                password_problem(weak, &["ales.bialiatski@example.org", "Ales Bialiatski"])
                    .is_some(),
                "{weak}"
            );
        }
        for strong in [
            "correct horse battery staple",
            "мая хата з краю, але не сёння",
            "Zubr wanders 7 km past Białowieża",
        ] {
            assert_eq!(password_problem(strong, &[]), None, "{strong}");
        }
        assert!(password_problem("short", &[]).is_some());
        let long: String = "жыве ".repeat(300);
        assert!(password_problem(&long, &[]).is_some(), "over the bound");
        let passphrase: String = "жыве беларусь ".repeat(10);
        assert_eq!(
            password_problem(&passphrase, &[]),
            None,
            "long, not cut off"
        );
    }
}
