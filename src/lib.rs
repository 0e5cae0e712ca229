//! Docket: a registry of political-prisoner cases.

pub mod cli;
pub mod cluster;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod records;
pub mod state;

pub use http::build_router;
