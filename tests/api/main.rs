//! Integration tests of the JSON API against real PostgreSQL over real HTTP.

mod support;

mod detentions;
mod persons;
mod reference;
