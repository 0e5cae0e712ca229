use docket::domain::{Role, TokenScope};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, error_fields, json, person};

#[tokio::test]
async fn a_person_with_names_in_several_scripts_is_created_and_read_back() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let body = json!({
        "names": [
            {"name": "Ales Bialiatski", "lang": "en", "primary": true, "family": "Bialiatski"},
            {"name": "Алесь Бяляцкі", "lang": "be"},
            {"name": "Алесь Беляцкий", "lang": "ru"}
        ],
        "birth_date": {"date": "1962-09", "precision": "month"},
        "external_ids": [{"system": "viasna", "id": "42"}],
        "visibility": "public",
        "notes": "chair of Viasna"
    });
    let response = app.post("/api/v1/persons", &token, &body).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, "\"1\"");
    let (status, read) = json(app.get(&location, &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(read["names"][1]["name"], "Алесь Бяляцкі");
    assert_eq!(
        read["birth_date"],
        json!({"date": "1962-09", "precision": "month", "approximate": false})
    );
    assert_eq!(read["external_ids"][0]["system"], "viasna");
    assert_eq!(read["status"], "unknown");
    assert_eq!(read["version"], 1);
}

#[tokio::test]
async fn bad_input_is_answered_with_the_right_status_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let before = app.history_count().await;
    let url = format!("{}/api/v1/persons", app.base);

    let malformed = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"names\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.headers()["content-type"],
        "application/problem+json"
    );

    let wrong_type = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_type.status(), 415);

    let huge = "x".repeat(2 * 1024 * 1024);
    let too_large = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"notes\": \"{huge}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), 413);

    let (status, problem) = json(
        app.post(
            "/api/v1/persons",
            &token,
            &json!({"names": [{"name": "A", "lang": "en", "primary": true}], "nickname": "x"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["nickname"]);

    let (status, problem) = json(
        app.post(
            "/api/v1/persons",
            &token,
            &json!({
                "names": [{"name": "A", "lang": "en", "primary": true}],
                "birth_date": {"date": "2021-02-30", "precision": "day"}
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["birth_date"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("2021-02-30")
    );

    let (status, problem) = json(
        app.post(
            "/api/v1/persons",
            &token,
            &json!({
                "names": [{"name": "", "lang": "Belarusian", "primary": false}]
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        error_fields(&problem),
        ["names", "names[0].name", "names[0].lang"]
    );

    assert_eq!(app.history_count().await, before);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM persons")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_merge_patch_needs_the_current_version() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let created = app
        .create("/api/v1/persons", &token, &person("Nina Labkovich"))
        .await;
    let path = format!("/api/v1/persons/{}", created["id"].as_str().unwrap());

    let missing = app
        .request(Method::PATCH, &path, &token)
        .header("content-type", "application/merge-patch+json")
        .body(r#"{"region": "Minsk"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 428);

    let (status, updated) = json(
        app.patch(
            &path,
            &token,
            1,
            &json!({"region": "Minsk", "pronouns": "she/her"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(updated["region"], "Minsk");
    assert_eq!(updated["names"][0]["name"], "Nina Labkovich");
    assert_eq!(updated["version"], 2);

    let stale = app
        .patch(&path, &token, 1, &json!({"region": "Homel"}))
        .await;
    assert_eq!(stale.status(), 412);

    let (status, problem) = json(app.patch(&path, &token, 2, &json!({"version": 7})).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["version"]);

    let cleared = app.patch(&path, &token, 2, &json!({"region": null})).await;
    assert_eq!(cleared.status(), 200);
    let (_, read) = json(app.get(&path, &token).await).await;
    assert_eq!(read["region"], serde_json::Value::Null);
    assert_eq!(read["pronouns"], "she/her");
}

#[tokio::test]
async fn if_match_must_be_the_etag_of_a_read() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let created = app
        .create("/api/v1/persons", &token, &person("Maria Kalesnikava"))
        .await;
    let path = format!("/api/v1/persons/{}", created["id"].as_str().unwrap());
    let patch = |tag: &'static str| {
        app.request(Method::PATCH, &path, &token)
            .header("If-Match", tag)
            .header("content-type", "application/merge-patch+json")
            .body(r#"{"region": "Minsk"}"#)
            .send()
    };

    // `*` names no version: it would overwrite whatever was saved meanwhile.
    let any = patch("*").await.unwrap();
    assert_eq!(any.status(), 428);
    assert_eq!(any.headers()["content-type"], "application/problem+json");
    for malformed in ["1", "\"one\"", "\"1\", \"2\""] {
        let response = patch(malformed).await.unwrap();
        assert_eq!(response.status(), 400, "If-Match: {malformed}");
    }
    let past_any_version = patch("\"99999999999\"").await.unwrap();
    assert_eq!(past_any_version.status(), 412);
    let weakened = patch("W/\"1\"").await.unwrap();
    assert_eq!(weakened.status(), 200, "a proxy may weaken the tag");
}

#[tokio::test]
async fn codes_are_taken_as_written_and_an_empty_one_means_none() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let organization = |country: &str, url: &str| json!({"name": "Viasna", "kind": "ngo", "country": country, "url": url});

    let (status, problem) = json(
        app.post(
            "/api/v1/organizations",
            &token,
            &organization(" BY", " https://spring96.org"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), ["country", "url"]);

    let created = app
        .create("/api/v1/organizations", &token, &organization("", ""))
        .await;
    assert_eq!(created["country"], Value::Null);
    assert_eq!(created["url"], Value::Null);
    let written = app
        .create(
            "/api/v1/organizations",
            &token,
            &organization("BY", "https://spring96.org"),
        )
        .await;
    assert_eq!(written["country"], "BY");
}

#[tokio::test]
async fn a_whole_number_may_carry_a_zero_fraction() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let created = app
        .create("/api/v1/persons", &token, &person("Ihar Losik"))
        .await;
    let path = format!(
        "/api/v1/persons/{}/sentences",
        created["id"].as_str().unwrap()
    );
    let sentence = |months: Value| json!({"kind": "imprisonment", "term_months": months});

    let (status, out) = json(app.post(&path, &token, &sentence(json!(180.0))).await).await;
    assert_eq!(status, 201, "{out}");
    assert_eq!(out["term_months"], 180);
    let (status, problem) = json(app.post(&path, &token, &sentence(json!(180.5))).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["term_months"]);
}

/// seq, action, before, after, face.
type HistoryRow = (
    i64,
    String,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
    String,
);

#[tokio::test]
async fn every_change_writes_a_history_entry_with_before_and_after() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let created = app
        .create("/api/v1/persons", &token, &person("Marfa Rabkova"))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/persons/{id}");
    assert_eq!(
        app.patch(
            &path,
            &token,
            1,
            &json!({"occupation": "volunteer coordinator"})
        )
        .await
        .status(),
        200
    );
    assert_eq!(app.delete(&path, &token, 2).await.status(), 204);

    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT seq, action::text, before, after, face::text FROM history WHERE record_id = $1::uuid ORDER BY seq",
    ).bind(&id).fetch_all(&app.pool).await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(actions, ["create", "update", "archive"]);
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        [1, 2, 3],
        "sequence is gapless"
    );
    assert_eq!(
        rows[1].2.as_ref().unwrap()["occupation"],
        serde_json::Value::Null
    );
    assert_eq!(
        rows[1].3.as_ref().unwrap()["occupation"],
        "volunteer coordinator"
    );
    assert!(rows.iter().all(|r| r.4 == "api"));
    for statement in [
        "UPDATE history SET after = NULL",
        "DELETE FROM history",
        "TRUNCATE history",
    ] {
        let refused = sqlx::query(statement).execute(&app.pool).await;
        assert!(refused.is_err(), "{statement} must be refused");
    }
    assert_eq!(
        app.get(&path, &token).await.status(),
        404,
        "archived persons are gone from the API"
    );
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let app = TestApp::spawn().await;
    let url = format!("{}/api/v1/persons", app.base);
    let none = app.client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let bogus = app
        .client
        .get(&url)
        .bearer_auth("dkt_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(bogus.status(), 401);
    let token = app.writer().await;
    let in_query = app
        .client
        .get(format!("{url}?access_token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(in_query.status(), 400);
}

#[tokio::test]
async fn a_read_token_cannot_write_and_a_viewer_account_limits_a_write_token() {
    let app = TestApp::spawn().await;
    let reader = app.token(Role::Admin, TokenScope::ReadInternal).await;
    assert_eq!(
        app.post("/api/v1/persons", &reader, &person("A"))
            .await
            .status(),
        403
    );
    let viewer_write = app.token(Role::Viewer, TokenScope::Write).await;
    assert_eq!(
        app.post("/api/v1/persons", &viewer_write, &person("A"))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_public_token_sees_public_persons_and_public_fields_only() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let public = app
        .create(
            "/api/v1/persons",
            &writer,
            &json!({
                "names": [{"name": "Public Person", "lang": "en", "primary": true}],
                "visibility": "public", "notes": "internal note",
                "birth_date": {"date": "1980-05-17", "precision": "day"}
            }),
        )
        .await;
    let internal = app
        .create(
            "/api/v1/persons",
            &writer,
            &json!({
                "names": [{"name": "Internal Person", "lang": "en", "primary": true}],
                "visibility": "internal"
            }),
        )
        .await;
    let reader = app.token(Role::Viewer, TokenScope::ReadPublic).await;

    let (status, list) = json(app.get("/api/v1/persons", &reader).await).await;
    assert_eq!(status, 200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], public["id"]);
    assert!(items[0].get("notes").is_none());
    assert_eq!(items[0]["birth_date"]["date"], "1980");

    let hidden = app
        .get(
            &format!("/api/v1/persons/{}", internal["id"].as_str().unwrap()),
            &reader,
        )
        .await;
    assert_eq!(hidden.status(), 404);
    let (_, internal_view) = json(
        app.get(
            &format!("/api/v1/persons/{}", public["id"].as_str().unwrap()),
            &writer,
        )
        .await,
    )
    .await;
    assert_eq!(internal_view["notes"], "internal note");
    assert_eq!(internal_view["birth_date"]["date"], "1980-05-17");
}

#[tokio::test]
async fn a_token_can_neither_read_nor_write_restricted_data() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let (status, _) = json(app.post("/api/v1/persons", &writer, &json!({
        "names": [{"name": "A", "lang": "en", "primary": true}], "restricted_notes": "home address"
    })).await).await;
    assert_eq!(status, 403);
    let (status, problem) = json(
        app.post(
            "/api/v1/persons",
            &writer,
            &json!({
                "names": [{"name": "A", "lang": "en", "primary": true}], "visibility": "restricted"
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["visibility"]);
}

#[tokio::test]
async fn the_list_pages_with_a_cursor_and_filters_by_name() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for name in [
        "Uladzimir Labkovich",
        "Valiantsin Stefanovich",
        "Nina Labkovich",
    ] {
        app.create("/api/v1/persons", &token, &person(name)).await;
    }
    let (_, first) = json(app.get("/api/v1/persons?limit=2", &token).await).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = json(
        app.get(&format!("/api/v1/persons?limit=2&cursor={cursor}"), &token)
            .await,
    )
    .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["next_cursor"], serde_json::Value::Null);

    let (_, found) = json(app.get("/api/v1/persons?q=labkov", &token).await).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 2);

    let (status, problem) = json(app.get("/api/v1/persons?limit=501", &token).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["limit"]);
    let (status, problem) = json(app.get("/api/v1/persons?status=free", &token).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["status"]);
}

#[tokio::test]
async fn restricted_notes_are_stored_encrypted_never_shown_to_a_token_and_kept_by_its_edits() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let created = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = created["id"].as_str().unwrap();
    let marker = "CANARY-home-address-Minsk";
    let sealed = docket::crypto::Cipher::from_secret("test secret")
        .seal(marker)
        .unwrap();
    sqlx::query("UPDATE persons SET restricted_notes = $1 WHERE id = $2::uuid")
        .bind(&sealed)
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let dump: String = sqlx::query_scalar("SELECT p::text FROM persons p WHERE id = $1::uuid")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!dump.contains(marker), "the database holds only ciphertext");

    let path = format!("/api/v1/persons/{id}");
    let read = app.get(&path, &token).await.text().await.unwrap();
    assert!(!read.contains(marker) && !read.contains("restricted_notes"));
    let (status, _) = json(
        app.patch(&path, &token, 1, &json!({"restricted_notes": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let (status, patched) = json(
        app.patch(&path, &token, 1, &json!({"region": "Minsk"}))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert!(!patched.to_string().contains(marker));
    let kept: Vec<u8> =
        sqlx::query_scalar("SELECT restricted_notes FROM persons WHERE id = $1::uuid")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        docket::crypto::Cipher::from_secret("test secret")
            .open(&kept)
            .unwrap(),
        marker
    );
    let history: String = sqlx::query_scalar(
        "SELECT string_agg(coalesce(before::text, '') || after::text, ' ') FROM history",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(
        !history.contains(marker),
        "history keeps restricted values sealed"
    );
    assert_eq!(
        app.request(Method::DELETE, &path, &token)
            .send()
            .await
            .unwrap()
            .status(),
        428
    );
}

#[tokio::test]
async fn nonsensical_list_filters_are_refused_by_name() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for (query, field) in [
        ("q=%00", "q"),
        ("article=%00", "article"),
        ("article_part=3", "article_part"),
        (
            "detained_from=2021-08-01&detained_to=2021-07-01",
            "detained_to",
        ),
        ("colour=red", "colour"),
    ] {
        let (status, problem) =
            json(app.get(&format!("/api/v1/persons?{query}"), &token).await).await;
        assert_eq!(status, 422, "{query}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{query}");
    }
    let (status, _) = json(app.get("/api/v1/articles?number=%00", &token).await).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn every_bad_field_of_a_body_is_named_in_one_answer() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let (status, problem) = json(
        app.post(
            "/api/v1/persons",
            &token,
            &json!({
                "names": [{"name": "A", "lang": "en", "primary": true}],
                "birth_date": {"date": "2021-02-30", "precision": "day"},
                "gender": "unknown",
                "nickname": "x"
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["birth_date", "gender", "nickname"]);

    let p = app.create("/api/v1/persons", &token, &person("B")).await;
    let path = format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap());
    let (status, problem) = json(
        app.post(
            &path,
            &token,
            &json!({
                "kind": "prison", "started": {"date": "2021-13", "precision": "month"}
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let mut fields = error_fields(&problem);
    fields.sort();
    assert_eq!(
        fields,
        ["kind", "started"],
        "required fields taken out are not reported twice"
    );
}

#[tokio::test]
async fn a_list_by_name_comes_in_the_names_order_page_after_page() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for name in ["Zmitser Dashkevich", "Ales Bialiatski", "Maria Kalesnikava"] {
        app.create("/api/v1/persons", &token, &person(name)).await;
    }
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p["names"][0]["name"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let (status, first) = json(app.get("/api/v1/persons?sort=name&limit=2", &token).await).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(names(&first), ["Ales Bialiatski", "Maria Kalesnikava"]);
    let cursor = first["next_cursor"].as_str().expect("another page");
    let (_, second) = json(
        app.get(
            &format!("/api/v1/persons?sort=name&limit=2&cursor={cursor}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(names(&second), ["Zmitser Dashkevich"]);
    assert_eq!(second["next_cursor"], Value::Null);
    // An id order's cursor does not continue a list by name.
    let (_, by_id) = json(app.get("/api/v1/persons?limit=1", &token).await).await;
    let id_cursor = by_id["next_cursor"].as_str().expect("another page");
    let (status, _) = json(
        app.get(
            &format!("/api/v1/persons?sort=name&cursor={id_cursor}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = json(app.get("/api/v1/persons?sort=age", &token).await).await;
    assert_eq!(status, 422);
}
