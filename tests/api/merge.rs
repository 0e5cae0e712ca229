//! Duplicates, merge and undo: every record and history entry kept, the
//! old address leading to the kept person, and undo giving back both.

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};

use crate::case::{article, organization, source};
use crate::support::{TestApp, day, json, person};

/// Ids of every record of a case, by kind, sorted.
fn record_ids(case: &Value) -> Vec<(String, Vec<String>)> {
    [
        "detentions",
        "charges",
        "sentences",
        "recognitions",
        "affiliations",
        "sources",
    ]
    .iter()
    .map(|kind| {
        let mut ids: Vec<String> = case[*kind]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect();
        ids.sort();
        ((*kind).to_owned(), ids)
    })
    .collect()
}

/// A person's names as written, in order.
fn names_of(person: &Value) -> Vec<&str> {
    person["names"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["name"].as_str())
        .collect()
}

async fn read(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    json(app.get(&format!("/api/v1/persons/{id}"), token).await).await
}

/// A person with a whole case: a detention, a charge under it, a sentence
/// for the charge, a recognition, an affiliation, a source cited for the
/// detention. Returns the person's id.
async fn whole_case(app: &TestApp, token: &str, body: &Value, started: &str) -> String {
    let p = app.create("/api/v1/persons", token, body).await;
    let id = p["id"].as_str().expect("an id").to_owned();
    let d = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            token,
            &json!({"kind": "pre_trial", "started": day(started)}),
        )
        .await;
    let c = app
        .create(&format!("/api/v1/persons/{id}/charges"), token, &json!({
            "article_id": article(app, "342").await, "detention_id": d["id"], "status": "convicted"
        }))
        .await;
    app.create(
        &format!("/api/v1/persons/{id}/sentences"),
        token,
        &json!({
            "kind": "imprisonment", "term_months": 36, "pronounced": day("2022-03-03"),
            "charge_ids": [c["id"]]
        }),
    )
    .await;
    let viasna = organization(app, "Viasna").await;
    app.create(
        &format!("/api/v1/persons/{id}/recognitions"),
        token,
        &json!({"organization_id": viasna}),
    )
    .await;
    app.create(
        &format!("/api/v1/persons/{id}/affiliations"),
        token,
        &json!({"organization_id": viasna, "role": "member"}),
    )
    .await;
    let ua = source(app, "Urgent Action", "public").await;
    app.create(
        &format!(
            "/api/v1/detentions/{}/sources",
            d["id"].as_str().expect("an id")
        ),
        token,
        &json!({"source_id": ua, "note": "arrest date"}),
    )
    .await;
    id
}

/// `POST /persons/{kept}/merge` with these versions (`If-Match` left
/// out without `kept_version`).
async fn merge_at(
    app: &TestApp,
    token: &str,
    (kept, kept_version): (&str, Option<i64>),
    (merged, merged_version): (&str, i64),
) -> reqwest::Response {
    let mut request = app.request(
        reqwest::Method::POST,
        &format!("/api/v1/persons/{kept}/merge"),
        token,
    );
    if let Some(v) = kept_version {
        request = request.header("if-match", format!("\"{v}\""));
    }
    request
        .json(&json!({"merged_id": merged, "merged_version": merged_version}))
        .send()
        .await
        .expect("a response")
}

/// Merges `merged` into `kept` at the versions read now.
async fn merge(app: &TestApp, token: &str, kept: &str, merged: &str) -> reqwest::Response {
    let version = |v: &Value| v["version"].as_i64().unwrap_or(0);
    let k = version(&read(app, token, kept).await.1);
    let m = version(&read(app, token, merged).await.1);
    merge_at(app, token, (kept, Some(k)), (merged, m)).await
}

#[tokio::test]
async fn a_merge_keeps_every_record_and_entry_and_its_undo_gives_both_back() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let admin = app.token(Role::Admin, TokenScope::Write).await;
    let mut a = person("Ales Bialiatski");
    a["external_ids"] = json!([{"system": "viasna", "id": "1"}]);
    a["notes"] = "Chair of Viasna.".into();
    let mut b = json!({
        "names": [{"name": "Алесь Бяляцкі", "lang": "be", "primary": true}],
        "external_ids": [{"system": "spring96", "id": "7"}],
        "region": "Minsk", "notes": "Nobel prize 2022.", "visibility": "internal"
    });
    let a = whole_case(&app, &writer, &a, "2021-07-14").await;
    let b_id = whole_case(&app, &writer, &b, "2011-08-04").await;
    b["id"] = b_id.clone().into();
    let (_, a_before) = read(&app, &writer, &a).await;
    let (_, b_before) = read(&app, &writer, &b_id).await;

    // Offered as duplicates: the same name in two scripts.
    let (status, dups) = json(app.get("/api/v1/persons/duplicates", &writer).await).await;
    assert_eq!(status, 200, "{dups}");
    let pair = &dups["items"][0];
    let ids: Vec<&str> = pair["persons"]
        .as_array()
        .expect("two persons")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(
        ids.contains(&a.as_str()) && ids.contains(&b_id.as_str()),
        "{dups}"
    );
    assert_eq!(pair["reasons"][0]["kind"], "names_alike", "{dups}");

    let history_before = app.history_count().await;
    let response = merge(&app, &admin, &a, &b_id).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned();
    let (_, merged) = json(response).await;
    assert_eq!(merged["kept_id"], a.as_str());
    assert_eq!(
        location,
        format!("/api/v1/merges/{}", merged["id"].as_str().unwrap_or(""))
    );

    // The kept person has both cases: every record, by id.
    let (status, kept) = read(&app, &writer, &a).await;
    assert_eq!(status, 200);
    for ((kind, after), ((_, a_ids), (_, b_ids))) in record_ids(&kept)
        .into_iter()
        .zip(record_ids(&a_before).into_iter().zip(record_ids(&b_before)))
    {
        let mut both = [a_ids, b_ids].concat();
        both.sort();
        assert_eq!(after, both, "{kind}");
    }
    let names = names_of(&kept);
    assert_eq!(names, ["Ales Bialiatski", "Алесь Бяляцкі"]);
    assert_eq!(kept["external_ids"].as_array().map(Vec::len), Some(2));
    assert_eq!(kept["notes"], "Chair of Viasna.\n\nNobel prize 2022.");
    assert_eq!(kept["region"], "Minsk");
    // The stricter visibility: the merged person was internal.
    assert_eq!(kept["visibility"], "internal");
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    assert_eq!(read(&app, &public, &a).await.0, 404);
    // The sentence still covers its charge; the charge is under its detention.
    assert!(
        kept["sentences"]
            .as_array()
            .expect("sentences")
            .iter()
            .all(|s| { s["charge_ids"].as_array().is_some_and(|c| c.len() == 1) })
    );

    // The old address leads to the kept person.
    let response = app.get(&format!("/api/v1/persons/{b_id}"), &writer).await;
    assert_eq!(response.status(), 301);
    assert_eq!(
        response.headers()["location"],
        format!("/api/v1/persons/{a}").as_str()
    );
    assert_eq!(json(response).await.1, json!({"merged_into": a}));
    // A reader who could not see the merged person gets the 404 it was.
    assert_eq!(read(&app, &public, &b_id).await.0, 404);
    // The person merged away is in no list.
    let (_, list) = json(app.get("/api/v1/persons?q=Бяляцкі", &writer).await).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");
    let (_, dups) = json(app.get("/api/v1/persons/duplicates", &writer).await).await;
    assert_eq!(dups["items"], json!([]));

    // History only grows: the merge added entries for both persons and
    // each of the six records it moved.
    let history_merged = app.history_count().await;
    assert_eq!(history_merged, history_before + 2 + 6);

    // The kept person's history shows the merged person's: its
    // detention's start was recorded before the merge.
    let viewer = app.web(Role::Viewer).await;
    let (status, history) = viewer.get(&format!("/persons/{a}/history")).await;
    assert_eq!(status, 200);
    assert!(history.contains("4 August 2011"), "{history}");

    // Undo: both as they were, every record with its own person again.
    let undo = format!(
        "/api/v1/merges/{}/undo",
        merged["id"].as_str().unwrap_or("")
    );
    let response = app.post(&undo, &admin, &json!({})).await;
    assert_eq!(response.status(), 200);
    let (_, undone) = json(response).await;
    assert!(undone["undone_at"].is_string(), "{undone}");
    for (id, before) in [(&a, &a_before), (&b_id, &b_before)] {
        let (status, after) = read(&app, &writer, id).await;
        assert_eq!(status, 200, "{after}");
        assert_eq!(record_ids(&after), record_ids(before));
        for field in ["names", "external_ids", "notes", "region", "status"] {
            assert_eq!(after[field], before[field], "{field}");
        }
        // Each record as hidden as it was.
        for kind in [
            "detentions",
            "charges",
            "sentences",
            "recognitions",
            "sources",
        ] {
            let visibilities = |case: &Value| -> Vec<Value> {
                case[kind]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| r["visibility"].clone())
                    .collect()
            };
            assert_eq!(visibilities(&after), visibilities(before), "{kind}");
        }
    }
    // The kept person is not shown more widely than while the two were
    // one: only a reader decides that.
    assert_eq!(read(&app, &writer, &a).await.1["visibility"], "internal");
    assert_eq!(read(&app, &writer, &b_id).await.1["visibility"], "internal");
    assert!(app.history_count().await > history_merged);
    // Once only.
    assert_eq!(app.post(&undo, &admin, &json!({})).await.status(), 409);
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn undoing_a_merge_keeps_what_changed_since() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let admin = app.token(Role::Admin, TokenScope::Write).await;
    let a = app
        .create("/api/v1/persons", &writer, &person("Maria Kalesnikava"))
        .await;
    let a = a["id"].as_str().expect("an id").to_owned();
    let mut b = person("Марыя Калеснікава");
    b["occupation"] = "Musician".into();
    let b = app.create("/api/v1/persons", &writer, &b).await;
    let b = b["id"].as_str().expect("an id").to_owned();
    let response = merge(&app, &admin, &a, &b).await;
    assert_eq!(response.status(), 201);
    let (_, m) = json(response).await;

    // Since the merge: a name added, the occupation changed, a detention.
    let (_, kept) = read(&app, &writer, &a).await;
    let mut names = kept["names"].clone();
    names
        .as_array_mut()
        .expect("names")
        .push(json!({"name": "Maryja Kalesnikava", "lang": "be-Latn"}));
    let version = kept["version"].as_i64().expect("a version");
    let response = app
        .patch(
            &format!("/api/v1/persons/{a}"),
            &writer,
            version,
            &json!({"names": names, "occupation": "Flautist"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    app.create(
        &format!("/api/v1/persons/{a}/detentions"),
        &writer,
        &json!({"kind": "pre_trial", "started": day("2020-09-07")}),
    )
    .await;

    let undo = format!("/api/v1/merges/{}/undo", m["id"].as_str().unwrap_or(""));
    assert_eq!(app.post(&undo, &admin, &json!({})).await.status(), 200);
    let (_, kept) = read(&app, &writer, &a).await;
    let names = names_of(&kept);
    assert_eq!(names, ["Maria Kalesnikava", "Maryja Kalesnikava"]);
    assert_eq!(kept["occupation"], "Flautist");
    assert_eq!(kept["detentions"].as_array().map(Vec::len), Some(1));
    let (_, back) = read(&app, &writer, &b).await;
    assert_eq!(back["occupation"], "Musician");
    assert_eq!(back["names"][0]["name"], "Марыя Калеснікава");
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn merging_needs_an_admin_current_versions_and_two_persons() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let admin = app.token(Role::Admin, TokenScope::Write).await;
    let reader = app.token(Role::Admin, TokenScope::ReadInternal).await;
    let a = app
        .create("/api/v1/persons", &writer, &person("Ihar Losik"))
        .await;
    let b = app
        .create("/api/v1/persons", &writer, &person("Игорь Лосик"))
        .await;
    let (a, b) = (
        a["id"].as_str().unwrap_or(""),
        b["id"].as_str().unwrap_or(""),
    );

    assert_eq!(merge(&app, &writer, a, b).await.status(), 403, "an editor");
    assert_eq!(
        merge(&app, &reader, a, b).await.status(),
        403,
        "a read token"
    );
    assert_eq!(merge(&app, &admin, a, a).await.status(), 422);
    let nobody = "01900000-0000-7000-8000-000000000000";
    let response = merge_at(&app, &admin, (a, Some(1)), (nobody, 1)).await;
    assert_eq!(response.status(), 404);
    let stale = merge_at(&app, &admin, (a, Some(1)), (b, 7)).await;
    assert_eq!(stale.status(), 412);
    let no_version = merge_at(&app, &admin, (a, None), (b, 1)).await;
    assert_eq!(no_version.status(), 428);
    // Nothing changed on the way.
    assert_eq!(read(&app, &writer, b).await.0, 200);

    // Restricted notes are written only by cleared staff, never a token.
    sqlx::query("UPDATE persons SET restricted_notes = '\\x00'::bytea WHERE id = $1::uuid")
        .bind(b)
        .execute(&app.pool)
        .await
        .expect("sealed notes");
    assert_eq!(
        merge(&app, &admin, a, b).await.status(),
        403,
        "restricted notes"
    );
    sqlx::query("UPDATE persons SET restricted_notes = NULL WHERE id = $1::uuid")
        .bind(b)
        .execute(&app.pool)
        .await
        .expect("no notes");

    let response = merge(&app, &admin, a, b).await;
    assert_eq!(response.status(), 201);
    let (_, m) = json(response).await;
    let at = format!("/api/v1/merges/{}", m["id"].as_str().unwrap_or(""));
    assert_eq!(json(app.get(&at, &reader).await).await.1["kept_id"], a);
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    assert_eq!(app.get(&at, &public).await.status(), 403);
    // The merged person is gone: nothing merges into it, nor it again.
    for (kept, merged) in [(b, a), (a, b)] {
        let response = merge_at(&app, &admin, (kept, Some(2)), (merged, 2)).await;
        assert_eq!(response.status(), 404, "{kept} ← {merged}");
    }
}

#[tokio::test]
async fn staff_merge_from_the_duplicates_page_and_undo_from_the_kept_persons_page() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let a = app
        .create("/api/v1/persons", &writer, &person("Mikalai Statkevich"))
        .await;
    let mut b = person("Мікалай Статкевіч");
    b["birth_date"] = day("1956-08-12");
    let b = app.create("/api/v1/persons", &writer, &b).await;
    let c = app
        .create("/api/v1/persons", &writer, &person("Statkevich Mikalai"))
        .await;
    let (a, b, c) = (
        a["id"].as_str().unwrap_or("").to_owned(),
        b["id"].as_str().unwrap_or("").to_owned(),
        c["id"].as_str().unwrap_or("").to_owned(),
    );

    let editor = app.web(Role::Editor).await;
    let (status, page) = editor.get("/persons/duplicates").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Names written alike: Mikalai Statkevich / Мікалай Статкевіч"),
        "{page}"
    );
    let offered = |x: &str, y: &str| {
        let (x, y) = if x < y { (x, y) } else { (y, x) };
        format!("name=\"a\" value=\"{x}\"><input type=\"hidden\" name=\"b\" value=\"{y}\"")
    };
    assert!(page.contains(&offered(&a, &c)), "{page}");
    // Editors may say two persons are two, not merge.
    assert!(!page.contains("Compare and merge"));
    let (status, _, _) = editor
        .submit(
            "/persons/duplicates",
            "/persons/duplicates/distinct",
            &[("a", &c), ("b", &a)],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _) = editor.get(&format!("/persons/{a}/merge?with={b}")).await;
    assert_eq!(status, 403);

    let admin = app.web(Role::Admin).await;
    let (_, page) = admin.get("/persons/duplicates").await;
    assert!(
        !page.contains(&offered(&a, &c)),
        "a pair said to be two: {page}"
    );
    assert!(page.contains(&offered(&b, &c)), "{page}");
    let compare = format!("/persons/{a}/merge?with=http://x/persons/{b}");
    let (status, page) = admin.get(&compare).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Мікалай Статкевіч") && page.contains("12 August 1956"),
        "{page}"
    );
    // Keep the Cyrillic record.
    let (status, body, location) = admin
        .submit(
            &compare,
            &format!("/persons/{a}/merge"),
            &[
                ("other", &b),
                ("keep", &b),
                ("this_version", "1"),
                ("other_version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location.as_deref(), Some(format!("/persons/{b}").as_str()));
    let (status, _, location) = {
        let response = admin
            .client
            .get(format!("{}/persons/{a}", admin.base))
            .send()
            .await
            .expect("a response");
        let location = response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_owned);
        (response.status().as_u16(), (), location)
    };
    assert_eq!(
        (status, location.as_deref()),
        (307, Some(format!("/persons/{b}").as_str()))
    );
    let (_, page) = admin.get(&format!("/persons/{b}")).await;
    assert!(page.contains("Records merged into this one") && page.contains("Mikalai Statkevich"));
    let (_, history) = admin.get(&format!("/persons/{b}/history")).await;
    assert!(history.contains("merged"), "{history}");

    let undo = page
        .split("action=\"/merges/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an undo form")
        .to_owned();
    // Not without the form's token.
    let (status, _, _) = admin.post_raw(&format!("/merges/{undo}"), &[], &[]).await;
    assert_eq!(status, 403);
    let (status, body, location) = admin
        .submit(&format!("/persons/{b}"), &format!("/merges/{undo}"), &[])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location.as_deref(), Some(format!("/persons/{a}").as_str()));
    assert_eq!(admin.get(&format!("/persons/{a}")).await.0, 200);
    // A stale comparison is shown again, not merged.
    let (status, page, _) = admin
        .submit(
            &compare,
            &format!("/persons/{a}/merge"),
            &[
                ("other", &b),
                ("keep", &a),
                ("this_version", "1"),
                ("other_version", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("was changed since you opened this page"),
        "{page}"
    );
}
