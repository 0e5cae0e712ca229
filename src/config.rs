//! Settings from the environment and `docket` flags.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;

use clap::Args;

/// Where the server listens and which database it uses. `Debug` never
/// prints the database URL's password or the secret key.
#[derive(Clone, Args)]
pub struct Config {
    /// PostgreSQL URL; without it a private cluster in the data directory is used.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// PostgreSQL URL of the role that owns the schema, for migrations
    /// (default: `DATABASE_URL`); `DATABASE_URL` is then the server's role.
    #[arg(long, env = "DOCKET_OWNER_URL", global = true, hide_env_values = true)]
    pub owner_url: Option<String>,
    /// Address to listen on.
    #[arg(
        long,
        env = "DOCKET_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,
    /// Directory for the private cluster and the generated secret key.
    #[arg(long, env = "DOCKET_DATA_DIR", default_value = "var", global = true)]
    pub data_dir: PathBuf,
    /// Key for encrypting restricted values; generated into the data directory if absent.
    #[arg(long, env = "DOCKET_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Tracing filter, e.g. `info,docket=debug`.
    #[arg(long, env = "DOCKET_LOG", default_value = "info", global = true)]
    pub log: String,
    /// The address users reach the server at, e.g. `https://docket.example.org`.
    #[arg(long, env = "DOCKET_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// The address of a reverse proxy in front of the server: requests from
    /// it are taken to come from the last address in `X-Forwarded-For`.
    #[arg(long, env = "DOCKET_TRUSTED_PROXY", global = true)]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Minutes without a request after which a staff session ends.
    #[arg(long, env = "DOCKET_SESSION_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(i64).range(1..=1440), global = true)]
    pub session_idle_minutes: i64,
    /// Hours after login after which a staff session ends, however active.
    #[arg(long, env = "DOCKET_SESSION_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(i64).range(1..=168), global = true)]
    pub session_hours: i64,
    /// API requests a minute per token.
    #[arg(long, env = "DOCKET_RATE_PER_TOKEN", default_value_t = NonZeroU32::new(600).unwrap(),
          global = true)]
    pub rate_per_token: NonZeroU32,
    /// API requests a minute per client address.
    #[arg(long, env = "DOCKET_RATE_PER_ADDRESS", default_value_t = NonZeroU32::new(1200).unwrap(),
          global = true)]
    pub rate_per_address: NonZeroU32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url.as_ref().map(|_| "[set]"))
            .field("owner_url", &self.owner_url.as_ref().map(|_| "[set]"))
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "[set]"))
            .field("log", &self.log)
            .field("public_url", &self.public_url)
            .field("trusted_proxy", &self.trusted_proxy)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_hours", &self.session_hours)
            .field("rate_per_token", &self.rate_per_token)
            .field("rate_per_address", &self.rate_per_address)
            .finish()
    }
}
