//! The inputs of each record of a case, and how its form's values become
//! its fields.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::form::FormData;
use super::super::i18n::I18n;
use super::super::session::Staff;
use super::super::{Ui, render};
use super::{CaseForm, Choice, Context, FormField, Input};
use crate::db;
use crate::db::affiliations::AffiliationRow;
use crate::db::articles::{ArticleFilter, ArticleRow};
use crate::db::charges::ChargeRow;
use crate::db::citations::CitationRow;
use crate::db::detentions::DetentionRow;
use crate::db::recognitions::RecognitionRow;
use crate::db::sentences::SentenceRow;
use crate::domain::affiliation::{
    AffiliationFields, CitationFields, CitationTarget, RecognitionFields,
};
use crate::domain::charge::{ChargeFields, SentenceFields};
use crate::domain::detention::DetentionFields;
use crate::domain::validate::FieldErrors;
use crate::domain::{
    ArticleId, ChargeStatus, DetentionEndReason, DetentionKind, Regime, SentenceKind, Visibility,
};
use crate::error::AppResult;
use crate::records::charges::ChargeOut;
use crate::records::detentions::DetentionOut;

/// The choices of a vocabulary, labelled in the page's language.
pub(super) fn vocabulary<T: Copy>(
    i18n: &I18n,
    name: &str,
    values: &[T],
    as_str: fn(T) -> &'static str,
) -> Vec<Choice> {
    values
        .iter()
        .map(|v| Choice {
            value: as_str(*v).into(),
            label: i18n.label(name, as_str(*v)),
        })
        .collect()
}

fn text(cx: &Context<'_>, name: &'static str, key: &str) -> FormField {
    FormField::new(name, cx.label(key), Input::Text)
}

fn date(cx: &Context<'_>, name: &'static str, key: &str) -> FormField {
    FormField::new(name, cx.label(key), Input::Date).hint(cx.label("date-hint-short"))
}

fn notes(cx: &Context<'_>, name: &'static str) -> FormField {
    FormField::new(name, cx.label("field-notes"), Input::Area).hint(cx.label("field-internal-hint"))
}

/// The facilities, by name.
async fn facilities(cx: &Context<'_>) -> AppResult<Vec<Choice>> {
    let rows = db::facilities::list(&cx.state.pool, None, None, 1000).await?;
    let mut choices: Vec<Choice> = rows
        .into_iter()
        .map(|f| Choice {
            value: f.id.to_string(),
            label: match f.city {
                Some(city) => format!("{}, {city}", f.name),
                None => f.name,
            },
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(choices)
}

/// The organisations, by name.
async fn organizations(cx: &Context<'_>) -> AppResult<Vec<Choice>> {
    let rows = db::organizations::list(&cx.state.pool, None, None, 1000).await?;
    let mut choices: Vec<Choice> = rows
        .into_iter()
        .map(|o| Choice {
            value: o.id.to_string(),
            label: o.name,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(choices)
}

/// The sources this caller may see, by title.
async fn sources(cx: &Context<'_>) -> AppResult<Vec<Choice>> {
    let rows =
        db::sources::list(&cx.state.pool, cx.caller.max_visibility(), None, None, 1000).await?;
    let mut choices: Vec<Choice> = rows
        .into_iter()
        .map(|s| Choice {
            value: s.id.to_string(),
            label: match s.published {
                Some(d) => format!("{} · {}", s.title, cx.i18n.date(&d)),
                None => s.title,
            },
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(choices)
}

/// `14 July 2021 – ongoing · Pre-trial detention`.
fn detention_label(i18n: &I18n, d: &DetentionOut) -> String {
    let ended = d
        .ended
        .as_ref()
        .map_or_else(|| i18n.t("ongoing"), |e| i18n.date(e));
    format!(
        "{} – {ended} · {}",
        i18n.date(&d.started),
        i18n.label("detention-kind", d.kind.as_str())
    )
}

/// `Art. 342 (part 1) · Convicted`.
fn charge_label(i18n: &I18n, c: &ChargeOut) -> String {
    let part = c
        .part
        .as_ref()
        .map(|p| format!(" ({} {p})", i18n.t("article-part")))
        .unwrap_or_default();
    format!(
        "{} {}{part} · {}",
        i18n.t("article-short"),
        c.article.number,
        i18n.label("charge-status", c.status.as_str())
    )
}

/// `342 · Criminal Code · Organisation of actions…`, titled in the page's
/// language where the catalogue has it.
fn article_choice(i18n: &I18n, a: ArticleRow) -> Choice {
    let title = match i18n.code() {
        "be" => a.title_be,
        "ru" => a.title_ru,
        _ => None,
    }
    .unwrap_or(a.title_en);
    Choice {
        value: a.id.to_string(),
        label: format!(
            "{} {} · {} · {title}",
            i18n.t("article-short"),
            a.number,
            i18n.label("legal-code", a.code.as_str())
        ),
    }
}

/// Articles whose number or title contains `q`, the exact number first.
async fn find_articles(
    state: &crate::state::AppState,
    i18n: &I18n,
    q: &str,
) -> AppResult<Vec<Choice>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let filter = ArticleFilter {
        q: Some(q.to_owned()),
        limit: 500,
        ..ArticleFilter::default()
    };
    let mut rows = db::articles::list(&state.pool, &filter).await?;
    rows.sort_by(|a, b| {
        (a.number != q, a.number.len(), &a.number).cmp(&(b.number != q, b.number.len(), &b.number))
    });
    rows.truncate(20);
    Ok(rows.into_iter().map(|a| article_choice(i18n, a)).collect())
}

#[derive(Deserialize)]
pub(super) struct PickParams {
    article_q: Option<String>,
}

/// The article choices alone, as the picker updates them while typing.
#[derive(Template)]
#[template(path = "record/articles.html")]
struct ArticleChoices {
    ui: Ui,
    choices: Vec<Choice>,
    query: String,
}

/// `GET /articles/pick?article_q=342`.
pub(super) async fn pick_article(
    State(state): State<crate::state::AppState>,
    staff: Staff,
    Query(params): Query<PickParams>,
) -> AppResult<Response> {
    let query = params.article_q.unwrap_or_default();
    let choices = find_articles(&state, &staff.i18n, &query).await?;
    render(&ArticleChoices {
        ui: Ui::new(&staff, "persons"),
        choices,
        query,
    })
}

impl CaseForm for DetentionRow {
    fn values(f: &DetentionFields) -> FormData {
        let mut v = FormData::default();
        v.set("kind", f.kind.as_str());
        v.set_date("started", Some(f.started));
        v.set_date("ended", f.ended);
        v.set_some("facility_id", f.facility_id);
        v.set_some("authority", f.authority.as_ref());
        v.set_some("end_reason", f.end_reason);
        v.set_some("notes", f.notes.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    async fn inputs(cx: &Context<'_>, _values: &FormData) -> AppResult<Vec<FormField>> {
        let kinds = vocabulary(
            cx.i18n,
            "detention-kind",
            DetentionKind::ALL,
            DetentionKind::as_str,
        );
        let reasons = vocabulary(
            cx.i18n,
            "end-reason",
            DetentionEndReason::ALL,
            DetentionEndReason::as_str,
        );
        Ok(vec![
            FormField::new("kind", cx.label("detention-kind"), Input::Select(kinds)).required(),
            date(cx, "started", "detention-started").required(),
            date(cx, "ended", "detention-ended").hint(cx.label("detention-ended-hint")),
            FormField::new(
                "end_reason",
                cx.label("detention-end-reason"),
                Input::Select(reasons),
            ),
            FormField::new(
                "facility_id",
                cx.label("detention-facility"),
                Input::Select(facilities(cx).await?),
            ),
            text(cx, "authority", "detention-authority"),
            notes(cx, "notes"),
            cx.visibility_field(),
        ])
    }

    fn parse(
        _cx: &Context<'_>,
        v: &FormData,
        _current: Option<&DetentionFields>,
    ) -> Result<DetentionFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = v.required(&mut e, "kind");
        let started = v.required_date(&mut e, "started");
        let ended = v.date(&mut e, "ended");
        let facility_id = v.choice(&mut e, "facility_id");
        let end_reason = v.choice(&mut e, "end_reason");
        let visibility = visibility(&mut e, v);
        let (Some(kind), Some(started), true) = (kind, started, e.is_empty()) else {
            return Err(e);
        };
        Ok(DetentionFields {
            kind,
            started,
            ended,
            facility_id,
            authority: v.text("authority"),
            end_reason,
            notes: v.text("notes"),
            visibility,
        })
    }
}

fn visibility(e: &mut FieldErrors, v: &FormData) -> Visibility {
    v.choice(e, "visibility").unwrap_or(Visibility::Internal)
}

impl CaseForm for ChargeRow {
    fn values(f: &ChargeFields) -> FormData {
        let mut v = FormData::default();
        v.set("article_id", f.article_id.to_string());
        v.set_some("part", f.part.as_ref());
        v.set_some("case_id", f.case_id);
        v.set_some("detention_id", f.detention_id);
        v.set_date("filed", f.filed);
        v.set("status", f.status.as_str());
        v.set_date("status_since", f.status_since);
        v.set_some("notes", f.notes.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    fn defaults(v: &mut FormData) {
        v.set("status", ChargeStatus::Charged.as_str());
    }

    /// An article typed as its exact number, with nothing picked, is the
    /// article of that number when only one has it.
    async fn complete(cx: &Context<'_>, v: &mut FormData) -> AppResult<()> {
        if v.text("article_id").is_some() {
            return Ok(());
        }
        let Some(number) = v.text("article_q") else {
            return Ok(());
        };
        let filter = ArticleFilter {
            number: Some(number),
            limit: 2,
            ..ArticleFilter::default()
        };
        if let [article] = db::articles::list(&cx.state.pool, &filter)
            .await?
            .as_slice()
        {
            v.set("article_id", article.id.to_string());
        }
        Ok(())
    }

    async fn inputs(cx: &Context<'_>, values: &FormData) -> AppResult<Vec<FormField>> {
        let mut articles =
            find_articles(cx.state, cx.i18n, values.raw("article_q").unwrap_or("")).await?;
        // The article chosen stays offered whatever the search shows.
        if let Some(id) = values
            .text("article_id")
            .and_then(|i| i.parse::<ArticleId>().ok())
            && !articles.iter().any(|a| a.value == id.to_string())
            && let Some(article) = db::articles::get(&cx.state.pool, id).await?
        {
            articles.insert(0, article_choice(cx.i18n, article));
        }
        let cases = db::cases::list(&cx.state.pool, None, None, 1000).await?;
        let mut cases: Vec<Choice> = cases
            .into_iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: c
                    .number
                    .or(c.description)
                    .unwrap_or_else(|| c.id.to_string()),
            })
            .collect();
        cases.sort_by(|a, b| a.label.cmp(&b.label));
        let detentions = cx
            .case
            .detentions
            .iter()
            .map(|d| Choice {
                value: d.id.to_string(),
                label: detention_label(cx.i18n, d),
            })
            .collect();
        let statuses = vocabulary(
            cx.i18n,
            "charge-status",
            ChargeStatus::ALL,
            ChargeStatus::as_str,
        );
        Ok(vec![
            FormField::new(
                "article_id",
                cx.label("charge-article"),
                Input::Article(articles),
            )
            .required()
            .hint(cx.label("article-pick-hint")),
            text(cx, "part", "charge-part").hint(cx.label("charge-part-hint")),
            FormField::new("status", cx.label("charge-status"), Input::Select(statuses)).required(),
            date(cx, "filed", "charge-filed"),
            date(cx, "status_since", "charge-status-since"),
            FormField::new("case_id", cx.label("criminal-case"), Input::Select(cases)),
            FormField::new(
                "detention_id",
                cx.label("charge-detention"),
                Input::Select(detentions),
            ),
            notes(cx, "notes"),
            cx.visibility_field(),
        ])
    }

    fn parse(
        _cx: &Context<'_>,
        v: &FormData,
        _current: Option<&ChargeFields>,
    ) -> Result<ChargeFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let article_id = v.choice(&mut e, "article_id");
        if article_id.is_none() && e.message("article_id").is_none() {
            e.add("article_id", "choose the article from those found");
        }
        let status = v.required(&mut e, "status");
        let case_id = v.choice(&mut e, "case_id");
        let detention_id = v.choice(&mut e, "detention_id");
        let filed = v.date(&mut e, "filed");
        let status_since = v.date(&mut e, "status_since");
        let visibility = visibility(&mut e, v);
        let (Some(article_id), Some(status), true) = (article_id, status, e.is_empty()) else {
            return Err(e);
        };
        Ok(ChargeFields {
            article_id,
            part: v.text("part"),
            case_id,
            detention_id,
            filed,
            status,
            status_since,
            notes: v.text("notes"),
            visibility,
        })
    }
}

impl CaseForm for SentenceRow {
    fn values(f: &SentenceFields) -> FormData {
        let mut v = FormData::default();
        v.set("kind", f.kind.as_str());
        v.set_date("pronounced", f.pronounced);
        v.set_some("court", f.court.as_ref());
        v.set_some("judge", f.judge.as_ref());
        if let Some(months) = f.term_months {
            v.set("term_years", (months / 12).to_string());
            v.set("term_months", (months % 12).to_string());
        }
        v.set_some("term_days", f.term_days);
        v.set_some("regime", f.regime);
        v.set_some("fine_basic_units", f.fine_basic_units);
        v.set_some("fine_amount", f.fine_amount.as_ref());
        v.set_some("currency", f.currency.as_ref());
        for id in &f.charge_ids {
            v.push("charge_ids", id.to_string());
        }
        v.set_some("facility_id", f.facility_id);
        if f.in_absentia {
            v.set("in_absentia", "on");
        }
        v.set_some("appeal_outcome", f.appeal_outcome.as_ref());
        v.set_date("released_on", f.released_on);
        v.set_some("notes", f.notes.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    async fn inputs(cx: &Context<'_>, _values: &FormData) -> AppResult<Vec<FormField>> {
        let kinds = vocabulary(
            cx.i18n,
            "sentence-kind",
            SentenceKind::ALL,
            SentenceKind::as_str,
        );
        let regimes = vocabulary(cx.i18n, "regime", Regime::ALL, Regime::as_str);
        let charges = cx
            .case
            .charges
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: charge_label(cx.i18n, c),
            })
            .collect();
        Ok(vec![
            FormField::new("kind", cx.label("sentence-kind"), Input::Select(kinds)).required(),
            date(cx, "pronounced", "sentence-pronounced"),
            text(cx, "court", "sentence-court"),
            text(cx, "judge", "sentence-judge"),
            FormField::new("term_years", cx.label("sentence-term-years"), Input::Number),
            FormField::new(
                "term_months",
                cx.label("sentence-term-months"),
                Input::Number,
            ),
            FormField::new("term_days", cx.label("sentence-term-days"), Input::Number),
            FormField::new(
                "regime",
                cx.label("sentence-regime"),
                Input::Select(regimes),
            ),
            FormField::new(
                "charge_ids",
                cx.label("sentence-covers"),
                Input::Checks(charges),
            ),
            FormField::new(
                "facility_id",
                cx.label("sentence-facility"),
                Input::Select(facilities(cx).await?),
            ),
            FormField::new(
                "fine_basic_units",
                cx.label("sentence-fine-units"),
                Input::Number,
            ),
            text(cx, "fine_amount", "sentence-fine-amount"),
            text(cx, "currency", "sentence-currency").hint(cx.label("sentence-currency-hint")),
            FormField::new(
                "in_absentia",
                cx.label("sentence-in-absentia"),
                Input::Check,
            ),
            text(cx, "appeal_outcome", "sentence-appeal-outcome"),
            date(cx, "released_on", "sentence-released-on"),
            notes(cx, "notes"),
            cx.visibility_field(),
        ])
    }

    fn parse(
        _cx: &Context<'_>,
        v: &FormData,
        _current: Option<&SentenceFields>,
    ) -> Result<SentenceFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = v.required(&mut e, "kind");
        // The term is typed as years, months and days; stored in months
        // and days.
        let years = v.number(&mut e, "term_years");
        let months = v.number(&mut e, "term_months");
        let term_months = match (years, months) {
            (None, None) => None,
            (y, m) => y
                .unwrap_or(0)
                .checked_mul(12)
                .and_then(|y| y.checked_add(m.unwrap_or(0))),
        };
        if (years.is_some() || months.is_some()) && term_months.is_none() {
            e.add("term_years", "is too large");
        }
        let pronounced = v.date(&mut e, "pronounced");
        let term_days = v.number(&mut e, "term_days");
        let regime = v.choice(&mut e, "regime");
        let fine_basic_units = v.number(&mut e, "fine_basic_units");
        let charge_ids = v.choices(&mut e, "charge_ids");
        let facility_id = v.choice(&mut e, "facility_id");
        let released_on = v.date(&mut e, "released_on");
        let visibility = visibility(&mut e, v);
        let (Some(kind), true) = (kind, e.is_empty()) else {
            return Err(e);
        };
        Ok(SentenceFields {
            kind,
            pronounced,
            court: v.text("court"),
            judge: v.text("judge"),
            term_months,
            term_days,
            regime,
            fine_basic_units,
            fine_amount: v.text("fine_amount"),
            currency: v.text("currency").map(|c| c.to_uppercase()),
            charge_ids,
            facility_id,
            in_absentia: v.checked("in_absentia"),
            appeal_outcome: v.text("appeal_outcome"),
            released_on,
            notes: v.text("notes"),
            visibility,
        })
    }
}

impl CaseForm for RecognitionRow {
    fn values(f: &RecognitionFields) -> FormData {
        let mut v = FormData::default();
        v.set("organization_id", f.organization_id.to_string());
        v.set_date("since", f.since);
        v.set_date("until", f.until);
        v.set_some("source_id", f.source_id);
        v.set_some("notes", f.notes.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    async fn inputs(cx: &Context<'_>, _values: &FormData) -> AppResult<Vec<FormField>> {
        Ok(vec![
            FormField::new(
                "organization_id",
                cx.label("recognition-organization"),
                Input::Select(organizations(cx).await?),
            )
            .required(),
            date(cx, "since", "field-since"),
            date(cx, "until", "field-until"),
            FormField::new(
                "source_id",
                cx.label("recognition-statement"),
                Input::Select(sources(cx).await?),
            ),
            notes(cx, "notes"),
            cx.visibility_field(),
        ])
    }

    fn parse(
        _cx: &Context<'_>,
        v: &FormData,
        _current: Option<&RecognitionFields>,
    ) -> Result<RecognitionFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let organization_id = v.required(&mut e, "organization_id");
        let since = v.date(&mut e, "since");
        let until = v.date(&mut e, "until");
        let source_id = v.choice(&mut e, "source_id");
        let visibility = visibility(&mut e, v);
        let (Some(organization_id), true) = (organization_id, e.is_empty()) else {
            return Err(e);
        };
        Ok(RecognitionFields {
            organization_id,
            since,
            until,
            source_id,
            notes: v.text("notes"),
            visibility,
        })
    }
}

impl CaseForm for AffiliationRow {
    fn values(f: &AffiliationFields) -> FormData {
        let mut v = FormData::default();
        v.set("organization_id", f.organization_id.to_string());
        v.set_some("role", f.role.as_ref());
        v.set_date("since", f.since);
        v.set_date("until", f.until);
        v.set_some("notes", f.notes.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    fn defaults(v: &mut FormData) {
        v.set("visibility", Visibility::Internal.as_str());
    }

    async fn inputs(cx: &Context<'_>, _values: &FormData) -> AppResult<Vec<FormField>> {
        Ok(vec![
            FormField::new(
                "organization_id",
                cx.label("affiliation-organization"),
                Input::Select(organizations(cx).await?),
            )
            .required(),
            text(cx, "role", "affiliation-role"),
            date(cx, "since", "field-since"),
            date(cx, "until", "field-until"),
            notes(cx, "notes"),
            cx.visibility_field(),
        ])
    }

    fn parse(
        _cx: &Context<'_>,
        v: &FormData,
        _current: Option<&AffiliationFields>,
    ) -> Result<AffiliationFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let organization_id = v.required(&mut e, "organization_id");
        let since = v.date(&mut e, "since");
        let until = v.date(&mut e, "until");
        let visibility = visibility(&mut e, v);
        let (Some(organization_id), true) = (organization_id, e.is_empty()) else {
            return Err(e);
        };
        Ok(AffiliationFields {
            organization_id,
            role: v.text("role"),
            since,
            until,
            notes: v.text("notes"),
            visibility,
        })
    }
}

/// What a citation is for, as its form carries it: `person`,
/// `detention:<id>`, `charge:<id>`, `sentence:<id>`.
fn cited_for(target: CitationTarget) -> String {
    match target {
        CitationTarget::Person => "person".into(),
        CitationTarget::Detention(id) => format!("detention:{id}"),
        CitationTarget::Charge(id) => format!("charge:{id}"),
        CitationTarget::Sentence(id) => format!("sentence:{id}"),
    }
}

/// The record a citation's form names, if it is one of this person's
/// records the caller sees; with how the form shows it.
fn citation_target(cx: &Context<'_>, written: &str) -> Option<(CitationTarget, String)> {
    let case = cx.case;
    let i18n = cx.i18n;
    let (kind, id) = written.split_once(':').unwrap_or((written, ""));
    match kind {
        "person" => Some((
            CitationTarget::Person,
            case.person.primary_name().to_owned(),
        )),
        "detention" => case
            .detentions
            .iter()
            .find(|d| d.id.to_string() == id)
            .map(|d| (CitationTarget::Detention(d.id), detention_label(i18n, d))),
        "charge" => case
            .charges
            .iter()
            .find(|c| c.id.to_string() == id)
            .map(|c| (CitationTarget::Charge(c.id), charge_label(i18n, c))),
        "sentence" => case
            .sentences
            .iter()
            .find(|s| s.id.to_string() == id)
            .map(|s| {
                let when = s
                    .pronounced
                    .as_ref()
                    .map(|d| format!(" · {}", i18n.date(d)))
                    .unwrap_or_default();
                (
                    CitationTarget::Sentence(s.id),
                    format!("{}{when}", i18n.label("sentence-kind", s.kind.as_str())),
                )
            }),
        _ => None,
    }
}

impl CaseForm for CitationRow {
    fn values(f: &CitationFields) -> FormData {
        let mut v = FormData::default();
        v.set("cited_for", cited_for(f.target));
        v.set("source_id", f.source_id.to_string());
        v.set_some("note", f.note.as_ref());
        v.set("visibility", f.visibility.as_str());
        v
    }

    async fn inputs(cx: &Context<'_>, values: &FormData) -> AppResult<Vec<FormField>> {
        let target = values.raw("cited_for").unwrap_or("person");
        let shown = citation_target(cx, target).map_or_else(|| "—".into(), |(_, label)| label);
        Ok(vec![
            FormField::new("cited_for", cx.label("citation-for"), Input::Fixed(shown)),
            FormField::new(
                "source_id",
                cx.label("citation-source"),
                Input::Select(sources(cx).await?),
            )
            .required(),
            FormField::new("note", cx.label("citation-note"), Input::Area)
                .hint(cx.label("field-internal-hint")),
            cx.visibility_field(),
        ])
    }

    fn parse(
        cx: &Context<'_>,
        v: &FormData,
        current: Option<&CitationFields>,
    ) -> Result<CitationFields, FieldErrors> {
        let mut e = FieldErrors::new();
        // A stored citation keeps its record; a new one is for the record
        // the form names, which must be this person's.
        let target = match current {
            Some(c) => Some(c.target),
            None => citation_target(cx, v.raw("cited_for").unwrap_or("person")).map(|(t, _)| t),
        };
        if target.is_none() {
            e.add("cited_for", "no such record of this person");
        }
        let source_id = v.required(&mut e, "source_id");
        let visibility = visibility(&mut e, v);
        let (Some(target), Some(source_id), true) = (target, source_id, e.is_empty()) else {
            return Err(e);
        };
        Ok(CitationFields {
            target,
            source_id,
            note: v.text("note"),
            visibility,
        })
    }
}
