//! The `docket` command line: serve, migrate, demo-data, user, token.

use std::io::{IsTerminal, Read};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use sqlx::PgPool;
use time::OffsetDateTime;

use crate::cluster::Cluster;
use crate::config::Config;
use crate::crypto::{Cipher, random_token};
use crate::db;
use crate::db::history::ChainCheck;
use crate::domain::access::Caller;
use crate::domain::{AccountKind, Role, TokenScope};
use crate::error::AppError;
use crate::http::api::rate::RateLimits;
use crate::records::accounts;
use crate::records::export::{ExportFormat, ExportRequest};
use crate::records::import::{self, ImportRequest, Progress};
use crate::state::AppState;

#[derive(Debug, Parser)]
#[command(
    name = "docket",
    version,
    about = "A registry of political-prisoner cases"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the workspace and the API (the default).
    Serve,
    /// Apply database migrations.
    Migrate,
    /// Load the demo cases (again and again without duplicating).
    DemoData,
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Export every case and reference record an admin may see (restricted
    /// values too, with their clearance), for backups and moves; logged
    /// under the admin.
    Export {
        /// The admin's email.
        #[arg(long)]
        by: String,
        /// `ndjson` (one record a line) or `csv` (a zip of one CSV file a table).
        #[arg(long, value_parser = parse_format, default_value = "ndjson")]
        format: ExportFormat,
        /// The file to write (replaced only once the export is whole);
        /// standard output if not given.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Import a file in an export's format (NDJSON, or a zip of CSV
    /// tables): every record checked, then applied all-or-nothing in one
    /// transaction (nothing when any record has a problem); records matching by id or external id are updated,
    /// not added again. History names the file. Exits with 1 on problems.
    Import {
        /// The editor's or admin's email: the changes are theirs.
        #[arg(long)]
        by: String,
        /// Check the file and report what it would do, changing nothing.
        #[arg(long)]
        dry_run: bool,
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain of the history and name the first entry
    /// that was altered, removed or moved; exits with 1 if there is one.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account; the password is read from standard input, or
    /// generated and printed once.
    Add {
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Clearance to read and write restricted data.
        #[arg(long)]
        restricted: bool,
        /// Display name (default: the email address).
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove an account's second factor and recovery codes (a lost phone)
    /// and end its sessions; it sets up a new one at its next login if it
    /// must have one.
    ResetSecondFactor { email: String },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for an account and print it (only the token).
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, value_parser = parse_scope)]
        scope: TokenScope,
        #[arg(long)]
        name: Option<String>,
        /// Days until the token expires (1 to 3650).
        #[arg(long, default_value_t = accounts::DEFAULT_TOKEN_DAYS, value_parser = clap::value_parser!(i64).range(accounts::TOKEN_DAYS))]
        expires_days: i64,
    },
    /// List an account's tokens (never the tokens themselves).
    List {
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by its id (from `token list`); takes effect at once.
    Revoke { id: uuid::Uuid },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

fn parse_scope(s: &str) -> Result<TokenScope, String> {
    s.parse()
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    match s {
        "ndjson" => Ok(ExportFormat::Ndjson),
        "csv" => Ok(ExportFormat::Csv),
        _ => Err("ndjson or csv".into()),
    }
}

/// The database every command uses: `DATABASE_URL`, or the private cluster
/// in the data directory (started for the command if it is not running).
/// Commands act through the server's role; migrations run as the owner
/// (`DOCKET_OWNER_URL`, else `DATABASE_URL`; in the private cluster, the
/// cluster's owner, with the server connecting as `docket_server`).
pub struct Database {
    pub pool: PgPool,
    /// The owner's pool, when the owner is another role.
    owner: Option<PgPool>,
    cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        if let Some(url) = &config.database_url {
            let pool = connect_url(url, "DATABASE_URL", true).await?;
            let owner = match &config.owner_url {
                Some(url) => Some(connect_url(url, "DOCKET_OWNER_URL", false).await?),
                None => None,
            };
            return Ok(Self {
                pool,
                owner,
                cluster: None,
            });
        }
        let dir = config.data_dir.join("postgres");
        let cluster = tokio::task::spawn_blocking(move || Cluster::ensure_started(&dir)).await??;
        match Self::open_cluster(&cluster).await {
            Ok((pool, owner)) => Ok(Self {
                pool,
                owner: Some(owner),
                cluster: Some(cluster),
            }),
            Err(e) => {
                cluster.stop();
                Err(e).context("connecting to the private PostgreSQL cluster")
            }
        }
    }

    /// The owner's pool, with the migrations applied and the server's login
    /// role made; then the server's pool.
    async fn open_cluster(cluster: &Cluster) -> anyhow::Result<(PgPool, PgPool)> {
        let owner = db::connect(cluster.app_options()).await?;
        db::MIGRATOR
            .run(&owner)
            .await
            .context("applying migrations")?;
        db::roles::ensure_server_login(&mut *owner.acquire().await?).await?;
        let pool =
            db::connect_server(cluster.app_options().username(db::roles::SERVER_LOGIN)).await?;
        Ok((pool, owner))
    }

    /// Applies the migrations as the owner.
    async fn migrate(&self) -> anyhow::Result<()> {
        let owner = self.owner.as_ref().unwrap_or(&self.pool);
        db::MIGRATOR
            .run(owner)
            .await
            .context("applying migrations")?;
        Ok(())
    }

    /// Closes the owner's pool, when it is not the server's: a server does
    /// not keep the owner's connections open once its migrations are done.
    async fn close_owner(&self) {
        if let Some(owner) = &self.owner {
            owner.close().await;
        }
    }

    /// Closes the pools, and stops the cluster if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        self.close_owner().await;
        if let Some(cluster) = self.cluster {
            let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
        }
    }
}

/// A pool for `url` (named `name` in errors): the server's, with its
/// statement timeout, or the owner's.
async fn connect_url(url: &str, name: &str, server: bool) -> anyhow::Result<PgPool> {
    let options: sqlx::postgres::PgConnectOptions = url
        .parse()
        .with_context(|| format!("{name} is not a PostgreSQL URL"))?;
    let pool = if server {
        db::connect_server(options).await
    } else {
        db::connect(options).await
    };
    pool.with_context(|| format!("connecting to {name}"))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    let database = Database::open(&config).await?;
    let result = dispatch(&config, &database, cli.command.unwrap_or(Command::Serve)).await;
    database.close().await;
    result
}

async fn dispatch(config: &Config, database: &Database, command: Command) -> anyhow::Result<()> {
    let pool = &database.pool;
    match command {
        Command::Migrate => {
            database.migrate().await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::DemoData => {
            database.migrate().await?;
            let report = crate::demo::load(pool).await?;
            println!("{report}");
            Ok(())
        }
        Command::User(UserCommand::Add {
            email,
            role,
            restricted,
            name,
        }) => {
            let password = read_or_generate_password()?;
            add_user(pool, &email, name.as_deref(), role, restricted, &password.0).await?;
            if password.1 {
                println!(
                    "Created {email} ({role}). Password (shown once): {}",
                    password.0
                );
            } else {
                println!("Created {email} ({role}).");
            }
            Ok(())
        }
        Command::User(UserCommand::ResetSecondFactor { email }) => {
            let account = db::accounts::by_email(pool, &email)
                .await?
                .with_context(|| format!("no account with the email {email}"))?;
            let removed = crate::records::second_factor::remove(
                pool,
                account.id,
                crate::domain::SecurityEvent::SecondFactorReset,
                accounts::By::CLI,
            )
            .await
            .map_err(plain)?;
            if removed {
                println!("The second factor of {email} is removed; its sessions have ended.");
            } else {
                println!("{email} has no second factor.");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create {
            user,
            scope,
            name,
            expires_days,
        }) => {
            let account = db::accounts::by_email(pool, &user)
                .await?
                .with_context(|| format!("no account with the email {user}"))?;
            let token = accounts::issue_token(
                pool,
                &account,
                name.as_deref(),
                scope,
                expires_days,
                accounts::By::CLI,
            )
            .await
            .map_err(plain)?;
            println!("{token}");
            Ok(())
        }
        Command::Token(TokenCommand::List { user }) => {
            let account = db::accounts::by_email(pool, &user)
                .await?
                .with_context(|| format!("no account with the email {user}"))?;
            for t in db::accounts::tokens_of(pool, account.id).await? {
                let state = match (t.revoked_at, t.expires_at) {
                    (Some(at), _) => format!("revoked {}", at.date()),
                    (None, Some(at)) if at <= OffsetDateTime::now_utc() => {
                        format!("expired {}", at.date())
                    }
                    (None, Some(at)) => format!("expires {}", at.date()),
                    (None, None) => "no expiry".to_owned(),
                };
                let used = t.last_used_at.map_or("never used".to_owned(), |at| {
                    format!("last used {}", at.date())
                });
                println!(
                    "{}  {}  {}  {state}, {used}",
                    t.id,
                    t.scope,
                    t.name.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { id }) => {
            if !accounts::revoke_token(pool, None, crate::domain::TokenId(id), accounts::By::CLI)
                .await
                .map_err(plain)?
            {
                bail!("no live token with the id {id}");
            }
            println!("Revoked {id}.");
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let said = match db::history::check_chain(pool).await? {
                ChainCheck::Intact { entries, head_hash } => {
                    let hash: String = head_hash.iter().map(|b| format!("{b:02x}")).collect();
                    println!("History intact: {entries} entries, each linked to the one before.");
                    // Kept elsewhere, it shows later whether the chain was
                    // rewritten from some entry on.
                    println!("Newest hash: {hash}");
                    return Ok(());
                }
                ChainCheck::Altered { seq } => {
                    format!("entry {seq} was altered: its content does not match its hash")
                }
                ChainCheck::Missing { seq } => format!("entry {seq} was removed"),
                ChainCheck::Unlinked { seq } => format!(
                    "entry {seq} does not follow the entry before it: entries were reordered, \
                     or replaced from there on"
                ),
                ChainCheck::Truncated { last, head } => {
                    format!("the entries after {last} were removed (the history counted {head})")
                }
            };
            bail!("History altered: {said}.")
        }
        Command::Export { by, format, output } => {
            export(config, pool, &by, format, output.as_deref()).await
        }
        Command::Import { by, dry_run, file } => import(config, pool, &by, dry_run, &file).await,
        Command::Serve => serve(config, database).await,
    }
}

/// A password from standard input when it is piped in, else a generated
/// one (true: generated, to be shown).
fn read_or_generate_password() -> anyhow::Result<(String, bool)> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut input = String::new();
        stdin.lock().read_to_string(&mut input)?;
        let password = input.lines().next().unwrap_or("").to_owned();
        if !password.is_empty() {
            return Ok((password, false));
        }
    }
    Ok((random_token(18), true))
}

pub async fn add_user(
    pool: &PgPool,
    email: &str,
    name: Option<&str>,
    role: Role,
    restricted: bool,
    password: &str,
) -> anyhow::Result<()> {
    let account = accounts::NewAccount {
        kind: AccountKind::Staff,
        email: Some(email),
        name: name.unwrap_or(""),
        password: Some(password),
        role,
        restricted_clearance: restricted,
    };
    accounts::add(pool, account, accounts::By::CLI)
        .await
        .map_err(plain)?;
    Ok(())
}

/// An error as the command line says it: each bad field with its message.
fn plain(error: AppError) -> anyhow::Error {
    match error {
        AppError::Invalid(errors) => {
            let said: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field.replace('_', " "), e.message))
                .collect();
            anyhow::anyhow!(said.join("; "))
        }
        other => other.into(),
    }
}

/// What the server's handlers share, from the configuration.
fn app_state(config: &Config, pool: &PgPool) -> anyhow::Result<AppState> {
    Ok(AppState {
        pool: pool.clone(),
        cipher: Cipher::load(config.secret_key.as_deref(), &config.data_dir)?,
        secure_cookies: config
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        trusted_proxy: config.trusted_proxy,
        session_limits: crate::http::html::session::SessionLimits {
            idle: time::Duration::minutes(config.session_idle_minutes),
            absolute: time::Duration::hours(config.session_hours),
        },
        rate_limits: RateLimits::per_minute(config.rate_per_token, config.rate_per_address),
        token_usage: Default::default(),
        export_slots: Default::default(),
        import_jobs: Default::default(),
    })
}

async fn serve(config: &Config, database: &Database) -> anyhow::Result<()> {
    let pool = &database.pool;
    database.migrate().await?;
    database.close_owner().await;
    let excess = db::roles::excess(pool).await?;
    if excess.any() {
        tracing::warn!(
            role = %excess.role,
            superuser = excess.superuser,
            bypasses_row_security = excess.bypasses_row_security,
            owns_tables = excess.owns_tables,
            changes_history = excess.changes_history,
            "the server's database role can do more than the server needs, such as changing \
             history: give DATABASE_URL a member of docket_app that owns nothing, and \
             DOCKET_OWNER_URL the owner (see the README)"
        );
    }
    // Demo cases come with the private cluster only: a server given by
    // DATABASE_URL may hold real cases, and gets them on request.
    first_start(pool, config.database_url.is_none()).await?;
    let state = app_state(config, pool)?;
    state.rate_limits.forget_idle_clients();
    state.token_usage.write_every_minute(pool.clone());
    if state.secure_cookies && state.trusted_proxy.is_none() {
        tracing::warn!(
            "DOCKET_PUBLIC_URL is https but DOCKET_TRUSTED_PROXY is not set: behind a reverse \
             proxy every client shares its address, and the login throttle counts them together"
        );
    }
    tokio::spawn(crate::http::html::session::delete_expired_sessions(
        pool.clone(),
    ));
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    println!("Docket is at http://{}/", listener.local_addr()?);
    let app =
        crate::build_router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// On the first start: an admin account, and the demo cases if `demo`.
async fn first_start(pool: &PgPool, demo: bool) -> anyhow::Result<()> {
    if !db::accounts::any_admin(pool).await? {
        let email = "admin@docket.local";
        let password = random_token(18);
        add_user(
            pool,
            email,
            Some("Administrator"),
            Role::Admin,
            true,
            &password,
        )
        .await?;
        println!(
            "Created the admin account {email} with the one-time password: {password}\n\
             Get an API token with: docket token create --user {email} --scope read:internal\n\
             (from this checkout: cargo run --release -- token create --user {email} --scope read:internal)"
        );
        if demo {
            let report = crate::demo::load(pool).await?;
            println!("{report}");
        } else {
            println!("Load the demo cases with: docket demo-data");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// `docket export`: as the admin `by`, into `output` or standard output.
async fn export(
    config: &Config,
    pool: &PgPool,
    by: &str,
    format: ExportFormat,
    output: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use std::io::Write;

    let caller = staff_caller(pool, by).await?;
    if caller.role != Role::Admin {
        bail!("{by} is not an admin: exports of everything are for admins");
    }
    let state = app_state(config, pool)?;
    let request = ExportRequest {
        format,
        filter: db::persons::PersonFilter::default(),
        asked: serde_json::json!({}),
    };
    let started = crate::records::export::begin(&state, &caller, request, None)
        .await
        .map_err(plain)?;
    // A file is written beside its place and moved there once whole.
    let mut file = match output {
        Some(path) => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            Some(
                tempfile::NamedTempFile::new_in(dir)
                    .with_context(|| format!("creating a file in {}", dir.display()))?,
            )
        }
        None => None,
    };
    let (chunks, mut received) = tokio::sync::mpsc::channel(4);
    let exporting = tokio::spawn(started.run(chunks));
    // Interrupted, the export stops like one that failed: the file it was
    // writing (restricted values and all) is removed, and the log says so.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut written = Ok(());
    loop {
        let chunk = tokio::select! {
            chunk = received.recv() => chunk,
            _ = tokio::signal::ctrl_c() => Some(Err(std::io::Error::other("interrupted"))),
            _ = terminate.recv() => Some(Err(std::io::Error::other("terminated"))),
        };
        let Some(chunk) = chunk else { break };
        written = chunk.and_then(|chunk| match &mut file {
            Some(file) => file.write_all(&chunk),
            None => std::io::stdout().write_all(&chunk),
        });
        if written.is_err() {
            // The export then ends, and logs that it did not finish.
            break;
        }
    }
    drop(received);
    let exported = exporting.await?.map_err(plain);
    written.context("writing the export")?;
    let rows = exported?;
    match (file, output) {
        (Some(file), Some(path)) => {
            file.persist(path)
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("Exported {rows} rows to {}.", path.display());
        }
        _ => std::io::stdout().flush()?,
    }
    Ok(())
}

/// The active staff account `email` acting from the command line.
async fn staff_caller(pool: &PgPool, email: &str) -> anyhow::Result<Caller> {
    let account = db::accounts::by_email(pool, email)
        .await?
        .with_context(|| format!("no account with the email {email}"))?;
    if account.disabled_at.is_some() {
        bail!("the account {email} is disabled");
    }
    Ok(Caller {
        account_id: account.id,
        token_id: None,
        role: account.role,
        restricted_clearance: account.restricted_clearance,
        scope: None,
        face: crate::domain::Face::Cli,
        import: None,
    })
}

/// `docket import`: as the editor or admin `by`; progress on standard
/// error, the report on standard output.
async fn import(
    config: &Config,
    pool: &PgPool,
    by: &str,
    dry_run: bool,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let caller = staff_caller(pool, by).await?;
    if !caller.may_write() {
        bail!("{by} may not change case data: imports are for editors and admins");
    }
    let state = app_state(config, pool)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let request = ImportRequest {
        path,
        name: &name,
        dry_run,
    };
    let report = import::run(&state, &caller, request, |p: Progress| {
        eprintln!("{} lines read, {} of {} bytes", p.lines, p.bytes, p.total);
    })
    .await
    .map_err(plain)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    if report.unlisted_problems > 0 {
        println!("… and {} more problems.", report.unlisted_problems);
    }
    for (kind, tally) in &report.records {
        println!(
            "{kind}: {} new, {} changed, {} unchanged",
            tally.created, tally.updated, tally.unchanged
        );
    }
    let problems = report.problem_count();
    if problems > 0 {
        bail!(
            "{problems} problems in {} lines of {name}: nothing was imported",
            report.lines
        );
    }
    if report.applied {
        println!("Imported {name}: {} lines.", report.lines);
    } else {
        println!(
            "Dry run of {name}: {} lines, no problems; nothing was changed.",
            report.lines
        );
    }
    Ok(())
}
