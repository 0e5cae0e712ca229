//! The staff workspace over real HTTP: login, every page, forms with their
//! errors and conflicts, roles, the language switch, and escaping.

use docket::domain::Role;

use crate::support::{PASSWORD, TestApp};

/// Fields of the person form, with these names.
fn person_form<'a>(
    name: &'a str,
    birth: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("names[0].name", name),
        ("names[0].lang", "be"),
        ("names[0].family", ""),
        ("primary", "0"),
        ("names[1].name", ""),
        ("names[1].lang", ""),
        ("names[1].family", ""),
        ("birth_date", birth),
        ("gender", ""),
        ("pronouns", ""),
        ("occupation", ""),
        ("region", ""),
        ("visibility", "internal"),
        ("notes", ""),
        ("version", "0"),
    ];
    for (k, v) in extra {
        match fields.iter_mut().find(|(f, _)| f == k) {
            Some(field) => field.1 = v,
            None => fields.push((k, v)),
        }
    }
    fields
}

/// Creates a person through the form; returns the person page's path.
async fn create(web: &crate::support::WebSession, fields: &[(&str, &str)]) -> String {
    let (status, body, location) = web.submit("/persons/new", "/persons", fields).await;
    assert_eq!(status, 303, "{body}");
    location.expect("the new person's page")
}

#[tokio::test]
async fn a_visitor_is_sent_to_the_login_page_and_back_after_logging_in() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor();
    let response = visitor
        .client
        .get(format!("{}/persons?status=imprisoned", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fpersons%3Fstatus%3Dimprisoned"
    );
    let email = app.staff_account(Role::Viewer, false).await;
    let csrf = visitor.csrf("/login").await;
    let (status, _, location) = visitor
        .post_raw(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &email.to_uppercase()),
                ("password", PASSWORD),
                ("next", "/persons?status=imprisoned"),
            ],
            &[],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/persons?status=imprisoned"))
    );
    assert_eq!(visitor.get("/persons").await.0, 200);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax_and_renewed_at_login() {
    let app = TestApp::spawn().await;
    let visitor = app.visitor();
    let response = visitor
        .client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    let before = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        before.contains("HttpOnly") && before.contains("SameSite=Lax"),
        "{before}"
    );
    let csrf = {
        let body = response.text().await.unwrap();
        let start = body.find("name=\"csrf\" value=\"").unwrap() + 19;
        body[start..].split('"').next().unwrap().to_owned()
    };
    let email = app.staff_account(Role::Editor, false).await;
    let response = visitor
        .client
        .post(format!("{}/login", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", &email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let after = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    let id = |c: &str| c.split(';').next().unwrap().to_owned();
    assert_ne!(id(&before), id(&after), "a new session id at login");
}

#[tokio::test]
async fn a_wrong_password_shows_the_same_answer_as_an_unknown_account() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let visitor = app.visitor();
    let (wrong, wrong_body, _) = visitor.login(&email, "not the password at all").await;
    let (unknown, unknown_body, _) = visitor.login("nobody@example.org", PASSWORD).await;
    assert_eq!((wrong, unknown), (401, 401));
    assert!(wrong_body.contains("The email or the password is wrong"));
    assert!(
        wrong_body.contains(&format!("value=\"{email}\"")),
        "the email is kept"
    );
    assert!(unknown_body.contains("The email or the password is wrong"));
    assert_eq!(visitor.get("/").await.0, 303, "still not logged in");
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let (status, _, location) = web.submit("/", "/logout", &[]).await;
    assert_eq!((status, location.as_deref()), (303, Some("/login")));
    assert_eq!(web.get("/persons").await.0, 303);
}

#[tokio::test]
async fn every_page_renders_with_its_content_and_the_security_headers() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = create(
        &web,
        &person_form("Алесь Бяляцкі", "1962-09", &[("region", "Minsk")]),
    )
    .await;
    for (path, expect) in [
        ("/", "Overview"),
        ("/persons", "Алесь Бяляцкі"),
        ("/persons?q=бяляц&sort=updated", "Алесь Бяляцкі"),
        ("/persons/new", "New person"),
        (page.as_str(), "September 1962"),
        (&format!("{page}/edit"), "value=\"1962-09\""),
    ] {
        let response = web
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains(expect), "{path} shows {expect}");
        assert!(!body.contains("<script>"), "{path} has no inline script");
    }
    assert_eq!(web.get("/persons/not-an-id").await.0, 404);
    assert_eq!(
        web.get(&format!("/persons/{}", uuid::Uuid::now_v7()))
            .await
            .0,
        404
    );
    let (status, body) = web.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Not found"));
    assert!(
        !body.contains("name=\"csrf\" value=\"\""),
        "the error page's forms carry the token"
    );
}

#[tokio::test]
async fn user_input_is_escaped_in_every_page_it_appears_on() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let evil = "<script>alert(1)</script>";
    let page = create(
        &web,
        &person_form(
            evil,
            "",
            &[
                ("names[1].name", evil),
                ("names[1].lang", "ru"),
                ("names[1].family", evil),
                ("pronouns", evil),
                ("occupation", evil),
                ("region", evil),
                ("notes", evil),
            ],
        ),
    )
    .await;
    for path in [
        "/".to_owned(),
        "/persons".to_owned(),
        page.clone(),
        format!("{page}/edit"),
    ] {
        let (status, body) = web.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains(evil), "{path} escapes what users typed");
        assert!(
            body.contains("&#60;script&#62;") || body.contains("&lt;script&gt;"),
            "{path} shows it as text"
        );
    }
}

#[tokio::test]
async fn an_impossible_date_is_shown_beside_its_field_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let fields = person_form(
        "Марфа Рабкова",
        "31.02.1995",
        &[("occupation", "volunteer")],
    );
    let (status, body, _) = web.submit("/persons/new", "/persons", &fields).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("id=\"birth_date-error\""),
        "the error sits by its field"
    );
    assert!(
        body.contains("“31.02.1995” is not a day of the calendar"),
        "the message names what was typed"
    );
    assert!(body.contains("value=\"31.02.1995\""), "the input is kept");
    assert!(body.contains("value=\"Марфа Рабкова\"") && body.contains("value=\"volunteer\""));
    assert_eq!(app.history_count().await, 0, "nothing saved");
}

#[tokio::test]
async fn a_person_needs_a_name() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let (status, body, _) = web
        .submit("/persons/new", "/persons", &person_form("", "2021", &[]))
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"names-error\""));
}

#[tokio::test]
async fn two_edits_of_one_person_meet_in_a_conflict_that_keeps_both() {
    let app = TestApp::spawn().await;
    let first = app.web(Role::Editor).await;
    let second = app.web(Role::Editor).await;
    let page = create(&first, &person_form("Ihar Losik", "", &[])).await;
    let edit = format!("{page}/edit");
    // Both open the form at version 1.
    let (_, form) = second.get(&edit).await;
    assert!(form.contains("name=\"version\" value=\"1\""));
    let (status, _, _) = first
        .submit(
            &edit,
            &page,
            &person_form(
                "Ihar Losik",
                "",
                &[("version", "1"), ("occupation", "blogger")],
            ),
        )
        .await;
    assert_eq!(status, 303);
    let (status, body, _) = second
        .submit(
            &edit,
            &page,
            &person_form(
                "Ihar Losik",
                "",
                &[("version", "1"), ("occupation", "journalist")],
            ),
        )
        .await;
    assert_eq!(status, 409);
    assert!(body.contains("Someone else changed this person"));
    assert!(body.contains("<td class=\"theirs\">blogger</td>"), "{body}");
    assert!(body.contains("<td class=\"yours\">journalist</td>"));
    assert!(
        body.contains("value=\"journalist\""),
        "the form keeps the second edit"
    );
    assert!(
        body.contains("name=\"version\" value=\"2\""),
        "saving again replaces knowingly"
    );
    assert!(
        body.contains("names[2].name") && !body.contains("names[3].name"),
        "the one name and two spare rows, not the spare rows sent back"
    );
    let (_, shown) = first.get(&page).await;
    assert!(shown.contains("blogger") && !shown.contains("journalist"));
}

#[tokio::test]
async fn a_viewer_sees_no_edit_controls_and_a_forged_post_is_refused() {
    let app = TestApp::spawn().await;
    let editor = app.web(Role::Editor).await;
    let page = create(&editor, &person_form("Maria Kalesnikava", "", &[])).await;
    let viewer = app.web(Role::Viewer).await;
    let (status, body) = viewer.get(&page).await;
    assert_eq!(status, 200);
    assert!(!body.contains("/edit\""), "no edit link");
    assert!(
        !body.contains("href=\"/persons/new\""),
        "no new-person link"
    );
    assert_eq!(viewer.get("/persons/new").await.0, 403);
    let (status, _, _) = viewer
        .submit("/persons", "/persons", &person_form("Forged", "", &[]))
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = viewer
        .submit(
            &page,
            &page,
            &person_form("Forged", "", &[("version", "1")]),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.history_count().await, 1, "only the editor's change");
}

#[tokio::test]
async fn a_cross_site_or_tokenless_post_changes_nothing() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let csrf = web.csrf("/persons/new").await;
    let mut fields = person_form("Cross Site", "", &[]);
    fields.push(("csrf", &csrf));
    let (status, _, _) = web
        .post_raw("/persons", &fields, &[("origin", "http://evil.example")])
        .await;
    assert_eq!(status, 403, "another origin");
    let (status, _, _) = web
        .post_raw("/persons", &fields, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(status, 403, "a cross-site fetch");
    let (status, _, _) = web
        .post_raw("/persons", &person_form("No Token", "", &[]), &[])
        .await;
    assert_eq!(status, 403, "no form token");
    assert_eq!(app.history_count().await, 0);
}

#[tokio::test]
async fn the_language_switch_sticks_to_the_account() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let web = app.visitor();
    web.login(&email, PASSWORD).await;
    let (status, _, location) = web
        .submit(
            "/persons",
            "/language",
            &[("language", "be"), ("back", "/persons")],
        )
        .await;
    assert_eq!((status, location.as_deref()), (303, Some("/persons")));
    let (_, body) = web.get("/persons").await;
    assert!(body.contains("<html lang=\"be\">") && body.contains("Асобы"));
    // Another device: a new session of the same account.
    let other = app.visitor();
    other.login(&email, PASSWORD).await;
    let (_, body) = other.get("/").await;
    assert!(body.contains("Агляд"), "the choice belongs to the account");
    let (status, _, _) = web
        .submit("/", "/language", &[("language", "klingon"), ("back", "/")])
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_list_filters_live_in_the_address_and_bad_ones_are_named() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    create(
        &web,
        &person_form("Pavel Sevyarynets", "", &[("region", "Vitebsk")]),
    )
    .await;
    create(
        &web,
        &person_form("Mikola Statkevich", "", &[("region", "Minsk")]),
    )
    .await;
    let (status, body) = web.get("/persons?region=minsk&sort=name").await;
    assert_eq!(status, 200);
    assert!(body.contains("Mikola Statkevich") && !body.contains("Pavel Sevyarynets"));
    assert!(
        body.contains("value=\"minsk\""),
        "the filter form shows the filter"
    );
    let (status, body) = web
        .get("/persons?status=flying&detained_from=2021-13-01")
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"status-error\"") && body.contains("id=\"detained_from-error\""));
}

#[tokio::test]
async fn a_status_set_by_hand_needs_a_reason_and_shows_on_the_person_page() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = create(&web, &person_form("Andrzej Poczobut", "", &[])).await;
    let edit = format!("{page}/edit");
    let fields = person_form(
        "Andrzej Poczobut",
        "",
        &[
            ("status_override.reason", "left the country"),
            ("version", "1"),
        ],
    );
    let (status, body, _) = web.submit(&edit, &page, &fields).await;
    assert_eq!(status, 422, "a reason without a status");
    assert!(body.contains("id=\"status_override.status-error\""));

    let fields = person_form(
        "Andrzej Poczobut",
        "",
        &[
            ("status_override.status", "in_exile"),
            ("status_override.since", "2023-14-01"),
            ("version", "1"),
        ],
    );
    let (status, body, _) = web.submit(&edit, &page, &fields).await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"status_override.reason-error\""));
    assert!(body.contains("id=\"status_override.since-error\""));

    let fields = person_form(
        "Andrzej Poczobut",
        "",
        &[
            ("status_override.status", "in_exile"),
            ("status_override.reason", "left the country"),
            ("status_override.since", "2023-01-14"),
            ("version", "1"),
        ],
    );
    let (status, body, _) = web.submit(&edit, &page, &fields).await;
    assert_eq!(status, 303, "{body}");
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("In exile"));
    let (_, form) = web.get(&edit).await;
    assert!(form.contains("value=\"in_exile\" selected") && form.contains("value=\"2023-01-14\""));
}

#[tokio::test]
async fn assets_travel_compressed_and_pages_with_form_tokens_do_not() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Viewer).await;
    let (_, page) = web.get("/persons").await;
    let start = page.find("/static/").expect("an asset");
    let asset = page[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("app.css", "htmx.min.js");
    let response = web
        .client
        .get(format!("{}{asset}", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{asset}");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.unwrap().len();
    assert!(compressed < 25_000, "{compressed} bytes");
    let response = web
        .client
        .get(format!("{}/persons", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn browsers_are_told_to_keep_to_tls_only_when_the_server_is_behind_it() {
    for (app, hsts) in [
        (TestApp::spawn_behind_tls().await, true),
        (TestApp::spawn().await, false),
    ] {
        for path in ["/login", "/api/v1/persons", "/healthz", "/no/such/page"] {
            let response = app
                .client
                .get(format!("{}{path}", app.base))
                .send()
                .await
                .unwrap();
            let headers = response.headers();
            assert_eq!(
                headers.get("strict-transport-security").is_some(),
                hsts,
                "{path}"
            );
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        }
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_the_same_for_real_and_unknown_emails() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let visitor = app.visitor();
    for _ in 0..4 {
        assert_eq!(visitor.login(&email, "wrong password here").await.0, 401);
    }
    // A success starts the email afresh.
    assert_eq!(visitor.login(&email, PASSWORD).await.0, 303);
    let visitor = app.visitor();
    for _ in 0..5 {
        assert_eq!(visitor.login(&email, "wrong password here").await.0, 401);
    }
    for who in [email.as_str(), "nobody@example.org"] {
        if who == "nobody@example.org" {
            for _ in 0..5 {
                assert_eq!(visitor.login(who, "wrong password here").await.0, 401);
            }
        }
        let csrf = visitor.csrf("/login").await;
        let response = visitor
            .client
            .post(format!("{}/login", app.base))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", who),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            429,
            "{who}: even the right password waits"
        );
        let retry: i64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains("Too many failed attempts. Try again in 15 minutes."),
            "{body}"
        );
    }

    // Many emails from one address.
    let app = TestApp::spawn().await;
    let visitor = app.visitor();
    for i in 0..30 {
        let (status, _, _) = visitor
            .login(&format!("guess{i}@example.org"), "wrong password here")
            .await;
        assert_eq!(status, 401);
    }
    let email = app.staff_account(Role::Viewer, false).await;
    assert_eq!(visitor.login(&email, PASSWORD).await.0, 429);
}

#[tokio::test]
async fn a_session_ends_when_idle_and_a_fixed_time_after_login() {
    use std::time::Duration as Wait;
    let app =
        TestApp::spawn_with_sessions(time::Duration::seconds(2), time::Duration::hours(1)).await;
    let web = app.web(Role::Viewer).await;
    assert_eq!(web.get("/persons").await.0, 200);
    tokio::time::sleep(Wait::from_millis(3_100)).await;
    assert_eq!(web.get("/persons").await.0, 303, "idle too long");

    let app =
        TestApp::spawn_with_sessions(time::Duration::hours(1), time::Duration::seconds(3)).await;
    let web = app.web(Role::Viewer).await;
    for _ in 0..2 {
        assert_eq!(web.get("/persons").await.0, 200);
        tokio::time::sleep(Wait::from_millis(1_000)).await;
    }
    tokio::time::sleep(Wait::from_millis(1_200)).await;
    let (status, _) = web.get("/persons").await;
    assert_eq!(status, 303, "active, but logged in too long ago");
}

#[tokio::test]
async fn logging_out_other_sessions_keeps_only_this_one() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let here = app.visitor();
    let elsewhere = app.visitor();
    for web in [&here, &elsewhere] {
        assert_eq!(web.login(&email, PASSWORD).await.0, 303);
    }
    let (status, page) = here.get("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Log out my other sessions") && page.contains(&email));
    let (status, _, location) = here
        .submit("/account", "/account/other-sessions", &[])
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/account?done=sessions"))
    );
    assert_eq!(here.get("/persons/new").await.0, 200, "this one goes on");
    assert_eq!(
        elsewhere.get("/persons").await.0,
        303,
        "the other one ended"
    );
    assert_eq!(
        elsewhere.login(&email, PASSWORD).await.0,
        303,
        "and may log in again"
    );
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_refuses_common_ones_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let here = app.visitor();
    let elsewhere = app.visitor();
    for web in [&here, &elsewhere] {
        assert_eq!(web.login(&email, PASSWORD).await.0, 303);
    }
    let new = "вецер у соснах над Нараччу";
    let (status, page, _) = here
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", "not it at all, sorry"),
                ("new_password", "password1234"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("id=\"current_password-error\"")
            && page.contains("id=\"new_password-error\"")
    );
    assert!(page.contains("Too easy to guess"));
    let (status, _, location) = here
        .submit(
            "/account",
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", new)],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/account?done=password"))
    );
    assert_eq!(here.get("/persons").await.0, 200, "this session goes on");
    assert_eq!(
        elsewhere.get("/persons").await.0,
        303,
        "the other one ended"
    );
    let fresh = app.visitor();
    assert_eq!(
        fresh.login(&email, PASSWORD).await.0,
        401,
        "the old password is gone"
    );
    assert_eq!(fresh.login(&email, new).await.0, 303);
}

#[tokio::test]
async fn parallel_guesses_all_count_before_any_password_is_checked() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let visitor = app.visitor();
    let csrf = visitor.csrf("/login").await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..20 {
        let client = visitor.client.clone();
        let url = format!("{}/login", app.base);
        let form = vec![
            ("csrf".to_owned(), csrf.clone()),
            ("email".to_owned(), email.clone()),
            ("password".to_owned(), format!("guess number {i}")),
            ("next".to_owned(), "/".to_owned()),
        ];
        guesses.spawn(async move {
            client
                .post(url)
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    let answers = guesses.join_all().await;
    let checked = answers.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{checked} passwords checked: {answers:?}");
    assert!(
        answers.iter().all(|s| *s == 401 || *s == 429),
        "{answers:?}"
    );
}

/// The session cookie a response sets, as `name=value`.
fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("docket_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

#[tokio::test]
async fn a_copied_cookie_dies_when_its_owner_logs_out_other_sessions() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, false).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = |cookie: String, path: &str| {
        client
            .get(format!("{}{path}", app.base))
            .header("cookie", cookie)
            .send()
    };
    let token_in = |body: &str| {
        let start = body.find("name=\"csrf\" value=\"").unwrap() + 19;
        body[start..].split('"').next().unwrap().to_owned()
    };
    let login = client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(&login).unwrap();
    let csrf = token_in(&login.text().await.unwrap());
    let logged = client
        .post(format!("{}/login", app.base))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", &email),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(logged.status(), 303);
    let mine = set_cookie(&logged).unwrap();
    assert_ne!(mine, cookie, "a new id at login");
    let stolen = mine.clone();
    let account = page(mine.clone(), "/account").await.unwrap();
    let csrf = token_in(&account.text().await.unwrap());
    let ended = client
        .post(format!("{}/account/other-sessions", app.base))
        .header("cookie", &mine)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 303);
    let renewed = set_cookie(&ended).expect("this session gets a new id");
    assert_eq!(page(renewed, "/persons").await.unwrap().status(), 200);
    assert_eq!(
        page(stolen, "/persons").await.unwrap().status(),
        303,
        "the copy is dead"
    );
}
