//! Types and rules of the registry, free of I/O.

pub mod access;
pub mod affiliation;
pub mod case;
pub mod charge;
pub mod date;
pub mod detention;
pub mod enums;
pub mod facility;
pub mod ids;
pub mod merge;
pub mod organization;
pub mod person;
pub mod source;
pub mod text_search;
pub mod validate;

pub use date::{DatePrecision, PartialDate};
pub use enums::*;
pub use ids::*;

/// Default visibility of public facts (detentions, charges, sentences).
pub(crate) fn public() -> Visibility {
    Visibility::Public
}

/// Default visibility of internal matters.
pub(crate) fn internal() -> Visibility {
    Visibility::Internal
}
