//! The rules of [`super`] as JSON Schema, for the OpenAPI document. Each
//! schema here states exactly what its namesake there accepts, so that a
//! client can check a request before sending it, and a request the schema
//! admits is refused only for what a schema cannot say (a reference to a
//! record that does not exist, one field against another).

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{Object, ObjectBuilder, Schema, SchemaType, Type};

/// Control characters text may not hold: all but tab, line feed and
/// carriage return (`char::is_control`).
const CONTROL: &str = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F";
/// White space as `str::trim` removes it (Unicode `White_Space`).
const SPACE: &str = r"\t-\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// A string, or also `null` when `nullable`.
pub fn string(nullable: bool) -> ObjectBuilder {
    let schema_type = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new().schema_type(schema_type)
}

/// [`super::code`]: an optional code matching `pattern` (unanchored), or
/// `""` for none.
pub fn code(pattern: &str) -> ObjectBuilder {
    string(true).pattern(Some(format!("^(?:{pattern})?$")))
}

/// [`super::url`].
pub fn url() -> Object {
    code(&format!(
        "https?://[^/{CONTROL}{SPACE}][^{CONTROL}{SPACE}]*"
    ))
    .max_length(Some(super::URL_MAX))
    .description(Some(
        "An `http://` or `https://` address; `\"\"` means none.",
    ))
    .build()
}

/// [`super::text`]: free text of at most `MAX` characters without control
/// characters; blank means none. A field's `value_type`
/// (`Option<Text<200>>`), so that the field keeps its own description.
pub struct Text<const MAX: usize>;

impl<const MAX: usize> utoipa::PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        string(false)
            .max_length(Some(MAX))
            .pattern(Some(format!("^[^{CONTROL}]*$")))
            .into()
    }
}

impl<const MAX: usize> utoipa::ToSchema for Text<MAX> {}

/// [`super::required_text`]: free text of at most `MAX` characters that
/// holds more than white space (`RequiredText<200>`).
pub struct RequiredText<const MAX: usize>;

impl<const MAX: usize> utoipa::PartialSchema for RequiredText<MAX> {
    fn schema() -> RefOr<Schema> {
        string(false)
            .min_length(Some(1))
            .max_length(Some(MAX))
            .pattern(Some(format!(
                "^[^{CONTROL}]*[^{CONTROL}{SPACE}][^{CONTROL}]*$"
            )))
            .into()
    }
}

impl<const MAX: usize> utoipa::ToSchema for RequiredText<MAX> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters a class body such as `\x00-\x08 \u3000` names.
    fn class(body: &str) -> Vec<char> {
        let mut chars = body.chars().peekable();
        let mut one = || -> Option<char> {
            let c = chars.next()?;
            if c != '\\' {
                return Some(c);
            }
            let (digits, escape) = match chars.next()? {
                'x' => (2, 'x'),
                'u' => (4, 'u'),
                't' => return Some('\t'),
                'r' => return Some('\r'),
                other => panic!("escape \\{other}"),
            };
            let hex: String = (0..digits).filter_map(|_| chars.next()).collect();
            let code = u32::from_str_radix(&hex, 16).unwrap_or_else(|_| panic!("\\{escape}{hex}"));
            char::from_u32(code)
        };
        let mut listed = Vec::new();
        let mut previous: Option<char> = None;
        while let Some(c) = one() {
            if c == '-'
                && let Some(start) = previous
            {
                let end = one().expect("a range has an end");
                listed.extend((u32::from(start) + 1..=u32::from(end)).filter_map(char::from_u32));
                previous = None;
            } else {
                listed.push(c);
                previous = Some(c);
            }
        }
        listed
    }

    fn every_char() -> impl Iterator<Item = char> {
        (0..=0x10FFFFu32).filter_map(char::from_u32)
    }

    #[test]
    fn the_space_class_names_what_trim_removes() {
        let spaces: Vec<char> = every_char().filter(|c| c.is_whitespace()).collect();
        assert_eq!(class(SPACE), spaces);
    }

    #[test]
    fn the_control_class_names_the_control_characters_text_refuses() {
        let refused: Vec<char> = every_char()
            .filter(|c| super::super::is_forbidden_control(*c))
            .collect();
        assert_eq!(class(CONTROL), refused);
    }
}
