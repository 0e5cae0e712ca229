//! The second factor: setting it up, logging in with a code or a recovery
//! code (each good once, also under parallel logins), throttling of the
//! second step, who must have one, and resetting a lost one.

use docket::domain::Role;

use crate::support::{PASSWORD, TestApp, WebSession, now, recovery_codes, totp_code};

/// Events of the security log, oldest first.
async fn events(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT event::text FROM security_log ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// Passes the password step of a login: the session then waits for a code.
async fn password_step(session: &WebSession, email: &str) {
    let (status, page, location) = session.login(email, PASSWORD).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/login/code")),
        "{page}"
    );
}

/// `(status, Location)` of the second step with this code.
async fn code_step(session: &WebSession, code: &str) -> (u16, Option<String>) {
    let (status, _, location) = session
        .submit("/login/code", "/login/code", &[("code", code)])
        .await;
    (status, location)
}

/// A staff member of `role` with a second factor, logged out: the email,
/// the secret and the recovery codes.
async fn enrolled(app: &TestApp, role: Role) -> (String, String, Vec<String>) {
    let email = app.staff_account(role, false).await;
    let session = app.visitor();
    assert_eq!(session.login(&email, PASSWORD).await.0, 303);
    let (secret, codes) = session.enrol().await;
    (email, secret, codes)
}

#[tokio::test]
async fn an_admin_sets_up_a_second_factor_before_doing_anything_else() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Admin, true).await;
    let admin = app.visitor();
    assert_eq!(admin.login(&email, PASSWORD).await.0, 303);

    // Every page sends the admin to the setup, for htmx too; nothing else
    // answers, not even a form's POST.
    for path in ["/", "/persons", "/admin/users", "/account"] {
        let response = admin
            .client
            .get(format!("{}{path}", admin.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(response.headers()["location"], "/account/second-factor");
    }
    let (status, _, location) = admin.post_raw("/persons", &[], &[]).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/account/second-factor"))
    );
    let response = admin
        .client
        .get(format!("{}/persons", admin.base))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["hx-redirect"], "/account/second-factor");

    // The setup page: a QR code drawn here, the key to type, and the same
    // key on every reload until it is confirmed.
    let (status, page) = admin.get("/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg") && page.contains("<path"));
    assert!(page.contains("must log in with a second factor"));
    let key = |page: &str| {
        let start = page.find("id=\"secret\">").unwrap() + 12;
        page[start..].split('<').next().unwrap().replace(' ', "")
    };
    let secret = key(&page);
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert_eq!(key(&admin.get("/account/second-factor").await.1), secret);

    // A wrong code, or the wrong password, turns nothing on.
    let wrong_code = if totp_code(&secret, now()) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, page, _) = admin
        .submit(
            "/account/second-factor",
            "/account/second-factor",
            &[("code", wrong_code), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("This is not the code the app shows now."));
    let (status, page, _) = admin
        .submit(
            "/account/second-factor",
            "/account/second-factor",
            &[
                ("code", &totp_code(&secret, now())),
                ("current_password", "not my password at all"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("This is not your current password."));
    assert_eq!(admin.get("/").await.0, 303);

    // The right code and password: recovery codes, shown once; then the
    // workspace opens.
    let (status, page, _) = admin
        .submit(
            "/account/second-factor",
            "/account/second-factor",
            &[
                ("code", &totp_code(&secret, now())),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page.matches("<li><code>").count(), 10);
    assert_eq!(admin.get("/admin/users").await.0, 200);
    let (_, page) = admin.get("/account/second-factor").await;
    assert!(page.contains("10 unused recovery codes") && !page.contains("<li><code>"));
    // An admin may not turn it off.
    let (status, _, _) = admin
        .submit(
            "/account/second-factor",
            "/account/second-factor/remove",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 403);

    // Neither the secret nor the recovery codes are in the database as
    // they were shown.
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT totp_secret FROM accounts WHERE totp_secret IS NOT NULL")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(!String::from_utf8_lossy(&stored).contains(&secret));
    let hashes: Vec<Vec<u8>> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| h.len() == 32));
    assert!(events(&app).await.contains(&"second_factor_enabled".into()));
}

#[tokio::test]
async fn a_code_logs_in_once_even_when_two_logins_race_with_it() {
    let app = TestApp::spawn().await;
    let (email, secret, _) = enrolled(&app, Role::Admin).await;
    // The password alone signs nobody in.
    let first = app.visitor();
    password_step(&first, &email).await;
    assert_eq!(first.get("/").await.0, 303);
    let second = app.visitor();
    password_step(&second, &email).await;

    // The code after the one that confirmed the setup, sent by both at once.
    let code = totp_code(&secret, now() + 30);
    let csrf_first = first.csrf("/login/code").await;
    let csrf_second = second.csrf("/login/code").await;
    let fields_first = [("csrf", csrf_first.as_str()), ("code", code.as_str())];
    let fields_second = [("csrf", csrf_second.as_str()), ("code", code.as_str())];
    let (a, b) = tokio::join!(
        first.post_raw("/login/code", &fields_first, &[]),
        second.post_raw("/login/code", &fields_second, &[]),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [303, 401], "one login, one refusal");
    let (winner, loser) = if a.0 == 303 {
        (&first, &second)
    } else {
        (&second, &first)
    };
    assert_eq!(winner.get("/").await.0, 200);
    assert_eq!(loser.get("/").await.0, 303);
    let (_, page) = loser.get("/login/code").await;
    assert!(page.contains("Enter your code"));

    // Later, the same code again: refused.
    let third = app.visitor();
    password_step(&third, &email).await;
    assert_eq!(code_step(&third, &code).await.0, 401);
    let log = events(&app).await;
    assert!(log.contains(&"second_factor_failed".into()));
}

#[tokio::test]
async fn recovery_codes_work_once_and_new_ones_replace_them() {
    let app = TestApp::spawn().await;
    let (email, _, codes) = enrolled(&app, Role::Editor).await;
    let session = app.visitor();
    password_step(&session, &email).await;
    // Typed in capitals with spaces instead of dashes: still the code.
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert_eq!(code_step(&session, &typed).await, (303, Some("/".into())));
    let log = events(&app).await;
    assert!(log.contains(&"recovery_code_used".into()));

    let again = app.visitor();
    password_step(&again, &email).await;
    assert_eq!(code_step(&again, &codes[0]).await.0, 401);
    let (_, page) = session.get("/account/second-factor").await;
    assert!(page.contains("9 unused recovery codes"), "{page}");

    // New codes, with the current password; the old ones stop working.
    let (status, page, _) = session
        .submit(
            "/account/second-factor",
            "/account/second-factor/recovery-codes",
            &[("current_password", "a wrong password here")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(!page.contains("<li><code>"));
    let (status, page, _) = session
        .submit(
            "/account/second-factor",
            "/account/second-factor/recovery-codes",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200);
    let renewed = recovery_codes(&page);
    assert_eq!(renewed.len(), 10);
    assert!(renewed.iter().all(|c| !codes.contains(c)));
    assert_eq!(code_step(&again, &codes[1]).await.0, 401);
    assert_eq!(code_step(&again, &renewed[1]).await.0, 303);
}

#[tokio::test]
async fn the_second_step_is_throttled_and_waits_only_a_while() {
    let app = TestApp::spawn().await;
    let (email, secret, _) = enrolled(&app, Role::Editor).await;
    let visitor = app.visitor();
    // Without a password step there is nothing to enter a code for.
    let response = visitor
        .client
        .get(format!("{}/login/code", visitor.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/login");

    password_step(&visitor, &email).await;
    let right = totp_code(&secret, now() + 30);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    // The password was one attempt; four wrong codes make five.
    for _ in 0..4 {
        assert_eq!(code_step(&visitor, wrong).await.0, 401);
    }
    let csrf = visitor.csrf("/login/code").await;
    let response = visitor
        .client
        .post(format!("{}/login/code", visitor.base))
        .form(&[("csrf", csrf.as_str()), ("code", right.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429, "even the right code waits");
    assert!(response.headers().contains_key("retry-after"));

    // Meanwhile a new login of the account from this address waits too.
    let other = app.visitor();
    let (status, _, _) = other.login(&email, PASSWORD).await;
    assert_eq!(status, 429, "the same account from the same address");
}

#[tokio::test]
async fn admins_require_a_second_factor_of_everyone_and_reset_a_lost_one() {
    let app = TestApp::spawn().await;
    let admin = app.web(Role::Admin).await;
    let editor = app.web(Role::Editor).await;
    assert_eq!(editor.get("/").await.0, 200);
    let (_, page) = editor.get("/account").await;
    assert!(page.contains("You log in with your password alone."));

    // Required of everyone: the editor is sent to the setup at once.
    let (status, _, _) = admin
        .submit(
            "/admin/security",
            "/admin/security/settings",
            &[
                ("second_factor_for_all", "on"),
                ("current_password", "wrong password here"),
            ],
        )
        .await;
    assert_eq!(status, 422, "the admin's own password confirms it");
    let (status, _, _) = admin
        .submit(
            "/admin/security",
            "/admin/security/settings",
            &[
                ("second_factor_for_all", "on"),
                ("current_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = admin.get("/admin/security").await;
    assert!(page.contains("name=\"second_factor_for_all\" checked"));
    assert_eq!(editor.get("/").await.0, 303);
    let (secret, _) = editor.enrol().await;
    assert_eq!(editor.get("/").await.0, 200);

    // The editor lost the phone: an admin resets it, the editor's session
    // ends, and the next login asks for a new setup.
    let id: uuid::Uuid = sqlx::query_scalar(
        "SELECT id FROM accounts WHERE role = 'editor' AND totp_secret IS NOT NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let user_page = format!("/admin/users/{id}");
    let (_, page) = admin.get(&user_page).await;
    assert!(page.contains("Reset second factor"));
    let reset = format!("{user_page}/second-factor/reset");
    let (status, _, _) = admin.submit(&user_page, &reset, &[]).await;
    assert_eq!(status, 422, "the admin's own password confirms it");
    assert_eq!(editor.get("/").await.0, 200);
    let (status, _, _) = admin
        .submit(&user_page, &reset, &[("current_password", PASSWORD)])
        .await;
    assert_eq!(status, 303);
    assert_eq!(editor.get("/").await.0, 303);
    let (_, page) = admin.get(&user_page).await;
    assert!(page.contains("No second factor."));
    let email: String = sqlx::query_scalar("SELECT email FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let returning = app.visitor();
    let (status, _, location) = returning.login(&email, PASSWORD).await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));
    let response = returning
        .client
        .get(format!("{}/", returning.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/account/second-factor");
    let (new_secret, _) = returning.enrol().await;
    assert_ne!(new_secret, secret);

    // No longer required of everyone: an editor may turn it off (with the
    // password), which ends their other sessions.
    admin
        .submit(
            "/admin/security",
            "/admin/security/settings",
            &[("current_password", PASSWORD)],
        )
        .await;
    let (status, _, location) = returning
        .submit(
            "/account/second-factor",
            "/account/second-factor/remove",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/account/second-factor?done=off"))
    );
    assert_eq!(returning.get("/").await.0, 200);
    let later = app.visitor();
    let (status, _, location) = later.login(&email, PASSWORD).await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));

    let log = events(&app).await;
    for event in [
        "settings_changed",
        "second_factor_reset",
        "second_factor_disabled",
    ] {
        assert!(log.contains(&event.to_owned()), "{event}");
    }
}

#[tokio::test]
async fn a_lost_second_factor_is_reset_from_the_command_line() {
    let app = TestApp::spawn().await;
    let (email, _, _) = enrolled(&app, Role::Admin).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["user", "reset-second-factor", &email])
        .env("DATABASE_URL", &app.database_url)
        .env("DOCKET_LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("is removed"));
    let session = app.visitor();
    let (status, _, location) = session.login(&email, PASSWORD).await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));
    let (_, page) = session.get("/account/second-factor").await;
    assert!(page.contains("id=\"secret\""));
}

#[tokio::test]
async fn a_login_waiting_for_its_code_ends_with_a_new_password_or_a_log_out() {
    let app = TestApp::spawn().await;
    let (email, secret, _) = enrolled(&app, Role::Editor).await;
    // Someone who phished the password waits at the code step…
    let attacker = app.visitor();
    password_step(&attacker, &email).await;
    // …while the owner, logged in, ends every other session.
    let owner = app.visitor();
    password_step(&owner, &email).await;
    assert_eq!(
        code_step(&owner, &totp_code(&secret, now() + 30)).await.0,
        303
    );
    let (status, _, _) = owner
        .submit("/account", "/account/other-sessions", &[])
        .await;
    assert_eq!(status, 303);
    let (status, location) = code_step(&attacker, &totp_code(&secret, now() + 60)).await;
    assert_eq!((status, location.as_deref()), (303, Some("/login")));
    assert_eq!(attacker.get("/").await.0, 303);

    // Logging out of a waiting login ends the wait.
    let waiting = app.visitor();
    password_step(&waiting, &email).await;
    let (status, _, _) = waiting.submit("/login/code", "/logout", &[]).await;
    assert_eq!(status, 303);
    let response = waiting
        .client
        .get(format!("{}/login/code", waiting.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/login");
}

#[tokio::test]
async fn a_secret_being_set_up_belongs_to_one_account_and_one_set_up_wins() {
    let app = TestApp::spawn().await;
    let first = app.staff_account(Role::Admin, false).await;
    let second = app.staff_account(Role::Admin, false).await;
    let session = app.visitor();
    assert_eq!(session.login(&first, PASSWORD).await.0, 303);
    let key = |page: &str| {
        let start = page.find("id=\"secret\">").unwrap() + 12;
        page[start..].split('<').next().unwrap().replace(' ', "")
    };
    let first_secret = key(&session.get("/account/second-factor").await.1);
    // Another admin logs in in the same browser: a secret of their own.
    let csrf = session.csrf("/account/second-factor").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("email", second.as_str()),
        ("password", PASSWORD),
    ];
    assert_eq!(session.post_raw("/login", &fields, &[]).await.0, 303);
    let second_secret = key(&session.get("/account/second-factor").await.1);
    assert_ne!(first_secret, second_secret);

    // Two tabs confirm the same set-up at once: one turns it on, the other
    // is told it is on already; the codes shown work.
    let code = totp_code(&second_secret, now());
    let csrf = session.csrf("/account/second-factor").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("code", code.as_str()),
        ("current_password", PASSWORD),
    ];
    let (a, b) = tokio::join!(
        session.post_raw("/account/second-factor", &fields, &[]),
        session.post_raw("/account/second-factor", &fields, &[]),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 303]);
    let shown = if a.0 == 200 { &a.1 } else { &b.1 };
    let codes = recovery_codes(shown);
    let later = app.visitor();
    password_step(&later, &second).await;
    assert_eq!(code_step(&later, &codes[0]).await.0, 303);
}

#[tokio::test]
async fn wrong_codes_stop_the_code_step_even_after_a_good_login() {
    let app = TestApp::spawn_behind_proxy().await;
    let (email, secret, _) = enrolled(&app, Role::Editor).await;
    let guesser = app.visitor_from("203.0.113.9");
    password_step(&guesser, &email).await;
    let right = totp_code(&secret, now() + 30);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    for _ in 0..3 {
        assert_eq!(code_step(&guesser, wrong).await.0, 401);
    }
    // The owner logs in from elsewhere meanwhile: that forgets the
    // account's failed attempts, not its wrong codes.
    let owner = app.visitor_from("198.51.100.7");
    password_step(&owner, &email).await;
    assert_eq!(code_step(&owner, &right).await.0, 303);
    let guesser = app.visitor_from("192.0.2.44");
    password_step(&guesser, &email).await;
    for _ in 0..2 {
        assert_eq!(code_step(&guesser, wrong).await.0, 401);
    }
    assert_eq!(code_step(&guesser, wrong).await.0, 429);
}
