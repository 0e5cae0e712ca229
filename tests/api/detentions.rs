use serde_json::json;
use uuid::Uuid;

use crate::support::{TestApp, day, error_fields, json, person};

#[tokio::test]
async fn status_follows_a_chain_of_detentions_as_of_any_day() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let nina = app
        .create("/api/v1/persons", &token, &person("Nina Labkovich"))
        .await;
    let id = nina["id"].as_str().unwrap();
    let detentions = format!("/api/v1/persons/{id}/detentions");
    app.create(
        &detentions,
        &token,
        &json!({
            "kind": "short_term", "started": day("2021-07-14"), "ended": day("2021-07-17"),
            "end_reason": "transferred"
        }),
    )
    .await;
    app.create(
        &detentions,
        &token,
        &json!({
            "kind": "pre_trial", "started": day("2021-07-17"), "ended": day("2021-07-23"),
            "end_reason": "released"
        }),
    )
    .await;

    for (as_of, status) in [
        ("2021-07-01", "at_liberty"),
        ("2021-07-14", "short_term"),
        ("2021-07-17", "pre_trial"),
        ("2021-07-22", "pre_trial"),
        ("2021-07-23", "released"),
        ("2025-01-01", "released"),
    ] {
        let (_, read) = json(
            app.get(&format!("/api/v1/persons/{id}?as_of={as_of}"), &token)
                .await,
        )
        .await;
        assert_eq!(read["status"], status, "as of {as_of}");
        assert_eq!(read["status_uncertain"], false);
        assert_eq!(read["status_as_of"], as_of);
    }
    let (_, held) = json(
        app.get("/api/v1/persons?as_of=2021-07-20&status=pre_trial", &token)
            .await,
    )
    .await;
    assert_eq!(held["items"].as_array().unwrap().len(), 1);
    let (_, none) = json(
        app.get("/api/v1/persons?as_of=2021-08-01&status=pre_trial", &token)
            .await,
    )
    .await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn a_status_resting_on_a_month_precision_date_says_so() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app
        .create("/api/v1/persons", &token, &person("Marfa Rabkova"))
        .await;
    let id = p["id"].as_str().unwrap();
    app.create(
        &format!("/api/v1/persons/{id}/detentions"),
        &token,
        &json!({
            "kind": "pre_trial", "started": {"date": "2020-09", "precision": "month"}
        }),
    )
    .await;
    // A month-precision start counts from the first day of the month.
    let (_, read) = json(
        app.get(&format!("/api/v1/persons/{id}?as_of=2020-09-01"), &token)
            .await,
    )
    .await;
    assert_eq!(read["status"], "pre_trial");
    assert_eq!(read["status_uncertain"], true);
    let (_, before) = json(
        app.get(&format!("/api/v1/persons/{id}?as_of=2020-08-31"), &token)
            .await,
    )
    .await;
    assert_eq!(before["status"], "at_liberty");
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn a_detention_ending_before_it_starts_is_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let path = format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap());
    let (status, problem) = json(app.post(&path, &token, &json!({
        "kind": "pre_trial", "started": day("2021-07-17"), "ended": {"date": "2021-06", "precision": "month"}
    })).await).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["ended"]);
    // Same month as the start: possible, so accepted.
    let ok = app.post(&path, &token, &json!({
        "kind": "pre_trial", "started": day("2021-07-17"), "ended": {"date": "2021-07", "precision": "month"}
    })).await;
    assert_eq!(ok.status(), 201);

    let (status, problem) = json(
        app.post(
            &path,
            &token,
            &json!({
                "kind": "pre_trial", "started": day("2021-07-17"),
                "facility_id": "01900000-0000-7000-8000-000000000000"
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["facility_id"]);
    assert!(
        !problem.to_string().contains("fkey"),
        "no SQL details: {problem}"
    );

    let (status, problem) = json(
        app.post(
            &path,
            &token,
            &json!({"kind": "prison", "started": day("2021-07-17")}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["kind"]);
}

/// action, person, before, after.
type Entry = (
    String,
    Option<Uuid>,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

#[tokio::test]
async fn a_detention_is_patched_and_archived_with_its_version() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let d = app
        .create(
            &format!("/api/v1/persons/{}/detentions", p["id"].as_str().unwrap()),
            &token,
            &json!({"kind": "short_term", "started": day("2021-07-14")}),
        )
        .await;
    let path = format!("/api/v1/detentions/{}", d["id"].as_str().unwrap());
    let (status, problem) = json(
        app.patch(&path, &token, 1, &json!({"ended": day("2021-07-01")}))
            .await,
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let (status, updated) = json(
        app.patch(
            &path,
            &token,
            1,
            &json!({"ended": day("2021-07-17"), "end_reason": "released"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(updated["ended"]["date"], "2021-07-17");
    assert_eq!(updated["started"]["date"], "2021-07-14");
    assert_eq!(app.delete(&path, &token, 1).await.status(), 412);
    assert_eq!(app.delete(&path, &token, 2).await.status(), 204);
    assert_eq!(app.get(&path, &token).await.status(), 404);

    let entries: Vec<Entry> = sqlx::query_as(
        "SELECT action::text, person_id, before, after FROM history
              WHERE record_type = 'detention' AND record_id = $1::uuid ORDER BY seq",
    )
    .bind(d["id"].as_str().unwrap())
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, ["create", "update", "archive"]);
    assert!(
        entries
            .iter()
            .all(|e| e.1.map(|u| u.to_string()) == p["id"].as_str().map(str::to_owned))
    );
    assert_eq!(
        entries[1].2.as_ref().unwrap()["ended"],
        serde_json::Value::Null
    );
    assert_eq!(
        entries[1].3.as_ref().unwrap()["ended"]["date"],
        "2021-07-17"
    );
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn an_internal_detention_of_a_public_person_is_invisible_to_a_public_token() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let p = app.create("/api/v1/persons", &token, &person("A")).await;
    let id = p["id"].as_str().unwrap();
    let d = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2021-07-14"), "visibility": "internal"}),
        )
        .await;
    let public = app
        .token(
            docket::domain::Role::Viewer,
            docket::domain::TokenScope::ReadPublic,
        )
        .await;
    assert_eq!(
        app.get(
            &format!("/api/v1/detentions/{}", d["id"].as_str().unwrap()),
            &public
        )
        .await
        .status(),
        404
    );
    let (_, read) = json(app.get(&format!("/api/v1/persons/{id}"), &public).await).await;
    assert_eq!(
        read["status"], "unknown",
        "status must not reveal the hidden detention"
    );
    let (_, list) = json(app.get("/api/v1/persons?status=pre_trial", &public).await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let (_, read) = json(app.get(&format!("/api/v1/persons/{id}"), &token).await).await;
    assert_eq!(read["status"], "pre_trial");
    app.assert_status_spans_hold().await;
}

/// Creates a person with `detentions` and `sentences` and returns the path
/// of their case.
async fn status(app: &TestApp, token: &str, path: &str, as_of: &str) -> String {
    let (_, read) = json(app.get(&format!("{path}?as_of={as_of}"), token).await).await;
    read["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_same_day_detention_counts_on_its_day() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let path = app.case_with(&token, &person("A"),
        &[json!({"kind": "short_term", "started": day("2021-03-05"), "ended": day("2021-03-05")})],
        &[],
    )
    .await;
    assert_eq!(
        status(&app, &token, &path, "2021-03-05").await,
        "short_term"
    );
    assert_eq!(status(&app, &token, &path, "2021-03-06").await, "released");
    assert_eq!(
        status(&app, &token, &path, "2021-03-04").await,
        "at_liberty"
    );
}

#[tokio::test]
async fn an_end_known_to_the_month_never_ends_a_detention_before_it_started() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let path = app
        .case_with(
            &token,
            &person("A"),
            &[json!({"kind": "pre_trial", "started": day("2021-03-15"),
        "ended": {"date": "2021-03", "precision": "month"}})],
            &[],
        )
        .await;
    assert_eq!(
        status(&app, &token, &path, "2021-03-10").await,
        "at_liberty"
    );
    assert_eq!(status(&app, &token, &path, "2021-03-15").await, "pre_trial");
    assert_eq!(status(&app, &token, &path, "2021-03-16").await, "released");
}

#[tokio::test]
async fn a_sentence_known_to_the_month_imprisons_from_then_and_release_ends_it() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let path = app.case_with(&token, &person("A"),
        &[json!({"kind": "pre_trial", "started": day("2021-06-10")})],
        &[json!({"kind": "imprisonment", "term_months": 12, "pronounced": {"date": "2021-06", "precision": "month"},
                 "released_on": day("2022-01-15")})]).await;
    assert_eq!(
        status(&app, &token, &path, "2021-12-01").await,
        "imprisoned"
    );
    assert_eq!(status(&app, &token, &path, "2022-01-16").await, "released");
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn after_a_term_runs_out_a_later_detention_still_counts() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let path = app
        .case_with(
            &token,
            &person("A"),
            &[
                json!({"kind": "pre_trial", "started": day("2021-01-10")}),
                json!({"kind": "administrative_arrest", "started": day("2022-12-01")}),
            ],
            &[json!({"kind": "imprisonment", "term_months": 12, "pronounced": day("2021-06-01")})],
        )
        .await;
    assert_eq!(
        status(&app, &token, &path, "2022-01-01").await,
        "imprisoned"
    );
    assert_eq!(status(&app, &token, &path, "2022-07-01").await, "released");
    assert_eq!(
        status(&app, &token, &path, "2022-12-05").await,
        "administrative_arrest"
    );
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn an_absurd_term_is_refused_and_never_breaks_the_list() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let path = app
        .case_with(
            &token,
            &person("A"),
            &[json!({"kind": "pre_trial", "started": day("2021-01-10")})],
            &[],
        )
        .await;
    let (status, problem) = json(app.post(&format!("{path}/sentences"), &token,
        &json!({"kind": "imprisonment", "term_months": 2_000_000_000, "pronounced": day("2021-06-01")})).await).await;
    assert_eq!(status, 422);
    assert_eq!(crate::support::error_fields(&problem), ["term_months"]);
    assert_eq!(app.get("/api/v1/persons", &token).await.status(), 200);
}

#[tokio::test]
async fn writers_adding_records_of_one_person_at_once_leave_the_right_status() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let vera = app
        .create("/api/v1/persons", &token, &person("Vera Shostak"))
        .await;
    let id = vera["id"].as_str().unwrap();
    let detentions = format!("/api/v1/persons/{id}/detentions");
    // Eight detentions a month apart, each of ten days, the last still
    // going on, all written at once.
    let writes = (1..=8).map(|month| {
        let started = format!("2022-{month:02}-01");
        let body = if month == 8 {
            json!({"kind": "pre_trial", "started": day(&started)})
        } else {
            json!({
                "kind": "administrative_arrest", "started": day(&started),
                "ended": day(&format!("2022-{month:02}-11")), "end_reason": "released"
            })
        };
        let (app, token, detentions) = (&app, &token, &detentions);
        async move { app.post(detentions, token, &body).await.status().as_u16() }
    });
    let statuses = futures::future::join_all(writes).await;
    // A writer may be asked to try again; none fails otherwise.
    assert!(
        statuses.iter().all(|s| matches!(s, 201 | 409)),
        "{statuses:?}"
    );
    let written = statuses.iter().filter(|s| **s == 201).count();
    assert!(written > 0);
    app.assert_status_spans_hold().await;
    let path = format!("/api/v1/persons/{id}");
    if statuses[7] == 201 {
        assert_eq!(status(&app, &token, &path, "2022-08-05").await, "pre_trial");
        let (_, held) = json(
            app.get("/api/v1/persons?as_of=2022-09-01&held=true", &token)
                .await,
        )
        .await;
        assert_eq!(held["items"].as_array().unwrap().len(), 1);
    }
    for (month, status_then) in statuses.iter().enumerate().take(7) {
        let expected = if *status_then == 201 {
            "administrative_arrest"
        } else {
            assert!(month > 0 || statuses[0] != 201);
            continue;
        };
        let on = format!("2022-{:02}-05", month + 1);
        assert_eq!(status(&app, &token, &path, &on).await, expected, "{on}");
    }
}

#[tokio::test]
async fn a_detention_edited_while_charges_are_added_under_it_keeps_both_writers_going() {
    // The edit locks the detention and, through the status it changes, its
    // person; the new charge locks the person and checks the detention: in
    // opposite orders they would wait for each other.
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let person = app
        .create("/api/v1/persons", &token, &person("Marfa Rabkova"))
        .await;
    let id = person["id"].as_str().unwrap();
    let detention = app
        .create(
            &format!("/api/v1/persons/{id}/detentions"),
            &token,
            &json!({"kind": "pre_trial", "started": day("2020-09-17")}),
        )
        .await;
    let path = format!("/api/v1/detentions/{}", detention["id"].as_str().unwrap());
    let article = crate::case::article(&app, "342").await;
    let edits = async {
        let mut answers = Vec::new();
        for n in 0..8 {
            let (_, read) = json(app.get(&path, &token).await).await;
            let version = read["version"].as_i64().unwrap();
            let started = if n % 2 == 0 {
                "2020-09-18"
            } else {
                "2020-09-17"
            };
            let response = app
                .patch(&path, &token, version, &json!({"started": day(started)}))
                .await;
            answers.push(response.status().as_u16());
        }
        answers
    };
    let charges = async {
        let mut answers = Vec::new();
        for _ in 0..8 {
            let body = json!({"article_id": article, "detention_id": detention["id"]});
            let response = app
                .post(&format!("/api/v1/persons/{id}/charges"), &token, &body)
                .await;
            answers.push(response.status().as_u16());
        }
        answers
    };
    let (edited, charged) = tokio::join!(edits, charges);
    assert!(edited.iter().all(|s| *s == 200), "edits: {edited:?}");
    assert!(charged.iter().all(|s| *s == 201), "charges: {charged:?}");
    app.assert_status_spans_hold().await;
}
