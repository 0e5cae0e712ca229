//! A zip of the export's CSV tables, read back into the records its NDJSON
//! holds: a reference record a row, and each person's case from their row
//! of `persons.csv` and the rows of the other tables that name them, in
//! whatever order those rows come. It runs on a thread beside the import
//! and hands it one record at a time; besides the case being read, it
//! keeps only where each row is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;

use serde_json::{Map, Value};
use tokio::sync::mpsc::Sender;

use super::{Item, MAX_LINE, OUTPUT_ONLY, PERSON_OUTPUT_ONLY, Place, Problem, Progress, Rows};
use crate::records::changes::ChangeKind;
use crate::records::tables::{CASE_TABLES, Layout, PERSONS, REFERENCE_TABLES, Row, Table};

/// The most a zip may unpack to.
const MAX_UNPACKED: u64 = 8 << 30;

/// Tables that must come with another: a person's names and external ids
/// are fields of the person, a sentence's charges a field of the sentence,
/// so without them a file would clear them.
const COMPANIONS: [(&str, &str); 3] = [
    ("persons", "names"),
    ("persons", "external_ids"),
    ("sentences", "sentence_charges"),
];

/// Reads the zip at `path`, handing its records and problems to `items`.
pub(super) fn read(path: &Path, items: &Sender<Item>) -> anyhow::Result<()> {
    let mut out = Out {
        items,
        lines: 0,
        bytes: 0,
        total: 0,
    };
    let Some(mut files) = unpack(path, &mut out)? else {
        return Ok(());
    };
    for (with, companion) in COMPANIONS {
        if files.contains_key(with) && !files.contains_key(companion) {
            out.problem(
                Some(format!("{companion}.csv")),
                None,
                "",
                format!("is missing: the rows of {with}.csv need it"),
            )?;
        }
    }
    out.total = REFERENCE_TABLES
        .iter()
        .map(|(_, table)| *table)
        .chain([&PERSONS])
        .filter_map(|table| files.get(table.name))
        .map(|file| file.size)
        .sum();
    for (kind, table) in &REFERENCE_TABLES {
        if let Some(file) = files.remove(table.name) {
            references(*kind, table, file, &mut out)?;
        }
    }
    cases(files, &mut out)?;
    out.progress()
}

/// A table unpacked to a file of its own.
struct Unpacked {
    file: File,
    size: u64,
}

/// The zip's tables by name; none when the zip cannot be read at all.
fn unpack(path: &Path, out: &mut Out) -> anyhow::Result<Option<HashMap<&'static str, Unpacked>>> {
    let mut archive = match zip::ZipArchive::new(File::open(path)?) {
        Ok(archive) => archive,
        Err(e) => {
            out.problem(
                None,
                None,
                "",
                format!("not a zip of an export's tables: {e}"),
            )?;
            return Ok(None);
        }
    };
    let mut files = HashMap::new();
    let mut unpacked = 0;
    for i in 0..archive.len() {
        out.check()?;
        let mut entry = match archive.by_index(i) {
            Ok(entry) => entry,
            Err(e) => {
                out.problem(
                    None,
                    None,
                    "",
                    format!("a file in the zip cannot be read: {e}"),
                )?;
                continue;
            }
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let base = name.rsplit('/').next().unwrap_or(&name);
        // Folders, and what archivers add beside the files.
        if entry.is_dir() || name.starts_with("__MACOSX/") || base.starts_with('.') {
            continue;
        }
        let table = all_tables().find(|t| base == t.file());
        let Some(table) = table else {
            out.problem(
                Some(name),
                None,
                "",
                "is not a table of an export (facilities.csv, persons.csv, names.csv, …)",
            )?;
            continue;
        };
        if files.contains_key(table.name) {
            out.problem(Some(name), None, "", "is in the zip twice")?;
            continue;
        }
        let mut file = tempfile::tempfile()?;
        let left = MAX_UNPACKED - unpacked;
        let size = match std::io::copy(&mut (&mut entry).take(left + 1), &mut file) {
            Ok(size) => size,
            Err(e) => {
                out.problem(Some(name), None, "", format!("cannot be unpacked: {e}"))?;
                continue;
            }
        };
        if size > left {
            out.problem(None, None, "", "the zip unpacks to more than 8 GiB")?;
            return Ok(None);
        }
        unpacked += size;
        file.rewind()?;
        files.insert(table.name, Unpacked { file, size });
    }
    Ok(Some(files))
}

fn all_tables() -> impl Iterator<Item = &'static Table> {
    REFERENCE_TABLES
        .iter()
        .map(|(_, table)| *table)
        .chain([&PERSONS])
        .chain(CASE_TABLES)
}

/// A table of reference records: a record a row.
fn references(
    kind: ChangeKind,
    table: &'static Table,
    file: Unpacked,
    out: &mut Out,
) -> anyhow::Result<()> {
    let base = out.bytes;
    if let Some(mut sheet) = Sheet::open(table, file.file, out)? {
        while let Some(next) = sheet.next(out)? {
            let (position, row, problems) = next;
            out.row(base + position.byte())?;
            if problems.is_empty() {
                let at = Rows::of(table, position.line());
                out.record(at, kind, row.record)?;
            } else {
                out.problems(table, position.line(), problems)?;
            }
        }
    }
    out.bytes = base + file.size;
    Ok(())
}

/// The cases: `persons.csv` read once for the order of its persons, the
/// other tables once for where each person's rows are, then each person
/// with their rows.
fn cases(mut files: HashMap<&'static str, Unpacked>, out: &mut Out) -> anyhow::Result<()> {
    let Some(persons) = files.remove(PERSONS.name) else {
        for table in CASE_TABLES.iter().filter(|t| files.contains_key(t.name)) {
            out.problem(
                Some(table.file()),
                None,
                "",
                "its rows are of persons, and the zip has no persons.csv",
            )?;
        }
        return Ok(());
    };
    let Some(mut sheet) = Sheet::open(&PERSONS, persons.file, out)? else {
        return Ok(());
    };

    // Each person's place in the order of persons.csv, by id; a person
    // given twice is read once.
    let mut order: HashMap<String, (u32, u64)> = HashMap::new();
    let mut twice = HashSet::new();
    let mut count = 0;
    while let Some((position, row, _)) = sheet.next(out)? {
        if let Some(Value::String(id)) = row.record.get("id") {
            if let Some((_, line)) = order.get(id) {
                out.problem(
                    Some(PERSONS.file()),
                    Some(position.line()),
                    "id",
                    format!("is given twice: line {line} has it too"),
                )?;
                twice.insert(count);
            } else {
                order.insert(id.clone(), (count, position.line()));
            }
        }
        count += 1;
    }

    // Where the rows of each person are in the other tables.
    let mut tables = Vec::new();
    let mut sentences: HashMap<String, u32> = HashMap::new();
    // The bytes of each person's rows, as a case is read whole.
    let mut sizes: HashMap<u32, u64> = HashMap::new();
    for table in CASE_TABLES {
        let Some(file) = files.remove(table.name) else {
            continue;
        };
        let Some(mut sheet) = Sheet::open(table, file.file, out)? else {
            continue;
        };
        let mut rows = Vec::new();
        // A row's bytes reach to the next row's start.
        let mut last: Option<(u32, u64)> = None;
        let mut size = |last: Option<(u32, u64)>, end: u64| {
            if let Some((person, start)) = last {
                *sizes.entry(person).or_default() += end.saturating_sub(start);
            }
        };
        while let Some((position, row, _)) = sheet.next(out)? {
            // A sentence's charges are found by the sentence.
            let (key, of, missing) = if table.each.is_some() {
                let key = row.record.get("id").and_then(Value::as_str);
                (key, sentences.get(key.unwrap_or("")).copied(), "sentence")
            } else {
                let key = row.person_id.as_deref();
                let found = order.get(key.unwrap_or("")).map(|(n, _)| *n);
                (key, found, "person")
            };
            let Some(person) = of else {
                let message = match key {
                    None => "is required".to_owned(),
                    Some(_) => format!("no {missing} with this id in {missing}s.csv"),
                };
                let column = table.header_of(if table.each.is_some() {
                    "id"
                } else {
                    "person_id"
                });
                out.problem(Some(table.file()), Some(position.line()), column, message)?;
                continue;
            };
            if table.name == "sentences"
                && let Some(Value::String(id)) = row.record.get("id")
            {
                sentences.insert(id.clone(), person);
            }
            size(last, position.byte());
            last = Some((person, position.byte()));
            rows.push((person, position));
        }
        size(last, file.size);
        // Stable: a person's rows keep the order of the file.
        rows.sort_by_key(|(person, _)| *person);
        tables.push(Joined {
            sheet,
            rows,
            next: 0,
        });
    }

    sheet.restart()?;
    let base = out.bytes;
    let mut person = 0;
    while let Some((position, row, problems)) = sheet.next_quietly()? {
        let this = person;
        person += 1;
        out.row(base + position.byte())?;
        if twice.contains(&this) {
            continue;
        }
        let line = position.line();
        if sizes.get(&this).is_some_and(|size| *size > MAX_LINE as u64) {
            let message = "the person's rows in the other tables come to more than 16 MiB";
            out.problem(Some(PERSONS.file()), Some(line), "", message)?;
            for joined in &mut tables {
                joined.pass(this);
            }
            continue;
        }
        let whole = problems.is_empty();
        out.problems(&PERSONS, line, problems)?;
        let mut rows = Rows::of(&PERSONS, line);
        let mut case = row.record;
        for joined in &mut tables {
            joined.add(this, &mut case, &mut rows, out)?;
        }
        if whole {
            out.record(rows, ChangeKind::Person, case)?;
        }
    }
    out.bytes = base + persons.size;
    Ok(())
}

/// A table of a case's records, with where each person's rows are.
struct Joined {
    sheet: Sheet,
    /// By person, in the order of persons.csv.
    rows: Vec<(u32, csv::Position)>,
    next: usize,
}

impl Joined {
    /// Passes over the rows of `person`, unread.
    fn pass(&mut self, person: u32) {
        while self
            .rows
            .get(self.next)
            .is_some_and(|(of, _)| *of == person)
        {
            self.next += 1;
        }
    }

    /// Adds the rows of `person` to their case, as its list's items (or,
    /// for a sentence's charges, to its sentences).
    fn add(
        &mut self,
        person: u32,
        case: &mut Map<String, Value>,
        rows: &mut Rows,
        out: &mut Out,
    ) -> anyhow::Result<()> {
        let table = self.sheet.table;
        let mut read = Vec::new();
        while let Some((of, position)) = self.rows.get(self.next)
            && *of == person
        {
            self.next += 1;
            let (row, problems) = self.sheet.at(position)?;
            out.lines += 1;
            if problems.is_empty() {
                read.push((position.line(), row));
            } else {
                out.problems(table, position.line(), problems)?;
            }
        }
        let list = table.within.unwrap_or(table.name);
        let Some(nested) = table.each else {
            // Names keep their positions.
            read.sort_by_key(|(_, row)| row.position.unwrap_or(u64::MAX));
            let mut items = Vec::new();
            for (i, (line, row)) in read.into_iter().enumerate() {
                rows.items.insert(format!("{list}[{i}]"), (table, line));
                items.push(Value::Object(row.record));
            }
            case.insert(list.to_owned(), Value::Array(items));
            return Ok(());
        };
        let Some(Value::Array(items)) = case.get_mut(list) else {
            return Ok(());
        };
        for item in items.iter_mut() {
            if let Value::Object(item) = item {
                item.insert(nested.to_owned(), Value::Array(Vec::new()));
            }
        }
        for (line, row) in read {
            let id = row.record.get("id");
            let found = items
                .iter_mut()
                .enumerate()
                .find(|(_, item)| item.get("id") == id);
            // A sentence left out for its own problems takes its charges.
            let Some((i, Value::Object(item))) = found else {
                continue;
            };
            let Some(element) = row.element else {
                let column = table.header_of(nested);
                let file = Some(table.file());
                out.problem(file, Some(line), column, "is required")?;
                continue;
            };
            let Some(Value::Array(elements)) = item.get_mut(nested) else {
                continue;
            };
            rows.items.insert(
                format!("{list}[{i}].{nested}[{}]", elements.len()),
                (table, line),
            );
            elements.push(Value::String(element));
        }
        Ok(())
    }
}

impl Rows {
    fn of(table: &'static Table, line: u64) -> Rows {
        Rows {
            table,
            line,
            items: BTreeMap::new(),
        }
    }
}

/// A table's file being read.
struct Sheet {
    table: &'static Table,
    reader: csv::Reader<File>,
    layout: Layout<'static>,
    /// Where its first row is.
    start: csv::Position,
    /// Whether its lines end in CR LF, where the reader's positions
    /// count a line less (the LF is read as the start of the next row).
    crlf: bool,
    record: csv::StringRecord,
}

impl Sheet {
    /// The table's file, if its header is right (its problems told if not).
    fn open(table: &'static Table, file: File, out: &mut Out) -> anyhow::Result<Option<Sheet>> {
        let name = || Some(table.file());
        let mut first = Vec::new();
        BufReader::new(&file)
            .take(1 << 20)
            .read_until(b'\n', &mut first)?;
        (&file).rewind()?;
        let crlf = first.ends_with(b"\r\n");
        let mut reader = csv::Reader::from_reader(file);
        let headers = match reader.headers() {
            Ok(headers) => headers.iter().map(str::to_owned).collect(),
            Err(e) => {
                out.problem(name(), Some(1), "", cannot_read(&e))?;
                return Ok(None);
            }
        };
        let ignored: Vec<&str> = match table.name {
            "persons" => OUTPUT_ONLY
                .iter()
                .chain(&PERSON_OUTPUT_ONLY)
                .copied()
                .collect(),
            _ => OUTPUT_ONLY.to_vec(),
        };
        let layout = match table.layout(headers, &ignored) {
            Ok(layout) => layout,
            Err(problems) => {
                for (header, message) in problems {
                    out.problem(name(), Some(1), header, message)?;
                }
                return Ok(None);
            }
        };
        Ok(Some(Sheet {
            table,
            start: reader.position().clone(),
            crlf,
            reader,
            layout,
            record: csv::StringRecord::new(),
        }))
    }

    /// The next row with its position and problems; a row that is not
    /// CSV is told and passed over.
    fn next(&mut self, out: &mut Out) -> anyhow::Result<Option<RowRead>> {
        loop {
            out.check()?;
            match self.read()? {
                Next::Row(read) => return Ok(Some(read)),
                Next::End => return Ok(None),
                Next::Broken(line, message) => {
                    let name = Some(self.table.file());
                    out.problem(name, line, "", message)?;
                }
            }
        }
    }

    /// The next row, passing over without a word those `next` told.
    fn next_quietly(&mut self) -> anyhow::Result<Option<RowRead>> {
        loop {
            match self.read()? {
                Next::Row(read) => return Ok(Some(read)),
                Next::End => return Ok(None),
                Next::Broken(..) => {}
            }
        }
    }

    fn read(&mut self) -> anyhow::Result<Next> {
        // Rows of nothing but empty cells (a spreadsheet's deleted rows)
        // are passed over.
        let mut read = self.reader.read_record(&mut self.record);
        while matches!(read, Ok(true)) && self.record.iter().all(|c| c.trim().is_empty()) {
            read = self.reader.read_record(&mut self.record);
        }
        match read {
            Ok(false) => Ok(Next::End),
            Ok(true) => {
                let position = self
                    .record
                    .position()
                    .cloned()
                    .unwrap_or_else(csv::Position::new);
                let (row, problems) = self.layout.read(self.record.iter());
                Ok(Next::Row((self.shown(position, 1), row, problems)))
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => Err(e.into()),
            Err(e) => {
                let line = e.position().map(|p| self.shown(p.clone(), 1).line());
                Ok(Next::Broken(line, cannot_read(&e)))
            }
        }
    }

    /// The row at `position`, which `next` read before.
    fn at(&mut self, position: &csv::Position) -> anyhow::Result<(Row, Vec<Cell>)> {
        let position = self.shown(position.clone(), -1);
        self.reader.seek(position)?;
        match self.read()? {
            Next::Row((_, row, problems)) => Ok((row, problems)),
            _ => anyhow::bail!("{}.csv changed while it was read", self.table.name),
        }
    }

    /// A position of the reader with its line as the file has it (`by`
    /// 1), or back (`by` -1).
    fn shown(&self, mut position: csv::Position, by: i64) -> csv::Position {
        if self.crlf {
            position.set_line(position.line().saturating_add_signed(by));
        }
        position
    }

    /// Back to the first row.
    fn restart(&mut self) -> anyhow::Result<()> {
        self.reader.seek(self.start.clone())?;
        Ok(())
    }
}

/// A cell's problem: its column's header, and what is wrong.
type Cell = (String, String);

/// A row read: where it is, what it holds, and its cells' problems.
type RowRead = (csv::Position, Row, Vec<Cell>);

/// What reading on gave.
enum Next {
    Row(RowRead),
    /// A row that is not CSV: its line, and why.
    Broken(Option<u64>, String),
    End,
}

/// What is wrong with a row that is not CSV.
fn cannot_read(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_owned(),
        _ => error.to_string(),
    }
}

/// Where the reading goes: the import, and how far it has got.
struct Out<'a> {
    items: &'a Sender<Item>,
    /// Rows read.
    lines: u64,
    /// Bytes of the tables read to the end.
    bytes: u64,
    total: u64,
}

impl Out<'_> {
    /// An error once the import has stopped listening.
    fn check(&self) -> anyhow::Result<()> {
        if self.items.is_closed() {
            anyhow::bail!("the import stopped reading the zip");
        }
        Ok(())
    }

    fn send(&self, item: Item) -> anyhow::Result<()> {
        self.items
            .blocking_send(item)
            .map_err(|_| anyhow::anyhow!("the import stopped reading the zip"))
    }

    fn problem(
        &mut self,
        table: Option<String>,
        line: Option<u64>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> anyhow::Result<()> {
        self.send(Item::Problem(Problem {
            table,
            line,
            field: field.into(),
            message: message.into(),
        }))
    }

    fn problems(&mut self, table: &Table, line: u64, cells: Vec<Cell>) -> anyhow::Result<()> {
        for (header, message) in cells {
            self.problem(Some(table.file()), Some(line), header, message)?;
        }
        Ok(())
    }

    fn record(&self, at: Rows, kind: ChangeKind, record: Map<String, Value>) -> anyhow::Result<()> {
        self.send(Item::Record(Place::Rows(Box::new(at)), kind, record))
    }

    /// Counts a row read up to `bytes`, telling the import now and then.
    fn row(&mut self, bytes: u64) -> anyhow::Result<()> {
        self.check()?;
        self.lines += 1;
        if self.lines.is_multiple_of(100) {
            self.send(Item::Progress(Progress {
                bytes,
                total: self.total,
                lines: self.lines,
            }))?;
        }
        Ok(())
    }

    fn progress(&self) -> anyhow::Result<()> {
        self.send(Item::Progress(Progress {
            bytes: self.bytes,
            total: self.total,
            lines: self.lines,
        }))
    }
}
