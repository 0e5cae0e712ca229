//! The `docket` command line against a test's database.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::json;

use crate::support::{TestApp, json};

fn docket(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("DOCKET_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docket runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("docket finishes")
}

#[tokio::test]
async fn an_admin_creates_an_account_and_a_token_that_works_at_once() {
    let app = TestApp::spawn().await;
    let added = docket(
        &app,
        &["user", "add", "editor@example.org", "--role", "editor"],
        Some("a long enough passphrase\n"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let created = docket(
        &app,
        &[
            "token",
            "create",
            "--user",
            "editor@example.org",
            "--scope",
            "write",
            "--name",
            "sync",
        ],
        None,
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = String::from_utf8(created.stdout).unwrap();
    let lines: Vec<&str> = token.lines().collect();
    assert_eq!(lines.len(), 1, "only the token is printed");
    let (status, _) = json(
        app.post(
            "/api/v1/persons",
            lines[0],
            &json!({
                "names": [{"name": "A", "lang": "en", "primary": true}]
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);

    let listed = docket(
        &app,
        &["token", "list", "--user", "editor@example.org"],
        None,
    );
    let listing = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listing.contains("write  sync") && listing.contains("last used"),
        "{listing}"
    );
    assert!(
        !listing.contains(lines[0]),
        "a listing never shows the token"
    );
    let id = listing.split_whitespace().next().unwrap();
    assert!(
        docket(&app, &["token", "revoke", id], None)
            .status
            .success()
    );
    let (status, _) = json(app.get("/api/v1/persons", lines[0]).await).await;
    assert_eq!(status, 401, "a revoked token stops working at once");
    assert!(
        !docket(&app, &["token", "revoke", id], None)
            .status
            .success()
    );
}

#[tokio::test]
async fn a_generated_password_is_printed_once_and_a_short_one_refused() {
    let app = TestApp::spawn().await;
    let generated = docket(
        &app,
        &["user", "add", "viewer@example.org", "--role", "viewer"],
        None,
    );
    assert!(generated.status.success());
    assert!(String::from_utf8_lossy(&generated.stdout).contains("Password (shown once)"));
    let short = docket(
        &app,
        &["user", "add", "x@example.org", "--role", "viewer"],
        Some("short\n"),
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let twice = docket(
        &app,
        &["user", "add", "viewer@example.org", "--role", "viewer"],
        None,
    );
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already exists"));
    let unknown = docket(
        &app,
        &[
            "token",
            "create",
            "--user",
            "nobody@example.org",
            "--scope",
            "write",
        ],
        None,
    );
    assert!(!unknown.status.success());
    let bad_role = docket(
        &app,
        &["user", "add", "y@example.org", "--role", "boss"],
        None,
    );
    assert!(!bad_role.status.success());
}

#[tokio::test]
async fn the_demo_cases_load_twice_without_duplicating() {
    let app = TestApp::spawn().await;
    let first = docket(&app, &["demo-data"], None);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let count = || async {
        let n: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM detentions),
                    (SELECT count(*) FROM organizations), (SELECT count(*) FROM history)",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        n
    };
    let after_first = count().await;
    assert!(
        after_first.0 >= 30,
        "the demo has the seed documents' cases: {after_first:?}"
    );
    let second = docket(&app, &["demo-data"], None);
    assert!(String::from_utf8_lossy(&second.stdout).contains("0 added"));
    assert_eq!(count().await, after_first);

    // The Viasna defenders of Urgent Action 85.21, found by any spelling.
    let token = app.writer().await;
    let (_, found) = json(app.get("/api/v1/persons?q=Бяляцкі", &token).await).await;
    let id = found["items"][0]["id"]
        .as_str()
        .expect("Bialiatski is in the demo");
    let (_, case) = json(
        app.get(&format!("/api/v1/persons/{id}?as_of=2021-07-20"), &token)
            .await,
    )
    .await;
    assert_eq!(case["status"], "pre_trial");
    assert!(case["sources"].as_array().unwrap().iter().any(|s| {
        s["source"]["publisher"]
            .as_str()
            .unwrap_or("")
            .contains("Amnesty")
    }));
    let (_, articles) = json(app.get("/api/v1/persons?article=342", &token).await).await;
    assert!(!articles["items"].as_array().unwrap().is_empty());
}

/// Changes history behind the application's back, as someone with the
/// database owner's rights could (the trigger that refuses it is off for
/// this connection only).
async fn tamper(app: &TestApp, sql: &str) {
    let mut conn = app.pool.acquire().await.unwrap();
    sqlx::query("SET session_replication_role = replica")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
    sqlx::query("SET session_replication_role = DEFAULT")
        .execute(&mut *conn)
        .await
        .unwrap();
}

/// `docket audit verify`: `(succeeded, what it said)`.
fn verify(app: &TestApp) -> (bool, String) {
    let out = docket(app, &["audit", "verify"], None);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

#[tokio::test]
async fn audit_verify_names_the_first_altered_removed_or_reordered_entry() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for name in [
        "Ales Bialiatski",
        "Marfa Rabkova",
        "Valiantsin Stefanovic",
        "Nasta Loika",
    ] {
        app.create("/api/v1/persons", &token, &crate::support::person(name))
            .await;
    }
    let (ok, said) = verify(&app);
    assert!(ok && said.contains("History intact: 4 entries"), "{said}");

    // A value changed in entry 2.
    tamper(
        &app,
        "UPDATE history SET after = jsonb_set(after, '{region}', '\"Minsk\"') WHERE seq = 2",
    )
    .await;
    let (ok, said) = verify(&app);
    assert!(!ok && said.contains("entry 2 was altered"), "{said}");
    assert!(!said.contains("Minsk"), "it never prints case data");

    // Put back, then remove entry 3.
    let app = TestApp::spawn().await;
    for name in ["A", "B", "C", "D"] {
        let token = app.writer().await;
        app.create("/api/v1/persons", &token, &crate::support::person(name))
            .await;
    }
    tamper(&app, "DELETE FROM history WHERE seq = 3").await;
    let (ok, said) = verify(&app);
    assert!(!ok && said.contains("entry 3 was removed"), "{said}");

    // The newest entry removed, head and all but the count.
    tamper(&app, "INSERT INTO history SELECT 3, at, account_id, token_id, face, record_type, record_id, person_id, action, before, after, payload_digest, prev_hash, hash FROM history WHERE seq = 2").await;
    let (ok, said) = verify(&app);
    assert!(
        !ok && said.contains("entry 3"),
        "a copy is not the entry: {said}"
    );
    tamper(&app, "DELETE FROM history WHERE seq >= 3").await;
    let (ok, said) = verify(&app);
    assert!(!ok && said.contains("after 2 were removed"), "{said}");

    // Two entries swapped.
    let app = TestApp::spawn().await;
    for name in ["A", "B", "C"] {
        let token = app.writer().await;
        app.create("/api/v1/persons", &token, &crate::support::person(name))
            .await;
    }
    for step in [
        "UPDATE history SET seq = 1000 WHERE seq = 1",
        "UPDATE history SET seq = 1 WHERE seq = 2",
        "UPDATE history SET seq = 2 WHERE seq = 1000",
    ] {
        tamper(&app, step).await;
    }
    let (ok, said) = verify(&app);
    assert!(!ok && said.contains("entry 1"), "{said}");
}

#[tokio::test]
async fn the_servers_database_role_cannot_change_history_or_the_catalogue() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    app.create(
        "/api/v1/persons",
        &token,
        &crate::support::person("Ales Bialiatski"),
    )
    .await;
    let server = &app.server_pool;
    let excess = docket::db::roles::excess(server).await.unwrap();
    assert!(!excess.any(), "{excess:?}");
    assert_eq!(excess.role, docket::db::roles::SERVER_LOGIN);
    assert!(docket::db::roles::excess(&app.pool).await.unwrap().any());

    for sql in [
        "UPDATE history SET account_id = NULL",
        "DELETE FROM history",
        "TRUNCATE history",
        "UPDATE security_log SET subject = NULL",
        "DELETE FROM security_log",
        "UPDATE articles SET title_en = 'x'",
        "DELETE FROM persons",
        "DROP TABLE persons",
        "ALTER TABLE history DISABLE TRIGGER history_append_only",
        "CREATE TABLE mine (x int)",
    ] {
        let error = sqlx::query(sql).execute(server).await.unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("permission denied")
                || message.contains("must be owner")
                || message.contains("does not exist"),
            "{sql}: {message}"
        );
    }
    // What it may do, it does: read and add.
    let entries: i64 = sqlx::query_scalar("SELECT count(*) FROM history")
        .fetch_one(server)
        .await
        .unwrap();
    assert!(entries > 0);
}

#[tokio::test]
async fn an_admins_export_holds_everything_and_is_logged_under_them() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let shown = app
        .create(
            "/api/v1/persons",
            &writer,
            &crate::support::person("Public Person"),
        )
        .await;
    let hidden = app
        .create(
            "/api/v1/persons",
            &writer,
            &crate::support::person("Restricted Person"),
        )
        .await;
    sqlx::query("UPDATE persons SET visibility = 'restricted' WHERE id = $1::uuid")
        .bind(hidden["id"].as_str().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    let admin = app.staff_account(docket::domain::Role::Admin, true).await;
    let editor = app.staff_account(docket::domain::Role::Editor, true).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.ndjson");
    let file_arg = file.to_str().unwrap();

    let refused = docket_with_key(&app, &["export", "--by", &editor, "--output", file_arg]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not an admin"));
    assert!(!file.exists(), "nothing written when refused");

    let done = docket_with_key(&app, &["export", "--by", &admin, "--output", file_arg]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|l| l["record"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids,
        [
            shown["id"].as_str().unwrap(),
            hidden["id"].as_str().unwrap()
        ]
    );

    let zip = dir.path().join("backup.zip");
    let done = docket_with_key(
        &app,
        &[
            "export",
            "--by",
            &admin,
            "--format",
            "csv",
            "-o",
            zip.to_str().unwrap(),
        ],
    );
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    assert_eq!(archive.len(), 14);

    let logged: Vec<(serde_json::Value, Option<uuid::Uuid>)> = sqlx::query_as(
        "SELECT detail, account_id FROM security_log WHERE event = 'export' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(logged.len(), 4, "two exports, begun and ended");
    assert_eq!(logged[1].0["face"], "cli");
    assert_eq!(logged[1].0["rows"], 2);
    assert_eq!(logged[1].0["complete"], true);
    assert!(logged[1].1.is_some());
}

/// `docket` with the test server's secret key, so restricted values open.
pub(crate) fn docket_with_key(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("DOCKET_SECRET_KEY", "test secret")
        .env("DOCKET_LOG", "warn")
        .output()
        .expect("docket runs")
}
