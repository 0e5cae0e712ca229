//! The interface in English, Belarusian and Russian: messages from
//! `locales/<lang>/*.ftl`, plural forms, and dates written per language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};
use time::Date;

use crate::domain::{DatePrecision, Language, PartialDate};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            // Isolation marks around placeables show up as stray characters
            // in form values and page titles.
            bundle.set_use_isolating(false);
            let language = bundle.locales.first().map(|l| l.language.as_str().to_owned()).unwrap_or_default();
            // The plural rules shipped for Belarusian ignore the last digits
            // (22 is not "few" there); this function follows CLDR.
            let _ = bundle.add_function("PLURAL", move |positional, _named| match positional {
                [FluentValue::Number(n)] => FluentValue::from(plural_category(&language, n.value)),
                _ => FluentValue::Error,
            });
        },
    };
}

/// The CLDR cardinal plural category of `n` in `language`.
fn plural_category(language: &str, n: f64) -> &'static str {
    if n.fract() != 0.0 || n < 0.0 {
        return "other";
    }
    let i = n as u64;
    match language {
        "be" | "ru" => match (i % 10, i % 100) {
            (1, m) if m != 11 => "one",
            (2..=4, m) if !(12..=14).contains(&m) => "few",
            _ => "many",
        },
        _ if i == 1 => "one",
        _ => "other",
    }
}

/// The messages of one language, as templates use them.
#[derive(Debug, Clone)]
pub struct I18n {
    pub language: Language,
    id: LanguageIdentifier,
}

impl I18n {
    pub fn new(language: Language) -> Self {
        let id = language
            .as_str()
            .parse()
            .unwrap_or_else(|_| LanguageIdentifier::default());
        Self { language, id }
    }

    /// The language tag for `<html lang>`.
    pub fn code(&self) -> &'static str {
        self.language.as_str()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// The message `key`, if there is one.
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.id, key)
    }

    /// The message `key` with named arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: &str) -> String {
        self.t_with(key, &[(name, FluentValue::from(value.to_owned()))])
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        name: &'static str,
        value: &str,
        name2: &'static str,
        value2: &str,
    ) -> String {
        self.t_with(
            key,
            &[
                (name, FluentValue::from(value.to_owned())),
                (name2, FluentValue::from(value2.to_owned())),
            ],
        )
    }

    /// The message `key` with `$count` (plural forms).
    pub fn count(&self, key: &str, count: i64) -> String {
        self.t_with(key, &[("count", count.into())])
    }

    /// The label of a vocabulary value: `status-detained`.
    pub fn label(&self, vocabulary: &str, value: &str) -> String {
        self.t(&format!("{vocabulary}-{}", value.replace('_', "-")))
    }

    /// A day written the way this language writes it: `14 July 2021`.
    pub fn day(&self, date: impl std::borrow::Borrow<Date>) -> String {
        let date = *date.borrow();
        let month = u8::from(date.month());
        let name = self.t(&format!("month-{month}-of"));
        format!("{} {name} {}", date.day(), date.year())
    }

    /// A moment: `14 July 2021 09:05 UTC`.
    pub fn moment(&self, at: time::OffsetDateTime) -> String {
        let at = at.to_offset(time::UtcOffset::UTC);
        format!(
            "{} {:02}:{:02} UTC",
            self.day(at.date()),
            at.hour(),
            at.minute()
        )
    }

    /// A moment, or a dash for none.
    pub fn maybe_moment(&self, at: &Option<time::OffsetDateTime>) -> String {
        at.map_or_else(|| "—".to_owned(), |at| self.moment(at))
    }

    /// A partial date as precisely as it is known: `July 2021`, `c. 2020`.
    pub fn date(&self, date: &PartialDate) -> String {
        let d = date.earliest();
        let written = match date.precision() {
            DatePrecision::Day => self.day(d),
            DatePrecision::Month => {
                let month = u8::from(d.month());
                format!("{} {}", self.t(&format!("month-{month}")), d.year())
            }
            DatePrecision::Year => d.year().to_string(),
        };
        if date.approximate() {
            self.t1("date-approximate", "date", &written)
        } else {
            written
        }
    }

    /// An optional partial date, or a dash.
    pub fn maybe_date(&self, date: &Option<PartialDate>) -> String {
        date.as_ref()
            .map_or_else(|| "—".to_owned(), |d| self.date(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belarusian_and_russian_plurals_follow_the_last_digits() {
        for (n, category) in [
            (1, "one"),
            (21, "one"),
            (11, "many"),
            (2, "few"),
            (22, "few"),
            (12, "many"),
            (5, "many"),
            (25, "many"),
            (111, "many"),
        ] {
            assert_eq!(plural_category("be", n as f64), category, "be {n}");
            assert_eq!(plural_category("ru", n as f64), category, "ru {n}");
        }
        assert_eq!(plural_category("en", 1.0), "one");
        assert_eq!(plural_category("en", 2.0), "other");
    }

    /// Every key of the English messages exists in the other languages, and
    /// every file parses (a broken file would only fail at first use).
    #[test]
    fn every_message_exists_in_every_language() {
        let keys = message_ids(include_str!("../../../locales/en/main.ftl"));
        assert!(keys.len() > 50, "the English messages are read");
        for language in Language::ALL {
            let i18n = I18n::new(*language);
            let own = match language {
                Language::En => include_str!("../../../locales/en/main.ftl"),
                Language::Be => include_str!("../../../locales/be/main.ftl"),
                Language::Ru => include_str!("../../../locales/ru/main.ftl"),
            };
            let own_keys = message_ids(own);
            for key in &keys {
                assert!(own_keys.contains(key), "{key} missing in {language:?}");
                // Every argument any message takes, so that none fails
                // for want of one.
                let args = [
                    ("count", FluentValue::from(2)),
                    ("page", "2".into()),
                    ("date", "x".into()),
                    ("author", "x".into()),
                    ("at", "x".into()),
                    ("value", "x".into()),
                    ("max", "x".into()),
                    ("min", "x".into()),
                    ("low", "x".into()),
                    ("high", "x".into()),
                    ("record", "x".into()),
                    ("idle", "x".into()),
                    ("hours", "x".into()),
                    ("a", "x".into()),
                    ("b", "x".into()),
                    ("facility", "x".into()),
                    ("year", "x".into()),
                ];
                let text = i18n.t_with(key, &args);
                assert!(!text.starts_with("Unknown localization key"), "{key}");
                if *language != Language::En && key.starts_with("month-") {
                    assert_ne!(text, I18n::new(Language::En).t(key), "{key} untranslated");
                }
            }
        }
    }

    fn message_ids(ftl: &str) -> Vec<String> {
        ftl.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn dates_are_written_as_precisely_as_they_are_known() {
        let be = I18n::new(Language::Be);
        let day = PartialDate::parse("2021-07-14", DatePrecision::Day, false).unwrap();
        let month = PartialDate::parse("2021-07", DatePrecision::Month, false).unwrap();
        let year = PartialDate::parse("2020", DatePrecision::Year, true).unwrap();
        assert_eq!(be.date(&day), "14 ліпеня 2021");
        assert_eq!(be.date(&month), "ліпень 2021");
        assert_eq!(I18n::new(Language::En).date(&year), "c. 2020");
        assert_eq!(I18n::new(Language::Ru).date(&day), "14 июля 2021");
    }
}
