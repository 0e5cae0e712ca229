//! `/persons/{id}/history`: who changed what in a case and when, as a
//! readable list of changes per entry, and restoring an earlier version
//! (itself a new, attributed change).

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::form::Form;
use super::i18n::I18n;
use super::session::Staff;
use super::{Ui, path_id, render};
use crate::crypto::sealed_from_history;
use crate::db;
use crate::db::affiliations::AffiliationRow;
use crate::db::charges::ChargeRow;
use crate::db::citations::CitationRow;
use crate::db::detentions::DetentionRow;
use crate::db::history::CaseEntry;
use crate::db::recognitions::RecognitionRow;
use crate::db::sentences::SentenceRow;
use crate::domain::{ChangeAction, PartialDate, PersonId, Visibility};
use crate::error::{AppError, AppResult};
use crate::http::ClientAddress;
use crate::http::routes::Listed;
use crate::records::persons::{self, PersonOut, today};
use crate::records::{self, Record};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .listed("/persons/{id}/history", get(show_history))
        .listed("/persons/{id}/history/{seq}/restore", post(restore))
}

/// Entries per page.
const PAGE_SIZE: i64 = 50;

/// One changed field: its label, the value before and after.
pub struct FieldChange {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// One history entry as the page shows it.
pub struct EntryView {
    pub seq: i64,
    pub at: String,
    pub author: String,
    /// The file the change was imported from.
    pub import_file: Option<String>,
    pub action: ChangeAction,
    pub record_type: String,
    pub changes: Vec<FieldChange>,
    /// What restoring this entry does (a message key), if it can be restored.
    pub restore: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "person/history.html")]
struct HistoryPage {
    ui: Ui,
    person: PersonOut,
    entries: Vec<EntryView>,
    /// The `before` of the next page, if there is one.
    older: Option<i64>,
    /// Why a restore was refused, field by field.
    problem: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct HistoryParams {
    before: Option<String>,
}

/// How history values are turned into text for one reader.
struct Reader<'a> {
    state: &'a AppState,
    i18n: &'a I18n,
    cleared: bool,
    names: HashMap<Uuid, String>,
}

impl Reader<'_> {
    /// A field's label: the record's own (`detention-started`), the
    /// record's without `_id` (`detention-facility`), or the shared one
    /// (`field-visibility`).
    fn label(&self, record_type: &str, field: &str) -> String {
        Self::label_of(self.i18n, record_type, field)
    }

    fn label_of(i18n: &I18n, record_type: &str, field: &str) -> String {
        let field = field.replace('_', "-");
        let candidates = [
            format!("{record_type}-{field}"),
            format!(
                "{record_type}-{}",
                field.trim_end_matches("-ids").trim_end_matches("-id")
            ),
            format!("field-{field}"),
        ];
        candidates
            .iter()
            .find_map(|key| i18n.try_t(key))
            .unwrap_or(field)
    }

    /// The vocabulary a field's values come from, for their labels.
    fn vocabulary(record_type: &str, field: &str) -> Option<&'static str> {
        Some(match (record_type, field) {
            (_, "visibility") => "visibility",
            ("person", "gender") => "gender",
            ("detention", "kind") => "detention-kind",
            ("detention", "end_reason") => "end-reason",
            ("charge", "status") => "charge-status",
            ("sentence", "kind") => "sentence-kind",
            ("sentence", "regime") => "regime",
            _ => return None,
        })
    }

    /// A value as text; `None` when the reader may not see it.
    fn show(&self, record_type: &str, field: &str, value: &Value) -> Option<String> {
        Some(match value {
            Value::Null => "—".into(),
            Value::Bool(b) => self.i18n.t(if *b { "yes" } else { "no" }),
            Value::Number(n) => n.to_string(),
            Value::String(s) if s.starts_with("sealed:") => {
                if !self.cleared {
                    return None;
                }
                sealed_from_history(s)
                    .and_then(|bytes| self.state.cipher.open(&bytes).ok())
                    .unwrap_or_default()
            }
            Value::String(s) => match Self::vocabulary(record_type, field) {
                Some(vocabulary) => self.i18n.label(vocabulary, s),
                None => self.named(s)?,
            },
            Value::Array(items) => items
                .iter()
                .filter_map(|item| self.show(record_type, field, item))
                .collect::<Vec<_>>()
                .join("; "),
            Value::Object(object) => {
                if let Ok(date) = serde_json::from_value::<PartialDate>(value.clone()) {
                    return Some(self.i18n.date(&date));
                }
                // A name, an external id, a status override: its parts.
                let parts: Vec<String> = object
                    .iter()
                    .filter(|(_, v)| !v.is_null() && *v != &Value::Bool(false))
                    .filter_map(|(k, v)| match (k.as_str(), v) {
                        ("name" | "id", Value::String(s)) => Some(s.clone()),
                        ("primary", Value::Bool(true)) => Some(self.i18n.t("person-name-primary")),
                        (_, v) => self.show(record_type, k, v).map(|s| format!("{k}: {s}")),
                    })
                    .collect();
                parts.join(", ")
            }
        })
    }

    /// A reference as its name; `None` for a record the reader may not
    /// see, which is left out as if there were no link.
    fn named(&self, s: &str) -> Option<String> {
        match s.parse::<Uuid>() {
            Ok(id) => self.names.get(&id).cloned(),
            Err(_) => Some(s.to_owned()),
        }
    }

    /// The fields an entry changed, as the reader may see them.
    fn changes(&self, entry: &CaseEntry) -> Vec<FieldChange> {
        let empty = serde_json::Map::new();
        let object = |v: &Option<Value>| v.as_ref().and_then(Value::as_object).cloned();
        let before = object(&entry.before).unwrap_or_else(|| empty.clone());
        let after = object(&entry.after).unwrap_or_else(|| empty.clone());
        if entry.after.is_none() {
            return Vec::new();
        }
        let merged_into = "merged_into".to_owned();
        let keys: Vec<&String> =
            if after.contains_key(&merged_into) || before.contains_key(&merged_into) {
                // A person merged away, or back: only where it went.
                vec![&merged_into]
            } else {
                after
                    .keys()
                    .chain(before.keys().filter(|k| !after.contains_key(*k)))
                    .collect()
            };
        let mut changes = Vec::new();
        for key in keys {
            let (b, a) = (
                before.get(key).unwrap_or(&Value::Null),
                after.get(key).unwrap_or(&Value::Null),
            );
            // A new record lists what it was given, not every empty field.
            let blank = |v: &Value| match v {
                Value::Null | Value::Bool(false) => true,
                Value::String(s) => s.is_empty(),
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            if a == b || key == "cited_for" || (entry.before.is_none() && blank(a)) {
                continue;
            }
            let (Some(b), Some(a)) = (
                self.show(&entry.record_type, key, b),
                self.show(&entry.record_type, key, a),
            ) else {
                continue;
            };
            changes.push(FieldChange {
                label: self.label(&entry.record_type, key),
                before: b,
                after: a,
            });
        }
        changes
    }
}

/// The ids history values name, for their names.
fn ids_in(value: &Value, into: &mut HashSet<Uuid>) {
    match value {
        Value::String(s) => {
            if let Ok(id) = s.parse() {
                into.insert(id);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, into)),
        Value::Object(o) => o.values().for_each(|v| ids_in(v, into)),
        _ => {}
    }
}

/// Record types history can restore from this page.
const RESTORABLE: [&str; 7] = [
    "person",
    "detention",
    "charge",
    "sentence",
    "recognition",
    "affiliation",
    "citation",
];

/// `GET /persons/{id}/history`.
async fn show_history(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(id): Path<String>,
    Query(params): Query<HistoryParams>,
) -> AppResult<Response> {
    let id: PersonId = path_id(&id)?;
    let before = match params.before.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    history_page(&state, &staff, address, id, before, None).await
}

/// The page of entries before `before` (the newest without it), with a
/// restore that failed explained at the top.
async fn history_page(
    state: &AppState,
    staff: &Staff,
    address: Option<std::net::IpAddr>,
    id: PersonId,
    before: Option<i64>,
    problem: Option<Vec<String>>,
) -> AppResult<Response> {
    let caller = &staff.caller;
    let person = persons::read_case(state, caller, id, today()).await?.person;
    let max_vis = caller.max_visibility();
    let entries = db::history::for_person(&state.pool, id, max_vis, before, PAGE_SIZE + 1).await?;
    let older = (entries.len() as i64 > PAGE_SIZE).then(|| entries[PAGE_SIZE as usize - 1].seq);
    let mut ids = HashSet::new();
    for e in &entries {
        e.before
            .iter()
            .chain(e.after.iter())
            .for_each(|v| ids_in(v, &mut ids));
    }
    let ids: Vec<Uuid> = ids.into_iter().collect();
    let names = db::names::of(&state.pool, &ids, max_vis)
        .await?
        .into_iter()
        .collect();
    let reader = Reader {
        state,
        i18n: &staff.i18n,
        cleared: caller.may_see(Visibility::Restricted),
        names,
    };
    let may_write = caller.may_write();
    // The newest entry of a record is its current version: nothing to
    // restore, unless it archived the record.
    let mut views = Vec::new();
    for entry in entries.iter().take(PAGE_SIZE as usize) {
        let newest = entry.newest;
        let changes = reader.changes(entry);
        if entry.action != ChangeAction::Archive && changes.is_empty() {
            // Nothing this reader may see changed.
            continue;
        }
        // A merge is undone as a whole, and a person merged into this one
        // is not this one.
        let restorable = may_write
            && RESTORABLE.contains(&entry.record_type.as_str())
            && entry.action != ChangeAction::Merge
            && (entry.record_type != "person" || entry.record_id == id.0);
        let restore = match entry.action {
            ChangeAction::Archive if restorable && entry.archived && newest => {
                Some("history-restore-record")
            }
            ChangeAction::Archive => None,
            _ if restorable && !newest && entry.after.is_some() => Some("history-restore-version"),
            _ => None,
        };
        views.push(EntryView {
            seq: entry.seq,
            at: staff.i18n.moment(entry.at),
            author: entry
                .author
                .clone()
                .unwrap_or_else(|| staff.i18n.label("face", entry.face.as_str())),
            import_file: entry.import_file.clone(),
            action: entry.action,
            record_type: entry.record_type.clone(),
            changes,
            restore,
        });
    }
    if reader.cleared
        && entries.iter().take(PAGE_SIZE as usize).any(|e| {
            [&e.before, &e.after].iter().any(|v| {
                v.as_ref()
                    .and_then(|v| v.get("restricted_notes"))
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.starts_with("sealed:"))
            })
        })
    {
        super::log_restricted_read(state, staff, address, id, "history").await?;
    }
    let failed = problem.is_some();
    let mut response = render(&HistoryPage {
        ui: Ui::new(staff, "persons"),
        person,
        entries: views,
        older,
        problem,
    })?;
    if failed {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Deserialize)]
struct RestorePath {
    id: String,
    seq: String,
}

/// `POST /persons/{id}/history/{seq}/restore`: brings back the version an
/// entry holds (an archived record: as it was when archived).
async fn restore(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    staff: Staff,
    Path(path): Path<RestorePath>,
    Form(form): Form,
) -> AppResult<Response> {
    records::require_write(&staff.caller)?;
    let id: PersonId = path_id(&path.id)?;
    let seq: i64 = path_id(&path.seq)?;
    let caller = &staff.caller;
    let entry = db::history::case_entry(&state.pool, id, seq, caller.max_visibility())
        .await?
        .ok_or(AppError::NotFound)?;
    let snapshot = match entry.action {
        ChangeAction::Archive => entry.before.as_ref(),
        _ => entry.after.as_ref(),
    }
    .ok_or(AppError::NotFound)?;
    let record = entry.record_id;
    if entry.action == ChangeAction::Merge || (entry.record_type == "person" && record != id.0) {
        return Err(AppError::NotFound);
    }
    let entry_type = entry.record_type.clone();
    let result = match entry.record_type.as_str() {
        "person" => {
            let version = form
                .text("version")
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| AppError::BadRequest("the form has no version".into()))?;
            persons::restore(&state, caller, id, version, snapshot).await
        }
        "detention" => restore_record::<DetentionRow>(&state, &staff, record, snapshot).await,
        "charge" => restore_record::<ChargeRow>(&state, &staff, record, snapshot).await,
        "sentence" => restore_record::<SentenceRow>(&state, &staff, record, snapshot).await,
        "recognition" => restore_record::<RecognitionRow>(&state, &staff, record, snapshot).await,
        "affiliation" => restore_record::<AffiliationRow>(&state, &staff, record, snapshot).await,
        "citation" => restore_record::<CitationRow>(&state, &staff, record, snapshot).await,
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{id}/history")).into_response()),
        // The version points to what is gone now, or breaks today's rules.
        Err(AppError::PreconditionFailed) => {
            let problem = vec![staff.i18n.t("error-stale-version-detail")];
            history_page(&state, &staff, address, id, None, Some(problem)).await
        }
        Err(AppError::Invalid(errors)) => {
            let problem = errors
                .0
                .iter()
                .map(|e| {
                    let label = Reader::label_of(&staff.i18n, &entry_type, &e.field);
                    format!("{label}: {}", staff.i18n.field_message(&e.message))
                })
                .collect();
            history_page(&state, &staff, address, id, None, Some(problem)).await
        }
        Err(e) => Err(e),
    }
}

async fn restore_record<R: Record>(
    state: &AppState,
    staff: &Staff,
    id: Uuid,
    snapshot: &Value,
) -> AppResult<()> {
    records::restore::<R>(state, &staff.caller, R::Id::from(id), snapshot).await
}
