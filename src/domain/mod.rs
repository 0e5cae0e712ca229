//! Types and rules of the registry, free of I/O.

pub mod access;
pub mod date;
pub mod enums;
pub mod ids;
pub mod person;
pub mod validate;

pub use date::{DatePrecision, PartialDate};
pub use enums::*;
pub use ids::*;
