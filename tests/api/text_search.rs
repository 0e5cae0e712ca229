//! Full-text search over notes and source titles: any form of a word in
//! English, Belarusian and Russian, phrases, highlighted extracts, and
//! never a text the reader may not see.

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};

use crate::support::{PASSWORD, TestApp, day, error_fields, json, person};

/// The hits of an API search: `(record_type, person name or source title,
/// the highlighted words)`.
async fn hits(app: &TestApp, token: &str, q: &str) -> Vec<(String, String, Vec<String>)> {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let (status, page) = json(app.get(&format!("/api/v1/search?q={q}"), token).await).await;
    assert_eq!(status, 200, "{q}: {page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|h| {
            let label = h["person"]["name"]
                .as_str()
                .or(h["source"]["title"].as_str())
                .unwrap_or_default();
            let marked = h["extract"]
                .as_array()
                .expect("an extract")
                .iter()
                .filter(|p| p["highlight"] == true)
                .map(|p| p["text"].as_str().unwrap_or_default().to_owned())
                .collect();
            (
                h["record_type"].as_str().unwrap_or_default().to_owned(),
                label.to_owned(),
                marked,
            )
        })
        .collect()
}

/// A person with notes, through the API; returns their address.
async fn noted(app: &TestApp, token: &str, name: &str, notes: &str) -> String {
    let mut body = person(name);
    body["notes"] = notes.into();
    let p = app.create("/api/v1/persons", token, &body).await;
    format!("/api/v1/persons/{}", p["id"].as_str().expect("an id"))
}

#[tokio::test]
async fn notes_are_found_by_any_form_of_their_words_in_three_languages() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    noted(
        &app,
        &token,
        "Ihar Losik",
        "He was arrested at home; declared a hunger strike in the colony.",
    )
    .await;
    noted(
        &app,
        &token,
        "Maryja Kalesnikava",
        "Яе затрымалі каля мяжы 7 верасня, пашпарт парвала.",
    )
    .await;
    let p = noted(&app, &token, "Mikalai Statkevich", "").await;
    app.create(
        &format!("{p}/detentions"),
        &token,
        &json!({"kind": "pre_trial", "started": day("2020-05-31"),
                "notes": "Задержали у дома, держат в изоляторе без связи."}),
    )
    .await;
    app.create(
        "/api/v1/sources",
        &token,
        &json!({"title": "Viasna: statement on the strike at Belaruskali", "kind": "statement",
                "visibility": "public"}),
    )
    .await;

    // Another form of an English, a Belarusian and a Russian word.
    assert_eq!(
        hits(&app, &token, "arrest").await,
        [(
            "person".into(),
            "Ihar Losik".into(),
            vec!["arrested".into()]
        )]
    );
    assert_eq!(
        hits(&app, &token, "затрыманы").await,
        [(
            "person".into(),
            "Maryja Kalesnikava".into(),
            vec!["затрымалі".into()]
        )]
    );
    assert_eq!(
        hits(&app, &token, "задержан изолятор").await,
        [(
            "detention".into(),
            "Mikalai Statkevich".into(),
            vec!["Задержали".into(), "изоляторе".into()]
        )]
    );
    // Every word must occur.
    assert!(hits(&app, &token, "arrested Belaruskali").await.is_empty());
    // A source's title, and a word in two texts.
    let strike = hits(&app, &token, "strike").await;
    assert_eq!(strike.len(), 2, "{strike:?}");
    assert!(strike.contains(&(
        "source".into(),
        "Viasna: statement on the strike at Belaruskali".into(),
        vec!["strike".into()]
    )));
    // A phrase: its words in order.
    assert_eq!(hits(&app, &token, "\"hunger strike\"").await.len(), 1);
    assert!(hits(&app, &token, "\"strike hunger\"").await.is_empty());
}

#[tokio::test]
async fn a_hit_names_its_person_and_record_and_pages_go_on_without_repeats() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = noted(&app, &token, "Ales Bialiatski", "Beaten in the van.").await;
    let mut ids = Vec::new();
    for (i, year) in ["2011", "2021"].iter().enumerate() {
        let d = app
            .create(
                &format!("{p}/detentions"),
                &token,
                &json!({"kind": "pre_trial", "started": day(&format!("{year}-08-0{}", i + 4)),
                        "notes": format!("Beaten again in {year}.")}),
            )
            .await;
        ids.push(d["id"].as_str().expect("an id").to_owned());
    }
    let (status, first) = json(app.get("/api/v1/search?q=beaten&limit=2", &token).await).await;
    assert_eq!(status, 200, "{first}");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let (_, second) = json(
        app.get(
            &format!("/api/v1/search?q=beaten&limit=2&cursor={cursor}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(second["next_cursor"], Value::Null);
    let all: Vec<&Value> = first["items"]
        .as_array()
        .into_iter()
        .chain(second["items"].as_array())
        .flatten()
        .collect();
    let mut records: Vec<&str> = all.iter().filter_map(|h| h["record_id"].as_str()).collect();
    records.sort_unstable();
    records.dedup();
    assert_eq!(records.len(), 3, "{all:?}");
    for id in &ids {
        assert!(records.contains(&id.as_str()));
    }
    let person_id = p.rsplit('/').next().unwrap_or_default();
    assert!(all.iter().all(|h| h["person"]["id"] == person_id
        && h["person"]["name"] == "Ales Bialiatski"
        && h["field"] == "notes"));
}

#[tokio::test]
async fn restricted_and_archived_texts_are_found_only_by_those_who_may_read_them() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    // A cleared editor records a restricted person and a public one whose
    // restricted notes (sealed, never indexed) hold the same word.
    let email = app.staff_account(Role::Editor, true).await;
    let cleared = app.visitor();
    assert_eq!(cleared.login(&email, PASSWORD).await.0, 303);
    for (name, visibility, notes, restricted) in [
        ("Zmitser Hidden", "restricted", "zubrowka courier", ""),
        ("Paval Open", "public", "", "zubrowka courier"),
    ] {
        let (status, body, _) = cleared
            .submit(
                "/persons/new",
                "/persons",
                &[
                    ("names[0].name", name),
                    ("names[0].lang", "en"),
                    ("primary", "0"),
                    ("notes", notes),
                    ("restricted_notes", restricted),
                    ("visibility", visibility),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }
    // An internal person's notes, then archived.
    let archived = noted(&app, &writer, "Archived Person", "zubrowka courier").await;
    let (_, body) = json(app.get(&archived, &writer).await).await;
    let version = body["version"].as_i64().expect("a version");
    assert_eq!(app.delete(&archived, &writer, version).await.status(), 204);

    // Internal readers find nothing; the cleared editor the restricted
    // person's notes, never restricted notes.
    assert!(hits(&app, &writer, "courier").await.is_empty());
    let viewer = app.web(Role::Viewer).await;
    let (status, page) = viewer.get("/search?q=courier").await;
    assert_eq!(status, 200);
    assert!(page.contains("0 texts found"), "{page}");
    assert!(!page.contains("Hidden") && !page.contains("zubrowka"));
    let (status, page) = cleared.get("/search?q=courier").await;
    assert_eq!(status, 200);
    assert!(page.contains("1 text found"), "{page}");
    assert!(page.contains("Zmitser Hidden"));
    assert!(page.contains("zubrowka <mark>courier</mark>"), "{page}");
    assert!(!page.contains("Paval Open"));

    // Notes are internal: a public token may not search them.
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let response = app.get("/api/v1/search?q=courier", &public).await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_page_shows_extracts_escaped_and_links_to_the_record() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = noted(&app, &token, "Ina <b>Bold</b>", "").await;
    let d = app
        .create(
            &format!("{p}/detentions"),
            &token,
            &json!({"kind": "short_term", "started": day("2020-08-10"),
                    "notes": "Beaten & <i>kicked</i> at Okrestina; x < y"}),
        )
        .await;
    let viewer = app.web(Role::Viewer).await;
    let (status, page) = viewer.get("/search?q=Okrestina+kick").await;
    assert_eq!(status, 200);
    let person_id = p.rsplit('/').next().unwrap_or_default();
    let detention = d["id"].as_str().expect("an id");
    assert!(
        page.contains(&format!(
            "href=\"/persons/{person_id}#detention-{detention}\""
        )),
        "{page}"
    );
    // Names and notes are text, never markup.
    assert!(page.contains("Ina &#60;b&#62;Bold&#60;/b&#62;"), "{page}");
    assert!(page.contains("<mark>kicked</mark>"), "{page}");
    assert!(page.contains("<mark>Okrestina</mark>"), "{page}");
    assert!(
        page.contains("Beaten &#38;") && !page.contains("<i>"),
        "{page}"
    );
    // The search box keeps what was typed.
    assert!(page.contains("value=\"Okrestina kick\""), "{page}");
}

#[tokio::test]
async fn bad_searches_are_refused_on_their_field() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for (query, field) in [
        ("q=", "q"),
        ("q=a+%26+%7C", "q"),
        (&format!("q={}", "ab+".repeat(13)) as &str, "q"),
        (&format!("q={}", "x".repeat(201)), "q"),
        ("q=beaten&cursor=xyz", "cursor"),
        ("q=beaten&cursor=0190", "cursor"),
        ("q=beaten&limit=0", "limit"),
        // Only stop words: nothing would be searched for.
        ("q=the+and+of", "q"),
        ("q=%D0%B8+%D0%BD%D0%B0", "q"),
    ] {
        let (status, problem) =
            json(app.get(&format!("/api/v1/search?{query}"), &token).await).await;
        assert_eq!(status, 422, "{query}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    let (status, _) = json(app.get("/api/v1/search", &token).await).await;
    assert_eq!(status, 422);
    let viewer = app.web(Role::Viewer).await;
    for (query, message) in [
        (
            "q=%22+%22",
            "Type at least one word of two letters or more.",
        ),
        ("q=beaten&page=0", "No such page."),
        ("q=the+and", "These words are too common to search for"),
        (
            &format!("q={}", "x".repeat(201)) as &str,
            "At most 200 characters.",
        ),
    ] {
        let (status, page) = viewer.get(&format!("/search?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert!(page.contains(message), "{query}: {page}");
    }
    let (_, page) = viewer.get("/search").await;
    assert!(!page.contains("texts found"));
}
