//! Exports: NDJSON of whole cases and a zip of CSV tables, of what the
//! token may see only, filtered as the person list, and logged.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};

use crate::case::article;
use crate::support::{TestApp, day, error_fields, json, person};

/// A public case with a detention, a charge under Art. 342 and a sentence
/// for it, a public source cited, internal notes; an internal person; an
/// archived person. Returns the public person's id.
pub(crate) async fn registry(app: &TestApp, token: &str) -> String {
    let mut body = person("Maria Kalesnikava");
    body["notes"] = "Internal note".into();
    body["external_ids"] = json!([{"system": "viasna", "id": "42"}]);
    let p = app.create("/api/v1/persons", token, &body).await;
    let id = p["id"].as_str().unwrap().to_owned();
    let d = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            token,
            &json!({"kind": "pre_trial", "started": day("2020-09-08"), "authority": "KGB"}),
        )
        .await;
    let c = app
        .create(
            &format!("/api/v1/persons/{id}/charges"),
            token,
            &json!({"article_id": article(app, "342").await, "status": "convicted",
                    "detention_id": d["id"]}),
        )
        .await;
    app.create(
        &format!("/api/v1/persons/{id}/sentences"),
        token,
        &json!({"kind": "imprisonment", "pronounced": day("2021-09-06"), "term_months": 132,
                "charge_ids": [c["id"]]}),
    )
    .await;
    let source = app
        .create(
            "/api/v1/sources",
            token,
            &json!({"title": "Verdict", "visibility": "public"}),
        )
        .await;
    app.create(
        &format!("/api/v1/detentions/{}/sources", d["id"].as_str().unwrap()),
        token,
        &json!({"source_id": source["id"]}),
    )
    .await;
    let mut hidden = person("Internal Person");
    hidden["visibility"] = "internal".into();
    app.create("/api/v1/persons", token, &hidden).await;
    let gone = app
        .create("/api/v1/persons", token, &person("Archived Person"))
        .await;
    app.delete(
        &format!("/api/v1/persons/{}", gone["id"].as_str().unwrap()),
        token,
        1,
    )
    .await;
    id
}

async fn export(app: &TestApp, token: &str, query: &str) -> (u16, String, Vec<u8>) {
    let response = app.get(&format!("/api/v1/export?{query}"), token).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.bytes().await.expect("the whole export").to_vec();
    (status, content_type, body)
}

fn lines(body: &[u8]) -> Vec<Value> {
    std::str::from_utf8(body)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The CSV files of a zip export: name → rows, the header first.
fn tables(body: &[u8]) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(body)).expect("a zip");
    let mut tables = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("a file");
        let mut text = String::new();
        file.read_to_string(&mut text).expect("utf-8");
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
            .collect();
        let name = file.name().expect("a name").into_owned();
        tables.insert(name, rows);
    }
    tables
}

/// A table's rows as maps from header to cell.
fn rows(tables: &BTreeMap<String, Vec<Vec<String>>>, name: &str) -> Vec<BTreeMap<String, String>> {
    let table = &tables[name];
    table[1..]
        .iter()
        .map(|row| table[0].iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

#[tokio::test]
async fn an_ndjson_export_holds_every_case_the_token_sees_as_the_api_reads_it() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let id = registry(&app, &writer).await;
    let internal = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;

    let (status, content_type, body) = export(&app, &internal, "format=ndjson").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/x-ndjson");
    let all = lines(&body);
    let kinds: Vec<&str> = all.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["source", "person", "person"],
        "reference data first"
    );
    for line in all.iter().filter(|l| l["kind"] == "person") {
        let path = format!("/api/v1/persons/{}", line["record"]["id"].as_str().unwrap());
        let (_, now) = json(app.get(&path, &internal).await).await;
        assert_eq!(line["record"], now, "{path} as the API reads it");
    }
    let case = &all[1]["record"];
    assert_eq!(case["id"], id.as_str());
    assert_eq!(case["notes"], "Internal note");
    assert_eq!(case["sentences"][0]["term_months"], 132);

    let (_, _, body) = export(&app, &public, "format=ndjson").await;
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(!text.contains("Internal"), "nothing internal: {text}");
    assert!(!text.contains("Archived"), "nothing archived");
    assert!(!text.contains("KGB"), "no internal field");
    assert_eq!(lines(&body).len(), 2, "the source and the public case");

    // Logged as begun and as ended: who, the filter, the rows, complete.
    let logged: Vec<Value> =
        sqlx::query_scalar("SELECT detail FROM security_log WHERE event = 'export' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(logged.len(), 4);
    assert_eq!(logged[0]["begun"], true);
    assert_eq!(logged[0]["filter"], json!({"format": "ndjson"}));
    assert_eq!(logged[1]["rows"], 3);
    assert_eq!(logged[1]["format"], "ndjson");
    assert_eq!(logged[1]["complete"], true);
    assert_eq!(logged[3]["rows"], 2);
}

#[tokio::test]
async fn a_csv_export_is_a_zip_of_every_table_with_stable_columns_and_the_ids_to_join_them() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;

    // An empty registry: every table, headers only.
    let (status, content_type, body) = export(&app, &public, "format=csv").await;
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/zip");
    let empty = tables(&body);
    let names: Vec<&str> = empty.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "affiliations.csv",
            "cases.csv",
            "charges.csv",
            "citations.csv",
            "detentions.csv",
            "external_ids.csv",
            "facilities.csv",
            "names.csv",
            "organizations.csv",
            "persons.csv",
            "recognitions.csv",
            "sentence_charges.csv",
            "sentences.csv",
            "sources.csv",
        ]
    );
    assert!(empty.values().all(|rows| rows.len() == 1));
    assert_eq!(
        empty["detentions.csv"][0],
        [
            "id",
            "person_id",
            "kind",
            "started",
            "started_precision",
            "started_approximate",
            "ended",
            "ended_precision",
            "ended_approximate",
            "facility_id",
            "authority",
            "end_reason",
            "notes",
            "visibility",
            "version",
            "created_at",
            "updated_at"
        ]
    );

    let id = registry(&app, &writer).await;
    let internal = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let (_, _, body) = export(&app, &internal, "format=csv").await;
    let full = tables(&body);
    for (name, rows) in &full {
        assert_eq!(rows[0], empty[name][0], "{name}: the same columns");
    }
    let persons = rows(&full, "persons.csv");
    assert_eq!(persons.len(), 2, "the archived person is not exported");
    let p = persons.iter().find(|p| p["id"] == id).unwrap();
    assert_eq!(p["notes"], "Internal note");
    assert_eq!(p["status"], "imprisoned");
    let names = rows(&full, "names.csv");
    assert!(
        names
            .iter()
            .any(|n| n["person_id"] == id && n["name"] == "Maria Kalesnikava")
    );
    let ext = rows(&full, "external_ids.csv");
    assert_eq!(ext[0]["external_id"], "42");
    let detentions = rows(&full, "detentions.csv");
    assert_eq!(detentions[0]["person_id"], id);
    assert_eq!(detentions[0]["started"], "2020-09-08");
    assert_eq!(detentions[0]["started_precision"], "day");
    assert_eq!(detentions[0]["authority"], "KGB");
    let charges = rows(&full, "charges.csv");
    assert_eq!(charges[0]["article_number"], "342");
    assert_eq!(charges[0]["detention_id"], detentions[0]["id"]);
    let sentence_charges = rows(&full, "sentence_charges.csv");
    assert_eq!(sentence_charges[0]["charge_id"], charges[0]["id"]);
    assert_eq!(
        sentence_charges[0]["sentence_id"],
        rows(&full, "sentences.csv")[0]["id"]
    );
    let citations = rows(&full, "citations.csv");
    assert_eq!(citations[0]["detention_id"], detentions[0]["id"]);
    assert_eq!(
        citations[0]["source_id"],
        rows(&full, "sources.csv")[0]["id"]
    );

    // The public token: the same columns, internal cells empty.
    let (_, _, body) = export(&app, &public, "format=csv").await;
    let shown = tables(&body);
    let persons = rows(&shown, "persons.csv");
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["notes"], "");
    assert_eq!(rows(&shown, "detentions.csv")[0]["authority"], "");
    assert!(
        rows(&shown, "external_ids.csv").is_empty(),
        "external ids are internal"
    );
}

#[tokio::test]
async fn an_export_takes_the_person_lists_filters_and_refuses_bad_ones() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let id = registry(&app, &writer).await;
    let other = app
        .create("/api/v1/persons", &writer, &person("Uncharged Person"))
        .await;

    let (status, _, body) = export(&app, &writer, "format=ndjson&article=342").await;
    let filter: Value = sqlx::query_scalar(
        "SELECT detail->'filter' FROM security_log WHERE event = 'export' ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(filter, json!({"format": "ndjson", "article": "342"}));
    assert_eq!(status, 200);
    let persons: Vec<Value> = lines(&body)
        .into_iter()
        .filter(|l| l["kind"] == "person")
        .map(|l| l["record"]["id"].clone())
        .collect();
    assert_eq!(persons, [json!(id)]);
    assert!(!persons.contains(&other["id"]));

    for (query, field) in [
        ("", "format"),
        ("format=xml", "format"),
        ("format=csv&article_part=1", "article_part"),
        ("format=csv&limit=5", "limit"),
        ("format=csv&status=free", "status"),
    ] {
        let (status, problem) =
            json(app.get(&format!("/api/v1/export?{query}"), &writer).await).await;
        assert_eq!(status, 422, "{query}: {problem}");
        assert_eq!(error_fields(&problem), [field], "{query}: {problem}");
    }
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM security_log WHERE event = 'export'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(logged, 2, "refused exports are not begun");
}
