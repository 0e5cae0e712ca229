//! Second factors of staff accounts: six-digit codes from an authenticator
//! app (TOTP, RFC 6238: SHA-1, 30-second steps, one step of clock drift
//! either way) and single-use recovery codes for a lost phone. A code is
//! accepted once: the newest step used is kept, and a recovery code is
//! marked used, each by one conditional update, so two logins racing with
//! one code cannot both pass. The rules live here once, for the pages and
//! the command line.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use totp_rs::{Algorithm, TOTP};

use super::accounts::By;
use crate::crypto::Cipher;
use crate::db;
use crate::domain::{AccountId, SecurityEvent};
use crate::error::AppResult;

/// The name authenticator apps show beside the account.
const ISSUER: &str = "Docket";
/// Recovery codes given at a time.
pub const RECOVERY_CODES: usize = 10;
/// Seconds per step, and steps of drift accepted either way.
const STEP: u64 = 30;
const SKEW: u8 = 1;
/// Letters of recovery codes (Crockford's base32: no i, l, o, u).
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Characters of a recovery code: 80 random bits.
const RECOVERY_CHARS: usize = 16;

/// A new secret (160 bits, as RFC 4226 recommends), written in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32(&bytes)
}

/// `text` in groups of four characters, joined by `separator`.
fn grouped(text: &str, separator: &str) -> String {
    text.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(separator)
}

fn base32(bytes: &[u8]) -> String {
    totp_rs::Secret::Raw(bytes.to_vec())
        .to_encoded()
        .to_string()
}

fn totp(secret: &str, account_name: &str) -> anyhow::Result<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| anyhow::anyhow!("second-factor secret: {e:?}"))?;
    // A colon would end the label early in the app; none in an email, but
    // a name given later might have one.
    let label = account_name.replace(':', " ");
    TOTP::new(
        Algorithm::SHA1,
        6,
        SKEW,
        STEP,
        bytes,
        Some(ISSUER.into()),
        label,
    )
    .map_err(|e| anyhow::anyhow!("second-factor secret: {e}"))
}

/// What a person needs to add the account to their authenticator app.
pub struct Setup {
    /// The secret in groups of four, to type in by hand.
    pub secret_grouped: String,
    /// The QR code of the `otpauth://` address, as inline SVG.
    pub qr_svg: String,
}

pub fn setup(secret: &str, account_name: &str) -> anyhow::Result<Setup> {
    let url = totp(secret, account_name)?.get_url();
    let svg = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(232, 232)
        .build();
    // Inline in the page: no XML declaration.
    let qr_svg = match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    };
    Ok(Setup {
        secret_grouped: grouped(secret, " "),
        qr_svg,
    })
}

/// What someone typed at the second step.
#[derive(Debug, PartialEq)]
enum Proof {
    /// Six digits from the app.
    Code(String),
    /// A recovery code, normalised.
    Recovery(String),
}

fn parse_proof(typed: &str) -> Option<Proof> {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Proof::Code(compact));
    }
    // Crockford's reading: o is 0, i and l are 1.
    let normal: String = compact
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'o' => '0',
            'i' | 'l' => '1',
            c => c,
        })
        .collect();
    (normal.len() == RECOVERY_CHARS && normal.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(Proof::Recovery(normal))
}

/// The time step, within the drift allowed around `now`, whose code is
/// `code`; the earliest, should two match.
fn matching_step(totp: &TOTP, code: &str, now: u64) -> Option<i64> {
    let current = now / STEP;
    let skew = u64::from(SKEW);
    (current.saturating_sub(skew)..=current + skew)
        .find(|step| {
            crate::crypto::constant_time_eq(totp.generate(step * STEP).as_bytes(), code.as_bytes())
        })
        .and_then(|step| i64::try_from(step).ok())
}

fn now() -> u64 {
    u64::try_from(time::OffsetDateTime::now_utc().unix_timestamp()).unwrap_or_default()
}

fn recovery_hash(normal: &str) -> Vec<u8> {
    Sha256::new()
        .chain_update(b"docket recovery code v1\0")
        .chain_update(normal.as_bytes())
        .finalize()
        .to_vec()
}

/// New recovery codes, written `xxxx-xxxx-xxxx-xxxx`, and their hashes.
fn new_recovery_codes() -> (Vec<String>, Vec<Vec<u8>>) {
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let normal: String = (0..RECOVERY_CHARS)
                .map(|_| char::from(RECOVERY_ALPHABET[(rng.next_u32() % 32) as usize]))
                .collect();
            (grouped(&normal, "-"), recovery_hash(&normal))
        })
        .unzip()
}

/// How the second step of a login was passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passed {
    Code,
    RecoveryCode,
}

impl Passed {
    pub fn as_str(self) -> &'static str {
        match self {
            Passed::Code => "code",
            Passed::RecoveryCode => "recovery_code",
        }
    }
}

/// Checks what was typed at a login's second step: a code of the app not
/// used before, or an unused recovery code (used up by this). `None` for
/// anything else, the same whatever was wrong with it.
pub async fn check_login(
    pool: &PgPool,
    cipher: &Cipher,
    account: AccountId,
    account_name: &str,
    typed: &str,
) -> AppResult<Option<Passed>> {
    let Some(enrolled) = db::second_factor::enrolled(pool, account).await? else {
        return Ok(None);
    };
    match parse_proof(typed) {
        Some(Proof::Code(code)) => {
            let secret = cipher.open(&enrolled.sealed_secret)?;
            let Some(step) = matching_step(&totp(&secret, account_name)?, &code, now()) else {
                return Ok(None);
            };
            let accepted = db::second_factor::accept_step(pool, account, step).await?;
            Ok(accepted.then_some(Passed::Code))
        }
        Some(Proof::Recovery(normal)) => {
            let hash = recovery_hash(&normal);
            let used = db::second_factor::use_recovery_code(pool, account, &hash).await?;
            Ok(used.then_some(Passed::RecoveryCode))
        }
        None => Ok(None),
    }
}

/// What setting up a second factor came to.
pub enum Enabled {
    /// On: the recovery codes, to show once.
    Codes(Vec<String>),
    /// The code is not the app's code now.
    WrongCode,
    /// The account has one already (another set-up was first).
    AlreadyOn,
}

/// Turns the second factor on with `secret` once `code` shows the app has
/// it, and ends the account's sessions (the caller keeps its own). Written
/// to the security log with the change; a wrong code is logged too.
pub async fn enable(
    pool: &PgPool,
    cipher: &Cipher,
    account: AccountId,
    account_name: &str,
    secret: &str,
    code: &str,
    by: By,
) -> AppResult<Enabled> {
    let subject = account.to_string();
    let step = match parse_proof(code) {
        Some(Proof::Code(code)) => matching_step(&totp(secret, account_name)?, &code, now()),
        _ => None,
    };
    let Some(step) = step else {
        let event = by.event(
            SecurityEvent::SecondFactorFailed,
            &subject,
            serde_json::json!({ "during": "set-up" }),
        );
        db::security::record(pool, event).await?;
        return Ok(Enabled::WrongCode);
    };
    let sealed = cipher.seal(secret)?;
    let (codes, hashes) = new_recovery_codes();
    let mut tx = pool.begin().await?;
    if !db::second_factor::enable(&mut *tx, account, &sealed, step).await? {
        return Ok(Enabled::AlreadyOn);
    }
    db::second_factor::replace_recovery_codes(&mut *tx, account, &hashes).await?;
    db::accounts::end_sessions(&mut *tx, account).await?;
    let event = by.event(
        SecurityEvent::SecondFactorEnabled,
        &subject,
        serde_json::json!({}),
    );
    db::security::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(Enabled::Codes(codes))
}

/// New recovery codes in place of the old ones, to show once.
pub async fn renew_recovery_codes(
    pool: &PgPool,
    account: AccountId,
    by: By,
) -> AppResult<Vec<String>> {
    let (codes, hashes) = new_recovery_codes();
    let mut tx = pool.begin().await?;
    db::second_factor::replace_recovery_codes(&mut *tx, account, &hashes).await?;
    let subject = account.to_string();
    let event = by.event(
        SecurityEvent::RecoveryCodesRenewed,
        &subject,
        serde_json::json!({}),
    );
    db::security::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Takes the second factor and the recovery codes away, and ends the
/// account's sessions: by its owner (`SecondFactorDisabled`) or by an admin
/// or the command line for someone who lost theirs (`SecondFactorReset`).
/// False if there was none.
pub async fn remove(
    pool: &PgPool,
    account: AccountId,
    event: SecurityEvent,
    by: By,
) -> AppResult<bool> {
    let mut tx = pool.begin().await?;
    if !db::second_factor::remove(&mut *tx, account).await? {
        return Ok(false);
    }
    db::second_factor::replace_recovery_codes(&mut *tx, account, &[]).await?;
    db::accounts::end_sessions(&mut *tx, account).await?;
    let subject = account.to_string();
    db::security::record(&mut *tx, by.event(event, &subject, serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether every staff member must log in with a second factor (admins
/// always must); written to the security log with the change.
pub async fn require_for_all(pool: &PgPool, required: bool, by: By) -> AppResult<()> {
    let mut tx = pool.begin().await?;
    db::second_factor::set_required_for_all(&mut *tx, required).await?;
    let event = by.event(
        SecurityEvent::SettingsChanged,
        "second_factor_for_all",
        serde_json::json!({ "second_factor_for_all": required }),
    );
    db::security::record(&mut *tx, event).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret `12345678901234567890`.
    #[test]
    fn codes_follow_rfc_6238() {
        let secret = base32(b"12345678901234567890");
        let totp = totp(&secret, "a@example.org").unwrap();
        // The RFC's eight-digit values, cut to the six an app shows.
        assert_eq!(totp.generate(59), "287082");
        assert_eq!(totp.generate(1111111109), "081804");
        assert_eq!(totp.generate(2000000000), "279037");
        assert_eq!(matching_step(&totp, "287082", 59), Some(1));
        // One step of drift either way, no more.
        assert_eq!(matching_step(&totp, "287082", 89), Some(1));
        assert_eq!(matching_step(&totp, "287082", 120), None);
        assert_eq!(matching_step(&totp, "000000", 59), None);
    }

    #[test]
    fn typed_proofs_are_read_leniently() {
        assert_eq!(parse_proof(" 123 456 "), Some(Proof::Code("123456".into())));
        let code = "0123-4567-89ab-cdef";
        assert_eq!(
            parse_proof(code),
            Some(Proof::Recovery("0123456789abcdef".into()))
        );
        // Capitals, spaces, and o/i/l for 0/1.
        assert_eq!(
            parse_proof("O123 4567 89AB CDEF"),
            Some(Proof::Recovery("0123456789abcdef".into()))
        );
        assert_eq!(parse_proof("12345"), None);
        assert_eq!(parse_proof("0123-4567-89ab-cdeu"), None);
        assert_eq!(parse_proof(""), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_stored_hashed() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        for (code, hash) in codes.iter().zip(&hashes) {
            assert_eq!(code.len(), 19);
            let Some(Proof::Recovery(normal)) = parse_proof(code) else {
                panic!("{code} reads back");
            };
            assert_eq!(&recovery_hash(&normal), hash);
        }
    }

    #[test]
    fn the_qr_code_is_inline_svg_with_the_otpauth_address() {
        let secret = new_secret();
        let setup = setup(&secret, "ales@example.org").unwrap();
        assert!(setup.qr_svg.starts_with("<svg"));
        assert!(setup.qr_svg.ends_with("</svg>"));
        assert_eq!(setup.secret_grouped.replace(' ', ""), secret);
        let url = totp(&secret, "ales@example.org").unwrap().get_url();
        assert!(url.starts_with("otpauth://totp/Docket:ales%40example.org?secret="));
    }
}
