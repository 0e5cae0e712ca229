//! Application-side encryption of restricted values and API token material.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Encrypts and decrypts restricted values with a key derived from
/// `DOCKET_SECRET_KEY`, so a database dump alone does not reveal them.
#[derive(Clone)]
pub struct Cipher {
    aead: XChaCha20Poly1305,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher([hidden])")
    }
}

const NONCE_LEN: usize = 24;

impl Cipher {
    pub fn from_secret(secret: &str) -> Self {
        let key = Sha256::new()
            .chain_update(b"docket restricted values v1\0")
            .chain_update(secret.as_bytes())
            .finalize();
        Self {
            aead: XChaCha20Poly1305::new(&key),
        }
    }

    /// The secret from the configuration, or the one kept in the data
    /// directory (created there, readable by the owner only, on first use).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(secret) = configured {
            return Ok(Self::from_secret(secret));
        }
        let path = data_dir.join("secret_key");
        if let Ok(secret) = std::fs::read_to_string(&path) {
            return Ok(Self::from_secret(secret.trim()));
        }
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating the data directory {}", data_dir.display()))?;
        let secret = random_token(32);
        write_private(&path, &secret)?;
        Ok(Self::from_secret(&secret))
    }

    /// Encrypts with a fresh nonce; an error rather than a value that
    /// would not open again.
    pub fn seal(&self, plaintext: &str) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .aead
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| anyhow::anyhow!("encrypting a restricted value failed"))?;
        Ok([nonce.as_slice(), &ciphertext].concat())
    }

    pub fn open(&self, sealed: &[u8]) -> anyhow::Result<String> {
        anyhow::ensure!(sealed.len() > NONCE_LEN, "sealed value too short");
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let plaintext = self
            .aead
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| anyhow::anyhow!("restricted value does not decrypt with this key"))?;
        Ok(String::from_utf8(plaintext)?)
    }

    /// Seals a value into URL-safe text that clients hand back but can
    /// neither read nor forge: the change feed's cursors.
    pub fn seal_text(&self, plaintext: &str) -> anyhow::Result<String> {
        Ok(URL_SAFE_NO_PAD.encode(self.seal(plaintext)?))
    }

    /// What [`Cipher::seal_text`] sealed with this key; `None` for any other text.
    pub fn open_text(&self, sealed: &str) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        self.open(&bytes).ok()
    }
}

/// Sealed bytes as they appear in a history snapshot.
pub fn sealed_for_history(sealed: &[u8]) -> String {
    format!("sealed:{}", STANDARD.encode(sealed))
}

/// The sealed bytes a history snapshot holds (`sealed:<base64>`).
pub fn sealed_from_history(written: &str) -> Option<Vec<u8>> {
    STANDARD.decode(written.strip_prefix("sealed:")?).ok()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

/// `n` random bytes, URL-safe base64.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token (256 random bits) and the hash that is stored.
pub fn new_api_token() -> (String, Vec<u8>) {
    let token = format!("dkt_{}", random_token(32));
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_the_same_secret() {
        let sealed = Cipher::from_secret("one")
            .seal("family phone +375")
            .unwrap();
        assert_eq!(
            Cipher::from_secret("one").open(&sealed).unwrap(),
            "family phone +375"
        );
        assert!(Cipher::from_secret("two").open(&sealed).is_err());
        assert!(!String::from_utf8_lossy(&sealed).contains("family"));
    }
}
