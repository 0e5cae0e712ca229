//! What a full-text search over notes and source titles asks for: words
//! that must all occur (each matching the start of a word, so that one
//! form finds the others), and phrases in double quotes whose words must
//! follow each other.

/// Longest search, in characters.
pub const MAX_CHARS: usize = 200;
/// Most words a search may have.
const MAX_WORDS: usize = 12;

/// A search, parsed: only letters and digits reach PostgreSQL, so no input
/// can change the query's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    /// Each element a word, or the words of a phrase.
    terms: Vec<Vec<String>>,
}

impl TextQuery {
    /// Parses what a user typed. Words of one letter are left out (as a
    /// start of a word they would match nearly everything).
    pub fn parse(typed: &str) -> Result<Self, &'static str> {
        if typed.chars().count() > MAX_CHARS {
            return Err("a search may have at most 200 characters");
        }
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() > 1)
                .map(str::to_lowercase)
                .collect()
        };
        let mut terms = Vec::new();
        // Odd pieces between double quotes are phrases.
        for (i, piece) in typed.split('"').enumerate() {
            if i % 2 == 1 {
                let phrase = words(piece);
                if !phrase.is_empty() {
                    terms.push(phrase);
                }
            } else {
                terms.extend(words(piece).into_iter().map(|w| vec![w]));
            }
        }
        if terms.is_empty() {
            return Err("needs a word of at least two letters or digits");
        }
        if terms.iter().map(Vec::len).sum::<usize>() > MAX_WORDS {
            return Err("may have at most 12 words");
        }
        Ok(TextQuery { terms })
    }

    /// The query in `to_tsquery` syntax: every term required, each word a
    /// prefix, a phrase's words adjacent.
    pub fn to_tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|term| {
                let words: Vec<String> = term.iter().map(|w| format!("{w}:*")).collect();
                format!("({})", words.join(" <-> "))
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_required_prefixes() {
        let q = TextQuery::parse("Arrested  near Акрэсціна").unwrap();
        assert_eq!(q.to_tsquery(), "(arrested:*) & (near:*) & (акрэсціна:*)");
    }

    #[test]
    fn quoted_words_become_a_phrase() {
        let q = TextQuery::parse(r#"beaten "in the van" 2020"#).unwrap();
        assert_eq!(
            q.to_tsquery(),
            "(beaten:*) & (in:* <-> the:* <-> van:*) & (2020:*)"
        );
    }

    #[test]
    fn query_syntax_typed_by_a_user_is_only_a_separator() {
        let q = TextQuery::parse("a & b | !c:* <-> (dd) 'ee' \\ff").unwrap();
        assert_eq!(q.to_tsquery(), "(dd:*) & (ee:*) & (ff:*)");
    }

    #[test]
    fn a_search_without_a_word_is_refused() {
        assert!(TextQuery::parse("").is_err());
        assert!(TextQuery::parse(" & | a \"\" ").is_err());
    }

    #[test]
    fn long_searches_are_refused() {
        assert!(TextQuery::parse(&"ab ".repeat(13)).is_err());
        assert!(TextQuery::parse(&"a".repeat(201)).is_err());
        assert!(TextQuery::parse(&"ab ".repeat(12)).is_ok());
    }
}
