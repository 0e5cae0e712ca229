//! The canary: a marker in every restricted field and on every record of a
//! restricted person, then every address the router has (taken from the
//! router, so routes added later are visited without editing this test)
//! fetched as each role without clearance and as each token scope. The
//! marker never appears, no restricted record answers differently from one
//! that never existed, the restricted person is never counted, and every
//! answer carries the security headers. A cleared admin, crawling the same
//! way, does find the marker: the test can fail.

use std::collections::{BTreeMap, BTreeSet};

use docket::domain::{Role, TokenScope};
use docket::http::routes;

use crate::support::{PASSWORD, TestApp, WebSession};

/// In every restricted value and on every record of the restricted person.
const MARKER: &str = "CANARY7Q2X";
/// The restricted person's family name (without the marker), to search by.
const HIDDEN_NAME: &str = "Canarovich";
/// The restricted person's region, which nobody else has.
const HIDDEN_REGION: &str = "Canaryland";

/// What was seeded: ids to fill addresses with, by the collection their
/// addresses use; which of them are restricted (all but the public
/// person's); and the cleared admin who made them.
struct Seeded {
    ids: BTreeMap<&'static str, Vec<String>>,
    public_person: String,
    cleared: WebSession,
}

impl Seeded {
    fn all_ids(&self) -> BTreeSet<String> {
        self.ids.values().flatten().cloned().collect()
    }

    fn restricted_ids(&self) -> BTreeSet<String> {
        let mut ids = self.all_ids();
        ids.remove(&self.public_person);
        ids
    }
}

/// The id at the end of a redirect's anchor (`…#source-<id>`).
fn anchored(location: Option<String>) -> String {
    let location = location.expect("a redirect");
    let (_, anchor) = location.split_once('#').expect("an anchor");
    anchor.split_once('-').expect("an id").1.to_owned()
}

/// The id at the end of a redirect (`/persons/<id>`).
fn last_segment(location: Option<String>) -> String {
    let location = location.expect("a redirect");
    location.rsplit('/').next().unwrap_or_default().to_owned()
}

async fn seed(app: &TestApp) -> Seeded {
    let email = app.staff_account(Role::Admin, true).await;
    let cleared = app.visitor();
    assert_eq!(cleared.login(&email, PASSWORD).await.0, 303);
    cleared.enrol().await;
    let mut ids: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let marked = |what: &str| format!("{what} {MARKER}");

    // A restricted source.
    let title = marked("Letter from the colony");
    let (status, body, location) = cleared
        .submit(
            "/sources/new",
            "/sources",
            &[
                ("title", &title),
                ("kind", "witness"),
                ("notes", &marked("source notes")),
                ("visibility", "restricted"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let source = anchored(location);
    ids.entry("sources").or_default().push(source.clone());

    // A public organisation that recognises and that people belong to.
    let (status, body, location) = cleared
        .submit(
            "/organizations/new",
            "/organizations",
            &[
                ("name", "Viasna Human Rights Centre"),
                ("kind", "ngo"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let organization = anchored(location);

    // A restricted person: everything about them is the marker's.
    let name = format!("Zmitser {HIDDEN_NAME} {MARKER}");
    let (status, body, location) = cleared
        .submit(
            "/persons/new",
            "/persons",
            &[
                ("names[0].name", &name),
                ("names[0].lang", "be-Latn"),
                ("names[1].name", &format!("Зміцер Канаровіч {MARKER}")),
                ("names[1].lang", "be"),
                ("primary", "0"),
                ("region", HIDDEN_REGION),
                ("notes", &marked("internal notes")),
                ("restricted_notes", &marked("family phone")),
                ("visibility", "restricted"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let hidden = location.clone().expect("the person's page");
    ids.entry("persons")
        .or_default()
        .push(last_segment(location));

    // A public person whose restricted parts carry the marker.
    let (status, body, location) = cleared
        .submit(
            "/persons/new",
            "/persons",
            &[
                ("names[0].name", "Ales Public"),
                ("names[0].lang", "en"),
                ("primary", "0"),
                ("restricted_notes", &marked("home address")),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let public = location.clone().expect("the person's page");
    let public_person = last_segment(location);
    ids.entry("persons")
        .or_default()
        .push(public_person.clone());

    for page in [&hidden, &public] {
        // On the hidden person every record may be public: the person
        // hides them. On the public person each is restricted itself.
        let visibility = if page == &hidden {
            "public"
        } else {
            "restricted"
        };
        let detention = cleared
            .add_record(
                page,
                "detentions",
                &[
                    ("kind", "pre_trial"),
                    ("started", "14.07.2021"),
                    ("authority", &marked("authority")),
                    ("notes", &marked("detention notes")),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        let charge = cleared
            .add_record(
                page,
                "charges",
                &[
                    ("article_q", "342"),
                    ("part", "1"),
                    ("status", "charged"),
                    ("detention_id", &detention),
                    ("notes", &marked("charge notes")),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        let sentence = cleared
            .add_record(
                page,
                "sentences",
                &[
                    ("kind", "imprisonment"),
                    ("pronounced", "2022-03-03"),
                    ("term_years", "3"),
                    ("judge", &marked("judge")),
                    ("notes", &marked("sentence notes")),
                    ("charge_ids", &charge),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        let recognition = cleared
            .add_record(
                page,
                "recognitions",
                &[
                    ("organization_id", &organization),
                    ("notes", &marked("recognition notes")),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        let affiliation = cleared
            .add_record(
                page,
                "affiliations",
                &[
                    ("organization_id", &organization),
                    ("role", &marked("role")),
                    ("notes", &marked("affiliation notes")),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        let citation = cleared
            .add_record(
                page,
                "citations",
                &[
                    ("cited_for", "person"),
                    ("source_id", &source),
                    ("note", &marked("citation note")),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        ids.entry("detentions").or_default().push(detention);
        ids.entry("charges").or_default().push(charge);
        ids.entry("sentences").or_default().push(sentence);
        ids.entry("recognitions").or_default().push(recognition);
        ids.entry("affiliations").or_default().push(affiliation);
        ids.entry("citations").or_default().push(citation);
    }
    // A change, so that history holds a before and an after.
    let (status, body, _) = cleared
        .submit(
            &format!("{public}/edit"),
            &public,
            &[
                ("names[0].name", "Ales Public"),
                ("names[0].lang", "en"),
                ("primary", "0"),
                ("restricted_notes", &marked("new home address")),
                ("visibility", "public"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    Seeded {
        ids,
        public_person,
        cleared,
    }
}

/// Every address to fetch: each pattern of the router with its parameters
/// filled by the seeded restricted records (by the collection before the
/// parameter, else every one of them), and list addresses with searches
/// that would find the restricted person.
fn addresses(seeded: &Seeded, seqs: &[i64]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for pattern in routes::all() {
        let mut paths = vec![String::new()];
        let segments: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            let choices: Vec<String> = if segment.starts_with('{') {
                match (i.checked_sub(1).map(|j| segments[j]), *segment) {
                    (_, "{seq}") => seqs.iter().map(i64::to_string).collect(),
                    (_, "{version}" | "{file}") => vec!["x".into()],
                    (Some(collection), _) => seeded
                        .ids
                        .get(collection)
                        .cloned()
                        .unwrap_or_else(|| seeded.all_ids().into_iter().collect()),
                    (None, _) => seeded.all_ids().into_iter().collect(),
                }
            } else {
                vec![(*segment).to_owned()]
            };
            paths = paths
                .iter()
                .flat_map(|p| choices.iter().map(move |c| format!("{p}/{c}")))
                .collect();
        }
        for path in paths {
            if !pattern.contains('{') {
                for query in [
                    format!("?q={HIDDEN_NAME}"),
                    "?q=Letter".into(),
                    format!("?region={HIDDEN_REGION}"),
                    "?as_of=2022-01-01".into(),
                ] {
                    out.push((pattern.clone(), format!("{path}{query}")));
                }
            }
            out.push((pattern.clone(), path));
        }
    }
    out
}

/// One reader: a browser session or a token.
enum Reader<'a> {
    Web(&'a WebSession),
    Token(&'a str),
}

impl Reader<'_> {
    /// `(status, headers and body as text)`; every answer carries the
    /// security headers, and none is kept by a cache.
    async fn get(&self, app: &TestApp, path: &str) -> (u16, String) {
        let request = match self {
            Reader::Web(session) => session.client.get(format!("{}{path}", app.base)),
            Reader::Token(token) => app
                .client
                .get(format!("{}{path}", app.base))
                .bearer_auth(token),
        };
        let response = request.send().await.expect("a response");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        let csp = header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(header("cache-control"), "no-store", "{path}");
        (
            status,
            format!("{headers:?}\n{}", response.text().await.unwrap_or_default()),
        )
    }
}

/// The figure of the overview's tile linking to `href`.
fn tile(page: &str, href: &str) -> i64 {
    let start = page
        .find(&format!("class=\"tile\" href=\"{href}\""))
        .expect("the tile");
    let figure = &page[start..];
    let start = figure.find("class=\"figure\">").expect("a figure") + 15;
    figure[start..]
        .split('<')
        .next()
        .unwrap_or_default()
        .trim()
        .parse()
        .expect("a number")
}

#[tokio::test]
async fn no_restricted_value_or_record_reaches_anyone_without_clearance_at_any_address() {
    let app = TestApp::spawn().await;
    let seeded = seed(&app).await;
    let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM history ORDER BY seq")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let addresses = addresses(&seeded, &seqs);
    assert!(addresses.len() > 150, "{} addresses", addresses.len());
    let restricted_ids = seeded.restricted_ids();

    // The positive control: the cleared admin finds the marker.
    let mut found = 0;
    for (_, path) in &addresses {
        let (_, body) = Reader::Web(&seeded.cleared).get(&app, path).await;
        if body.contains(MARKER) {
            found += 1;
        }
    }
    assert!(
        found >= 15,
        "the cleared admin finds the marker at {found} addresses"
    );
    let (_, overview) = seeded.cleared.get("/").await;
    assert_eq!(tile(&overview, "/persons"), 2);

    let viewer = app.web(Role::Viewer).await;
    let editor = app.web(Role::Editor).await;
    let admin = app.web(Role::Admin).await;
    let mut tokens = Vec::new();
    for scope in TokenScope::ALL {
        // The token's account is cleared: tokens still never read
        // restricted data.
        tokens.push((*scope, app.token(Role::Admin, *scope).await));
    }
    let mut readers: Vec<(String, Reader)> = vec![
        ("viewer".into(), Reader::Web(&viewer)),
        ("editor".into(), Reader::Web(&editor)),
        ("admin".into(), Reader::Web(&admin)),
    ];
    for (scope, token) in &tokens {
        readers.push((format!("token {}", scope.as_str()), Reader::Token(token)));
    }

    let never = uuid::Uuid::now_v7().to_string();
    for (who, reader) in &readers {
        for (pattern, path) in &addresses {
            let (status, body) = reader.get(&app, path).await;
            assert!(status < 500, "{who} {path}: {status}");
            assert!(!body.contains(MARKER), "{who} {path}: the marker\n{body}");
            // Ids and names of restricted records appear only where the
            // reader wrote them into the address.
            for id in &restricted_ids {
                if !path.contains(id.as_str()) && body.contains(id.as_str()) {
                    let at = body.find(id.as_str()).unwrap_or_default();
                    let around = &body[at.saturating_sub(300)..(at + 100).min(body.len())];
                    panic!("{who} {path}: the restricted record {id}: …{around}…");
                }
            }
            assert!(
                path.contains(HIDDEN_NAME) || !body.contains(HIDDEN_NAME),
                "{who} {path}: the restricted person's name"
            );
            assert!(
                path.contains(HIDDEN_REGION) || !body.contains(HIDDEN_REGION),
                "{who} {path}: the restricted person's region"
            );
            // A restricted record answers as one that never existed.
            if let Some(id) = restricted_ids.iter().find(|id| path.contains(id.as_str())) {
                let elsewhere = path.replace(id.as_str(), &never);
                let (expected, _) = reader.get(&app, &elsewhere).await;
                assert_eq!(status, expected, "{who} {path} ({pattern})");
            }
        }
    }

    // Counted nowhere: the overview, the lists, the API.
    for (who, session) in [("viewer", &viewer), ("editor", &editor), ("admin", &admin)] {
        let (_, overview) = session.get("/").await;
        assert_eq!(tile(&overview, "/persons"), 1, "{who}");
        assert_eq!(tile(&overview, "/persons?held=true"), 0, "{who}");
    }
    for (scope, token) in &tokens {
        let response = app.get("/api/v1/persons", token).await;
        let (_, page) = crate::support::json(response).await;
        assert_eq!(
            page["items"].as_array().map(Vec::len),
            Some(1),
            "{scope:?}: {page}"
        );
        let response = app
            .get(&format!("/api/v1/persons?region={HIDDEN_REGION}"), token)
            .await;
        let (_, page) = crate::support::json(response).await;
        assert_eq!(page["items"], serde_json::json!([]), "{scope:?}");
    }
}
