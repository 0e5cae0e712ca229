//! Every address the server answers, noted as its route is added, so that
//! tests can visit each one (the canary test crawls them all as every role
//! and token scope). Routes are added only through [`Listed::listed`]
//! (clippy refuses `Router::route`), and API routes are noted from the
//! OpenAPI document made from them.

use std::collections::BTreeSet;
use std::sync::Mutex;

use axum::Router;
use axum::routing::MethodRouter;

static NOTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Notes an address pattern (`/persons/{id}`) the server answers.
pub fn note(path: impl Into<String>) {
    let mut noted = NOTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    noted.insert(path.into());
}

/// Every address pattern noted so far: all of them once a router is built.
pub fn all() -> Vec<String> {
    let noted = NOTED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    noted.iter().cloned().collect()
}

/// Adding a route, and noting it.
pub trait Listed<S> {
    fn listed(self, path: &str, route: MethodRouter<S>) -> Self;
}

impl<S: Clone + Send + Sync + 'static> Listed<S> for Router<S> {
    #[allow(clippy::disallowed_methods)]
    fn listed(self, path: &str, route: MethodRouter<S>) -> Self {
        note(path);
        self.route(path, route)
    }
}
