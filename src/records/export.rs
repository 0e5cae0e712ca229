//! Exports: everything a caller may see, streamed as it is read, in one
//! snapshot. NDJSON gives one record a line (reference data first, then
//! whole cases); CSV a zip of one table a file, with stable columns and the
//! ids to join them. Both are built from the records as the API shows them,
//! so what a caller may not see never enters an export. Every export is
//! logged: who, the filter, the rows, and whether it was read to the end.

use std::io::{Read, Seek, Write};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;

use super::changes::{ChangeKind, ChangedRecord};
use super::persons::{PersonCase, list_on, load_case, today};
use super::tables::{CASE_TABLES, PERSONS, Table, table_of};
use super::{Record, shown_to};
use crate::db;
use crate::db::persons::{PersonFilter, PersonSort};
use crate::db::security::Event;
use crate::domain::access::Caller;
use crate::domain::{PersonId, SecurityEvent};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// One JSON object a line: `{"kind": …, "record": …}`.
    Ndjson,
    /// A zip of one CSV file a table.
    Csv,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ndjson => "ndjson",
            Self::Csv => "csv",
        }
    }
}

/// Where an export's bytes go: a chunk at a time, or the error that cut
/// it short (the receiver then sees an incomplete export, never a short
/// one that looks whole).
pub type Chunks = mpsc::Sender<std::io::Result<Vec<u8>>>;

/// Bytes gathered before they are sent on.
const CHUNK: usize = 64 * 1024;

/// Persons read at a time.
const PAGE: i64 = 200;

/// Exports running at once at most: each holds a connection and a snapshot
/// for as long as its reader takes.
const AT_ONCE: usize = 2;

/// How long a reader may leave a chunk unread before the export gives up.
const READER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

/// The places for exports running at once, shared by the server.
#[derive(Clone, Debug)]
pub struct ExportSlots(Arc<tokio::sync::Semaphore>);

impl Default for ExportSlots {
    fn default() -> Self {
        Self(Arc::new(tokio::sync::Semaphore::new(AT_ONCE)))
    }
}

/// What an export asks for.
pub struct ExportRequest {
    pub format: ExportFormat,
    pub filter: PersonFilter,
    /// The filter as asked, parsed, for the log.
    pub asked: Value,
}

/// An export begun: its place taken, its snapshot open, its start logged.
pub struct Export {
    state: AppState,
    caller: Caller,
    request: ExportRequest,
    address: Option<std::net::IpAddr>,
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    _slot: tokio::sync::OwnedSemaphorePermit,
}

/// Begins an export: a 503 while others take every place, or when the
/// database cannot be reached, before anything is sent.
pub async fn begin(
    state: &AppState,
    caller: &Caller,
    request: ExportRequest,
    address: Option<std::net::IpAddr>,
) -> AppResult<Export> {
    let slot = state
        .export_slots
        .0
        .clone()
        .try_acquire_owned()
        .map_err(|_| {
            AppError::Busy("Other exports are running; try again when one has finished.")
        })?;
    // Every table from one snapshot, whatever is written meanwhile.
    let tx = db::begin_snapshot(&state.pool).await?;
    let export = Export {
        state: state.clone(),
        caller: caller.clone(),
        request,
        address,
        tx,
        _slot: slot,
    };
    export.log(None).await?;
    Ok(export)
}

/// Writes every record of a kind of reference data the caller may see,
/// read a page at a time: `$list` reads the page after id `$after`.
macro_rules! reference_pages {
    ($sink:ident, $caller:ident, $kind:ident, |$after:ident| $list:expr) => {{
        $sink.begin(ChangeKind::$kind)?;
        let mut $after = None;
        loop {
            let rows = $list.await?;
            $after = rows.last().map(|r| r.id);
            for row in visible_rows($caller, rows) {
                $sink
                    .reference(ChangedRecord::$kind(Some(row.out($caller))))
                    .await?;
            }
            if $after.is_none() {
                break;
            }
        }
    }};
}

impl Export {
    /// Streams the export into `chunks` and logs how it ended; returns the
    /// rows written (lines of NDJSON, or CSV rows of every table). An error
    /// ends the stream with it.
    pub async fn run(mut self, chunks: Chunks) -> AppResult<u64> {
        let mut sink = Sink::new(self.request.format, chunks)?;
        let result = match self.write_all(&mut sink).await {
            Ok(()) => sink.finish().await,
            Err(e) => Err(e),
        };
        let rows = sink.rows;
        self.log(Some((rows, result.is_ok()))).await?;
        result.map(|()| rows)
    }

    /// Logs the export: begun (`None`), or ended with its rows and whether
    /// it was whole.
    async fn log(&self, ended: Option<(u64, bool)>) -> AppResult<()> {
        let mut detail = serde_json::json!({
            "format": self.request.format.as_str(),
            "filter": self.request.asked,
            "face": self.caller.face.as_str(),
        });
        match ended {
            None => detail["begun"] = true.into(),
            Some((rows, complete)) => {
                detail["rows"] = rows.into();
                detail["complete"] = complete.into();
            }
        }
        let event = Event {
            account_id: Some(self.caller.account_id),
            token_id: self.caller.token_id,
            address: self.address,
            subject: Some("persons"),
            detail,
            ..Event::new(SecurityEvent::Export)
        };
        db::security::record(&self.state.pool, event).await?;
        Ok(())
    }

    async fn write_all(&mut self, sink: &mut Sink) -> AppResult<()> {
        let (state, caller, tx) = (&self.state, &self.caller, &mut self.tx);
        let max = caller.max_visibility();
        reference_pages!(sink, caller, Facility, |after| db::facilities::list(
            &mut **tx, None, after, PAGE
        ));
        reference_pages!(sink, caller, Organization, |after| {
            db::organizations::list(&mut **tx, None, after, PAGE)
        });
        reference_pages!(sink, caller, Source, |after| db::sources::list(
            &mut **tx, max, None, after, PAGE
        ));
        if caller.may_see(crate::domain::Visibility::Internal) {
            reference_pages!(sink, caller, Case, |after| db::cases::list(
                &mut **tx, None, after, PAGE
            ));
        } else {
            sink.begin(ChangeKind::Case)?;
        }
        sink.begin(ChangeKind::Person)?;
        // Statuses as of the filter's day, as the person list gives them.
        let day = self.request.filter.as_of.unwrap_or_else(today);
        let mut after: Option<PersonId> = None;
        loop {
            let page = PersonFilter {
                sort: PersonSort::Id,
                after,
                offset: 0,
                limit: PAGE,
                ..self.request.filter.clone()
            };
            let (persons, more) = list_on(tx, state, caller, page, day).await?;
            after = persons.last().map(|p| p.id);
            for person in persons {
                let case = load_case(tx, caller, person).await?;
                sink.case(case).await?;
            }
            if !more {
                break;
            }
        }
        Ok(())
    }
}

/// Rows of reference data (no person) the caller may see.
fn visible_rows<R: Record>(caller: &Caller, rows: Vec<R>) -> impl Iterator<Item = R> + '_ {
    rows.into_iter().filter(|r| shown_to(r, caller))
}

/// Bytes written by the zip writer, taken from it a chunk at a time.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.0.lock().map(|b| b.len()).unwrap_or(0)
    }
}

impl Write for Shared {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("export buffer poisoned"))?
            .extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where rows are written, as their format wants them.
struct Sink {
    chunks: Chunks,
    rows: u64,
    format: Format,
}

enum Format {
    Ndjson(Vec<u8>),
    Csv(Box<CsvTables>),
}

/// The zip being written, the table it is writing now (reference tables
/// one after the other, then persons, as they are read), and every other
/// table of a case spooled to a temporary file until the persons are done.
struct CsvTables {
    zip: zip::ZipWriter<zip::write::StreamWriter<Shared>>,
    out: Shared,
    current: Option<&'static Table>,
    spooled: Vec<(&'static Table, csv::Writer<std::fs::File>)>,
}

impl Sink {
    fn new(format: ExportFormat, chunks: Chunks) -> AppResult<Self> {
        let format = match format {
            ExportFormat::Ndjson => Format::Ndjson(Vec::with_capacity(CHUNK)),
            ExportFormat::Csv => {
                let out = Shared::default();
                let spooled = CASE_TABLES
                    .iter()
                    .map(|t| Ok((*t, csv_writer(tempfile::tempfile()?, t)?)))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                Format::Csv(Box::new(CsvTables {
                    zip: zip::ZipWriter::new_stream(out.clone()),
                    out,
                    current: None,
                    spooled,
                }))
            }
        };
        Ok(Sink {
            chunks,
            rows: 0,
            format,
        })
    }

    /// Starts the records of `kind`: in a zip, its table (with its
    /// header, even if no row follows).
    fn begin(&mut self, kind: ChangeKind) -> AppResult<()> {
        if let Format::Csv(tables) = &mut self.format {
            tables.enter(table_of(kind))?;
        }
        Ok(())
    }

    async fn reference(&mut self, record: ChangedRecord) -> AppResult<()> {
        let kind = record.kind();
        match &mut self.format {
            Format::Ndjson(buf) => {
                write_line(buf, &record)?;
                self.rows += 1;
            }
            Format::Csv(tables) => {
                let value = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
                self.rows += tables.write_current(table_of(kind), &value["record"])?;
            }
        }
        self.flush(false).await
    }

    async fn case(&mut self, case: PersonCase) -> AppResult<()> {
        match &mut self.format {
            Format::Ndjson(buf) => {
                write_line(buf, &ChangedRecord::Person(Some(Box::new(case))))?;
                self.rows += 1;
            }
            Format::Csv(tables) => {
                let value = serde_json::to_value(&case).map_err(anyhow::Error::from)?;
                self.rows += tables.write_current(&PERSONS, &value)?;
                for (table, writer) in &mut tables.spooled {
                    self.rows += write_rows(writer, table, &value)?;
                }
            }
        }
        self.flush(false).await
    }

    /// Sends what is gathered: a chunk's worth, or all of it at the end.
    async fn flush(&mut self, all: bool) -> AppResult<()> {
        let chunk = match &mut self.format {
            Format::Ndjson(buf) if all || buf.len() >= CHUNK => std::mem::take(buf),
            Format::Csv(tables) if all || tables.out.len() >= CHUNK => tables.out.take(),
            _ => return Ok(()),
        };
        send(&self.chunks, chunk).await
    }

    /// Appends the spooled tables and closes the zip.
    async fn finish(&mut self) -> AppResult<()> {
        if let Format::Csv(tables) = &mut self.format {
            let spooled = std::mem::take(&mut tables.spooled);
            for (table, writer) in spooled {
                let mut file = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
                file.rewind().map_err(anyhow::Error::from)?;
                tables.start_file(table)?;
                let mut buf = vec![0; CHUNK];
                loop {
                    let n = file.read(&mut buf).map_err(anyhow::Error::from)?;
                    if n == 0 {
                        break;
                    }
                    tables
                        .zip
                        .write_all(&buf[..n])
                        .map_err(anyhow::Error::from)?;
                    if tables.out.len() >= CHUNK {
                        send(&self.chunks, tables.out.take()).await?;
                    }
                }
            }
            let zip = std::mem::replace(
                &mut tables.zip,
                zip::ZipWriter::new_stream(Shared::default()),
            );
            zip.finish().map_err(anyhow::Error::from)?;
        }
        self.flush(true).await
    }
}

/// Sends a chunk on; an error when the reader went away, or left it
/// unread too long.
async fn send(chunks: &Chunks, chunk: Vec<u8>) -> AppResult<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    match tokio::time::timeout(READER_PATIENCE, chunks.send(Ok(chunk))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(anyhow::anyhow!("the export's reader went away").into()),
        Err(_) => Err(anyhow::anyhow!("the export's reader stopped reading").into()),
    }
}

fn write_line<T: Serialize>(buf: &mut Vec<u8>, line: &T) -> AppResult<()> {
    serde_json::to_writer(&mut *buf, line).map_err(anyhow::Error::from)?;
    buf.push(b'\n');
    Ok(())
}

impl CsvTables {
    /// Makes `table` the zip's current file, starting it if it is not.
    fn enter(&mut self, table: &'static Table) -> AppResult<()> {
        if self.current.is_some_and(|t| std::ptr::eq(t, table)) {
            return Ok(());
        }
        self.start_file(table)?;
        let mut header = csv::Writer::from_writer(Vec::new());
        header
            .write_record(table.headers())
            .map_err(anyhow::Error::from)?;
        let header = header.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.zip.write_all(&header).map_err(anyhow::Error::from)?;
        self.current = Some(table);
        Ok(())
    }

    fn start_file(&mut self, table: &'static Table) -> AppResult<()> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        self.zip
            .start_file(table.file(), options)
            .map_err(anyhow::Error::from)?;
        self.current = None;
        Ok(())
    }

    /// Writes the rows `value` holds for the current table.
    fn write_current(&mut self, table: &'static Table, value: &Value) -> AppResult<u64> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        let rows = write_rows(&mut writer, table, value)?;
        let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
        self.zip.write_all(&bytes).map_err(anyhow::Error::from)?;
        Ok(rows)
    }
}

fn csv_writer(file: std::fs::File, table: &Table) -> anyhow::Result<csv::Writer<std::fs::File>> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(file);
    writer.write_record(table.headers())?;
    Ok(writer)
}

/// Writes the rows of `table` that `value` (a record, or a whole case)
/// holds; returns how many.
fn write_rows<W: Write>(
    writer: &mut csv::Writer<W>,
    table: &Table,
    value: &Value,
) -> AppResult<u64> {
    let mut rows = 0;
    let items: Vec<(usize, &Value)> = match table.within {
        None => vec![(0, value)],
        Some(list) => value[list]
            .as_array()
            .map(|a| a.iter().enumerate().collect())
            .unwrap_or_default(),
    };
    for (position, item) in items {
        if let Some(nested) = table.each {
            // One row per element of a list inside the item: a sentence's
            // charges.
            for element in item[nested].as_array().into_iter().flatten() {
                let cells = table.cells(value, item, Some(element), position);
                writer.write_record(&cells).map_err(anyhow::Error::from)?;
                rows += 1;
            }
            continue;
        }
        let cells = table.cells(value, item, None, position);
        writer.write_record(&cells).map_err(anyhow::Error::from)?;
        rows += 1;
    }
    Ok(rows)
}
