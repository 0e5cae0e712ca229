//! Integration tests of the JSON API against real PostgreSQL over real HTTP.

mod support;

mod case;
mod cli;
mod detentions;
mod persons;
mod reference;
mod service;
