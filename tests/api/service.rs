//! What every client and operator relies on: health, the API description,
//! problem documents for every failure.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{TestApp, json, person};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
}

#[tokio::test]
async fn an_unreachable_database_answers_503_with_retry_after() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    // Sabotage: the server's pool is closed under it.
    app.server_pool.close().await;
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    let response = app.get("/api/v1/persons", &token).await;
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let (_, problem) = json(response).await;
    assert_eq!(problem["status"], 503);
    assert!(
        !problem.to_string().to_lowercase().contains("pool"),
        "no internals: {problem}"
    );
}

#[tokio::test]
async fn the_api_reference_is_served_from_the_binary_over_the_openapi_document() {
    let app = TestApp::spawn().await;
    let get = |path: &str| app.client.get(format!("{}{path}", app.base)).send();
    let moved = get("/api/docs").await.unwrap();
    assert_eq!(moved.status(), 308);
    assert_eq!(moved.headers()["location"], "/api/docs/");
    let start = get("/api/docs/").await.unwrap();
    assert_eq!(start.status(), 200);
    assert_eq!(start.headers()["content-type"], "text/html");
    let page = start.text().await.unwrap();
    // Its scripts are files of this server: no other site is asked.
    assert!(page.contains("src=\"./swagger-ui-bundle.js\""), "{page}");
    assert!(!page.contains("http"), "{page}");
    let initializer = get("/api/docs/swagger-initializer.js").await.unwrap();
    assert_eq!(initializer.status(), 200);
    assert!(
        initializer
            .text()
            .await
            .unwrap()
            .contains("\"url\": \"/api/v1/openapi.json\"")
    );
    for (file, kind) in [
        ("swagger-ui-bundle.js", "text/javascript"),
        ("swagger-ui.css", "text/css"),
    ] {
        let response = get(&format!("/api/docs/{file}")).await.unwrap();
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers()["content-type"], kind, "{file}");
    }
    assert_eq!(get("/api/docs/nothing.js").await.unwrap().status(), 404);
}

/// The API's OpenAPI document as a server hands it out.
async fn openapi_document() -> serde_json::Value {
    let app = TestApp::spawn().await;
    let (status, doc) = json(
        app.client
            .get(format!("{}/api/v1/openapi.json", app.base))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    doc
}

#[tokio::test]
async fn the_openapi_document_describes_every_resource() {
    let doc = openapi_document().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/persons",
        "/persons/{id}",
        "/persons/{id}/detentions",
        "/detentions/{id}",
        "/persons/{id}/charges",
        "/charges/{id}",
        "/persons/{id}/sentences",
        "/sentences/{id}",
        "/persons/{id}/recognitions",
        "/persons/{id}/affiliations",
        "/persons/{id}/sources",
        "/citations/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is described");
    }
}

#[tokio::test]
async fn the_openapi_document_states_the_rules_a_request_is_checked_against() {
    let doc = openapi_document().await;
    let schemas = &doc["components"]["schemas"];
    let name = &schemas["FacilityFields"]["properties"]["name"];
    assert_eq!(name["minLength"], 1);
    assert_eq!(name["maxLength"], 200);
    assert!(
        name["pattern"].is_string(),
        "blank or control characters: {name}"
    );
    let names = &schemas["PersonFields"]["properties"]["names"];
    assert_eq!(
        (names["minItems"].clone(), names["maxContains"].clone()),
        (json!(1), json!(1))
    );
    let precisions: Vec<&Value> = schemas["PartialDate"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|shape| &shape["properties"]["precision"]["enum"][0])
        .collect();
    assert_eq!(precisions, ["year", "month", "day"]);
    assert_eq!(
        schemas["PersonFields"]["properties"]["visibility"]["enum"],
        json!(["public", "internal"]),
        "a token never marks a record restricted"
    );

    let patch = &doc["paths"]["/persons/{id}"]["patch"];
    let body = &patch["requestBody"]["content"]["application/merge-patch+json"]["schema"];
    assert_eq!(body["$ref"], "#/components/schemas/PersonPatch");
    assert!(schemas["PersonPatch"].get("required").is_none());
    let if_match = &patch["parameters"][1];
    assert_eq!(if_match["name"], "If-Match");
    assert_eq!(if_match["required"], true);
    assert!(if_match["schema"]["pattern"].is_string());
    for status in ["412", "428"] {
        assert!(patch["responses"].get(status).is_some(), "{status}");
    }

    let list = &doc["paths"]["/persons"]["get"]["parameters"];
    for parameter in list.as_array().unwrap() {
        let schema = &parameter["schema"];
        assert!(
            schema["type"] != json!(["string", "null"]) && schema.get("oneOf").is_none(),
            "a query parameter is never null: {parameter}"
        );
    }
}

#[tokio::test]
async fn unknown_addresses_and_methods_answer_with_problems() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let missing = app.get("/api/v1/nothing-here", &token).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers()["content-type"],
        "application/problem+json"
    );
    let not_uuid = app.get("/api/v1/persons/not-a-uuid", &token).await;
    assert_eq!(not_uuid.status(), 404);
    let wrong = app
        .request(Method::PUT, "/api/v1/persons", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 405);
    assert_eq!(wrong.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn a_status_override_wins_from_its_day_and_needs_a_reason() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let path = format!("/api/v1/persons/{}", p["id"].as_str().unwrap());
    let (status, problem) = json(
        app.patch(
            &path,
            &token,
            1,
            &serde_json::json!({"status_override": {"status": "in_exile", "reason": " "}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        crate::support::error_fields(&problem),
        ["status_override.reason"]
    );
    let (status, _) = json(app.patch(&path, &token, 1, &serde_json::json!({"status_override": {
        "status": "in_exile", "reason": "Left the country in 2022 (family)", "since": "2022-03-01"
    }})).await).await;
    assert_eq!(status, 200);
    let (_, before) = json(app.get(&format!("{path}?as_of=2022-02-28"), &token).await).await;
    assert_eq!(before["status"], "unknown");
    let (_, after) = json(app.get(&format!("{path}?as_of=2022-03-01"), &token).await).await;
    assert_eq!(after["status"], "in_exile");
    assert_eq!(
        after["status_override"]["reason"],
        "Left the country in 2022 (family)"
    );
}

#[tokio::test]
async fn every_schema_the_openapi_document_refers_to_is_defined() {
    let doc = openapi_document().await;
    let text = doc.to_string();
    let mut missing = Vec::new();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        if doc["components"]["schemas"].get(name).is_none() {
            missing.push(name.to_owned());
        }
    }
    missing.dedup();
    assert!(missing.is_empty(), "undefined schemas: {missing:?}");
    let kinds = &doc["components"]["schemas"]["DetentionKind"]["enum"];
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("pre_trial")),
        "wire values: {kinds}"
    );
}
