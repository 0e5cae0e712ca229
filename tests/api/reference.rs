use docket::domain::{Role, TokenScope};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, error_fields, json};

fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect()
}

fn numbers(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["number"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_facility_with_a_cyrillic_postal_address_is_created_read_patched_and_archived() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let address = "220030, г. Мінск, вул. Валадарскага, 2";
    let response = app
        .post(
            "/api/v1/facilities",
            &token,
            &json!({
                "name": "Pre-trial detention centre No. 1, Minsk", "kind": "pre_trial_centre",
                "city": "Minsk", "postal_address": address, "notes": "parcels on Tuesdays"
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/api/v1/facilities/"));

    let (status, read) = json(app.get(&location, &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(read["postal_address"], address);
    assert_eq!(read["kind"], "pre_trial_centre");
    assert_eq!(read["notes"], "parcels on Tuesdays");
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (status, seen) = json(app.get(&location, &public).await).await;
    assert_eq!(status, 200, "facilities are public reference data");
    assert_eq!(seen["postal_address"], address);
    assert!(seen.get("notes").is_none(), "notes are internal: {seen}");

    let unconditional = app
        .request(Method::PATCH, &location, &token)
        .json(&json!({"city": "Мінск"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unconditional.status(), 428);
    let (status, patched) = json(
        app.patch(
            &location,
            &token,
            1,
            &json!({"city": "Мінск", "notes": null}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["city"], "Мінск");
    assert_eq!(patched["postal_address"], address, "untouched fields stay");
    assert_eq!(patched["notes"], Value::Null);
    assert_eq!(patched["version"], 2);
    let stale = app
        .patch(&location, &token, 1, &json!({"city": "Minsk"}))
        .await;
    assert_eq!(stale.status(), 412);

    assert_eq!(app.delete(&location, &token, 2).await.status(), 204);
    assert_eq!(app.get(&location, &token).await.status(), 404);
    let (_, list) = json(app.get("/api/v1/facilities", &token).await).await;
    assert!(ids(&list).is_empty(), "archived facilities leave the list");
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action::text FROM history WHERE record_type = 'facility' ORDER BY seq",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["create", "update", "archive"]);
}

#[tokio::test]
async fn bad_reference_data_is_refused_field_by_field_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let before = app.history_count().await;
    for (path, body, field) in [
        ("/api/v1/facilities", json!({"name": "  "}), "name"),
        (
            "/api/v1/facilities",
            json!({"name": "A", "address": "x"}),
            "address",
        ),
        (
            "/api/v1/organizations",
            json!({"name": "Viasna", "country": "by"}),
            "country",
        ),
        (
            "/api/v1/organizations",
            json!({"name": "Viasna", "country": "BLR"}),
            "country",
        ),
        (
            "/api/v1/organizations",
            json!({"name": "Viasna", "country": "XX"}),
            "country",
        ),
        (
            "/api/v1/organizations",
            json!({"name": "Viasna", "url": "javascript:alert(1)"}),
            "url",
        ),
        (
            "/api/v1/sources",
            json!({"title": "Verdict", "url": "spring96.org/en"}),
            "url",
        ),
        ("/api/v1/sources", json!({"title": ""}), "title"),
        (
            "/api/v1/cases",
            json!({"opened": {"date": "2021-13", "precision": "month"}}),
            "opened",
        ),
    ] {
        let (status, problem) = json(app.post(path, &token, &body).await).await;
        assert_eq!(status, 422, "{path} {body}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{path} {body}");
    }
    assert_eq!(app.history_count().await, before);

    let org = app
        .create(
            "/api/v1/organizations",
            &token,
            &json!({"name": "Viasna", "kind": "ngo", "country": "BY", "url": "https://spring96.org"}),
        )
        .await;
    assert_eq!(org["country"], "BY");
    let path = format!("/api/v1/organizations/{}", org["id"].as_str().unwrap());
    let (status, problem) = json(app.patch(&path, &token, 1, &json!({"name": ""})).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["name"]);
}

#[tokio::test]
async fn a_public_token_sees_public_sources_but_not_internal_ones() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let internal = app
        .create(
            "/api/v1/sources",
            &token,
            &json!({"title": "Letter from the colony", "kind": "witness"}),
        )
        .await;
    assert_eq!(
        internal["visibility"], "internal",
        "sources are internal by default"
    );
    let published = app
        .create(
            "/api/v1/sources",
            &token,
            &json!({
                "title": "Verdict in the Viasna case", "kind": "article", "visibility": "public",
                "publisher": "Viasna", "url": "https://spring96.org/en/news/110744",
                "published": {"date": "2023-03", "precision": "month"}, "notes": "checked"
            }),
        )
        .await;
    let internal_path = format!("/api/v1/sources/{}", internal["id"].as_str().unwrap());
    let public_path = format!("/api/v1/sources/{}", published["id"].as_str().unwrap());

    let public = app.token(Role::Admin, TokenScope::ReadPublic).await;
    assert_eq!(app.get(&internal_path, &public).await.status(), 404);
    let (status, seen) = json(app.get(&public_path, &public).await).await;
    assert_eq!(status, 200);
    assert_eq!(seen["published"]["date"], "2023-03");
    assert!(seen.get("notes").is_none(), "notes are internal: {seen}");
    let (_, list) = json(app.get("/api/v1/sources", &public).await).await;
    assert_eq!(ids(&list), [published["id"].as_str().unwrap()]);

    let reader = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let (_, list) = json(app.get("/api/v1/sources", &reader).await).await;
    assert_eq!(ids(&list).len(), 2);
    let (_, found) = json(app.get("/api/v1/sources?q=VERDICT", &reader).await).await;
    assert_eq!(ids(&found), [published["id"].as_str().unwrap()]);
}

#[tokio::test]
async fn read_tokens_cannot_create_reference_data() {
    let app = TestApp::spawn().await;
    let public = app.token(Role::Admin, TokenScope::ReadPublic).await;
    let internal = app.token(Role::Editor, TokenScope::ReadInternal).await;
    for (path, body) in [
        ("/api/v1/facilities", json!({"name": "Penal colony No. 4"})),
        ("/api/v1/organizations", json!({"name": "Viasna"})),
        ("/api/v1/sources", json!({"title": "Verdict"})),
        ("/api/v1/cases", json!({"description": "The Viasna case"})),
    ] {
        assert_eq!(app.post(path, &public, &body).await.status(), 403, "{path}");
        assert_eq!(
            app.post(path, &internal, &body).await.status(),
            403,
            "{path}"
        );
    }
    assert_eq!(app.history_count().await, 0);
}

#[tokio::test]
async fn criminal_cases_are_hidden_from_a_public_token_and_shown_to_an_internal_one() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let case = app
        .create(
            "/api/v1/cases",
            &token,
            &json!({
                "number": "21-1-0123", "opened": {"date": "2021-07", "precision": "month"},
                "authority": "Investigative Committee", "description": "The Viasna case"
            }),
        )
        .await;
    let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());

    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    assert_eq!(app.get(&path, &public).await.status(), 404);
    let (_, found) = json(app.get("/api/v1/cases?q=Viasna", &public).await).await;
    assert!(ids(&found).is_empty(), "cases are internal as a whole");

    let reader = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let (_, read) = json(app.get(&path, &reader).await).await;
    assert_eq!(read["number"], "21-1-0123");
    let (_, found) = json(app.get("/api/v1/cases?q=0123", &reader).await).await;
    assert_eq!(ids(&found).len(), 1);
}

#[tokio::test]
async fn the_facility_list_pages_and_takes_wildcards_in_a_search_literally() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for name in ["Penal colony No. 3", "PENAL COLONY No. 4", "Colony 100%_x"] {
        app.create("/api/v1/facilities", &token, &json!({"name": name}))
            .await;
    }
    let (_, first) = json(app.get("/api/v1/facilities?limit=2", &token).await).await;
    assert_eq!(ids(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = json(
        app.get(
            &format!("/api/v1/facilities?limit=2&cursor={cursor}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(ids(&second).len(), 1);
    assert_eq!(second["next_cursor"], Value::Null);

    for (q, found) in [("penal colony", 2), ("%25", 1), ("_", 1), ("colony", 3)] {
        let (_, page) = json(app.get(&format!("/api/v1/facilities?q={q}"), &token).await).await;
        assert_eq!(ids(&page).len(), found, "q={q}");
    }
    let (status, problem) = json(app.get("/api/v1/facilities?cursor=x", &token).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["cursor"]);
}

#[tokio::test]
async fn the_article_catalogue_finds_article_342_of_the_criminal_code_by_number() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (status, page) = json(app.get("/api/v1/articles?number=342", &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(numbers(&page), ["342"]);
    let article = &page["items"][0];
    assert_eq!(article["code"], "criminal_code");
    assert!(
        article["title_ru"]
            .as_str()
            .unwrap()
            .starts_with("Организация")
    );
    assert_eq!(article["in_force"][0]["from"], "2001-01-01");
    assert_eq!(article["in_force"][0]["until"], Value::Null);

    let path = format!("/api/v1/articles/{}", article["id"].as_str().unwrap());
    let (status, read) = json(app.get(&path, &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(&read, article);

    let (_, none) = json(app.get("/api/v1/articles?number=34", &token).await).await;
    assert!(numbers(&none).is_empty(), "the number matches exactly");
    let (_, riots) = json(app.get("/api/v1/articles?number=293", &token).await).await;
    let parts: Vec<&Value> = riots["items"][0]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(
        parts.iter().map(|p| &p["part"]).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    let (_, found) = json(app.get("/api/v1/articles?q=хулиганство", &token).await).await;
    let mut found = numbers(&found);
    found.sort();
    assert_eq!(found, ["17.1", "19.1", "339"], "any case, any language");
}

#[tokio::test]
async fn articles_of_the_two_administrative_codes_are_linked_by_the_same_offence() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let (_, old) = json(app.get("/api/v1/articles?number=23.34", &token).await).await;
    let (_, new) = json(app.get("/api/v1/articles?number=24.23", &token).await).await;
    let (old, new) = (&old["items"][0], &new["items"][0]);
    assert_eq!(old["code"], "administrative_code_2003");
    assert_eq!(new["code"], "administrative_code_2021");
    assert_eq!(old["offence"], "mass_event_rules");
    assert_eq!(old["offence"], new["offence"]);
    assert_eq!(old["in_force"][0]["until"], "2021-03-01");
    assert_eq!(new["in_force"][0]["from"], "2021-03-01");

    let code = "/api/v1/articles?code=administrative_code_2021&limit=3";
    let (_, first) = json(app.get(code, &token).await).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = json(app.get(&format!("{code}&cursor={cursor}"), &token).await).await;
    assert_eq!(numbers(&first).len() + numbers(&second).len(), 4);
    assert_eq!(second["next_cursor"], Value::Null);
    let (status, problem) = json(app.get("/api/v1/articles?code=penal", &token).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["code"]);
}
