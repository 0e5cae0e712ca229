//! Integration tests of the JSON API against real PostgreSQL over real HTTP.

mod support;

mod admin_pages;
mod browser;
mod canary;
mod case;
mod changes;
mod cli;
mod detentions;
mod export;
mod facets;
mod import;
mod merge;
mod name_search;
mod pages;
mod persons;
mod rate;
mod record_pages;
mod reference;
mod reference_pages;
mod second_factor;
mod security_log;
mod service;
mod stats;
mod text_search;
