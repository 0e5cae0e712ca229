//! How many were deprived of liberty on a day, and month by month: across
//! chains of detentions and sentences, with dates known to the day, the
//! month or the year, each count as the list's `held` filter gives it.

use docket::domain::{Role, TokenScope};
use serde_json::{Value, json};

use crate::support::{TestApp, day, json as read, month, person};

/// A person with these detentions and sentences, visible as given.
async fn case(
    app: &TestApp,
    token: &str,
    visibility: &str,
    detentions: &[Value],
    sentences: &[Value],
) {
    let mut body = person("A person");
    body["visibility"] = visibility.into();
    app.case_with(token, &body, detentions, sentences).await;
}

/// `(date, detained, uncertain)` of each point.
async fn series(app: &TestApp, token: &str, query: &str) -> Vec<(String, i64, i64)> {
    let (status, body) = read(
        app.get(&format!("/api/v1/stats/detained?{query}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{query}: {body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["date"].as_str().unwrap().to_owned(),
                p["detained"].as_i64().unwrap(),
                p["uncertain"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn detained_counts_follow_chains_and_say_when_they_rest_on_uncertain_dates() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    // Known to the month: held from 1 July 2021, on an uncertain date.
    case(
        &app,
        &writer,
        "public",
        &[json!({"kind": "pre_trial", "started": month("2021-07")})],
        &[],
    )
    .await;
    // Held 14 August to 30 September 2021.
    case(
        &app,
        &writer,
        "public",
        &[json!({"kind": "pre_trial", "started": day("2021-08-14"), "ended": day("2021-09-30")})],
        &[],
    )
    .await;
    // A chain: three days in August 2020, free in September, then pre-trial
    // detention and a year's sentence pronounced in March 2021.
    case(
        &app,
        &writer,
        "public",
        &[
            json!({"kind": "short_term", "started": day("2020-08-09"), "ended": day("2020-08-12")}),
            json!({"kind": "pre_trial", "started": day("2020-09-15")}),
        ],
        &[json!({"kind": "imprisonment", "term_months": 12, "pronounced": day("2021-03-01")})],
    )
    .await;
    // Internal: counted only for internal readers.
    case(
        &app,
        &writer,
        "internal",
        &[json!({"kind": "pre_trial", "started": day("2021-01-10")})],
        &[],
    )
    .await;

    let public = app.token(Role::Viewer, TokenScope::ReadPublic).await;
    let internal = app.token(Role::Viewer, TokenScope::ReadInternal).await;
    let query = "from=2020-08-10&to=2021-11-01&by=month";
    let points = series(&app, &public, query).await;
    let at = |points: &[(String, i64, i64)], date: &str| {
        points
            .iter()
            .find(|(d, _, _)| d == date)
            .map(|(_, n, u)| (*n, *u))
            .unwrap_or_else(|| panic!("no point on {date}"))
    };
    assert_eq!(points.first().map(|p| p.0.as_str()), Some("2020-08-10"));
    assert_eq!(points.len(), 16, "{points:?}");
    assert_eq!(
        at(&points, "2020-08-10"),
        (1, 0),
        "the three days of August"
    );
    assert_eq!(at(&points, "2020-09-01"), (0, 0), "free in September");
    assert_eq!(at(&points, "2020-10-01"), (1, 0));
    assert_eq!(at(&points, "2021-06-01"), (1, 0), "imprisoned");
    assert_eq!(
        at(&points, "2021-07-01"),
        (2, 1),
        "from the month's first day"
    );
    assert_eq!(at(&points, "2021-09-01"), (3, 1));
    assert_eq!(
        at(&points, "2021-10-01"),
        (2, 1),
        "released on 30 September"
    );
    let points_internal = series(&app, &internal, query).await;
    assert_eq!(at(&points_internal, "2021-02-01"), (2, 0));
    assert_eq!(at(&points, "2021-02-01"), (1, 0));

    // Each point is what the list says for that day.
    for token in [&public, &internal] {
        for (date, detained, _) in series(&app, token, query).await {
            let (_, page) = read(
                app.get(
                    &format!("/api/v1/persons?held=true&as_of={date}&limit=500"),
                    token,
                )
                .await,
            )
            .await;
            assert_eq!(
                page["items"].as_array().map(|i| i.len() as i64),
                Some(detained),
                "{date}"
            );
        }
    }

    // One day, and by year.
    assert_eq!(
        series(&app, &public, "on=2021-09-01").await,
        [("2021-09-01".into(), 3, 1)]
    );
    let years = series(&app, &public, "from=2019-12-31&to=2021-12-31&by=year").await;
    assert_eq!(
        years.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        ["2019-12-31", "2020-01-01", "2021-01-01"]
    );
    let today = series(&app, &public, "").await;
    assert_eq!(today.len(), 1);
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn a_series_refuses_what_makes_no_sense() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for (query, field) in [
        ("from=2021-01-01", "to"),
        ("to=2021-01-01", "from"),
        ("from=2021-02-01&to=2021-01-01", "to"),
        ("on=2021-01-01&from=2021-01-01&to=2021-02-01", "on"),
        ("on=2021-01-01&by=month", "by"),
        ("by=year", "by"),
        ("from=1990-01-01&to=2021-01-01", "to"),
        ("from=1899-12-31&to=1900-02-01", "from"),
        ("on=2101-01-01", "on"),
    ] {
        let (status, problem) = read(
            app.get(&format!("/api/v1/stats/detained?{query}"), &token)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{query}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
    for query in [
        "by=week&from=2021-01-01&to=2021-02-01",
        "on=yesterday",
        "at=2021-01-01",
    ] {
        let response = app
            .get(&format!("/api/v1/stats/detained?{query}"), &token)
            .await;
        assert!(matches!(response.status().as_u16(), 400 | 422), "{query}");
    }
}
