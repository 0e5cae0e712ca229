//! A private PostgreSQL cluster in the data directory, for running and
//! testing without a database server to configure.
//!
//! The first `docket` process that needs the cluster starts it and stops it
//! when it is done; a process that finds it running uses it. A lock file in
//! the cluster directory keeps two starts from racing. `initdb` refuses to
//! run as root, so as root the cluster runs as the unprivileged `postgres`
//! (or `nobody`) user.

use std::ffi::CString;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnectOptions;

/// Name of the database role and the application database in the cluster.
const ROLE: &str = "docket";

#[derive(Debug)]
pub struct Cluster {
    data: PathBuf,
    socket_dir: PathBuf,
    bin: PathBuf,
    run_as: Option<(u32, u32)>,
    started_here: bool,
}

impl Cluster {
    /// Starts the cluster under `dir` (creating it on first use), or joins
    /// it if another process already runs it.
    pub fn ensure_started(dir: &Path) -> anyhow::Result<Self> {
        let bin = find_bin_dir()?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let dir = dir.canonicalize()?;
        let _lock = lock(&dir.join("cluster.lock"))?;
        let run_as = unprivileged_user()?;
        let home = cluster_home(&dir, run_as)?;
        let data = home.join("data");
        let socket_dir = home.join("run");
        for d in [&home, &data, &socket_dir] {
            std::fs::create_dir_all(d)?;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))?;
            if let Some((uid, gid)) = run_as {
                chown(d, uid, gid)?;
            }
        }
        let mut cluster = Cluster {
            data,
            socket_dir,
            bin,
            run_as,
            started_here: false,
        };
        if !cluster.data.join("PG_VERSION").exists() {
            cluster.initdb()?;
        }
        if !cluster.is_running() {
            cluster.start()?;
            cluster.started_here = true;
        }
        Ok(cluster)
    }

    /// Connection options for `database` in this cluster.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .username(ROLE)
            .database(database)
    }

    /// A URL for `database` in this cluster, for other programs.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{ROLE}@localhost/{database}?host={}",
            self.socket_dir.display()
        )
    }

    /// The application database's options: `docket`.
    pub fn app_options(&self) -> PgConnectOptions {
        self.connect_options(ROLE)
    }

    /// True if this process started the cluster (and so must stop it).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// Stops the cluster if this process started it.
    pub fn stop(&self) {
        if !self.started_here {
            return;
        }
        let data = self.data.to_string_lossy().into_owned();
        if let Err(e) = self.run("pg_ctl", &["stop", "-D", &data, "-m", "fast", "-w"]) {
            tracing::warn!(error = %e, "stopping the private PostgreSQL cluster failed");
        }
    }

    fn initdb(&self) -> anyhow::Result<()> {
        let data = self.data.to_string_lossy().into_owned();
        let args = [
            "-D",
            &data,
            "-U",
            ROLE,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ];
        self.run("initdb", &args)
            .context("initialising the private PostgreSQL cluster")?;
        // The application database is created with the cluster.
        self.start()?;
        let created = self.run(
            "psql",
            &[
                "-h",
                &self.socket_dir.to_string_lossy(),
                "-U",
                ROLE,
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                "CREATE DATABASE docket",
            ],
        );
        self.run("pg_ctl", &["stop", "-D", &data, "-m", "fast", "-w"])?;
        created.map(|_| ())
    }

    fn start(&self) -> anyhow::Result<()> {
        let data = self.data.to_string_lossy().into_owned();
        let log = self.data.join("server.log").to_string_lossy().into_owned();
        let options = format!(
            "-c listen_addresses='' -k {} -c unix_socket_permissions=0700",
            self.socket_dir.display()
        );
        self.run(
            "pg_ctl",
            &[
                "start", "-D", &data, "-w", "-t", "60", "-l", &log, "-o", &options,
            ],
        )
        .with_context(|| format!("starting the private PostgreSQL cluster (log: {log})"))?;
        Ok(())
    }

    fn is_running(&self) -> bool {
        let data = self.data.to_string_lossy().into_owned();
        self.run("pg_ctl", &["status", "-D", &data]).is_ok()
    }

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<Output> {
        let mut command = Command::new(self.bin.join(program));
        command
            .args(args)
            .current_dir(&self.data)
            .env("LC_ALL", "C.UTF-8");
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
        }
        let output = command
            .output()
            .with_context(|| format!("running {}", self.bin.join(program).display()))?;
        if !output.status.success() {
            bail!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&output.stderr).trim(),
                String::from_utf8_lossy(&output.stdout).trim()
            );
        }
        Ok(output)
    }
}

/// The directory holding PostgreSQL's server programs.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("DOCKET_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    // Debian and Ubuntu keep each major version apart; take the newest.
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    candidates.sort();
    if let Some((_, bin)) = candidates.pop() {
        return Ok(bin);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists());
    on_path.context(
        "the PostgreSQL server programs (initdb, pg_ctl) were not found: install the \
         PostgreSQL server package (Debian/Ubuntu: `apt install postgresql`), or set \
         DATABASE_URL to use a running server",
    )
}

/// As root, the uid and gid to run the cluster as.
fn unprivileged_user() -> anyhow::Result<Option<(u32, u32)>> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        let c_name = CString::new(name)?;
        // SAFETY: getpwnam receives a valid C string; the returned record is
        // read at once, before any other call could overwrite it.
        let entry = unsafe { libc::getpwnam(c_name.as_ptr()) };
        if !entry.is_null() {
            // SAFETY: checked non-null above.
            let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
            return Ok(Some((uid, gid)));
        }
    }
    bail!("running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL")
}

/// Where the cluster lives: `dir/cluster`, unless `dir` is too deep for a
/// Unix socket path or the unprivileged user cannot reach it; then a folder
/// under the system's temporary directory named after `dir`.
fn cluster_home(dir: &Path, run_as: Option<(u32, u32)>) -> anyhow::Result<PathBuf> {
    let home = dir.join("cluster");
    // sun_path holds 107 bytes; the socket is `run/.s.PGSQL.5432`.
    let fits = home.as_os_str().len() + "/run/.s.PGSQL.5432".len() < 100;
    let reachable = run_as.is_none_or(|(uid, _)| ancestors_traversable(dir, uid));
    if fits && reachable {
        return Ok(home);
    }
    let digest = hex::encode(Sha256::digest(dir.as_os_str().as_encoded_bytes()));
    Ok(std::env::temp_dir().join(format!("docket-pg-{}", &digest[..16])))
}

/// True if every ancestor of `dir` lets others (or `uid`) pass through.
fn ancestors_traversable(dir: &Path, uid: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    dir.ancestors()
        .all(|a| std::fs::metadata(a).is_ok_and(|m| m.mode() & 0o001 != 0 || m.uid() == uid))
}

fn chown(path: &Path, uid: u32, gid: u32) -> anyhow::Result<()> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
        .with_context(|| format!("handing {} to the database user", path.display()))
}

/// An exclusive lock held until the returned file is dropped.
fn lock(path: &Path) -> anyhow::Result<File> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    // SAFETY: flock on a file descriptor we own; blocks until granted.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    if rc != 0 {
        bail!(
            "locking {}: {}",
            path.display(),
            std::io::Error::last_os_error()
        );
    }
    Ok(file)
}
