use reqwest::Response;

use crate::support::{TestApp, json};

/// `GET /api/v1/persons` with this token (if any) from this address.
async fn list(app: &TestApp, token: Option<&str>, address: &str) -> Response {
    let mut request = app
        .client
        .get(format!("{}/api/v1/persons", app.base))
        .header("X-Forwarded-For", address);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

fn header(response: &Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn tokens_and_addresses_get_so_many_requests_a_minute_and_are_told_how_many_are_left() {
    let app = TestApp::spawn_with_rate_limits(5, 8).await;
    let first = app.writer().await;
    let second = app.writer().await;

    // A token's quota, counted down in every answer.
    for left in (0..5).rev() {
        let response = list(&app, Some(&first), "10.0.0.1").await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "ratelimit-limit"), "5");
        assert_eq!(header(&response, "ratelimit-remaining"), left.to_string());
    }
    let refused = list(&app, Some(&first), "10.0.0.1").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(header(&refused, "content-type"), "application/problem+json");
    assert_eq!(header(&refused, "ratelimit-remaining"), "0");
    // One request comes back every 12 minutes.
    let wait: u64 = header(&refused, "retry-after").parse().unwrap();
    assert!((700..=720).contains(&wait), "{wait}");
    let (_, problem) = json(refused).await;
    assert_eq!(problem["status"], 429);
    assert!(problem["type"].as_str().unwrap().ends_with("rate-limited"));

    // The address has had six of its eight: another token from it gets two.
    for _ in 0..2 {
        assert_eq!(list(&app, Some(&second), "10.0.0.1").await.status(), 200);
    }
    let refused = list(&app, Some(&second), "10.0.0.1").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(header(&refused, "ratelimit-limit"), "8");
    assert_eq!(header(&refused, "ratelimit-remaining"), "0");

    // From elsewhere the second token goes on, its requests refused at the
    // first address not spent; the first stays refused.
    let elsewhere = list(&app, Some(&second), "10.0.0.2").await;
    assert_eq!(elsewhere.status(), 200);
    assert_eq!(header(&elsewhere, "ratelimit-limit"), "5");
    assert_eq!(header(&elsewhere, "ratelimit-remaining"), "2");
    assert_eq!(list(&app, Some(&first), "10.0.0.2").await.status(), 429);

    // Without a token, or with a wrong one, the address's quota is told
    // and spent (each wrong token has a full quota of its own): guessing
    // tokens is limited too.
    let anonymous = list(&app, None, "10.0.0.3").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(header(&anonymous, "ratelimit-limit"), "8");
    assert_eq!(header(&anonymous, "ratelimit-remaining"), "7");
    for n in 0..7 {
        let guess = list(&app, Some(&format!("guess-{n}")), "10.0.0.3").await;
        assert_eq!(guess.status(), 401);
    }
    assert_eq!(list(&app, Some("guess-7"), "10.0.0.3").await.status(), 429);

    // Pages are not the API's: they are not counted.
    let page = app
        .client
        .get(format!("{}/login", app.base))
        .header("X-Forwarded-For", "10.0.0.3")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.headers().get("ratelimit-limit").is_none());
}

#[tokio::test]
async fn a_token_sees_its_limits_and_its_own_requests_by_day() {
    let app = TestApp::spawn_with_rate_limits(50, 80).await;
    let token = app.writer().await;
    let other = app.writer().await;
    for _ in 0..3 {
        assert_eq!(list(&app, Some(&token), "10.0.0.1").await.status(), 200);
    }
    list(&app, Some(&other), "10.0.0.2").await;

    // Counts written by a server earlier (every minute, as it runs) add
    // to those it holds.
    let id: uuid::Uuid =
        sqlx::query_scalar("SELECT t.id FROM api_tokens t WHERE t.token_hash = $1")
            .bind(docket::crypto::token_hash(&token))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let earlier = docket::http::api::usage::TokenUsage::default();
    for _ in 0..5 {
        earlier.count(docket::domain::TokenId(id));
    }
    earlier
        .write(&app.server_pool)
        .await
        .expect("written as the server");
    earlier
        .write(&app.server_pool)
        .await
        .expect("nothing left to write");

    let response = app
        .client
        .get(format!("{}/api/v1/token", app.base))
        .header("X-Forwarded-For", "10.0.0.1")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], id.to_string());
    assert_eq!(body["scope"], "write");
    assert_eq!(body["requests_per_minute"], 50);
    assert_eq!(body["requests_per_minute_per_address"], 80);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(
        body["usage"],
        serde_json::json!([{"day": today, "requests": 3 + 5 + 1}]),
        "three lists, five written earlier, and this request"
    );
}
