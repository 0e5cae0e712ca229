//! Imports: a file in an export's own format (NDJSON, one `{kind, record}`
//! a line; or a zip of its CSV tables, read back into the same records)
//! read a record at a time into one transaction. Every record goes
//! through the same validation, permission checks and history as a change
//! made by hand; a record that fails is rolled back to its savepoint and its
//! problems are noted by line and field, and the reading goes on, so one
//! pass reports every problem. The transaction is committed only when no
//! line had a problem and the import is not a dry run: a file goes in whole
//! or not at all.
//!
//! Records match on their ids, and persons without a known id on their
//! external ids, so a second run of the same file changes nothing. A record
//! of a case without an id matches one of that case with the same fields.
//! An import adds and changes; it never archives what a file leaves out.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection, Postgres, Transaction};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use uuid::Uuid;

use super::changes::ChangeKind;
use super::persons::{change_on, create_on as create_person, current_fields, load_parts, today};
use super::tables::Table;
use super::{Record, create_on, require_write, shown_to, update_on};
use crate::db;
use crate::db::affiliations::AffiliationRow;
use crate::db::cases::CaseRow;
use crate::db::charges::ChargeRow;
use crate::db::citations::CitationRow;
use crate::db::detentions::DetentionRow;
use crate::db::facilities::FacilityRow;
use crate::db::organizations::OrganizationRow;
use crate::db::recognitions::RecognitionRow;
use crate::db::sentences::SentenceRow;
use crate::db::sources::SourceRow;
use crate::domain::access::Caller;
use crate::domain::affiliation::{CitationFields, CitationTarget};
use crate::domain::person::PersonFields;
use crate::domain::validate::FieldErrors;
use crate::domain::{ChangeAction, Face, ImportId, LegalCode, PersonId, Visibility};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

mod csv_zip;

/// The longest line read; a case with more is reported, not read.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// Problems listed in a report at most; the rest are counted.
const LISTED: usize = 1_000;

/// What is wrong where: in a zip, its table (`detentions.csv`); the line
/// (none: the file or table as a whole); the field's path within its record,
/// or in a table its column (empty: the line as a whole); and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub table: Option<String>,
    pub line: Option<u64>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    /// `detentions.csv line 7, started: must not be before …`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = self.line.map(|line| format!("line {line}"));
        let at = [self.table.clone(), line]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        match (at.is_empty(), self.field.as_str()) {
            (true, "") => write!(f, "the file: {}", self.message),
            (true, field) => write!(f, "{field}: {}", self.message),
            (false, "") => write!(f, "{}: {}", at.join(" "), self.message),
            (false, field) => write!(f, "{}, {field}: {}", at.join(" "), self.message),
        }
    }
}

/// Where a record was read: a line of NDJSON, or rows of a zip's tables.
pub enum Place {
    Line(u64),
    Rows(Box<Rows>),
}

/// The rows a record was read from: its own, and those of the items of its
/// lists by their path (`detentions[0]`, `sentences[1].charge_ids[0]`).
pub struct Rows {
    pub table: &'static Table,
    pub line: u64,
    pub items: BTreeMap<String, (&'static Table, u64)>,
}

impl Place {
    /// The problem of the record's `field`.
    fn problem(&self, field: &str, message: String) -> Problem {
        let (table, line, field) = match self {
            Place::Line(line) => (None, *line, field.to_owned()),
            Place::Rows(rows) => {
                // The list the field is, told at its first item's row; or
                // the item the field is in: the longest path of one that
                // begins it.
                let first = format!("{field}[0]");
                let item = match rows.items.get(&first) {
                    Some(at) => Some((field, at)),
                    None => field.match_indices(']').rev().find_map(|(end, _)| {
                        let (path, at) = rows.items.get_key_value(&field[..=end])?;
                        Some((path.as_str(), at))
                    }),
                };
                let ((table, line), rest) = match item {
                    Some((path, at)) => (*at, &field[path.len()..]),
                    None => ((rows.table, rows.line), field),
                };
                let column = match rest.trim_start_matches('.') {
                    "" => String::new(),
                    rest => table.header_of(rest),
                };
                (Some(table.file()), line, column)
            }
        };
        Problem {
            table,
            line: Some(line),
            field,
            message,
        }
    }
}

/// What an import did (or, in a dry run, would do) to records of a kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize)]
pub struct Tally {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// The outcome of an import or a dry run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub file: String,
    pub lines: u64,
    pub dry_run: bool,
    /// Whether the file's changes were committed.
    pub applied: bool,
    /// The first problems, in the order of the file.
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub unlisted_problems: u64,
    /// By record kind (`person`, `detention`, …).
    pub records: BTreeMap<&'static str, Tally>,
}

impl Report {
    fn new(file: &str, dry_run: bool) -> Self {
        Report {
            file: file.to_owned(),
            lines: 0,
            dry_run,
            applied: false,
            problems: Vec::new(),
            unlisted_problems: 0,
            records: BTreeMap::new(),
        }
    }

    /// Whether any problem is in a table of a zip.
    pub fn in_tables(&self) -> bool {
        self.problems.iter().any(|p| p.table.is_some())
    }

    /// Problems found in all.
    pub fn problem_count(&self) -> u64 {
        self.problems.len() as u64 + self.unlisted_problems
    }

    fn add(&mut self, problem: Problem) {
        if self.problems.len() < LISTED {
            self.problems.push(problem);
        } else {
            self.unlisted_problems += 1;
        }
    }

    fn problem(&mut self, at: &Place, field: impl AsRef<str>, message: impl Into<String>) {
        self.add(at.problem(field.as_ref(), message.into()));
    }

    fn field_errors(&mut self, at: &Place, prefix: &str, errors: FieldErrors) {
        for e in errors.0 {
            self.problem(at, within(prefix, &e.field), e.message);
        }
    }

    /// Notes what an error says about a record of `line`; an error that is
    /// not about the record (the database went away) ends the import.
    fn fault(&mut self, at: &Place, prefix: &str, error: AppError) -> AppResult<()> {
        match error {
            AppError::Invalid(errors) => self.field_errors(at, prefix, errors),
            AppError::NotFound => self.problem(at, prefix, "no such record here"),
            AppError::Forbidden(message) => self.problem(at, prefix, message),
            AppError::Conflict(message) => self.problem(at, prefix, message),
            AppError::Internal(e) if refused_by_database(&e) => self.problem(
                at,
                prefix,
                "the database refused this record as it is (it breaks a rule between records)",
            ),
            other => return Err(other),
        }
        Ok(())
    }

    fn count(&mut self, kind: &'static str, outcome: Outcome) {
        let tally = self.records.entry(kind).or_default();
        match outcome {
            Outcome::Created => tally.created += 1,
            Outcome::Updated => tally.updated += 1,
            Outcome::Unchanged => tally.unchanged += 1,
        }
    }
}

fn refused_by_database(error: &anyhow::Error) -> bool {
    matches!(
        error.downcast_ref::<sqlx::Error>(),
        Some(sqlx::Error::Database(_))
    )
}

/// `detentions[0]` and `started` make `detentions[0].started`.
fn within(prefix: &str, field: &str) -> String {
    match (prefix.is_empty(), field.is_empty()) {
        (true, _) => field.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{field}"),
    }
}

/// What the reader of a zip hands the import.
pub(crate) enum Item {
    Record(Place, ChangeKind, Map<String, Value>),
    Problem(Problem),
    Progress(Progress),
}

/// How far an import has read.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub bytes: u64,
    pub total: u64,
    pub lines: u64,
}

/// What to import: the file on disk and the name it is known by.
pub struct ImportRequest<'a> {
    pub path: &'a Path,
    pub name: &'a str,
    pub dry_run: bool,
}

/// Reads the file, applies it in one transaction and commits only when
/// every record was good and it is not a dry run. `progress` hears how far
/// it has read now and then. A zip is read as the export's CSV tables, any
/// other file as its NDJSON.
pub async fn run(
    state: &AppState,
    caller: &Caller,
    request: ImportRequest<'_>,
    progress: impl Fn(Progress) + Send,
) -> AppResult<Report> {
    require_write(caller)?;
    let (digest, total, zipped) = digest(request.path).await?;
    let id = ImportId::new();
    let caller = Caller {
        face: Face::Import,
        import: Some(id),
        ..caller.clone()
    };
    let mut report = Report::new(request.name, request.dry_run);
    let mut tx = state.pool.begin().await?;
    let import = db::imports::NewImport {
        id,
        account_id: caller.account_id,
        file_name: request.name,
        file_sha256: &digest,
        format: if zipped { "csv" } else { "ndjson" },
    };
    db::imports::insert(&mut tx, import).await?;
    let importer = Importer {
        state,
        caller: &caller,
        holds_history: AtomicBool::new(false),
    };
    if zipped {
        importer
            .tables(&mut tx, &mut report, request.path, &progress)
            .await?;
    } else {
        importer
            .lines(&mut tx, &mut report, request.path, total, &progress)
            .await?;
    }
    if report.problem_count() == 0 && !request.dry_run {
        db::history::settle(&mut tx).await?;
        tx.commit().await?;
        report.applied = true;
    } else {
        tx.rollback().await?;
    }
    Ok(report)
}

/// The file's SHA-256, its length, and whether it is a zip.
async fn digest(path: &Path) -> AppResult<(Vec<u8>, u64, bool)> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(anyhow::Error::from)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    let mut total = 0;
    let mut zipped = None;
    loop {
        let n = file.read(&mut buf).await.map_err(anyhow::Error::from)?;
        if n == 0 {
            break;
        }
        // A zip begins with a local file header, or, empty, with the end
        // of its central directory.
        zipped.get_or_insert_with(|| {
            buf.starts_with(b"PK\x03\x04") || buf.starts_with(b"PK\x05\x06")
        });
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hasher.finalize().to_vec(), total, zipped.unwrap_or(false)))
}

/// Reads up to a newline, and no more than one byte past [`MAX_LINE`].
async fn read_line<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> AppResult<usize> {
    let n = reader
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', line)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(n)
}

/// Reads past the rest of a line too long to read; returns its bytes.
async fn skip_line<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> AppResult<u64> {
    let mut skipped = 0;
    let mut rest = Vec::new();
    loop {
        rest.clear();
        let n = read_line(reader, &mut rest).await?;
        skipped += n as u64;
        if n == 0 || rest.last() == Some(&b'\n') {
            return Ok(skipped);
        }
    }
}

/// Whether a record was added, changed or already as the file has it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Keys of every record's output that are not among its fields.
const OUTPUT_ONLY: [&str; 4] = ["version", "created_at", "updated_at", "person_id"];

/// Keys of a person's output that are derived, not written.
const PERSON_OUTPUT_ONLY: [&str; 4] = ["status", "status_uncertain", "status_as_of", "name_match"];

/// One line of an export.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    kind: String,
    record: Map<String, Value>,
}

struct Importer<'a> {
    state: &'a AppState,
    caller: &'a Caller,
    /// Whether the history's head is held: from the first record on, not
    /// while a zip is unpacked and indexed.
    holds_history: AtomicBool,
}

impl Importer<'_> {
    /// An NDJSON file, a line at a time.
    async fn lines(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        path: &Path,
        total: u64,
        progress: &(impl Fn(Progress) + Send),
    ) -> AppResult<()> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(anyhow::Error::from)?;
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let mut bytes = 0;
        loop {
            line.clear();
            let n = read_line(&mut reader, &mut line).await?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            report.lines += 1;
            let at = Place::Line(report.lines);
            if line.last() != Some(&b'\n') && line.len() > MAX_LINE {
                report.problem(&at, "", "the line is longer than 16 MiB");
                bytes += skip_line(&mut reader).await?;
            } else if !line.trim_ascii().is_empty() {
                self.line(conn, report, &at, &line).await?;
            }
            if report.lines.is_multiple_of(100) {
                progress(Progress {
                    bytes,
                    total,
                    lines: report.lines,
                });
            }
        }
        progress(Progress {
            bytes,
            total,
            lines: report.lines,
        });
        Ok(())
    }

    /// A zip of CSV tables, read into records beside the import.
    async fn tables(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        path: &Path,
        progress: &(impl Fn(Progress) + Send),
    ) -> AppResult<()> {
        let (items, mut read) = tokio::sync::mpsc::channel(64);
        let path = path.to_owned();
        let reader = tokio::task::spawn_blocking(move || csv_zip::read(&path, &items));
        while let Some(item) = read.recv().await {
            match item {
                Item::Record(at, kind, record) => {
                    self.record(conn, report, &at, kind, record).await?;
                }
                Item::Problem(problem) => report.add(problem),
                Item::Progress(p) => {
                    report.lines = p.lines;
                    progress(p);
                }
            }
        }
        reader.await.map_err(anyhow::Error::from)??;
        Ok(())
    }

    async fn line(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        at: &Place,
        bytes: &[u8],
    ) -> AppResult<()> {
        let line: Line = match serde_json::from_slice(bytes.trim_ascii_end()) {
            Ok(line) => line,
            Err(e) => {
                // The error's position is within the line: its column.
                let said = e.to_string().replace(" at line 1 column ", " at column ");
                report.problem(at, "", format!("not a line of an export: {said}"));
                return Ok(());
            }
        };
        match ChangeKind::from_name(&line.kind) {
            Some(kind) => self.record(conn, report, at, kind, line.record).await,
            None => {
                report.problem(
                    at,
                    "kind",
                    "must be facility, organization, source, case or person",
                );
                Ok(())
            }
        }
    }

    /// A record of a kind, wherever it was read.
    async fn record(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        at: &Place,
        kind: ChangeKind,
        record: Map<String, Value>,
    ) -> AppResult<()> {
        // Outside the records' savepoints, whose rollback would let it go.
        if !self.holds_history.swap(true, Ordering::Relaxed) {
            db::history::hold(conn).await?;
        }
        match kind {
            ChangeKind::Facility => {
                self.reference::<FacilityRow>(conn, report, at, record)
                    .await
            }
            ChangeKind::Organization => {
                self.reference::<OrganizationRow>(conn, report, at, record)
                    .await
            }
            ChangeKind::Source => self.reference::<SourceRow>(conn, report, at, record).await,
            ChangeKind::Case => self.reference::<CaseRow>(conn, report, at, record).await,
            ChangeKind::Person => self.case(conn, report, at, record).await,
        }
    }

    /// A facility, organisation, source or criminal case: it needs its id,
    /// which the cases of the file refer to it by.
    async fn reference<R: Record>(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        at: &Place,
        mut record: Map<String, Value>,
    ) -> AppResult<()>
    where
        R::Fields: PartialEq + Clone,
    {
        strip(&mut record, &[]);
        let parsed = take_id::<R::Id>(&mut record).and_then(|id| Ok((id, parse(record)?)));
        let (id, fields) = match parsed {
            Ok((Some(id), fields)) => (id, fields),
            Ok((None, _)) => {
                report.problem(at, "id", "is required: cases refer to it by its id");
                return Ok(());
            }
            Err(errors) => {
                report.field_errors(at, "", errors);
                return Ok(());
            }
        };
        let mut savepoint = conn.begin().await?;
        let result = upsert::<R>(&mut savepoint, self.caller, None, Some(id), fields, &[]).await;
        if let Some((_, outcome)) = settle(savepoint, result, report, at, "").await? {
            report.count(R::KIND, outcome);
        }
        Ok(())
    }

    /// A person's whole case: the person first, then each list of records.
    async fn case(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        at: &Place,
        mut record: Map<String, Value>,
    ) -> AppResult<()> {
        let lists = [
            "affiliations",
            "recognitions",
            "detentions",
            "charges",
            "sentences",
            "sources",
        ]
        .map(|key| record.remove(key));
        strip(&mut record, &PERSON_OUTPUT_ONLY);
        let parsed = take_id::<PersonId>(&mut record).and_then(|id| Ok((id, parse(record)?)));
        let (id, fields) = match parsed {
            Ok(parsed) => parsed,
            Err(errors) => {
                report.field_errors(at, "", errors);
                return Ok(());
            }
        };
        let mut savepoint = conn.begin().await?;
        let result = self.person(&mut savepoint, id, fields).await;
        let Some((person, outcome)) = settle(savepoint, result, report, at, "").await? else {
            // The records of a case that is not there are not tried.
            return Ok(());
        };
        report.count("person", outcome);
        let [
            affiliations,
            recognitions,
            detentions,
            charges,
            sentences,
            citations,
        ] = lists;
        self.children::<AffiliationRow>(conn, report, at, person, affiliations)
            .await?;
        self.children::<RecognitionRow>(conn, report, at, person, recognitions)
            .await?;
        self.children::<DetentionRow>(conn, report, at, person, detentions)
            .await?;
        self.children::<ChargeRow>(conn, report, at, person, charges)
            .await?;
        self.children::<SentenceRow>(conn, report, at, person, sentences)
            .await?;
        self.children::<CitationRow>(conn, report, at, person, citations)
            .await
    }

    /// The person of a case: the one with its id, else the one with one of
    /// its external ids, else a new one.
    async fn person(
        &self,
        conn: &mut PgConnection,
        id: Option<PersonId>,
        fields: PersonFields,
    ) -> AppResult<(PersonId, Outcome)> {
        let (state, caller) = (self.state, self.caller);
        let valid = fields.clone().validate()?;
        let known = match id {
            Some(id) => db::persons::get(&mut *conn, id, false).await?.map(|_| id),
            None => None,
        };
        let known = match known {
            Some(id) => Some(id),
            None => {
                let mut matched: Vec<PersonId> = Vec::new();
                for x in &valid.external_ids {
                    if let Some(p) =
                        db::persons::by_external_id(&mut *conn, &x.system, &x.id).await?
                        && !matched.contains(&p)
                    {
                        matched.push(p);
                    }
                }
                if matched.len() > 1 {
                    return Err(FieldErrors::single(
                        "external_ids",
                        "they belong to different persons here",
                    )
                    .into());
                }
                matched.pop()
            }
        };
        let Some(known) = known else {
            let id = id.unwrap_or_default();
            create_person(conn, state, caller, id, fields).await?;
            return Ok((id, Outcome::Created));
        };
        let row = match super::persons::visible_person(conn, caller, known, true).await {
            Ok(row) => row,
            Err(AppError::NotFound) => {
                return Err(FieldErrors::single(
                    "id",
                    "is of a person archived or merged in this registry, or one you may not see",
                )
                .into());
            }
            Err(e) => return Err(e),
        };
        let parts = load_parts(conn, caller, row, today()).await?;
        let current = current_fields(state, caller, &parts)?;
        // What the caller may not read stays as it is.
        let keep_restricted = !caller.may_see(Visibility::Restricted);
        let wanted = PersonFields {
            restricted_notes: if keep_restricted {
                current.restricted_notes.clone()
            } else {
                valid.restricted_notes.clone()
            },
            ..valid.into_inner()
        };
        if wanted == current {
            return Ok((known, Outcome::Unchanged));
        }
        change_on(
            conn,
            state,
            caller,
            known,
            None,
            ChangeAction::Update,
            |_, _| Ok(wanted),
        )
        .await?;
        Ok((known, Outcome::Updated))
    }

    /// One list of a case's records (`detentions`), each on its savepoint.
    async fn children<R: Child>(
        &self,
        conn: &mut PgConnection,
        report: &mut Report,
        at: &Place,
        person: PersonId,
        list: Option<Value>,
    ) -> AppResult<()>
    where
        R::Fields: PartialEq + Clone,
    {
        let items = match list {
            None | Some(Value::Null) => return Ok(()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                report.problem(at, R::LIST, "must be a list");
                return Ok(());
            }
        };
        let siblings = R::of_case(&mut *conn, person, self.caller.max_visibility()).await?;
        for (i, item) in items.into_iter().enumerate() {
            let prefix = format!("{}[{i}]", R::LIST);
            let Value::Object(mut record) = item else {
                report.problem(at, prefix, "must be an object");
                continue;
            };
            strip(&mut record, &[]);
            if let Err(error) = R::resolve(conn, &mut record).await {
                report.fault(at, &prefix, error)?;
                continue;
            }
            let parsed = take_id::<R::Id>(&mut record).and_then(|id| Ok((id, R::parse(record)?)));
            let (id, fields) = match parsed {
                Ok(parsed) => parsed,
                Err(errors) => {
                    report.field_errors(at, &prefix, errors);
                    continue;
                }
            };
            let mut savepoint = conn.begin().await?;
            let result = upsert::<R>(
                &mut savepoint,
                self.caller,
                Some(person),
                id,
                fields,
                &siblings,
            )
            .await;
            if let Some((_, outcome)) = settle(savepoint, result, report, at, &prefix).await? {
                report.count(R::KIND, outcome);
            }
        }
        Ok(())
    }
}

/// Ends a record's savepoint: kept when the record went in, rolled back
/// (its problems noted) when it did not.
async fn settle<T>(
    savepoint: Transaction<'_, Postgres>,
    result: AppResult<T>,
    report: &mut Report,
    at: &Place,
    prefix: &str,
) -> AppResult<Option<T>> {
    match result {
        Ok(value) => {
            savepoint.commit().await?;
            Ok(Some(value))
        }
        Err(error) => {
            savepoint.rollback().await?;
            report.fault(at, prefix, error)?;
            Ok(None)
        }
    }
}

/// Adds the record, or changes the one with its id (or, in a case, the one
/// with the same fields) when it differs.
async fn upsert<R: Record>(
    conn: &mut PgConnection,
    caller: &Caller,
    person: Option<PersonId>,
    id: Option<R::Id>,
    fields: R::Fields,
    siblings: &[R],
) -> AppResult<(R::Id, Outcome)>
where
    R::Fields: PartialEq + Clone,
{
    let valid = R::validate(fields.clone())?;
    let Some(id) = id else {
        if let Some(same) = siblings.iter().find(|s| s.fields() == *valid) {
            return Ok((same.id(), Outcome::Unchanged));
        }
        let id = R::Id::from(Uuid::now_v7());
        create_on::<R>(conn, caller, person, fields, id).await?;
        return Ok((id, Outcome::Created));
    };
    let Some(row) = R::get(conn, id, false).await? else {
        create_on::<R>(conn, caller, person, fields, id).await?;
        return Ok((id, Outcome::Created));
    };
    if row.person_id() != person {
        return Err(FieldErrors::single("id", "is of a record of another case here").into());
    }
    if !shown_to(&row, caller) {
        let message = if row.archived() {
            "is of a record archived in this registry: restore it first"
        } else {
            "is of a record you may not see"
        };
        return Err(FieldErrors::single("id", message).into());
    }
    if row.fields() == *valid {
        return Ok((id, Outcome::Unchanged));
    }
    update_on::<R>(conn, caller, id, None, |_| Ok(fields)).await?;
    Ok((id, Outcome::Updated))
}

/// A record of a case as an import reads it from its case's list.
trait Child: Record {
    /// The list of the case it is in (`detentions`).
    const LIST: &'static str;

    /// The records its output shows in place of their ids, and the fields
    /// of those ids (`facility` for `facility_id`).
    const LINKS: &'static [(&'static str, &'static str)] = &[];

    /// The case's records of this kind the caller may see.
    fn of_case(
        conn: &mut PgConnection,
        person: PersonId,
        max: Visibility,
    ) -> impl Future<Output = sqlx::Result<Vec<Self>>> + Send;

    /// The fields from the record as exported.
    fn parse(mut record: Map<String, Value>) -> Result<Self::Fields, FieldErrors> {
        for (shown, field) in Self::LINKS {
            link(&mut record, shown, field);
        }
        parse(record)
    }

    /// Puts this registry's ids in place of what the record names in ways
    /// registries share (an article by its code and number).
    fn resolve(
        _conn: &mut PgConnection,
        _record: &mut Map<String, Value>,
    ) -> impl Future<Output = AppResult<()>> + Send {
        async { Ok(()) }
    }
}

/// `impl Child`: its list, its links, the `db` module that reads the
/// case's records, and any other items.
macro_rules! child {
    ($row:ty, $list:literal, $db:ident, [$($shown:literal => $field:literal),*] $(, $($items:tt)*)?) => {
        impl Child for $row {
            const LIST: &'static str = $list;
            const LINKS: &'static [(&'static str, &'static str)] = &[$(($shown, $field)),*];

            async fn of_case(
                conn: &mut PgConnection,
                person: PersonId,
                max: Visibility,
            ) -> sqlx::Result<Vec<Self>> {
                db::$db::for_person(conn, person, max).await
            }

            $($($items)*)?
        }
    };
}

child!(AffiliationRow, "affiliations", affiliations, ["organization" => "organization_id"]);
child!(RecognitionRow, "recognitions", recognitions, ["organization" => "organization_id"]);
child!(DetentionRow, "detentions", detentions, ["facility" => "facility_id"]);
child!(SentenceRow, "sentences", sentences, ["facility" => "facility_id"]);
child!(ChargeRow, "charges", charges, ["article" => "article_id", "case" => "case_id"],
    /// Article ids differ between registries; the code and number do not.
    async fn resolve(conn: &mut PgConnection, record: &mut Map<String, Value>) -> AppResult<()> {
        let Some(Value::Object(article)) = record.get_mut("article") else {
            return Ok(());
        };
        let (Some(code), Some(Value::String(number))) =
            (article.get("code"), article.get("number"))
        else {
            return Ok(());
        };
        let Ok(code) = serde_json::from_value::<LegalCode>(code.clone()) else {
            return Err(FieldErrors::single("article.code", "no such code").into());
        };
        match db::articles::by_number(&mut *conn, code, number).await? {
            Some(id) => {
                article.insert("id".into(), Value::String(id.to_string()));
                Ok(())
            }
            None => Err(FieldErrors::single(
                "article.number",
                format!("no article {number} in this registry's {code} catalogue"),
            )
            .into()),
        }
    }
);
child!(
    CitationRow,
    "sources",
    citations,
    [],
    /// The record cited for is one of three ids (none: the person).
    fn parse(mut record: Map<String, Value>) -> Result<CitationFields, FieldErrors> {
        link(&mut record, "source", "source_id");
        let mut errors = FieldErrors::new();
        let mut target = CitationTarget::Person;
        for key in ["detention_id", "charge_id", "sentence_id"] {
            let id = match record.remove(key) {
                None | Some(Value::Null) => continue,
                Some(Value::String(s)) => Uuid::parse_str(&s),
                Some(_) => Uuid::parse_str(""),
            };
            let Ok(id) = id else {
                errors.add(key, "must be a UUID");
                continue;
            };
            if target != CitationTarget::Person {
                errors.add(key, "a citation is for one record at most");
            }
            target = match key {
                "detention_id" => CitationTarget::Detention(id.into()),
                "charge_id" => CitationTarget::Charge(id.into()),
                _ => CitationTarget::Sentence(id.into()),
            };
        }
        let fields = parse::<CitationFields>(record);
        match fields {
            Ok(fields) if errors.is_empty() => Ok(CitationFields { target, ..fields }),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.0.extend(more.0);
                Err(errors)
            }
        }
    }
);

/// Removes what a record's output shows beside its fields.
fn strip(record: &mut Map<String, Value>, more: &[&str]) {
    for key in OUTPUT_ONLY.iter().chain(more) {
        record.remove(*key);
    }
}

/// `{"facility": {"id": …, "name": …}}` becomes `{"facility_id": …}`;
/// a file that gives `facility_id` itself is read as it is.
fn link(record: &mut Map<String, Value>, shown: &str, field: &str) {
    if let Some(value) = record.remove(shown) {
        let id = match value {
            Value::Object(mut o) => o.remove("id").unwrap_or(Value::Null),
            other => other,
        };
        record.insert(field.to_owned(), id);
    }
}

/// The record's id, if it has one.
fn take_id<I: From<Uuid>>(record: &mut Map<String, Value>) -> Result<Option<I>, FieldErrors> {
    match record.remove("id") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Uuid::parse_str(&s)
            .map(|id| Some(id.into()))
            .map_err(|_| FieldErrors::single("id", "must be a UUID")),
        Some(_) => Err(FieldErrors::single("id", "must be a UUID")),
    }
}

/// The fields, or what is wrong with them, by path.
fn parse<F: serde::de::DeserializeOwned>(record: Map<String, Value>) -> Result<F, FieldErrors> {
    serde_path_to_error::deserialize(Value::Object(record)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        FieldErrors::single(field, e.inner().to_string())
    })
}
