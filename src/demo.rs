//! The demo cases, transcribed from the source documents in `demo/cases.json`
//! (an ILO letter, a Solidarity Center article, Amnesty's Urgent Action
//! 85.21, an HRHF briefing and a joint letter of 161 organisations).
//!
//! Loading goes through the same validation and history as any other
//! import; each person is matched on their `docket-demo` external id, and
//! reference rows on their name, so a second load adds nothing.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

use crate::db::{self, history};
use crate::domain::access::Actor;
use crate::domain::affiliation::{
    AffiliationFields, CitationFields, CitationTarget, RecognitionFields,
};
use crate::domain::case::CaseFields;
use crate::domain::charge::{ChargeFields, SentenceFields};
use crate::domain::detention::DetentionFields;
use crate::domain::facility::FacilityFields;
use crate::domain::organization::OrganizationFields;
use crate::domain::person::{ExternalId, PersonFields, PersonName};
use crate::domain::source::SourceFields;
use crate::domain::validate::FieldErrors;
use crate::domain::*;

const CASES: &str = include_str!("../demo/cases.json");

/// The registry system the demo persons' external ids belong to.
pub const DEMO_SYSTEM: &str = "docket-demo";

#[derive(Deserialize)]
struct Demo {
    organizations: Vec<DemoOrganization>,
    facilities: Vec<DemoFacility>,
    sources: Vec<DemoSource>,
    cases: Vec<DemoCase>,
    persons: Vec<DemoPerson>,
}

#[derive(Deserialize)]
struct DemoOrganization {
    key: String,
    name: String,
    kind: OrganizationKind,
    country: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct DemoFacility {
    key: String,
    name: String,
    kind: FacilityKind,
    city: Option<String>,
    postal_address: Option<String>,
}

#[derive(Deserialize)]
struct DemoSource {
    key: String,
    title: String,
    publisher: Option<String>,
    published: Option<PartialDate>,
    url: Option<String>,
    kind: SourceKind,
    visibility: Visibility,
}

#[derive(Deserialize)]
struct DemoCase {
    key: String,
    number: Option<String>,
    opened: Option<PartialDate>,
    authority: Option<String>,
    description: String,
}

#[derive(Deserialize)]
struct DemoPerson {
    key: String,
    names: Vec<PersonName>,
    birth_date: Option<PartialDate>,
    gender: Option<Gender>,
    pronouns: Option<String>,
    occupation: Option<String>,
    region: Option<String>,
    visibility: Visibility,
    notes: Option<String>,
    affiliations: Vec<DemoAffiliation>,
    recognitions: Vec<DemoRecognition>,
    detentions: Vec<DemoDetention>,
    charges: Vec<DemoCharge>,
    sentences: Vec<DemoSentence>,
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct DemoAffiliation {
    organization: String,
    role: Option<String>,
    since: Option<PartialDate>,
    until: Option<PartialDate>,
}

#[derive(Deserialize)]
struct DemoRecognition {
    organization: String,
    since: Option<PartialDate>,
    until: Option<PartialDate>,
    source: Option<String>,
}

#[derive(Deserialize)]
struct DemoDetention {
    key: String,
    kind: DetentionKind,
    started: PartialDate,
    ended: Option<PartialDate>,
    facility: Option<String>,
    authority: Option<String>,
    end_reason: Option<DetentionEndReason>,
    notes: Option<String>,
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct DemoCharge {
    key: String,
    code: LegalCode,
    article: String,
    part: Option<String>,
    case: Option<String>,
    detention: Option<String>,
    filed: Option<PartialDate>,
    status: ChargeStatus,
    notes: Option<String>,
    sources: Vec<String>,
}

#[derive(Deserialize)]
struct DemoSentence {
    kind: SentenceKind,
    pronounced: Option<PartialDate>,
    court: Option<String>,
    judge: Option<String>,
    term_months: Option<i32>,
    term_days: Option<i32>,
    regime: Option<Regime>,
    fine_basic_units: Option<i32>,
    fine_amount: Option<String>,
    currency: Option<String>,
    charges: Vec<String>,
    facility: Option<String>,
    in_absentia: bool,
    appeal_outcome: Option<String>,
    released_on: Option<PartialDate>,
    notes: Option<String>,
    sources: Vec<String>,
}

/// Ids of the reference rows, by the keys the demo file uses.
#[derive(Default)]
struct Keys {
    organizations: HashMap<String, OrganizationId>,
    facilities: HashMap<String, FacilityId>,
    sources: HashMap<String, SourceId>,
    cases: HashMap<String, CaseId>,
}

fn lookup<T: Copy>(map: &HashMap<String, T>, what: &str, key: &str) -> anyhow::Result<T> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow!("the demo data names an unknown {what} `{key}`"))
}

fn invalid(errors: FieldErrors) -> anyhow::Error {
    let list: Vec<String> = errors
        .0
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    anyhow!("invalid demo record: {}", list.join("; "))
}

const ACTOR: Actor = Actor {
    account_id: None,
    token_id: None,
    face: Face::Import,
    import_id: None,
};

/// Writes the history entry of a created record.
async fn created<T: Serialize>(
    conn: &mut PgConnection,
    record_type: &'static str,
    record_id: uuid::Uuid,
    person_id: Option<PersonId>,
    after: &T,
) -> anyhow::Result<()> {
    let after = serde_json::to_value(after)?;
    let change = history::Change {
        record_type,
        record_id,
        person_id,
        action: ChangeAction::Create,
        before: None,
        after: Some(&after),
    };
    history::record(conn, ACTOR, change).await?;
    Ok(())
}

/// Loads the demo cases; returns what it did, for the operator.
pub async fn load(pool: &PgPool) -> anyhow::Result<String> {
    let demo: Demo = serde_json::from_str(CASES).context("reading the demo data")?;
    let mut tx = pool.begin().await?;
    let keys = load_references(&mut tx, &demo).await?;
    let (mut added, mut present) = (0, 0);
    for person in &demo.persons {
        if db::persons::by_external_id(&mut *tx, DEMO_SYSTEM, &person.key)
            .await?
            .is_some()
        {
            present += 1;
            continue;
        }
        load_person(&mut tx, &keys, person)
            .await
            .with_context(|| format!("loading the demo case `{}`", person.key))?;
        added += 1;
    }
    tx.commit().await?;
    Ok(format!(
        "Demo cases: {added} added, {present} already present."
    ))
}

async fn load_references(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<Keys> {
    let mut keys = Keys::default();
    for o in &demo.organizations {
        let id = match db::demo::organization(conn, &o.name).await? {
            Some(id) => id,
            None => {
                let fields = OrganizationFields {
                    name: o.name.clone(),
                    kind: o.kind,
                    country: o.country.clone(),
                    url: o.url.clone(),
                    notes: None,
                }
                .validate()
                .map_err(invalid)?;
                let id = OrganizationId::new();
                db::organizations::insert(conn, id, &fields).await?;
                created(conn, "organization", id.0, None, &*fields).await?;
                id
            }
        };
        keys.organizations.insert(o.key.clone(), id);
    }
    for f in &demo.facilities {
        let id = match db::demo::facility(conn, &f.name).await? {
            Some(id) => id,
            None => {
                let fields = FacilityFields {
                    name: f.name.clone(),
                    kind: f.kind,
                    city: f.city.clone(),
                    postal_address: f.postal_address.clone(),
                    notes: None,
                }
                .validate()
                .map_err(invalid)?;
                let id = FacilityId::new();
                db::facilities::insert(conn, id, &fields).await?;
                created(conn, "facility", id.0, None, &*fields).await?;
                id
            }
        };
        keys.facilities.insert(f.key.clone(), id);
    }
    for s in &demo.sources {
        let id = match db::demo::source(conn, &s.title).await? {
            Some(id) => id,
            None => {
                let fields = SourceFields {
                    title: s.title.clone(),
                    publisher: s.publisher.clone(),
                    published: s.published,
                    url: s.url.clone(),
                    kind: s.kind,
                    visibility: s.visibility,
                    notes: None,
                }
                .validate()
                .map_err(invalid)?;
                let id = SourceId::new();
                db::sources::insert(conn, id, &fields).await?;
                created(conn, "source", id.0, None, &*fields).await?;
                id
            }
        };
        keys.sources.insert(s.key.clone(), id);
    }
    for c in &demo.cases {
        let id = match db::demo::criminal_case(conn, &c.description).await? {
            Some(id) => id,
            None => {
                let fields = CaseFields {
                    number: c.number.clone(),
                    opened: c.opened,
                    authority: c.authority.clone(),
                    description: Some(c.description.clone()),
                }
                .validate()
                .map_err(invalid)?;
                let id = CaseId::new();
                db::cases::insert(conn, id, &fields).await?;
                created(conn, "case", id.0, None, &*fields).await?;
                id
            }
        };
        keys.cases.insert(c.key.clone(), id);
    }
    Ok(keys)
}

async fn load_person(conn: &mut PgConnection, keys: &Keys, p: &DemoPerson) -> anyhow::Result<()> {
    let fields = PersonFields {
        names: p.names.clone(),
        external_ids: vec![ExternalId {
            system: DEMO_SYSTEM.into(),
            id: p.key.clone(),
        }],
        birth_date: p.birth_date,
        gender: p.gender,
        pronouns: p.pronouns.clone(),
        occupation: p.occupation.clone(),
        region: p.region.clone(),
        visibility: p.visibility,
        notes: p.notes.clone(),
        restricted_notes: None,
        status_override: None,
    }
    .validate()
    .map_err(invalid)?;
    let person_id = PersonId::new();
    db::persons::insert(conn, person_id, &fields, None).await?;
    created(conn, "person", person_id.0, Some(person_id), &*fields).await?;
    cite(conn, keys, person_id, CitationTarget::Person, &p.sources).await?;

    for a in &p.affiliations {
        let fields = AffiliationFields {
            organization_id: lookup(&keys.organizations, "organisation", &a.organization)?,
            role: a.role.clone(),
            since: a.since,
            until: a.until,
            notes: None,
            visibility: Visibility::Internal,
        }
        .validate()
        .map_err(invalid)?;
        let id = AffiliationId::new();
        db::affiliations::insert(conn, id, person_id, &fields).await?;
        created(conn, "affiliation", id.0, Some(person_id), &*fields).await?;
    }
    for r in &p.recognitions {
        let source_id = r
            .source
            .as_deref()
            .map(|s| lookup(&keys.sources, "source", s))
            .transpose()?;
        let fields = RecognitionFields {
            organization_id: lookup(&keys.organizations, "organisation", &r.organization)?,
            since: r.since,
            until: r.until,
            source_id,
            notes: None,
            visibility: Visibility::Public,
        }
        .validate()
        .map_err(invalid)?;
        let id = RecognitionId::new();
        db::recognitions::insert(conn, id, person_id, &fields).await?;
        created(conn, "recognition", id.0, Some(person_id), &*fields).await?;
    }
    let detentions = load_detentions(conn, keys, person_id, &p.detentions).await?;
    let charges = load_charges(conn, keys, person_id, &detentions, &p.charges).await?;
    load_sentences(conn, keys, person_id, &charges, &p.sentences).await
}

async fn load_detentions(
    conn: &mut PgConnection,
    keys: &Keys,
    person_id: PersonId,
    detentions: &[DemoDetention],
) -> anyhow::Result<HashMap<String, DetentionId>> {
    let mut ids = HashMap::new();
    for d in detentions {
        let facility_id = d
            .facility
            .as_deref()
            .map(|f| lookup(&keys.facilities, "facility", f))
            .transpose()?;
        let fields = DetentionFields {
            kind: d.kind,
            started: d.started,
            ended: d.ended,
            facility_id,
            authority: d.authority.clone(),
            end_reason: d.end_reason,
            notes: d.notes.clone(),
            visibility: Visibility::Public,
        }
        .validate()
        .map_err(invalid)?;
        let id = DetentionId::new();
        db::detentions::insert(conn, id, person_id, &fields).await?;
        created(conn, "detention", id.0, Some(person_id), &*fields).await?;
        cite(
            conn,
            keys,
            person_id,
            CitationTarget::Detention(id),
            &d.sources,
        )
        .await?;
        ids.insert(d.key.clone(), id);
    }
    Ok(ids)
}

async fn load_charges(
    conn: &mut PgConnection,
    keys: &Keys,
    person_id: PersonId,
    detentions: &HashMap<String, DetentionId>,
    charges: &[DemoCharge],
) -> anyhow::Result<HashMap<String, ChargeId>> {
    let mut ids = HashMap::new();
    for c in charges {
        let article_id = db::articles::by_number(&mut *conn, c.code, &c.article)
            .await?
            .ok_or_else(|| anyhow!("the catalogue has no article {} of {}", c.article, c.code))?;
        let fields = ChargeFields {
            article_id,
            part: c.part.clone(),
            case_id: c
                .case
                .as_deref()
                .map(|k| lookup(&keys.cases, "case", k))
                .transpose()?,
            detention_id: c
                .detention
                .as_deref()
                .map(|k| lookup(detentions, "detention", k))
                .transpose()?,
            filed: c.filed,
            status: c.status,
            status_since: None,
            notes: c.notes.clone(),
            visibility: Visibility::Public,
        }
        .validate()
        .map_err(invalid)?;
        let id = ChargeId::new();
        db::charges::insert(conn, id, person_id, &fields).await?;
        created(conn, "charge", id.0, Some(person_id), &*fields).await?;
        cite(
            conn,
            keys,
            person_id,
            CitationTarget::Charge(id),
            &c.sources,
        )
        .await?;
        ids.insert(c.key.clone(), id);
    }
    Ok(ids)
}

async fn load_sentences(
    conn: &mut PgConnection,
    keys: &Keys,
    person_id: PersonId,
    charges: &HashMap<String, ChargeId>,
    sentences: &[DemoSentence],
) -> anyhow::Result<()> {
    for s in sentences {
        let charge_ids = s
            .charges
            .iter()
            .map(|k| lookup(charges, "charge", k))
            .collect::<anyhow::Result<_>>()?;
        let fields = SentenceFields {
            kind: s.kind,
            pronounced: s.pronounced,
            court: s.court.clone(),
            judge: s.judge.clone(),
            term_months: s.term_months,
            term_days: s.term_days,
            regime: s.regime,
            fine_basic_units: s.fine_basic_units,
            fine_amount: s.fine_amount.clone(),
            currency: s.currency.clone(),
            charge_ids,
            facility_id: s
                .facility
                .as_deref()
                .map(|f| lookup(&keys.facilities, "facility", f))
                .transpose()?,
            in_absentia: s.in_absentia,
            appeal_outcome: s.appeal_outcome.clone(),
            released_on: s.released_on,
            notes: s.notes.clone(),
            visibility: Visibility::Public,
        }
        .validate()
        .map_err(invalid)?;
        let id = SentenceId::new();
        db::sentences::insert(conn, id, person_id, &fields).await?;
        created(conn, "sentence", id.0, Some(person_id), &*fields).await?;
        cite(
            conn,
            keys,
            person_id,
            CitationTarget::Sentence(id),
            &s.sources,
        )
        .await?;
    }
    Ok(())
}

async fn cite(
    conn: &mut PgConnection,
    keys: &Keys,
    person_id: PersonId,
    target: CitationTarget,
    sources: &[String],
) -> anyhow::Result<()> {
    for key in sources {
        let fields = CitationFields {
            target,
            source_id: lookup(&keys.sources, "source", key)?,
            note: None,
            visibility: Visibility::Public,
        }
        .validate()
        .map_err(invalid)?;
        let id = CitationId::new();
        db::citations::insert(conn, id, person_id, &fields).await?;
        created(conn, "citation", id.0, Some(person_id), &fields.snapshot()?).await?;
    }
    Ok(())
}
