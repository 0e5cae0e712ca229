//! The CSV layout of an export: its tables, where each table's rows are in
//! a record as the API shows it, and their columns. An export writes rows
//! from records by it; an import reads records back from rows by it.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::changes::ChangeKind;

/// A column of a CSV table, as the specs below name them.
#[derive(Clone, Copy)]
enum Column {
    /// Text at a path of the item (`facility.id`), under a header.
    Field(&'static str, &'static str),
    /// A whole number at a path.
    Number(&'static str, &'static str),
    /// `true` or `false` at a path.
    Flag(&'static str, &'static str),
    /// A date with precision: `<name>`, `<name>_precision`,
    /// `<name>_approximate`.
    Date(&'static str),
    /// The id of the case (person) the row belongs to.
    PersonId,
    /// The item's position in its list (names keep their order).
    Position,
    /// The element of a nested list (`each`) itself.
    Element(&'static str),
}

use Column::{Date, Element, Field, Flag, Number, PersonId as Person, Position};

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Holds {
    Text,
    Number,
    Flag,
}

/// One cell of a row, as a file has it: the columns above with each date
/// spread over its three cells.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    /// The value at a dotted path of the item.
    Value(String, Holds),
    Person,
    Position,
    Element,
}

/// A CSV table: where its rows are in a record, and its columns.
pub struct Table {
    pub name: &'static str,
    /// The list of a case its rows come from (`detentions`); none: the
    /// record itself is the row.
    pub within: Option<&'static str>,
    /// A list inside each item, one row per element.
    pub each: Option<&'static str>,
    columns: &'static [Column],
    slots: OnceLock<Vec<(String, Slot)>>,
}

/// Version and timestamps, as every record has them.
const META: [Column; 3] = [
    Number("version", "version"),
    Field("created_at", "created_at"),
    Field("updated_at", "updated_at"),
];

macro_rules! columns {
    ($($c:expr),* $(,)?; meta) => {
        &[$($c),*, META[0], META[1], META[2]]
    };
    ($($c:expr),* $(,)?) => {
        &[$($c),*]
    };
}

static FACILITIES: Table = Table {
    name: "facilities",
    within: None,
    each: None,
    columns: columns![Field("id", "id"), Field("name", "name"), Field("kind", "kind"),
        Field("city", "city"), Field("postal_address", "postal_address"),
        Field("notes", "notes"); meta],
    slots: OnceLock::new(),
};

static ORGANIZATIONS: Table = Table {
    name: "organizations",
    within: None,
    each: None,
    columns: columns![Field("id", "id"), Field("name", "name"), Field("kind", "kind"),
        Field("country", "country"), Field("url", "url"), Field("notes", "notes"); meta],
    slots: OnceLock::new(),
};

static SOURCES: Table = Table {
    name: "sources",
    within: None,
    each: None,
    columns: columns![Field("id", "id"), Field("title", "title"),
        Field("publisher", "publisher"), Date("published"), Field("url", "url"),
        Field("kind", "kind"), Field("visibility", "visibility"), Field("notes", "notes"); meta],
    slots: OnceLock::new(),
};

static CASES: Table = Table {
    name: "cases",
    within: None,
    each: None,
    columns: columns![Field("id", "id"), Field("number", "number"), Date("opened"),
        Field("authority", "authority"), Field("description", "description"); meta],
    slots: OnceLock::new(),
};

pub static PERSONS: Table = Table {
    name: "persons",
    within: None,
    each: None,
    columns: columns![Field("id", "id"), Date("birth_date"), Field("gender", "gender"),
        Field("pronouns", "pronouns"), Field("occupation", "occupation"),
        Field("region", "region"), Field("visibility", "visibility"), Field("notes", "notes"),
        Field("restricted_notes", "restricted_notes"), Field("status", "status"),
        Flag("status_uncertain", "status_uncertain"), Field("status_as_of", "status_as_of"),
        Field("status_override", "status_override.status"),
        Field("status_override_reason", "status_override.reason"),
        Field("status_override_since", "status_override.since"),
        Field("status_override_until", "status_override.until"); meta],
    slots: OnceLock::new(),
};

static NAMES: Table = Table {
    name: "names",
    within: Some("names"),
    each: None,
    columns: columns![
        Person,
        Position,
        Field("name", "name"),
        Field("lang", "lang"),
        Flag("primary", "primary"),
        Field("family", "family")
    ],
    slots: OnceLock::new(),
};

static EXTERNAL_IDS: Table = Table {
    name: "external_ids",
    within: Some("external_ids"),
    each: None,
    columns: columns![
        Person,
        Field("system", "system"),
        Field("external_id", "id")
    ],
    slots: OnceLock::new(),
};

static AFFILIATIONS: Table = Table {
    name: "affiliations",
    within: Some("affiliations"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("organization_id", "organization.id"),
        Field("role", "role"), Date("since"), Date("until"), Field("notes", "notes"),
        Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

static RECOGNITIONS: Table = Table {
    name: "recognitions",
    within: Some("recognitions"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("organization_id", "organization.id"),
        Date("since"), Date("until"), Field("source_id", "source_id"), Field("notes", "notes"),
        Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

static DETENTIONS: Table = Table {
    name: "detentions",
    within: Some("detentions"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("kind", "kind"), Date("started"),
        Date("ended"), Field("facility_id", "facility.id"), Field("authority", "authority"),
        Field("end_reason", "end_reason"), Field("notes", "notes"),
        Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

static CHARGES: Table = Table {
    name: "charges",
    within: Some("charges"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("article_id", "article.id"),
        Field("article_code", "article.code"), Field("article_number", "article.number"),
        Field("part", "part"), Field("case_id", "case.id"), Field("detention_id", "detention_id"),
        Date("filed"), Field("status", "status"), Date("status_since"), Field("notes", "notes"),
        Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

static SENTENCES: Table = Table {
    name: "sentences",
    within: Some("sentences"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("kind", "kind"), Date("pronounced"),
        Field("court", "court"), Field("judge", "judge"), Number("term_months", "term_months"),
        Number("term_days", "term_days"), Field("regime", "regime"),
        Number("fine_basic_units", "fine_basic_units"), Field("fine_amount", "fine_amount"),
        Field("currency", "currency"), Field("facility_id", "facility.id"),
        Flag("in_absentia", "in_absentia"), Field("appeal_outcome", "appeal_outcome"),
        Date("released_on"), Field("notes", "notes"), Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

static SENTENCE_CHARGES: Table = Table {
    name: "sentence_charges",
    within: Some("sentences"),
    each: Some("charge_ids"),
    columns: columns![Field("sentence_id", "id"), Element("charge_id")],
    slots: OnceLock::new(),
};

static CITATIONS: Table = Table {
    name: "citations",
    within: Some("sources"),
    each: None,
    columns: columns![Field("id", "id"), Person, Field("detention_id", "detention_id"),
        Field("charge_id", "charge_id"), Field("sentence_id", "sentence_id"),
        Field("source_id", "source.id"), Field("note", "note"),
        Field("visibility", "visibility"); meta],
    slots: OnceLock::new(),
};

/// The tables of reference records, in the order an export writes them.
pub static REFERENCE_TABLES: [(ChangeKind, &Table); 4] = [
    (ChangeKind::Facility, &FACILITIES),
    (ChangeKind::Organization, &ORGANIZATIONS),
    (ChangeKind::Source, &SOURCES),
    (ChangeKind::Case, &CASES),
];

/// The table of a record's kind (`person`: the person's own row).
pub fn table_of(kind: ChangeKind) -> &'static Table {
    match kind {
        ChangeKind::Person => &PERSONS,
        ChangeKind::Facility => &FACILITIES,
        ChangeKind::Organization => &ORGANIZATIONS,
        ChangeKind::Source => &SOURCES,
        ChangeKind::Case => &CASES,
    }
}

/// The tables of a case beside `persons`, in the order the zip holds them.
pub static CASE_TABLES: [&Table; 9] = [
    &NAMES,
    &EXTERNAL_IDS,
    &AFFILIATIONS,
    &RECOGNITIONS,
    &DETENTIONS,
    &CHARGES,
    &SENTENCES,
    &SENTENCE_CHARGES,
    &CITATIONS,
];

impl Table {
    /// Its file in a zip: `detentions.csv`.
    pub fn file(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// Its cells in the order of a row, each under its header.
    fn slots(&self) -> &[(String, Slot)] {
        self.slots.get_or_init(|| {
            let mut slots = Vec::new();
            for column in self.columns {
                let mut value = |header: String, path: &str, holds| {
                    slots.push((header, Slot::Value(path.to_owned(), holds)));
                };
                match *column {
                    Field(header, path) => value(header.to_owned(), path, Holds::Text),
                    Number(header, path) => value(header.to_owned(), path, Holds::Number),
                    Flag(header, path) => value(header.to_owned(), path, Holds::Flag),
                    Date(name) => {
                        value(name.to_owned(), &format!("{name}.date"), Holds::Text);
                        let precision = format!("{name}.precision");
                        value(format!("{name}_precision"), &precision, Holds::Text);
                        let approximate = format!("{name}.approximate");
                        value(format!("{name}_approximate"), &approximate, Holds::Flag);
                    }
                    Person => slots.push(("person_id".to_owned(), Slot::Person)),
                    Position => slots.push(("position".to_owned(), Slot::Position)),
                    Element(header) => slots.push((header.to_owned(), Slot::Element)),
                }
            }
            slots
        })
    }

    pub fn headers(&self) -> Vec<String> {
        self.slots()
            .iter()
            .map(|(header, _)| header.clone())
            .collect()
    }

    /// The cells of one row: `case` is the whole record, `item` the row's
    /// element of its list, `element` the nested element.
    pub fn cells(
        &self,
        case: &Value,
        item: &Value,
        element: Option<&Value>,
        position: usize,
    ) -> Vec<String> {
        self.slots()
            .iter()
            .map(|(_, slot)| match slot {
                Slot::Value(path, _) => cell(at(item, path)),
                Slot::Element => cell(element.unwrap_or(&Value::Null)),
                Slot::Person => cell(&case["id"]),
                Slot::Position => position.to_string(),
            })
            .collect()
    }

    /// How to read a file of this table with these headers. Headers that
    /// are not the table's, given twice, or missing (other than those of
    /// `ignored` fields, which an import does not read) are problems,
    /// by header.
    pub fn layout(
        &self,
        headers: Vec<String>,
        ignored: &[&str],
    ) -> Result<Layout<'_>, Vec<(String, String)>> {
        let mut slots = Vec::new();
        let mut problems = Vec::new();
        for header in &headers {
            let found = self.slots().iter().find(|(h, _)| h == header.trim());
            match found {
                Some((h, slot)) if slots.iter().any(|s| s == &Some(slot)) => {
                    problems.push((h.clone(), "is given twice".to_owned()));
                }
                Some((_, slot)) => slots.push(Some(slot)),
                None if header.trim().is_empty() => slots.push(None),
                None => {
                    problems.push((
                        header.to_owned(),
                        format!("is not a column of {}", self.file()),
                    ));
                    slots.push(None);
                }
            }
        }
        for (header, slot) in self.slots() {
            let read = match slot {
                Slot::Value(path, _) => !ignored.contains(&first_key(path)),
                _ => true,
            };
            if read && !slots.contains(&Some(slot)) {
                problems.push((header.clone(), "the column is missing".to_owned()));
            }
        }
        if problems.is_empty() {
            Ok(Layout { slots, headers })
        } else {
            Err(problems)
        }
    }

    /// The header of the column that holds a record's field (`started`,
    /// `started.precision`, `facility_id`, `article.number`).
    pub fn header_of(&self, field: &str) -> String {
        let slots = self.slots();
        let path = |p: &str| {
            slots.iter().find_map(|(h, s)| match s {
                Slot::Value(path, _) if path == p => Some(h.clone()),
                _ => None,
            })
        };
        let field = field.split('[').next().unwrap_or(field);
        path(field)
            .or_else(|| path(&format!("{field}.date")))
            .or_else(|| path(&format!("{field}.id")))
            .or_else(|| {
                slots
                    .iter()
                    .find(|(h, _)| h == field)
                    .map(|(h, _)| h.clone())
            })
            .unwrap_or_else(|| field.to_owned())
    }
}

/// The first key of a dotted path.
fn first_key(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// The cells of a file's rows as their table reads them.
pub struct Layout<'t> {
    /// By the file's column; none for an unnamed column.
    slots: Vec<Option<&'t Slot>>,
    headers: Vec<String>,
}

/// A row read: the record (or list item) its cells make, and the cells
/// that join it to others.
#[derive(Debug, Default)]
pub struct Row {
    pub record: Map<String, Value>,
    pub person_id: Option<String>,
    pub position: Option<u64>,
    pub element: Option<String>,
}

impl Layout<'_> {
    /// The row's record, a cell trimmed (as a form's fields are) and an
    /// empty one an absent field, and the cells that do not hold what their
    /// column does (left out), by header.
    pub fn read<'c>(
        &self,
        cells: impl IntoIterator<Item = &'c str>,
    ) -> (Row, Vec<(String, String)>) {
        let mut row = Row::default();
        let mut problems = Vec::new();
        for ((slot, header), cell) in self.slots.iter().zip(&self.headers).zip(cells) {
            let cell = cell.trim();
            let (Some(slot), false) = (slot, cell.is_empty()) else {
                continue;
            };
            match slot {
                Slot::Value(path, _) if path == "id" || path.ends_with(".id") => {
                    put(&mut row.record, path, Value::String(id(cell)));
                }
                Slot::Value(path, holds) => match typed(cell, *holds) {
                    Ok(value) => put(&mut row.record, path, value),
                    Err(message) => problems.push((header.clone(), message.to_owned())),
                },
                Slot::Person => row.person_id = Some(id(cell)),
                Slot::Element => row.element = Some(id(cell)),
                Slot::Position => match cell.parse() {
                    Ok(position) => row.position = Some(position),
                    Err(_) => problems.push((header.clone(), NOT_A_NUMBER.to_owned())),
                },
            }
        }
        (row, problems)
    }
}

const NOT_A_NUMBER: &str = "must be a whole number";

/// An id as the registry writes it (a UUID in lower case, with hyphens),
/// so rows join whatever case or form a spreadsheet gave it; other text as
/// it is, for its record to refuse.
fn id(cell: &str) -> String {
    uuid::Uuid::parse_str(cell).map_or_else(|_| cell.to_owned(), |id| id.to_string())
}

/// A cell as the value its column holds.
fn typed(cell: &str, holds: Holds) -> Result<Value, &'static str> {
    match holds {
        Holds::Text => Ok(Value::String(cell.to_owned())),
        // `12.0` too, as some programs write whole numbers.
        Holds::Number => match (cell.parse::<i64>(), cell.parse::<f64>()) {
            (Ok(n), _) => Ok(Value::from(n)),
            (_, Ok(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Ok(Value::from(f as i64)),
            _ => Err(NOT_A_NUMBER),
        },
        Holds::Flag => match cell.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("must be true or false"),
        },
    }
}

/// Sets the value at a dotted path, making the objects on the way.
fn put(record: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            record.insert(path.to_owned(), value);
        }
        Some((key, rest)) => {
            let inner = record
                .entry(key)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                put(inner, rest, value);
            }
        }
    }
}

/// The value at a dotted path; null when any step is missing.
fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| &v[key])
}

/// A value as a cell: text as it is, absent or withheld as nothing.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_found_under_its_column() {
        assert_eq!(DETENTIONS.header_of("started"), "started");
        assert_eq!(
            DETENTIONS.header_of("started.precision"),
            "started_precision"
        );
        assert_eq!(DETENTIONS.header_of("facility"), "facility_id");
        assert_eq!(DETENTIONS.header_of("facility_id"), "facility_id");
        assert_eq!(CHARGES.header_of("article.number"), "article_number");
        assert_eq!(
            PERSONS.header_of("status_override.reason"),
            "status_override_reason"
        );
        assert_eq!(EXTERNAL_IDS.header_of("id"), "external_id");
    }

    #[test]
    fn a_row_reads_back_into_the_item_it_was_written_from() {
        let item = serde_json::json!({
            "id": "d1", "kind": "pre_trial",
            "started": {"date": "2021-05", "precision": "month", "approximate": true},
            "facility": {"id": "f1"}, "visibility": "public", "version": 3,
        });
        let cells = DETENTIONS.cells(&serde_json::json!({"id": "p1"}), &item, None, 0);
        let layout = DETENTIONS.layout(DETENTIONS.headers(), &[]).unwrap();
        let (row, problems) = layout.read(cells.iter().map(String::as_str));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(Value::Object(row.record), item);
        assert_eq!(row.person_id.as_deref(), Some("p1"));
    }

    #[test]
    fn cells_that_do_not_hold_what_their_column_does_are_named() {
        let headers = SENTENCES.headers();
        let layout = SENTENCES.layout(headers.clone(), &[]).unwrap();
        let mut cells = vec![""; headers.len()];
        let at = |h: &str| headers.iter().position(|x| x == h).unwrap();
        cells[at("term_months")] = "ten";
        cells[at("in_absentia")] = "maybe";
        cells[at("kind")] = "fine";
        let (row, problems) = layout.read(cells);
        let expected = [
            ("term_months", "must be a whole number"),
            ("in_absentia", "must be true or false"),
        ];
        assert_eq!(
            problems,
            expected.map(|(h, m)| (h.to_owned(), m.to_owned()))
        );
        assert_eq!(row.record["kind"], "fine");
    }

    #[test]
    fn numbers_flags_and_ids_are_read_as_programs_write_them() {
        assert_eq!(typed("12", Holds::Number), Ok(Value::from(12)));
        assert_eq!(typed("12.0", Holds::Number), Ok(Value::from(12)));
        assert_eq!(typed("12.5", Holds::Number), Err(NOT_A_NUMBER));
        assert_eq!(typed("TRUE", Holds::Flag), Ok(Value::Bool(true)));
        let upper = "01A20FAF-41BD-7616-B013-F5796B140701";
        assert_eq!(id(upper), upper.to_lowercase());
        assert_eq!(id("not an id"), "not an id");
    }

    #[test]
    fn headers_not_of_the_table_or_missing_are_named() {
        let mut headers = SENTENCES.headers();
        headers.retain(|h| h != "kind" && h != "version");
        headers.push("colour".into());
        let Err(problems) = SENTENCES.layout(headers, &["version"]) else {
            panic!("read without its kind");
        };
        let expected = [
            ("colour", "is not a column of sentences.csv"),
            ("kind", "the column is missing"),
        ];
        assert_eq!(
            problems,
            expected.map(|(h, m)| (h.to_owned(), m.to_owned()))
        );
    }
}
