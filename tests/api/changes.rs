//! The change feed: a mirror kept by following it equals what its token
//! sees, it names nothing the token never saw, and writers committing
//! while it is read make it skip and repeat nothing.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use futures::future::join_all;

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};

use crate::support::{TestApp, day, error_fields, json, person};

/// A partner's copy: records by kind and id, as the feed gave them.
#[derive(Default)]
struct Mirror {
    records: BTreeMap<(String, String), Value>,
    cursor: Option<String>,
}

impl Mirror {
    /// Reads pages of `limit` until caught up; returns the items read.
    async fn follow(&mut self, app: &TestApp, token: &str, limit: u32) -> Vec<Value> {
        let mut read = Vec::new();
        loop {
            let page = feed_page(app, token, self.cursor.as_deref(), limit).await;
            for item in page["items"].as_array().expect("items") {
                let key = (
                    item["kind"].as_str().expect("kind").to_owned(),
                    item["id"].as_str().expect("id").to_owned(),
                );
                if item["tombstone"] == true {
                    assert_eq!(item["record"], Value::Null, "a tombstone carries nothing");
                    self.records.remove(&key);
                } else {
                    self.records.insert(key, item["record"].clone());
                }
                read.push(item.clone());
            }
            self.cursor = Some(page["next_cursor"].as_str().expect("a cursor").to_owned());
            if page["caught_up"] == true {
                return read;
            }
        }
    }

    fn ids(&self, kind: &str) -> Vec<&str> {
        self.records
            .keys()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| id.as_str())
            .collect()
    }
}

async fn feed_page(app: &TestApp, token: &str, since: Option<&str>, limit: u32) -> Value {
    let mut path = format!("/api/v1/changes?limit={limit}");
    if let Some(since) = since {
        path.push_str(&format!("&since={since}"));
    }
    let (status, page) = json(app.get(&path, token).await).await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn read(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    json(app.get(path, token).await).await
}

/// Merges `merged` into `kept`, both as they were created.
async fn merge_first_versions(app: &TestApp, admin: &str, kept: &str, merged: &str) {
    let response = app
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/persons/{kept}/merge"),
            admin,
        )
        .header("if-match", "\"1\"")
        .json(&json!({"merged_id": merged, "merged_version": 1}))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

fn id_of(record: &Value) -> String {
    record["id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn a_mirror_that_follows_the_feed_equals_what_its_token_sees() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let admin = app.token(Role::Admin, TokenScope::Write).await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let internal = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let mut public_mirror = Mirror::default();
    let mut internal_mirror = Mirror::default();

    // Read from the start, then keep following while the registry changes.
    let shown = app
        .create("/api/v1/persons", &writer, &person("Maria Kalesnikava"))
        .await;
    let shown = id_of(&shown);
    public_mirror.follow(&app, &public, 2).await;
    internal_mirror.follow(&app, &internal, 2).await;
    assert_eq!(public_mirror.ids("person"), [shown.as_str()]);

    app.create(
        &format!("/api/v1/persons/{shown}/detentions"),
        &writer,
        &json!({"kind": "pre_trial", "started": day("2020-09-08")}),
    )
    .await;
    let mut hidden_body = person("Internal Person");
    hidden_body["visibility"] = "internal".into();
    let hidden = id_of(&app.create("/api/v1/persons", &writer, &hidden_body).await);
    let archived = id_of(
        &app.create("/api/v1/persons", &writer, &person("Archived Person"))
            .await,
    );
    let lowered = id_of(
        &app.create("/api/v1/persons", &writer, &person("Lowered Person"))
            .await,
    );
    let kept = id_of(
        &app.create("/api/v1/persons", &writer, &person("Ihar Losik"))
            .await,
    );
    let merged = id_of(
        &app.create("/api/v1/persons", &writer, &person("Igor Losik"))
            .await,
    );
    let facility = id_of(
        &app.create(
            "/api/v1/facilities",
            &writer,
            &json!({"name": "Penal colony No. 1", "city": "Navapolatsk"}),
        )
        .await,
    );
    let internal_source = id_of(
        &app.create(
            "/api/v1/sources",
            &writer,
            &json!({"title": "Internal interview", "visibility": "internal"}),
        )
        .await,
    );
    public_mirror.follow(&app, &public, 3).await;
    internal_mirror.follow(&app, &internal, 3).await;
    assert!(public_mirror.ids("person").contains(&archived.as_str()));
    assert!(public_mirror.ids("person").contains(&lowered.as_str()));

    app.delete(&format!("/api/v1/persons/{archived}"), &writer, 1)
        .await;
    let response = app
        .patch(
            &format!("/api/v1/persons/{lowered}"),
            &writer,
            1,
            &json!({"visibility": "internal"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    merge_first_versions(&app, &admin, &kept, &merged).await;
    app.patch(
        &format!("/api/v1/facilities/{facility}"),
        &writer,
        1,
        &json!({"city": "Navapolack"}),
    )
    .await;

    public_mirror.follow(&app, &public, 2).await;
    internal_mirror.follow(&app, &internal, 500).await;

    for (token, mirror) in [(&public, &public_mirror), (&internal, &internal_mirror)] {
        // Every record the mirror holds reads now as it holds it.
        for ((kind, id), record) in &mirror.records {
            let collection = match kind.as_str() {
                "person" => "persons",
                "facility" => "facilities",
                "source" => "sources",
                other => panic!("unexpected kind {other}"),
            };
            let (status, now) = read(&app, token, &format!("/api/v1/{collection}/{id}")).await;
            assert_eq!(status, 200, "{kind} {id} is held but not readable");
            assert_eq!(&now, record, "{kind} {id} as mirrored");
        }
        // And it holds every person the token may list.
        let (_, list) = read(&app, token, "/api/v1/persons?limit=500").await;
        let mut listed: Vec<String> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(id_of)
            .collect();
        listed.sort();
        assert_eq!(mirror.ids("person"), listed);
    }
    let public_persons = public_mirror.ids("person");
    assert!(public_persons.contains(&kept.as_str()));
    for gone in [&archived, &lowered, &merged, &hidden] {
        assert!(!public_persons.contains(&gone.as_str()), "{gone} held");
    }
    assert!(internal_mirror.ids("person").contains(&lowered.as_str()));
    assert!(internal_mirror.ids("person").contains(&hidden.as_str()));
    assert_eq!(internal_mirror.ids("source"), [internal_source.as_str()]);
    assert!(public_mirror.ids("source").is_empty());
    assert_eq!(
        public_mirror.records[&("facility".to_owned(), facility.clone())]["city"],
        "Navapolack"
    );
}

#[tokio::test]
async fn the_feed_names_nothing_its_token_never_saw_nor_when_a_hidden_record_changed() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;

    let mut body = person("Never Public");
    body["visibility"] = "internal".into();
    let never = id_of(&app.create("/api/v1/persons", &writer, &body).await);
    app.create(
        &format!("/api/v1/persons/{never}/detentions"),
        &writer,
        &json!({"kind": "pre_trial", "started": day("2021-01-01")}),
    )
    .await;
    app.delete(&format!("/api/v1/persons/{never}"), &writer, 1)
        .await;
    let source = id_of(
        &app.create(
            "/api/v1/sources",
            &writer,
            &json!({"title": "Internal file", "visibility": "internal"}),
        )
        .await,
    );
    let once = id_of(
        &app.create("/api/v1/persons", &writer, &person("Once Public"))
            .await,
    );
    // An internal detention of a public person is no change the public sees.
    let internal_detention = app
        .create(
            &format!("/api/v1/persons/{once}/detentions"),
            &writer,
            &json!({"kind": "short_term", "started": day("2020-08-09"), "visibility": "internal"}),
        )
        .await;

    let mut mirror = Mirror::default();
    let items = mirror.follow(&app, &public, 50).await;
    let text = serde_json::to_string(&items).unwrap();
    for hidden in [&never, &source, &id_of(&internal_detention)] {
        assert!(!text.contains(hidden.as_str()), "{hidden} named: {text}");
    }
    assert_eq!(items.len(), 1, "only the public person: {text}");

    app.patch(
        &format!("/api/v1/persons/{once}"),
        &writer,
        1,
        &json!({"visibility": "internal"}),
    )
    .await;
    let items = mirror.follow(&app, &public, 50).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], once.as_str());
    assert_eq!(items[0]["tombstone"], true);
    assert!(mirror.records.is_empty());

    // Changes while hidden: nothing, not even a tombstone.
    for (version, note) in [(2, "one"), (3, "two")] {
        let response = app
            .patch(
                &format!("/api/v1/persons/{once}"),
                &writer,
                version,
                &json!({"notes": note}),
            )
            .await;
        assert_eq!(response.status(), 200);
    }
    let cursor = mirror.cursor.clone();
    let items = mirror.follow(&app, &public, 50).await;
    assert!(items.is_empty(), "changes of a hidden person: {items:?}");
    assert_ne!(mirror.cursor, cursor, "the cursor moves past them");

    // Public again: the case comes back whole, as it is now.
    app.patch(
        &format!("/api/v1/persons/{once}"),
        &writer,
        4,
        &json!({"visibility": "public"}),
    )
    .await;
    let items = mirror.follow(&app, &public, 50).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["tombstone"], false);
    let (_, now) = read(&app, &public, &format!("/api/v1/persons/{once}")).await;
    assert_eq!(items[0]["record"], now);
    assert_eq!(
        items[0]["record"]["notes"],
        Value::Null,
        "public fields only"
    );
}

/// A public person citing an internal source (the citation as visible as
/// `citation`), followed by a public token's mirror; then the source made
/// public. Returns the mirror, the items that change brought, the person.
async fn source_made_public(app: &TestApp, citation: &str) -> (Mirror, Vec<Value>, String) {
    let writer = app.writer().await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let source = app
        .create(
            "/api/v1/sources",
            &writer,
            &json!({"title": "Court record", "visibility": "internal"}),
        )
        .await;
    let p = id_of(
        &app.create("/api/v1/persons", &writer, &person("Cited Person"))
            .await,
    );
    app.create(
        &format!("/api/v1/persons/{p}/sources"),
        &writer,
        &json!({"source_id": source["id"], "visibility": citation}),
    )
    .await;
    let mut mirror = Mirror::default();
    mirror.follow(app, &public, 50).await;
    let case = &mirror.records[&("person".to_owned(), p.clone())];
    assert_eq!(case["sources"], json!([]));

    let response = app
        .patch(
            &format!("/api/v1/sources/{}", id_of(&source)),
            &writer,
            1,
            &json!({"visibility": "public"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let items = mirror.follow(app, &public, 50).await;
    (mirror, items, p)
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["kind"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_source_made_public_brings_the_cases_citing_it() {
    let app = TestApp::spawn().await;
    let (mirror, items, p) = source_made_public(&app, "public").await;
    assert_eq!(kinds(&items), ["source", "person"]);
    let case = &mirror.records[&("person".to_owned(), p)];
    assert_eq!(case["sources"][0]["source"]["title"], "Court record");
}

#[tokio::test]
async fn a_source_made_public_does_not_bring_cases_whose_citation_of_it_is_hidden() {
    let app = TestApp::spawn().await;
    let (_, items, _) = source_made_public(&app, "internal").await;
    assert_eq!(
        kinds(&items),
        ["source"],
        "the case did not change for this token"
    );
}

/// Counts the persons a page names.
fn count(page: &Value, seen: &mut HashMap<String, usize>) {
    for item in page["items"].as_array().unwrap() {
        assert_eq!(item["tombstone"], false);
        *seen.entry(id_of(item)).or_default() += 1;
    }
}

async fn write_persons(app: &TestApp, writer: usize) -> Vec<String> {
    let token = app.writer().await;
    let mut ids = Vec::new();
    for n in 0..15 {
        let body = person(&format!("Writer {writer} {n}"));
        ids.push(id_of(&app.create("/api/v1/persons", &token, &body).await));
    }
    ids
}

#[tokio::test]
async fn writers_committing_while_the_feed_is_read_make_it_skip_and_repeat_nothing() {
    let app = TestApp::spawn().await;
    let reader = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let done = AtomicBool::new(false);
    let writing = async {
        let ids = join_all((0..4).map(|w| write_persons(&app, w))).await;
        done.store(true, Ordering::SeqCst);
        ids.concat()
    };
    // Small pages while they write, until a page read after the last
    // write is caught up.
    let reading = async {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let finished = done.load(Ordering::SeqCst);
            let page = feed_page(&app, &reader, cursor.as_deref(), 3).await;
            count(&page, &mut seen);
            pages += 1;
            cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
            if finished && page["caught_up"] == true {
                return (seen, pages);
            }
        }
    };
    let (created, (seen, pages)) = tokio::join!(writing, reading);
    assert!(pages > 5, "the feed was read while written: {pages} pages");
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "repeated: {repeated:?}");
    let missing: Vec<_> = created
        .iter()
        .filter(|id| !seen.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "skipped: {missing:?}");
    assert_eq!(seen.len(), created.len());
}

#[tokio::test]
async fn a_cursor_the_feed_did_not_hand_out_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    for query in [
        "since=17",
        "since=",
        "since=bm90IGEgY3Vyc29y",
        "limit=0",
        "limit=501",
    ] {
        let (status, problem) = read(&app, &token, &format!("/api/v1/changes?{query}")).await;
        assert_eq!(status, 422, "{query}: {problem}");
        let field = query.split('=').next().unwrap();
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    let (status, _) = read(&app, &token, "/api/v1/changes?from=1").await;
    assert_eq!(status, 422, "an unknown parameter");
    let (status, _) = json(
        app.client
            .get(format!("{}/api/v1/changes", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 401);

    // An empty registry: no items, caught up, a cursor to come back with.
    let page = feed_page(&app, &token, None, 10).await;
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["caught_up"], true);
    let again = feed_page(&app, &token, page["next_cursor"].as_str(), 10).await;
    assert_eq!(again["items"], json!([]));
}

#[tokio::test]
async fn a_merge_into_a_hidden_person_names_only_the_person_merged_away() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, TokenScope::Write).await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let mut body = person("Hidden Keeper");
    body["visibility"] = "internal".into();
    let kept = id_of(&app.create("/api/v1/persons", &admin, &body).await);
    let merged = id_of(
        &app.create("/api/v1/persons", &admin, &person("Shown Person"))
            .await,
    );
    app.create(
        &format!("/api/v1/persons/{merged}/detentions"),
        &admin,
        &json!({"kind": "pre_trial", "started": day("2021-01-01")}),
    )
    .await;
    let mut mirror = Mirror::default();
    mirror.follow(&app, &public, 50).await;
    assert_eq!(mirror.ids("person"), [merged.as_str()]);

    merge_first_versions(&app, &admin, &kept, &merged).await;
    let items = mirror.follow(&app, &public, 50).await;
    let text = serde_json::to_string(&items).unwrap();
    assert!(!text.contains(&kept), "the hidden person is named: {text}");
    assert_eq!(items.len(), 1, "{text}");
    assert_eq!(items[0]["id"], merged.as_str());
    assert_eq!(items[0]["tombstone"], true);
}
