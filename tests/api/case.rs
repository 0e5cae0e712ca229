//! A whole case: charges, sentences, recognitions, affiliations, citations,
//! and the person read that embeds them.

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, day, error_fields, json, person};

pub async fn article(app: &TestApp, number: &str) -> String {
    let id: Uuid =
        sqlx::query_scalar("SELECT id FROM articles WHERE code = 'criminal_code' AND number = $1")
            .bind(number)
            .fetch_one(&app.pool)
            .await
            .expect("the catalogue has the article");
    id.to_string()
}

pub async fn organization(app: &TestApp, name: &str) -> String {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO organizations (id, name, kind) VALUES ($1, $2, 'ngo')")
        .bind(id)
        .bind(name)
        .execute(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

pub async fn source(app: &TestApp, title: &str, visibility: &str) -> String {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO sources (id, title, visibility) VALUES ($1, $2, $3::visibility)")
        .bind(id)
        .bind(title)
        .bind(visibility)
        .execute(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn a_whole_case_is_recorded_and_read_in_one_request() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app
        .create("/api/v1/persons", &token, &person("Ales Bialiatski"))
        .await;
    let id = p["id"].as_str().unwrap();
    let viasna = organization(&app, "Viasna").await;
    let ua = source(&app, "Urgent Action 85.21", "public").await;

    let d = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14")}),
        )
        .await;
    let c = app.create(&format!("/api/v1/persons/{id}/charges"), &token, &json!({
        "article_id": article(&app, "342").await, "detention_id": d["id"], "status": "convicted",
        "filed": {"date": "2021-07", "precision": "month"}
    })).await;
    assert_eq!(c["article"]["number"], "342");
    let s = app.create(&format!("/api/v1/persons/{id}/sentences"), &token, &json!({
        "kind": "imprisonment", "term_months": 120, "regime": "reinforced",
        "pronounced": day("2023-03-03"), "charge_ids": [c["id"]], "court": "Minsk City Court"
    })).await;
    assert_eq!(s["charge_ids"], json!([c["id"]]));
    app.create(&format!("/api/v1/persons/{id}/recognitions"), &token,
        &json!({"organization_id": viasna, "since": {"date": "2021-07", "precision": "month"}, "source_id": ua})).await;
    app.create(
        &format!("/api/v1/persons/{id}/affiliations"),
        &token,
        &json!({"organization_id": viasna, "role": "chair"}),
    )
    .await;
    let cite = app
        .create(
            &format!("/api/v1/detentions/{}/sources", d["id"].as_str().unwrap()),
            &token,
            &json!({"source_id": ua, "note": "arrest date"}),
        )
        .await;
    assert_eq!(cite["detention_id"], d["id"]);
    app.create(
        &format!("/api/v1/persons/{id}/sources"),
        &token,
        &json!({"source_id": ua}),
    )
    .await;

    let (status, case) = json(
        app.get(&format!("/api/v1/persons/{id}?as_of=2024-01-01"), &token)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(case["status"], "imprisoned", "sentenced while held");
    assert_eq!(case["detentions"][0]["id"], d["id"]);
    assert_eq!(case["charges"][0]["article"]["number"], "342");
    assert_eq!(case["sentences"][0]["term_months"], 120);
    assert_eq!(case["recognitions"][0]["organization"]["name"], "Viasna");
    assert_eq!(case["affiliations"][0]["role"], "chair");
    assert_eq!(case["sources"].as_array().unwrap().len(), 2);
    assert_eq!(case["sources"][0]["source"]["title"], "Urgent Action 85.21");

    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, seen) = json(app.get(&format!("/api/v1/persons/{id}"), &public).await).await;
    assert!(
        seen.get("affiliations").is_none(),
        "affiliations are internal"
    );
    assert!(seen["sources"][0].get("note").is_none());
    assert_eq!(seen["charges"][0].get("case"), None);
}

#[tokio::test]
async fn a_sentence_needs_a_term_and_only_covers_the_persons_own_charges() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let a = app.create("/api/v1/persons", &token, &person("A")).await;
    let b = app.create("/api/v1/persons", &token, &person("B")).await;
    let charge_of_b = app
        .create(
            &format!("/api/v1/persons/{}/charges", b["id"].as_str().unwrap()),
            &token,
            &json!({"article_id": article(&app, "339").await, "part": "1"}),
        )
        .await;
    let sentences = format!("/api/v1/persons/{}/sentences", a["id"].as_str().unwrap());

    let (status, problem) = json(
        app.post(&sentences, &token, &json!({"kind": "imprisonment"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["term_months"]);

    let (status, problem) = json(app.post(&sentences, &token,
        &json!({"kind": "administrative_arrest", "term_days": 15, "charge_ids": [charge_of_b["id"]]})).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["charge_ids"]);

    let fine = app
        .create(
            &sentences,
            &token,
            &json!({
                "kind": "fine", "fine_basic_units": 40, "fine_amount": "920", "currency": "BYN"
            }),
        )
        .await;
    assert_eq!(fine["fine_amount"], "920.00");
}

#[tokio::test]
async fn a_charge_under_an_unknown_article_or_another_persons_detention_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let a = app.create("/api/v1/persons", &token, &person("A")).await;
    let b = app.create("/api/v1/persons", &token, &person("B")).await;
    let d_of_b = app
        .create(
            &format!("/api/v1/persons/{}/detentions", b["id"].as_str().unwrap()),
            &token,
            &json!({"kind": "short_term", "started": day("2021-07-14")}),
        )
        .await;
    let charges = format!("/api/v1/persons/{}/charges", a["id"].as_str().unwrap());
    let (status, problem) = json(
        app.post(&charges, &token, &json!({"article_id": Uuid::now_v7()}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["article_id"]);
    let (status, problem) = json(
        app.post(
            &charges,
            &token,
            &json!({"article_id": article(&app, "342").await, "detention_id": d_of_b["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["detention_id"]);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM charges")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_internal_source_cited_publicly_stays_hidden_from_public_readers() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let witness = source(&app, "Family member, by phone", "internal").await;
    let cite = app
        .create(
            &format!("/api/v1/persons/{id}/sources"),
            &token,
            &json!({"source_id": witness}),
        )
        .await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, seen) = json(app.get(&format!("/api/v1/persons/{id}"), &public).await).await;
    assert_eq!(seen["sources"], json!([]));
    assert_eq!(
        app.get(
            &format!("/api/v1/citations/{}", cite["id"].as_str().unwrap()),
            &public
        )
        .await
        .status(),
        404
    );
    assert!(!seen.to_string().contains("Family member"));
}

#[tokio::test]
async fn children_of_a_hidden_person_are_hidden_too() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &json!({
        "names": [{"name": "Internal", "lang": "en", "primary": true}], "visibility": "internal"
    })).await;
    let d = app
        .create(
            &format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap()),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14"), "visibility": "public"}),
        )
        .await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    assert_eq!(
        app.get(
            &format!("/api/v1/detentions/{}", d["id"].as_str().unwrap()),
            &public
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap()),
            &public,
            &json!({"kind": "pre_trial", "started": day("2021-07-14")})
        )
        .await
        .status(),
        403
    );
}

async fn facility(app: &TestApp, name: &str) -> String {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO facilities (id, name, kind) VALUES ($1, $2, 'pre_trial_centre')")
        .bind(id)
        .bind(name)
        .execute(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn the_person_list_filters_by_article_facility_organisation_recognition_and_dates() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let sizo = facility(&app, "Valadarskaha").await;
    let viasna = organization(&app, "Viasna").await;
    let held = app
        .create("/api/v1/persons", &token, &person("Held Person"))
        .await;
    let other = app
        .create("/api/v1/persons", &token, &person("Other Person"))
        .await;
    let held_id = held["id"].as_str().unwrap();
    app.create(
        &format!("/api/v1/persons/{held_id}/detentions"),
        &token,
        &json!({
            "kind": "pre_trial", "started": day("2021-07-17"), "ended": day("2021-07-23"),
            "end_reason": "released", "facility_id": sizo
        }),
    )
    .await;
    app.create(
        &format!("/api/v1/persons/{held_id}/charges"),
        &token,
        &json!({"article_id": article(&app, "293").await, "part": "3"}),
    )
    .await;
    app.create(
        &format!("/api/v1/persons/{held_id}/recognitions"),
        &token,
        &json!({"organization_id": viasna, "since": day("2021-07-20")}),
    )
    .await;
    app.create(
        &format!(
            "/api/v1/persons/{}/detentions",
            other["id"].as_str().unwrap()
        ),
        &token,
        &json!({"kind": "short_term", "started": day("2017-03-25"), "ended": day("2017-03-28")}),
    )
    .await;

    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for (query, expected) in [
        ("article=293&article_part=3", vec![held_id]),
        ("article=293&article_part=1", vec![]),
        ("article=342", vec![]),
        (&format!("facility={sizo}") as &str, vec![held_id]),
        (&format!("organization={viasna}"), vec![held_id]),
        ("recognized=true&as_of=2021-07-21", vec![held_id]),
        ("recognized=true&as_of=2021-07-19", vec![]),
        (
            "detained_from=2021-07-01&detained_to=2021-07-31",
            vec![held_id],
        ),
        (
            "detained_from=2017-01-01&detained_to=2017-12-31",
            vec![other["id"].as_str().unwrap()],
        ),
        ("detained_from=2019-01-01&detained_to=2019-12-31", vec![]),
    ] {
        let (status, page) = json(app.get(&format!("/api/v1/persons?{query}"), &token).await).await;
        assert_eq!(status, 200, "{query}: {page}");
        assert_eq!(ids(&page), expected, "{query}");
    }
    let (_, recent) = json(
        app.get("/api/v1/persons?updated_since=2000-01-01T00:00:00Z", &token)
            .await,
    )
    .await;
    assert_eq!(ids(&recent).len(), 2);
    let (_, future) = json(
        app.get("/api/v1/persons?updated_since=2999-01-01T00:00:00Z", &token)
            .await,
    )
    .await;
    assert!(ids(&future).is_empty());
    let (status, problem) = json(app.get("/api/v1/persons?as_of=2021-02-30", &token).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["as_of"]);
}

#[tokio::test]
async fn an_administrative_arrest_of_2017_is_found_by_the_2021_article_for_the_same_offence() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let old: Uuid = sqlx::query_scalar(
        "SELECT id FROM articles WHERE code = 'administrative_code_2003' AND number = '23.34'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("23.34 is in the catalogue");
    app.create(
        &format!("/api/v1/persons/{}/charges", p["id"].as_str().unwrap()),
        &token,
        &json!({"article_id": old, "status": "convicted"}),
    )
    .await;
    let (_, page) = json(app.get("/api/v1/persons?article=24.23", &token).await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_record_cannot_point_to_an_archived_facility_or_a_source_the_writer_cannot_see() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let facility = app
        .create(
            "/api/v1/facilities",
            &token,
            &json!({"name": "Closed centre"}),
        )
        .await;
    let path = format!("/api/v1/facilities/{}", facility["id"].as_str().unwrap());
    assert_eq!(app.delete(&path, &token, 1).await.status(), 204);
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let (status, problem) = json(
        app.post(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({
                "kind": "pre_trial", "started": day("2021-07-14"), "facility_id": facility["id"]
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["facility_id"]);

    let secret = source(&app, "Confidential witness", "restricted").await;
    let (status, problem) = json(
        app.post(
            &format!("/api/v1/persons/{id}/sources"),
            &token,
            &json!({"source_id": secret}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["source_id"]);
    assert_eq!(
        problem["errors"][0]["message"], "no such source",
        "the same answer as for no source at all"
    );
}

#[tokio::test]
async fn a_citation_is_no_more_visible_than_its_record_and_goes_with_it() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let ua = source(&app, "Urgent Action 85.21", "public").await;
    let hidden = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14"), "visibility": "internal"}),
        )
        .await;
    let hidden_id = hidden["id"].as_str().unwrap();
    let cite = app
        .create(
            &format!("/api/v1/detentions/{hidden_id}/sources"),
            &token,
            &json!({"source_id": ua, "visibility": "public"}),
        )
        .await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, seen) = json(app.get(&format!("/api/v1/persons/{id}"), &public).await).await;
    assert_eq!(
        seen["sources"],
        json!([]),
        "the citation would reveal the internal detention"
    );
    assert!(!seen.to_string().contains(hidden_id));
    let cite_path = format!("/api/v1/citations/{}", cite["id"].as_str().unwrap());
    assert_eq!(app.get(&cite_path, &public).await.status(), 404);

    assert_eq!(
        app.delete(&format!("/api/v1/detentions/{hidden_id}"), &token, 1)
            .await
            .status(),
        204
    );
    let (_, after) = json(app.get(&format!("/api/v1/persons/{id}"), &token).await).await;
    assert_eq!(
        after["sources"],
        json!([]),
        "citations of an archived record are gone too"
    );
    assert_eq!(app.get(&cite_path, &token).await.status(), 404);
}

#[tokio::test]
async fn a_public_record_does_not_point_public_readers_to_hidden_ones() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let hidden = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14"), "visibility": "internal"}),
        )
        .await;
    let charge = app
        .create(
            &format!("/api/v1/persons/{id}/charges"),
            &token,
            &json!({"article_id": article(&app, "342").await, "detention_id": hidden["id"]}),
        )
        .await;
    assert_eq!(charge["detention_id"], hidden["id"]);
    let witness = source(&app, "Internal statement", "internal").await;
    let viasna = organization(&app, "Viasna").await;
    app.create(
        &format!("/api/v1/persons/{id}/recognitions"),
        &token,
        &json!({"organization_id": viasna, "source_id": witness}),
    )
    .await;

    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, seen) = json(app.get(&format!("/api/v1/persons/{id}"), &public).await).await;
    assert_eq!(seen["charges"][0]["detention_id"], Value::Null);
    assert_eq!(seen["recognitions"][0]["source_id"], Value::Null);
    let text = seen.to_string();
    assert!(!text.contains(hidden["id"].as_str().unwrap()) && !text.contains(&witness));
}

#[tokio::test]
async fn a_patched_citation_stays_on_its_record_and_history_says_which() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let d = app
        .create(
            &format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap()),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14")}),
        )
        .await;
    let ua = source(&app, "Urgent Action 85.21", "public").await;
    let cite = app
        .create(
            &format!("/api/v1/detentions/{}/sources", d["id"].as_str().unwrap()),
            &token,
            &json!({"source_id": ua}),
        )
        .await;
    let path = format!("/api/v1/citations/{}", cite["id"].as_str().unwrap());
    let (status, patched) = json(
        app.patch(&path, &token, 1, &json!({"note": "date of arrest"}))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(patched["detention_id"], d["id"]);
    let (status, problem) = json(
        app.patch(&path, &token, 2, &json!({"target": "person"}))
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let after: Value = sqlx::query_scalar(
        "SELECT after FROM history WHERE record_id = $1::uuid AND action = 'update'",
    )
    .bind(cite["id"].as_str().unwrap())
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(after["cited_for"]["record_type"], "detention");
    assert_eq!(after["cited_for"]["record_id"], d["id"]);
    assert_eq!(after["note"], "date of arrest");
}

#[tokio::test]
async fn a_token_patch_neither_reveals_nor_cuts_links_to_records_it_cannot_see() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let d = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14")}),
        )
        .await;
    let c1 = app
        .create(
            &format!("/api/v1/persons/{id}/charges"),
            &token,
            &json!({"article_id": article(&app, "342").await, "detention_id": d["id"]}),
        )
        .await;
    let c2 = app
        .create(
            &format!("/api/v1/persons/{id}/charges"),
            &token,
            &json!({"article_id": article(&app, "293").await}),
        )
        .await;
    let c3 = app
        .create(
            &format!("/api/v1/persons/{id}/charges"),
            &token,
            &json!({"article_id": article(&app, "339").await}),
        )
        .await;
    let s = app.create(&format!("/api/v1/persons/{id}/sentences"), &token, &json!({
        "kind": "imprisonment", "term_months": 60, "charge_ids": [c1["id"], c2["id"], c3["id"]]
    })).await;
    // Cleared staff restrict one charge and the detention; another charge is archived.
    for (table, record) in [("charges", &c2), ("detentions", &d)] {
        sqlx::query(&format!(
            "UPDATE {table} SET visibility = 'restricted' WHERE id = $1::uuid"
        ))
        .bind(record["id"].as_str().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    }
    assert_eq!(
        app.delete(
            &format!("/api/v1/charges/{}", c3["id"].as_str().unwrap()),
            &token,
            1
        )
        .await
        .status(),
        204
    );

    let sentence = format!("/api/v1/sentences/{}", s["id"].as_str().unwrap());
    let (status, read) = json(app.get(&sentence, &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(
        read["charge_ids"],
        json!([c1["id"]]),
        "hidden and archived charges are not pointed to"
    );
    let (status, patched) = json(
        app.patch(&sentence, &token, 1, &json!({"court": "Minsk City Court"}))
            .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    let (status, _) = json(
        app.patch(&sentence, &token, 2, &json!({"charge_ids": [c1["id"]]}))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let kept: i64 =
        sqlx::query_scalar("SELECT count(*) FROM sentence_charges WHERE sentence_id = $1::uuid")
            .bind(s["id"].as_str().unwrap())
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(kept, 3, "the links to hidden and archived charges stay");

    let charge = format!("/api/v1/charges/{}", c1["id"].as_str().unwrap());
    let (status, read) = json(
        app.patch(
            &charge,
            &token,
            1,
            &json!({"detention_id": null, "status": "convicted"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(read["detention_id"], Value::Null);
    let link: Option<Uuid> =
        sqlx::query_scalar("SELECT detention_id FROM charges WHERE id = $1::uuid")
            .bind(c1["id"].as_str().unwrap())
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        link.map(|u| u.to_string()).as_deref(),
        d["id"].as_str(),
        "the restricted link stays"
    );
}

#[tokio::test]
async fn a_public_affiliation_does_not_make_a_person_findable_by_organisation_for_public_readers() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let org = organization(&app, "Strike committee").await;
    app.create(
        &format!("/api/v1/persons/{}/affiliations", p["id"].as_str().unwrap()),
        &token,
        &json!({"organization_id": org, "role": "member", "visibility": "public"}),
    )
    .await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, page) = json(
        app.get(&format!("/api/v1/persons?organization={org}"), &public)
            .await,
    )
    .await;
    assert_eq!(page["items"], json!([]));
    let (_, page) = json(
        app.get(&format!("/api/v1/persons?organization={org}"), &token)
            .await,
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}
