//! The canary: a marker in every restricted value and on every record of a
//! restricted person, then every address the server answers (from the
//! router's own listing, `http::routes`, which every route goes through:
//! routes added later are visited without editing this test) fetched,
//! plain and as htmx, and posted to, as each role without clearance and as
//! each token scope. The marker never appears, no restricted record answers
//! differently from one that never existed, the restricted person is never
//! counted, and every answer carries the security headers. A cleared admin,
//! crawling the same way, does find the marker: the test can fail.

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
/// addresses use; which of them are public (the public person, their public
/// detention, the reference data, the accounts); and the cleared admin who
/// made them.
struct Seeded {
    ids: BTreeMap<&'static str, Vec<String>>,
    public: BTreeSet<String>,
    cleared: WebSession,
}

impl Seeded {
    fn all_ids(&self) -> BTreeSet<String> {
        self.ids.values().flatten().cloned().collect()
    }

    fn restricted_ids(&self) -> BTreeSet<String> {
        self.all_ids().difference(&self.public).cloned().collect()
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
    let facility = cleared
        .add_reference(
            "facilities",
            &[
                ("name", "Pre-trial prison No. 1, Minsk"),
                ("kind", "pre_trial_centre"),
                ("city", "Minsk"),
                ("version", "0"),
            ],
        )
        .await;
    let case = cleared
        .add_reference(
            "cases",
            &[
                ("number", "No. 20211500123"),
                ("authority", "Investigative Committee"),
                ("version", "0"),
            ],
        )
        .await;
    ids.insert("organizations", vec![organization.clone()]);
    ids.insert("facilities", vec![facility.clone()]);
    ids.insert("cases", vec![case.clone()]);

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
                    ("facility_id", &facility),
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
                    ("case_id", &case),
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
    // A public detention of the public person, so that public addresses
    // of records answer with something.
    let shown = cleared
        .add_record(
            &public,
            "detentions",
            &[
                ("kind", "short_term"),
                ("started", "2020-08-09"),
                ("ended", "2020-08-12"),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    ids.entry("detentions").or_default().push(shown.clone());
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
    let accounts: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM accounts")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    ids.insert("users", accounts.iter().map(ToString::to_string).collect());
    let articles: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM articles WHERE number = '342'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    ids.insert(
        "articles",
        articles.iter().map(ToString::to_string).collect(),
    );
    let mut public: BTreeSet<String> = [public_person, shown, organization, facility, case]
        .into_iter()
        .collect();
    public.extend(ids["users"].iter().cloned());
    public.extend(ids["articles"].iter().cloned());
    Seeded {
        ids,
        public,
        cleared,
    }
}

/// Every address to fetch: each pattern of the router with its parameters
/// filled by the seeded records (by the collection before the parameter,
/// else every one of them), bare and with queries: searches and filters
/// that would find the restricted person, and a day.
fn addresses(seeded: &Seeded, seqs: &[i64]) -> Vec<(String, String)> {
    let first = |collection: &str| seeded.ids[collection][0].clone();
    let queries = [
        String::new(),
        format!("?q={HIDDEN_NAME}"),
        "?q=Letter".into(),
        // Words of every marked note and title, for the text search.
        "?q=notes".into(),
        format!("?region={HIDDEN_REGION}"),
        "?as_of=2022-01-01&status=pre_trial&held=true&recognized=true".into(),
        format!(
            "?article=342&facility={}&organization={}",
            first("facilities"),
            first("organizations")
        ),
        "?detained_from=2021-01-01&detained_to=2021-12-31&sort=name".into(),
    ];
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
            for query in &queries {
                out.push((pattern.clone(), format!("{path}{query}")));
            }
        }
    }
    out
}

/// How an address is asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ask {
    Get,
    /// As htmx does: another template answers.
    Htmx,
    /// An empty form (with the form token) or an empty JSON object.
    Post,
}

/// One reader: a browser session (with the email to post as it, logging in
/// again when a post ended the session) or a token.
enum Reader {
    Web(WebSession, Option<String>),
    Token(String),
}

/// `(status, headers and body as text)` of one request; every answer
/// carries the security headers, and none is kept by a cache.
async fn fetch(app: &TestApp, reader: &Reader, ask: Ask, path: &str) -> (u16, String) {
    let url = format!("{}{path}", app.base);
    let request = match (reader, ask) {
        (Reader::Web(session, _), Ask::Get) => session.client.get(&url),
        (Reader::Web(session, _), Ask::Htmx) => {
            session.client.get(&url).header("hx-request", "true")
        }
        (Reader::Web(session, _), Ask::Post) => {
            let csrf = session.csrf("/account").await;
            session.client.post(&url).form(&[("csrf", csrf)])
        }
        (Reader::Token(token), Ask::Post) => app
            .client
            .post(&url)
            .bearer_auth(token)
            .json(&serde_json::json!({})),
        (Reader::Token(token), _) => app.client.get(&url).bearer_auth(token),
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

/// What must never reach `who`: the marker, the restricted records' ids
/// and the restricted person's name and region, unless the reader wrote
/// them into the address.
fn assert_nothing_restricted(who: &str, path: &str, body: &str, restricted_ids: &BTreeSet<String>) {
    assert!(!body.contains(MARKER), "{who} {path}: the marker\n{body}");
    for id in restricted_ids {
        if !path.contains(id.as_str()) && body.contains(id.as_str()) {
            let at = body.find(id.as_str()).unwrap_or_default();
            let around = &body[at.saturating_sub(300)..(at + 100).min(body.len())];
            panic!("{who} {path}: the restricted record {id}: …{around}…");
        }
    }
    for word in [HIDDEN_NAME, HIDDEN_REGION] {
        assert!(
            path.contains(word) || !body.contains(word),
            "{who} {path}: {word}"
        );
    }
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
    assert!(addresses.len() > 500, "{} addresses", addresses.len());
    let restricted_ids = seeded.restricted_ids();

    // The positive control: the cleared admin finds the marker.
    let cleared = Reader::Web(seeded.cleared, None);
    let mut found = 0;
    for (_, path) in &addresses {
        let (_, body) = fetch(&app, &cleared, Ask::Get, path).await;
        if body.contains(MARKER) {
            found += 1;
        }
    }
    assert!(
        found >= 100,
        "the cleared admin finds the marker at {found} addresses"
    );
    if let Reader::Web(session, _) = &cleared {
        let (_, overview) = session.get("/").await;
        assert_eq!(tile(&overview, "/persons"), 2);
    }

    // Every reader without clearance: staff of each role, an admin who has
    // not set up the second factor, a login waiting for its code, a
    // visitor, and tokens of each scope (of a cleared account: tokens never
    // read restricted data) and of lesser roles.
    let mut readers: Vec<(String, Reader)> = Vec::new();
    for role in [Role::Viewer, Role::Editor, Role::Admin] {
        let email = app.staff_account(role, false).await;
        let session = app.visitor();
        assert_eq!(session.login(&email, PASSWORD).await.0, 303);
        // Staff without a second factor post too, logging in again when a
        // post ended the session.
        let again = if role == Role::Admin {
            session.enrol().await;
            None
        } else {
            Some(email)
        };
        readers.push((format!("{role:?}"), Reader::Web(session, again)));
    }
    let unenrolled = app.visitor();
    let email = app.staff_account(Role::Admin, false).await;
    assert_eq!(unenrolled.login(&email, PASSWORD).await.0, 303);
    readers.push((
        "admin without second factor".into(),
        Reader::Web(unenrolled, None),
    ));
    let waiting = app.visitor();
    let email = app.staff_account(Role::Admin, false).await;
    let enrolling = app.visitor();
    enrolling.login(&email, PASSWORD).await;
    enrolling.enrol().await;
    let (status, _, _) = waiting.login(&email, PASSWORD).await;
    assert_eq!(status, 303);
    readers.push((
        "login waiting for its code".into(),
        Reader::Web(waiting, None),
    ));
    readers.push(("visitor".into(), Reader::Web(app.visitor(), None)));
    for scope in TokenScope::ALL {
        let token = app.token(Role::Admin, *scope).await;
        readers.push((format!("token {}", scope.as_str()), Reader::Token(token)));
    }
    readers.push((
        "viewer's token".into(),
        Reader::Token(app.token(Role::Viewer, TokenScope::ReadInternal).await),
    ));
    readers.push((
        "editor's token".into(),
        Reader::Token(app.token(Role::Editor, TokenScope::Write).await),
    ));

    let never = uuid::Uuid::now_v7().to_string();
    let mut requests = 0;
    for (who, reader) in &readers {
        let asks: &[Ask] = match reader {
            Reader::Web(_, Some(_)) => &[Ask::Get, Ask::Htmx, Ask::Post],
            Reader::Web(_, None) => &[Ask::Get, Ask::Htmx],
            Reader::Token(_) => &[Ask::Get, Ask::Post],
        };
        for ask in asks {
            for (pattern, path) in &addresses {
                // Posts with queries ask nothing new.
                if *ask == Ask::Post && path.contains('?') {
                    continue;
                }
                let (status, body) = fetch(&app, reader, *ask, path).await;
                requests += 1;
                assert!(status < 500, "{who} {ask:?} {path}: {status}\n{body}");
                assert_nothing_restricted(who, path, &body, &restricted_ids);
                // A restricted record answers as one that never existed.
                if let Some(id) = restricted_ids.iter().find(|id| path.contains(id.as_str())) {
                    let elsewhere = path.replace(id.as_str(), &never);
                    let (expected, other) = fetch(&app, reader, *ask, &elsewhere).await;
                    assert_eq!(status, expected, "{who} {ask:?} {path} ({pattern})");
                    if status >= 400 && *ask != Ask::Post {
                        assert_eq!(
                            body.replace(id.as_str(), "ID")
                                .split_once('\n')
                                .map(|(_, b)| b.to_owned()),
                            other
                                .replace(&never, "ID")
                                .split_once('\n')
                                .map(|(_, b)| b.to_owned()),
                            "{who} {ask:?} {path}: the answer differs"
                        );
                    }
                }
                // A post that ended the session: log in again.
                if let (Ask::Post, Reader::Web(session, Some(email))) = (ask, reader)
                    && session.get("/account").await.0 != 200
                {
                    let (status, _, _) = session.login(email, PASSWORD).await;
                    assert_eq!(status, 303, "{who} logs in again after {path}");
                }
            }
        }
    }
    assert!(requests > 5000, "{requests} requests");

    // Counted nowhere: the overview, the lists, the API.
    for (who, reader) in &readers[..3] {
        let Reader::Web(session, _) = reader else {
            unreachable!()
        };
        let (_, overview) = session.get("/").await;
        assert_eq!(tile(&overview, "/persons"), 1, "{who}");
        assert_eq!(tile(&overview, "/persons?held=true"), 0, "{who}");
    }
    for (who, reader) in &readers {
        let Reader::Token(token) = reader else {
            continue;
        };
        let response = app.get("/api/v1/persons", token).await;
        let (_, page) = crate::support::json(response).await;
        assert_eq!(
            page["items"].as_array().map(Vec::len),
            Some(1),
            "{who}: {page}"
        );
        let response = app
            .get(&format!("/api/v1/persons?region={HIDDEN_REGION}"), token)
            .await;
        let (_, page) = crate::support::json(response).await;
        assert_eq!(page["items"], serde_json::json!([]), "{who}");
        let (_, facets) =
            crate::support::json(app.get("/api/v1/persons/facets", token).await).await;
        assert_eq!(facets["total"], 1, "{who}: {facets}");
        let held: i64 = facets["status"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["value"] == "pre_trial")
            .filter_map(|v| v["count"].as_i64())
            .sum();
        assert_eq!(held, 0, "{who}: {facets}");
        let (_, detained) = crate::support::json(
            app.get(
                "/api/v1/stats/detained?from=2021-01-01&to=2022-01-01",
                token,
            )
            .await,
        )
        .await;
        let counted: i64 = detained
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["detained"].as_i64())
            .sum();
        assert_eq!(counted, 0, "{who}: {detained}");
    }
}
