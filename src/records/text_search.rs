//! Full-text search over internal notes and source titles, as a caller
//! may see it: only texts whose record the caller may read, so restricted
//! text is searched for cleared staff only (restricted fields themselves
//! are sealed and never indexed).

use serde::Serialize;
use uuid::Uuid;

use crate::db;
use crate::db::text_search::{MARK_END, MARK_START, TextHitRow};
use crate::domain::access::Caller;
use crate::domain::text_search::TextQuery;
use crate::domain::validate::FieldErrors;
use crate::domain::{PersonId, SourceId, Visibility};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A text that matched a search.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TextHit {
    /// `person`, `detention`, `charge`, `sentence`, `recognition`,
    /// `affiliation`, `citation` or `source`.
    pub record_type: String,
    pub record_id: Uuid,
    /// The person the record belongs to (`null` for a source).
    pub person: Option<HitPerson>,
    /// The source, for a source's title or notes.
    pub source: Option<HitSource>,
    /// The field that matched: `notes`, `note` (a citation's) or `title`.
    pub field: String,
    /// An extract of the text around the matching words, in pieces:
    /// `highlight` is true for the words that matched.
    pub extract: Vec<ExtractPiece>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HitPerson {
    pub id: PersonId,
    /// The person's primary name.
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HitSource {
    pub id: SourceId,
    pub title: String,
}

#[derive(Serialize, utoipa::ToSchema, Debug, PartialEq, Eq)]
pub struct ExtractPiece {
    pub text: String,
    pub highlight: bool,
}

impl TextHit {
    /// Where the record is shown: its person's page at the record, or the
    /// source's page.
    pub fn href(&self) -> String {
        match &self.person {
            Some(p) if self.record_type == "person" => format!("/persons/{}", p.id),
            Some(p) => format!("/persons/{}#{}-{}", p.id, self.record_type, self.record_id),
            None => {
                let title = self.source.as_ref().map_or("", |s| s.title.as_str());
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("q", title)
                    .finish();
                format!("/sources?{query}#source-{}", self.record_id)
            }
        }
    }
}

/// A page of hits and how many texts matched in all.
pub struct TextHits {
    pub items: Vec<TextHit>,
    pub total: i64,
}

/// The texts matching `query` that the caller may see, best first. Notes
/// are internal: a caller who may read only public data is refused.
pub async fn search(
    state: &AppState,
    caller: &Caller,
    query: &TextQuery,
    limit: i64,
    offset: i64,
) -> AppResult<TextHits> {
    if !caller.may_see(Visibility::Internal) {
        return Err(AppError::Forbidden(
            "Text search covers internal notes: it needs internal read access.",
        ));
    }
    let tsquery = query.to_tsquery();
    if !db::text_search::keeps_a_word(&state.pool, &tsquery).await? {
        return Err(AppError::Invalid(FieldErrors::single(
            "q",
            "has only words too common to search for",
        )));
    }
    let rows = db::text_search::search(
        &state.pool,
        &tsquery,
        caller.max_visibility(),
        limit,
        offset,
    )
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    Ok(TextHits {
        items: rows.into_iter().map(hit).collect(),
        total,
    })
}

fn hit(row: TextHitRow) -> TextHit {
    let TextHitRow {
        record_type,
        record_id,
        person_id,
        person_name,
        source_title,
        field,
        extract,
        total: _,
    } = row;
    TextHit {
        record_type,
        record_id,
        person: person_id.map(|id| HitPerson {
            id,
            name: person_name.unwrap_or_default(),
        }),
        source: source_title.map(|title| HitSource {
            id: SourceId(record_id),
            title,
        }),
        field,
        extract: pieces(&extract),
    }
}

/// Splits an extract at its marks.
fn pieces(extract: &str) -> Vec<ExtractPiece> {
    let mut out = Vec::new();
    let mut highlight = false;
    let mut text = String::new();
    let mut flush = |text: &mut String, highlight: bool| {
        if !text.is_empty() {
            out.push(ExtractPiece {
                text: std::mem::take(text),
                highlight,
            });
        }
    };
    for c in extract.chars() {
        match c {
            MARK_START => {
                flush(&mut text, highlight);
                highlight = true;
            }
            MARK_END => {
                flush(&mut text, highlight);
                highlight = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, highlight);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extract_is_split_at_its_marks() {
        let p = |text: &str, highlight| ExtractPiece {
            text: text.into(),
            highlight,
        };
        assert_eq!(
            pieces("held \u{E000}at\u{E001} \u{E000}Akrescina\u{E001} since"),
            vec![
                p("held ", false),
                p("at", true),
                p(" ", false),
                p("Akrescina", true),
                p(" since", false)
            ]
        );
        assert_eq!(pieces(""), vec![]);
    }
}
