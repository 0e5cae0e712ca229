//! The admin pages over real HTTP: accounts (create, role, clearance,
//! disable) and API tokens (create once shown, scope, revoke, last use).

use docket::domain::Role;

use crate::support::TestApp;

/// The secret a shown-once page carries.
fn secret(page: &str) -> String {
    let start = page.find("id=\"secret\"").expect("a secret");
    let value = &page[start..];
    let value = &value[value.find("value=\"").expect("its value") + 7..];
    value.split('"').next().unwrap().to_owned()
}

/// The id of the account called `name` on the accounts page.
fn account_id(page: &str, name: &str) -> String {
    let end = page.find(&format!("\">{name}</a>")).expect("the account");
    let start = page[..end].rfind("/admin/users/").unwrap() + 13;
    page[start..end].to_owned()
}

#[tokio::test]
async fn only_admins_reach_the_account_pages() {
    let app = TestApp::spawn().await;
    for role in [Role::Viewer, Role::Editor] {
        let web = app.web(role).await;
        assert_eq!(web.get("/admin/users").await.0, 403);
        assert_eq!(web.get("/admin/tokens").await.0, 403);
        let (status, _, _) = web
            .submit("/", "/admin/users", &[("kind", "staff"), ("role", "admin")])
            .await;
        assert_eq!(status, 403);
        let (_, home) = web.get("/").await;
        assert!(!home.contains("/admin/users"), "no link either");
    }
    let admin = app.web(Role::Admin).await;
    let (status, page) = admin.get("/admin/users").await;
    assert_eq!(status, 200);
    assert!(page.contains("New account") && page.contains("Test Staff"));
}

#[tokio::test]
async fn an_admin_adds_a_colleague_whose_generated_password_is_shown_once() {
    let app = TestApp::spawn().await;
    let admin = app.web(Role::Admin).await;
    let (status, page, _) = admin
        .submit(
            "/admin/users",
            "/admin/users",
            &[
                ("kind", "staff"),
                ("email", "nasta@example.org"),
                ("name", "Nasta <script>alert(1)</script>"),
                ("role", "editor"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("shown only this once") && !page.contains("<script>alert"));
    let password = secret(&page);
    assert!(password.chars().count() >= 12);
    let colleague = app.visitor();
    let (status, _, location) = colleague.login("nasta@example.org", &password).await;
    assert_eq!((status, location.as_deref()), (303, Some("/")));
    assert_eq!(colleague.get("/persons/new").await.0, 200, "an editor");

    // Bad input is named beside its field and saves nothing.
    for (fields, field) in [
        (
            vec![
                ("kind", "staff"),
                ("email", "x@example.org"),
                ("role", "viewer"),
                ("password", "short"),
            ],
            "password",
        ),
        (
            vec![
                ("kind", "staff"),
                ("email", "nasta@example.org"),
                ("role", "viewer"),
                ("password", "a long enough password"),
            ],
            "email",
        ),
        (
            vec![("kind", "partner"), ("name", ""), ("role", "viewer")],
            "name",
        ),
        (
            vec![
                ("kind", "staff"),
                ("email", "y@example.org"),
                ("role", "overlord"),
            ],
            "role",
        ),
    ] {
        let (status, page, _) = admin.submit("/admin/users", "/admin/users", &fields).await;
        assert_eq!(status, 422, "{fields:?}");
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{field}");
        assert!(
            !page.contains("a long enough password"),
            "passwords are not echoed"
        );
    }
}

#[tokio::test]
async fn role_clearance_and_disabling_count_on_the_very_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.web(Role::Admin).await;
    let viewer = app.web(Role::Viewer).await;
    let (_, list) = admin.get("/admin/users").await;
    // The viewer is the newest Test Staff; both share a name, so take
    // the last one listed.
    let id = {
        let marker = "\">Test Staff</a>";
        let end = list.rfind(marker).unwrap();
        let start = list[..end].rfind("/admin/users/").unwrap() + 13;
        list[start..end].to_owned()
    };
    let path = format!("/admin/users/{id}");
    assert_eq!(viewer.get("/persons/new").await.0, 403);
    let (status, body, _) = admin
        .submit(&path, &path, &[("name", "Promoted"), ("role", "editor")])
        .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        viewer.get("/persons/new").await.0,
        200,
        "the new role counts at once"
    );

    let (status, _, _) = admin
        .submit(
            &path,
            &path,
            &[("name", "Promoted"), ("role", "editor"), ("disabled", "on")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        viewer.get("/persons").await.0,
        303,
        "sent to the login page"
    );
    let (_, page) = admin.get(&path).await;
    assert!(page.contains("name=\"disabled\" checked"));
}

#[tokio::test]
async fn the_last_admin_cannot_lock_everyone_out() {
    let app = TestApp::spawn().await;
    let admin = app.web(Role::Admin).await;
    let (_, list) = admin.get("/admin/users").await;
    let id = account_id(&list, "Test Staff");
    let path = format!("/admin/users/{id}");
    for fields in [
        vec![("name", "Test Staff"), ("role", "editor")],
        vec![
            ("name", "Test Staff"),
            ("role", "admin"),
            ("disabled", "on"),
        ],
    ] {
        let (status, page, _) = admin.submit(&path, &path, &fields).await;
        assert_eq!(status, 422);
        assert!(page.contains("at least one enabled admin"));
    }
    assert_eq!(admin.get("/admin/users").await.0, 200, "still an admin");
}

#[tokio::test]
async fn a_partner_token_is_shown_once_works_at_once_and_stops_when_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.web(Role::Admin).await;
    let (status, _, location) = admin
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
    assert_eq!(status, 303);
    let path = location.expect("the partner's page");
    let tokens = format!("{path}/tokens");
    let (status, page, _) = admin
        .submit(
            &path,
            &tokens,
            &[
                ("name", "sync"),
                ("scope", "read:public"),
                ("expires_days", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"expires_days-error\""));
    let (status, page, _) = admin
        .submit(
            &path,
            &tokens,
            &[
                ("name", "sync"),
                ("scope", "read:public"),
                ("expires_days", "30"),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let token = secret(&page);
    assert!(token.starts_with("dkt_"));

    assert_eq!(app.get("/api/v1/persons", &token).await.status(), 200);
    let (status, all) = admin.get("/admin/tokens").await;
    assert_eq!(status, 200);
    assert!(all.contains("Partner NGO") && all.contains("read:public") && !all.contains(&token));
    let (_, page) = admin.get(&path).await;
    assert!(!page.contains(&token), "never shown again");
    assert!(page.contains("read:public") && page.contains(">live<"));
    assert!(
        !page.contains("<td>—</td>\n        <td>live"),
        "its last use is recorded"
    );

    let revoke = page
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/revoke"))
        .expect("a revoke form")
        .to_owned();
    assert_eq!(admin.submit(&path, &revoke, &[]).await.0, 303);
    assert_eq!(app.get("/api/v1/persons", &token).await.status(), 401);
    let (_, page) = admin.get(&path).await;
    assert!(page.contains(">revoked<"));
    assert_eq!(
        admin.submit(&path, &revoke, &[]).await.0,
        404,
        "revoked once"
    );
}
