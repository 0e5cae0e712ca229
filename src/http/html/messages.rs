//! Field errors in the reader's language. The rules write their messages
//! in English (the API's contract); pages show each through a message of
//! its own, with the values it names. A message not listed here is shown
//! as written.

use super::i18n::I18n;

/// English messages and the keys of their translations.
const FIXED: &[(&str, &str)] = &[
    ("is required", "v-required"),
    ("is not one of the choices", "v-not-a-choice"),
    ("must be a whole number", "v-whole-number"),
    ("must not be negative", "v-not-negative"),
    ("is too large", "v-too-large"),
    (
        "must not contain control characters",
        "v-control-characters",
    ),
    ("must not contain spaces", "v-spaces"),
    ("must be an http:// or https:// address", "v-url"),
    ("at least one name is required", "v-names-required"),
    ("exactly one name must be primary", "v-one-primary"),
    ("only one id per system", "v-one-id-per-system"),
    (
        "must be a language tag such as `be`, `be-Latn`, `ru` or `en`",
        "v-language-tag",
    ),
    ("must not be before `started`", "v-before-start"),
    ("must not be before `since`", "v-before-start"),
    (
        "must not be before the start of the period",
        "v-before-start",
    ),
    ("must not be before `detained_from`", "v-before-start"),
    ("must be after `since`", "v-before-start"),
    ("must not be before `filed`", "v-before-filed"),
    ("must not be before `pronounced`", "v-before-pronounced"),
    ("needs `ended`", "v-needs-end"),
    (
        "must be a part number as the code writes it, e.g. `3`",
        "v-part",
    ),
    ("choose the article from those found", "v-choose-article"),
    ("no such detention of this person", "v-not-this-person"),
    ("each must be a charge of this person", "v-not-this-person"),
    ("no such record of this person", "v-not-this-person"),
    ("lists a charge twice", "v-charge-twice"),
    (
        "a sentence of this kind needs `term_months` or `term_days`",
        "v-term-needed",
    ),
    (
        "a fine needs `fine_basic_units` or `fine_amount`",
        "v-fine-needed",
    ),
    (
        "must be a decimal amount such as `920` or `920.50`",
        "v-money",
    ),
    ("is required with `fine_amount`", "v-currency-needed"),
    ("is given only with `fine_amount`", "v-currency-alone"),
    ("must be an ISO 4217 code such as `BYN`", "v-currency"),
    (
        "must be an ISO 3166-1 alpha-2 code in upper case, such as `BY`",
        "v-country",
    ),
    ("you may not give a record this visibility", "v-visibility"),
    ("write the day as YYYY-MM-DD", "date-day-format"),
    (
        "write a year (2021), a month (2021-07 or 07.2021) or a day (2021-07-14 or 14.07.2021)",
        "date-hint",
    ),
    ("is not a page of this list", "v-not-a-page"),
    ("is not an email address", "v-email"),
    ("is not the code the app shows now", "v-wrong-code"),
    ("must be at most 200 characters", "v-search-too-long"),
    (
        "a search may have at most 200 characters",
        "v-text-too-long",
    ),
    ("may have at most 12 words", "v-text-too-many-words"),
    (
        "needs a word of at least two letters or digits",
        "v-text-no-word",
    ),
    (
        "has only words too common to search for",
        "v-text-only-common-words",
    ),
    ("no such page", "v-no-such-page"),
    ("an account with this email already exists", "v-email-taken"),
    ("partners never see restricted data", "v-partner-restricted"),
    (
        "the registry needs at least one enabled admin",
        "v-last-admin",
    ),
    ("is disabled", "v-disabled"),
    ("is too easy to guess", "v-weak-password"),
    ("is not your current password", "v-not-current-password"),
    ("too many failed attempts; wait", "v-throttled"),
    ("is already used by another account", "v-email-taken"),
    (
        "an id in this system already belongs to another person",
        "v-external-id-taken",
    ),
    ("a sentence of this kind needs a term", "v-term-needed"),
    ("a fine needs an amount", "v-fine-needed"),
    (
        "must be at most 1200 months (and days at most 36500)",
        "v-term-bounded",
    ),
    (
        "is required with `fine_amount`, and only then",
        "v-currency-needed",
    ),
];

/// Messages about a typed value, which they quote first: "`31.02.2021` is
/// not a day of the calendar".
const ABOUT_VALUE: &[(&str, &str)] = &[
    ("is not a date", "v-date-not-a-date"),
    ("has no such month", "v-date-no-such-month"),
    ("is not a day of the calendar", "v-date-no-such-day"),
    ("is outside the years 1900–2100", "v-date-out-of-range"),
];

impl I18n {
    /// One field error in this language.
    pub fn field_message(&self, message: &str) -> String {
        if let Some((_, key)) = FIXED.iter().find(|(english, _)| *english == message) {
            return self.t(key);
        }
        if let Some((value, rest)) = message.strip_prefix('`').and_then(|m| m.split_once("` "))
            && let Some((_, key)) = ABOUT_VALUE.iter().find(|(english, _)| *english == rest)
        {
            return self.t1(key, "value", value);
        }
        if let Some(rest) = message.strip_prefix("must be at most ") {
            return match rest.strip_suffix(" characters") {
                Some(max) => self.t1("v-max-chars", "max", max),
                None => self.t1("v-max", "max", rest),
            };
        }
        if let Some(min) = message
            .strip_prefix("must have at least ")
            .and_then(|r| r.strip_suffix(" characters"))
        {
            return self.t1("v-min-chars", "min", min);
        }
        if let Some((low, high)) = message
            .strip_prefix("must be between ")
            .and_then(|r| r.split_once(" and "))
        {
            return self.t2("v-between", "low", low, "high", high);
        }
        if let Some(kind) = message.strip_prefix("no such ")
            && let Some(record) = self.try_t(&format!(
                "record-{}",
                match kind {
                    "organisation" => "organization",
                    "criminal case" => "case",
                    other => other,
                }
            ))
        {
            return self.t1("v-no-such", "record", &record);
        }
        message.to_owned()
    }

    /// The errors of one field, in this language, joined: what a form
    /// shows beside it.
    pub fn field_errors(
        &self,
        errors: &crate::domain::validate::FieldErrors,
        field: &str,
    ) -> Option<String> {
        let messages: Vec<String> = errors
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| self.field_message(&e.message))
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn every_listed_message_has_a_translation_in_every_language() {
        for language in Language::ALL {
            let i18n = I18n::new(*language);
            for (english, key) in FIXED {
                assert!(i18n.try_t(key).is_some(), "{key} ({english}) in {language}");
            }
            for (english, _) in ABOUT_VALUE {
                let said = i18n.field_message(&format!("`12.13.2021` {english}"));
                assert!(said.contains("12.13.2021"), "{said}");
                if *language != Language::En {
                    assert!(!said.contains(english), "{said}");
                }
            }
            for english in [
                "must be at most 9 characters",
                "must be at most 9",
                "must have at least 9 characters",
                "must be between 9 and 10",
                "no such source",
                "no such criminal case",
            ] {
                let said = i18n.field_message(english);
                assert!(
                    said.contains('9') || english.starts_with("no such"),
                    "{said}"
                );
                if *language != Language::En {
                    assert_ne!(said, english, "{english} untranslated in {language}");
                }
            }
        }
    }

    #[test]
    fn messages_keep_the_values_they_name() {
        let be = I18n::new(Language::Be);
        let said = be.field_message("`31.02.2021` is not a day of the calendar");
        assert!(
            said.contains("31.02.2021") && !said.contains("calendar"),
            "{said}"
        );
        assert!(
            be.field_message("must be at most 200 characters")
                .contains("200")
        );
        assert!(be.field_message("no such facility").contains("установ"));
        assert_eq!(be.field_message("something new"), "something new");
    }
}
