//! The security log: what it records, that it never holds secrets, that
//! only admins read it, and that nothing changes it.

use docket::domain::Role;

use crate::support::{PASSWORD, TestApp};

/// `(event, subject, address, detail)` of every logged event, oldest first.
async fn events(app: &TestApp) -> Vec<(String, Option<String>, Option<String>, String)> {
    sqlx::query_as(
        "SELECT event::text, subject, host(address), detail::text FROM security_log ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn logins_account_changes_tokens_and_restricted_reads_are_logged_without_secrets() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Admin, true).await;
    let admin = app.visitor();
    assert_eq!(admin.login(&email, "not the password at all").await.0, 401);
    assert_eq!(
        admin
            .login("nobody@example.org", "a guess at random")
            .await
            .0,
        401
    );
    assert_eq!(admin.login(&email, PASSWORD).await.0, 303);
    admin.enrol().await;

    // A partner with a token, used, then revoked.
    let (_, _, partner) = admin
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("kind", "partner"),
                ("name", "Partner NGO"),
                ("role", "viewer"),
            ],
        )
        .await;
    let partner = partner.unwrap();
    let (_, page, _) = admin
        .submit(
            &partner,
            &format!("{partner}/tokens"),
            &[("scope", "read:public"), ("expires_days", "30")],
        )
        .await;
    let start = page.find("value=\"dkt_").unwrap() + 7;
    let token = page[start..].split('"').next().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/persons", &token).await.status(), 200);
    }
    let (_, page) = admin.get(&partner).await;
    let revoke = page
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .unwrap()
        .to_owned();
    assert_eq!(admin.submit(&partner, &revoke, &[]).await.0, 303);

    // A person with restricted notes, read by the cleared admin.
    let fields = [
        ("names[0].name", "Palina Sharenda-Panasiuk"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("restricted_notes", "RESTRICTED-MARKER"),
        ("visibility", "internal"),
        ("version", "0"),
    ];
    let (_, _, person) = admin.submit("/persons/new", "/persons", &fields).await;
    let person = person.unwrap();
    assert!(admin.get(&person).await.1.contains("RESTRICTED-MARKER"));
    // An uncleared viewer reading the same page reads nothing restricted.
    let viewer = app.web(Role::Viewer).await;
    assert_eq!(viewer.get(&person).await.0, 200);

    let logged = events(&app).await;
    let kinds: Vec<&str> = logged.iter().map(|(e, ..)| e.as_str()).collect();
    for expected in [
        "login_failed",
        "login",
        "account_created",
        "token_created",
        "token_used",
        "token_revoked",
        "restricted_read",
    ] {
        assert!(kinds.contains(&expected), "{expected} in {kinds:?}");
    }
    assert_eq!(
        kinds.iter().filter(|k| **k == "token_used").count(),
        1,
        "a token's use is logged once a minute, not per request"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "restricted_read").count(),
        1,
        "only the cleared reader"
    );
    let failed: Vec<_> = logged
        .iter()
        .filter(|(e, ..)| e == "login_failed")
        .collect();
    assert_eq!(
        failed[1].1.as_deref(),
        Some("nobody@example.org"),
        "the email as typed"
    );
    assert!(
        logged
            .iter()
            .all(|(_, _, address, _)| { address.as_deref().is_none_or(|a| a == "127.0.0.1") })
    );
    let everything = format!("{logged:?}");
    for secret in [
        PASSWORD,
        "not the password at all",
        "a guess at random",
        &token,
        "RESTRICTED-MARKER",
    ] {
        assert!(!everything.contains(secret), "{secret} leaked into the log");
    }

    // Admins read it; nobody changes it.
    let (status, page) = admin.get("/admin/security").await;
    assert_eq!(status, 200);
    assert!(page.contains("login failed") && page.contains("nobody@example.org"));
    assert_eq!(viewer.get("/admin/security").await.0, 403);
    for sql in [
        "UPDATE security_log SET subject = 'x'",
        "DELETE FROM security_log",
        "TRUNCATE security_log",
    ] {
        let refused = sqlx::query(sql).execute(&app.pool).await;
        assert!(refused.is_err(), "{sql}");
    }
}
