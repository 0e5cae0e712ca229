//! `/import`: an editor uploads a file in the export's format, sees the
//! dry run's report (every problem by line and field) as it is made, and
//! applies it. Each step runs in the background; its page follows it with a
//! progress bar and reloads itself (no script needed) until it is done.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tokio::io::AsyncWriteExt;
use tower_sessions::Session;
use uuid::Uuid;

use super::form::{Form, expired};
use super::session::{Staff, csrf_matches};
use super::{Ui, path_id, render};
use crate::domain::AccountId;
use crate::domain::access::Caller;
use crate::error::{AppError, AppResult};
use crate::http::routes::Listed;
use crate::records::import::{self, ImportRequest, Progress, Report, Tally};
use crate::records::require_write;
use crate::state::AppState;

/// The largest file taken.
const UPLOAD_LIMIT: usize = 1024 * 1024 * 1024;

/// How long a finished import's page stays, and its file with it.
const KEPT: Duration = Duration::from_secs(60 * 60);

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/import", get(upload_page))
        .listed(
            "/import",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .listed("/import/{job}", get(job_page))
        .listed("/import/{job}/apply", post(apply))
}

/// Where an import begun in the browser is.
#[derive(Debug, Clone)]
enum Stage {
    Checking(Option<Progress>),
    Checked(Arc<Report>),
    Applying(Option<Progress>),
    Applied(Arc<Report>),
    Failed(String),
}

#[derive(Debug)]
struct Job {
    account: AccountId,
    name: String,
    /// The uploaded file, removed with the job.
    file: Arc<tempfile::TempPath>,
    stage: Stage,
    changed: Instant,
}

/// Imports begun in the browser, each seen only by who began it.
#[derive(Debug, Clone, Default)]
pub struct ImportJobs(Arc<Mutex<HashMap<Uuid, Job>>>);

impl ImportJobs {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<Uuid, Job>) -> T) -> AppResult<T> {
        let mut jobs = self
            .0
            .lock()
            .map_err(|_| anyhow::anyhow!("the import jobs are poisoned"))?;
        // Finished jobs are forgotten after a while, their files removed.
        jobs.retain(|_, j| {
            matches!(j.stage, Stage::Checking(_) | Stage::Applying(_)) || j.changed.elapsed() < KEPT
        });
        Ok(f(&mut jobs))
    }

    fn set(&self, id: Uuid, stage: Stage) {
        if let Ok(mut jobs) = self.0.lock()
            && let Some(job) = jobs.get_mut(&id)
        {
            job.stage = stage;
            job.changed = Instant::now();
        }
    }

    /// The job if `staff` began it.
    fn of(&self, id: Uuid, staff: &Staff) -> AppResult<(String, Arc<tempfile::TempPath>, Stage)> {
        self.with(|jobs| {
            jobs.get(&id)
                .filter(|j| j.account == staff.user.id)
                .map(|j| (j.name.clone(), j.file.clone(), j.stage.clone()))
        })?
        .ok_or(AppError::NotFound)
    }
}

#[derive(Template)]
#[template(path = "import/upload.html")]
struct UploadPage {
    ui: Ui,
}

async fn upload_page(staff: Staff) -> AppResult<Response> {
    require_write(&staff.caller)?;
    render(&UploadPage {
        ui: Ui::new(&staff, "import"),
    })
}

/// Takes the file (the form token first), then checks it in the
/// background.
async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    session: Session,
    mut multipart: Multipart,
) -> AppResult<Response> {
    require_write(&staff.caller)?;
    let mut checked_token = false;
    let mut uploaded = None;
    while let Some(mut field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("csrf") => {
                let sent = field.text().await.map_err(bad_upload)?;
                if !csrf_matches(&session, &sent).await? {
                    return Err(expired());
                }
                checked_token = true;
            }
            Some("file") if checked_token => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "upload.ndjson".to_owned());
                let temp = tempfile::NamedTempFile::new().map_err(anyhow::Error::from)?;
                let (file, path) = temp.into_parts();
                let mut file = tokio::fs::File::from_std(file);
                while let Some(chunk) = field.chunk().await.map_err(bad_upload)? {
                    file.write_all(&chunk).await.map_err(anyhow::Error::from)?;
                }
                file.flush().await.map_err(anyhow::Error::from)?;
                uploaded = Some((name, path));
            }
            _ => {}
        }
    }
    if !checked_token {
        return Err(expired());
    }
    let Some((name, path)) = uploaded else {
        return Err(AppError::BadRequest("Choose a file to import.".into()));
    };
    let id = Uuid::now_v7();
    let file = Arc::new(path);
    state.import_jobs.with(|jobs| {
        jobs.insert(
            id,
            Job {
                account: staff.user.id,
                name: name.clone(),
                file: file.clone(),
                stage: Stage::Checking(None),
                changed: Instant::now(),
            },
        )
    })?;
    start(state, staff.caller, id, name, file, true);
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}

fn bad_upload(error: axum::extract::multipart::MultipartError) -> AppError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest(format!("The upload did not arrive whole: {error}"))
    }
}

/// Runs a dry run or the import itself in the background, its progress and
/// its report kept on the job.
fn start(
    state: AppState,
    caller: Caller,
    id: Uuid,
    name: String,
    file: Arc<tempfile::TempPath>,
    dry_run: bool,
) {
    tokio::spawn(async move {
        let jobs = state.import_jobs.clone();
        let request = ImportRequest {
            path: &file,
            name: &name,
            dry_run,
        };
        let progress = |p: Progress| {
            jobs.set(
                id,
                if dry_run {
                    Stage::Checking(Some(p))
                } else {
                    Stage::Applying(Some(p))
                },
            )
        };
        let stage = match import::run(&state, &caller, request, progress).await {
            Ok(report) if dry_run => Stage::Checked(Arc::new(report)),
            Ok(report) => Stage::Applied(Arc::new(report)),
            Err(error) => {
                tracing::error!(error = %error, "import failed");
                Stage::Failed(match error {
                    AppError::Unavailable => {
                        "The database could not be reached; nothing was imported.".into()
                    }
                    _ => {
                        "The import stopped on an error of the server; nothing was imported.".into()
                    }
                })
            }
        };
        state.import_jobs.set(id, stage);
    });
}

/// A kind of record and what the file does to it.
struct KindTally {
    kind: &'static str,
    tally: Tally,
}

#[derive(Template)]
#[template(path = "import/job.html")]
struct JobPage {
    ui: Ui,
    id: Uuid,
    name: String,
    /// `checking`, `checked`, `applying`, `applied` or `failed`.
    stage: &'static str,
    progress: Option<Progress>,
    report: Option<Arc<Report>>,
    tallies: Vec<KindTally>,
    failure: Option<String>,
}

impl JobPage {
    fn running(&self) -> bool {
        matches!(self.stage, "checking" | "applying")
    }

    /// Percent of the file read.
    fn percent(&self) -> u64 {
        self.progress
            .map_or(0, |p| (p.bytes * 100).checked_div(p.total).unwrap_or(100))
    }
}

async fn job_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(job): Path<String>,
) -> AppResult<Response> {
    let id: Uuid = path_id(&job)?;
    let (name, _, stage) = state.import_jobs.of(id, &staff)?;
    let (stage, progress, report, failure) = match stage {
        Stage::Checking(p) => ("checking", p, None, None),
        Stage::Applying(p) => ("applying", p, None, None),
        Stage::Checked(r) => ("checked", None, Some(r), None),
        Stage::Applied(r) => ("applied", None, Some(r), None),
        Stage::Failed(m) => ("failed", None, None, Some(m)),
    };
    let tallies = report
        .iter()
        .flat_map(|r| r.records.iter())
        .map(|(kind, tally)| KindTally {
            kind,
            tally: *tally,
        })
        .collect();
    render(&JobPage {
        ui: Ui::new(&staff, "import"),
        id,
        name,
        stage,
        progress,
        report,
        tallies,
        failure,
    })
}

/// Applies a file whose dry run found no problem.
async fn apply(
    State(state): State<AppState>,
    staff: Staff,
    Path(job): Path<String>,
    Form(_form): Form,
) -> AppResult<Response> {
    require_write(&staff.caller)?;
    let id: Uuid = path_id(&job)?;
    // Checked and marked at once: a second press applies nothing more.
    let (name, file) = state.import_jobs.with(|jobs| {
        let job = jobs
            .get_mut(&id)
            .filter(|j| j.account == staff.user.id)
            .ok_or(AppError::NotFound)?;
        match &job.stage {
            Stage::Checked(report) if report.problem_count() == 0 => {
                job.stage = Stage::Applying(None);
                job.changed = Instant::now();
                Ok((job.name.clone(), job.file.clone()))
            }
            _ => Err(AppError::Conflict(
                "Only a file checked without problems can be imported, and only once.".into(),
            )),
        }
    })??;
    start(state, staff.caller, id, name, file, false);
    Ok(Redirect::to(&format!("/import/{id}")).into_response())
}
