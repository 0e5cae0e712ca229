//! A person persecuted: names in several scripts, identity, status override.

use serde::{Deserialize, Serialize};
use time::Date;

use super::validate::schema::{RequiredText, Text};
use super::validate::{FieldErrors, Valid, text};
use super::{Gender, PartialDate, PersonStatus, Visibility};

/// One written form of a person's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    #[schema(value_type = RequiredText<200>, inline)]
    pub name: String,
    /// BCP 47 tag, with the script where it matters: `be`, `be-Latn`, `ru`, `en`, `pl`.
    #[schema(pattern = "^[a-z]{2,3}(?:-(?:[A-Za-z]{4}|[A-Z]{2}))*$")]
    pub lang: String,
    /// The display name; exactly one name is primary.
    #[serde(default)]
    pub primary: bool,
    /// The family name as written in this variant, for sorting.
    #[schema(value_type = Option<Text<200>>, inline)]
    pub family: Option<String>,
}

/// The person's id in another registry; unique per system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExternalId {
    /// The registry; one id a person in each.
    #[schema(value_type = RequiredText<50>, inline)]
    pub system: String,
    #[schema(value_type = RequiredText<200>, inline)]
    pub id: String,
}

/// A status set by hand, with its reason, overriding the derived one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusOverride {
    pub status: PersonStatus,
    #[schema(value_type = RequiredText<20_000>, inline)]
    pub reason: String,
    #[serde(default, with = "super::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub since: Option<Date>,
    /// After `since`.
    #[serde(default, with = "super::date::iso_day::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub until: Option<Date>,
}

/// What a client writes about a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "names": [
        {"name": "Алесь Бяляцкі", "lang": "be", "primary": true, "family": "Бяляцкі"},
        {"name": "Ales Bialiatski", "lang": "be-Latn", "primary": false, "family": "Bialiatski"}
    ],
    "external_ids": [{"system": "viasna", "id": "1"}],
    "birth_date": {"date": "1962-09-25", "precision": "day", "approximate": false},
    "gender": "male",
    "pronouns": "he/his",
    "occupation": "human rights defender",
    "region": "Minsk",
    "visibility": "public",
    "notes": null,
    "status_override": null
}))]
pub struct PersonFields {
    /// Exactly one of them primary.
    #[schema(schema_with = names_schema)]
    pub names: Vec<PersonName>,
    /// At most one a system.
    #[serde(default)]
    pub external_ids: Vec<ExternalId>,
    pub birth_date: Option<PartialDate>,
    pub gender: Option<Gender>,
    #[schema(value_type = Option<Text<50>>, inline)]
    pub pronouns: Option<String>,
    #[schema(value_type = Option<Text<200>>, inline)]
    pub occupation: Option<String>,
    #[schema(value_type = Option<Text<200>>, inline)]
    pub region: Option<String>,
    #[serde(default = "super::internal")]
    #[schema(schema_with = super::access::token_visibility)]
    pub visibility: Visibility,
    /// Internal.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub notes: Option<String>,
    /// Restricted: written only in a browser session with clearance; a
    /// token that sends it gets a 403.
    #[schema(value_type = Option<Text<20_000>>, inline)]
    pub restricted_notes: Option<String>,
    pub status_override: Option<StatusOverride>,
}

const SHORT: usize = 200;
const LONG: usize = 20_000;

impl PersonFields {
    pub fn validate(self) -> Result<Valid<PersonFields>, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.names.is_empty() {
            e.add("names", "at least one name is required");
        }
        let primaries = self.names.iter().filter(|n| n.primary).count();
        if !self.names.is_empty() && primaries != 1 {
            e.add("names", "exactly one name must be primary");
        }
        let names = self
            .names
            .into_iter()
            .enumerate()
            .map(|(i, n)| PersonName {
                name: super::validate::required_text(
                    &mut e,
                    &format!("names[{i}].name"),
                    Some(n.name),
                    SHORT,
                ),
                lang: language_tag(&mut e, &format!("names[{i}].lang"), n.lang),
                primary: n.primary,
                family: text(&mut e, &format!("names[{i}].family"), n.family, SHORT),
            })
            .collect();
        let mut external_ids: Vec<ExternalId> = Vec::new();
        for (i, x) in self.external_ids.into_iter().enumerate() {
            let system = super::validate::required_text(
                &mut e,
                &format!("external_ids[{i}].system"),
                Some(x.system),
                50,
            );
            let id = super::validate::required_text(
                &mut e,
                &format!("external_ids[{i}].id"),
                Some(x.id),
                SHORT,
            );
            if external_ids.iter().any(|o| o.system == system) {
                e.add(
                    format!("external_ids[{i}].system"),
                    "only one id per system",
                );
            }
            external_ids.push(ExternalId { system, id });
        }
        let status_override = self.status_override.map(|o| {
            let reason = super::validate::required_text(
                &mut e,
                "status_override.reason",
                Some(o.reason),
                LONG,
            );
            if let (Some(since), Some(until)) = (o.since, o.until)
                && until <= since
            {
                e.add("status_override.until", "must be after `since`");
            }
            StatusOverride { reason, ..o }
        });
        let fields = PersonFields {
            names,
            external_ids,
            birth_date: self.birth_date,
            gender: self.gender,
            pronouns: text(&mut e, "pronouns", self.pronouns, 50),
            occupation: text(&mut e, "occupation", self.occupation, SHORT),
            region: text(&mut e, "region", self.region, SHORT),
            visibility: self.visibility,
            notes: text(&mut e, "notes", self.notes, LONG),
            restricted_notes: text(&mut e, "restricted_notes", self.restricted_notes, LONG),
            status_override,
        };
        e.finish(Valid::new(fields))
    }

    /// The primary name (validated fields always have one).
    pub fn primary_name(&self) -> &str {
        primary_name(&self.names)
    }
}

/// The name shown first: the one marked, else the first.
pub fn primary_name(names: &[PersonName]) -> &str {
    names
        .iter()
        .find(|n| n.primary)
        .or(names.first())
        .map_or("", |n| n.name.as_str())
}

/// The names of a person: at least one, exactly one of them primary.
fn names_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::extensions::Extensions;
    // utoipa has no builder for `contains`; JSON Schema keywords it lacks
    // ride in the extensions, which are written out as they are.
    let one_primary = Extensions::from_iter([
        (
            "contains",
            serde_json::json!({
                "type": "object",
                "required": ["primary"],
                "properties": {"primary": {"const": true}}
            }),
        ),
        ("minContains", 1.into()),
        ("maxContains", 1.into()),
    ]);
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("PersonName"))
        .min_items(Some(1))
        .description(Some("Exactly one of them primary."))
        .extensions(Some(one_primary))
        .build()
}

/// A BCP 47 language tag of the simple kinds the registry uses, written
/// exactly so: a language (`be`), optionally a script (`be-Latn`) and a
/// region (`en-GB`).
fn language_tag(e: &mut FieldErrors, field: &str, tag: String) -> String {
    let mut parts = tag.split('-');
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
    let rest_ok = parts.all(|p| {
        (p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()))
            || (p.len() == 2 && p.bytes().all(|b| b.is_ascii_uppercase()))
    });
    if !(language_ok && rest_ok) {
        e.add(
            field,
            "must be a language tag such as `be`, `be-Latn`, `ru` or `en`",
        );
    }
    tag
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn name(name: &str, lang: &str, primary: bool) -> PersonName {
        PersonName {
            name: name.into(),
            lang: lang.into(),
            primary,
            family: None,
        }
    }

    pub(crate) fn fields(names: Vec<PersonName>) -> PersonFields {
        PersonFields {
            names,
            external_ids: vec![],
            birth_date: None,
            gender: None,
            pronouns: None,
            occupation: None,
            region: None,
            visibility: Visibility::Public,
            notes: None,
            restricted_notes: None,
            status_override: None,
        }
    }

    #[test]
    fn a_person_needs_exactly_one_primary_name() {
        let none = fields(vec![name("Ales Bialiatski", "en", false)])
            .validate()
            .unwrap_err();
        assert_eq!(none.0[0].field, "names");
        let two = fields(vec![name("A", "en", true), name("Б", "be", true)])
            .validate()
            .unwrap_err();
        assert_eq!(two.0[0].field, "names");
    }

    #[test]
    fn a_bad_language_tag_is_named_with_its_index() {
        let err = fields(vec![
            name("Ales", "en", true),
            name("Алесь", "Belarusian", false),
        ])
        .validate()
        .unwrap_err();
        assert_eq!(err.0[0].field, "names[1].lang");
    }

    #[test]
    fn names_in_several_scripts_are_accepted_and_trimmed() {
        let ok = fields(vec![
            name(" Алесь Бяляцкі ", "be", true),
            name("Ales Bialiatski", "be-Latn", false),
        ])
        .validate()
        .unwrap();
        assert_eq!(ok.primary_name(), "Алесь Бяляцкі");
    }
}
