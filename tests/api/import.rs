//! Imports: a file in the export's format goes in whole or not at all,
//! every problem named by line and field, matched on ids so that a second
//! run adds nothing, with history naming the file.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use docket::domain::Role;
use serde_json::{Value, json};

use crate::case::{article, organization};
use crate::cli::docket_with_key;
use crate::export::registry;
use crate::support::{TestApp, day, person};

fn import(app: &TestApp, by: &str, file: &Path, dry_run: bool) -> Output {
    let mut args = vec!["import", "--by", by, file.to_str().unwrap()];
    if dry_run {
        args.push("--dry-run");
    }
    docket_with_key(app, &args)
}

fn export(app: &TestApp, by: &str, file: &Path) {
    let done = docket_with_key(app, &["export", "--by", by, "-o", file.to_str().unwrap()]);
    assert!(done.status.success(), "{}", stderr(&done));
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An export's lines without what a registry gives each record itself
/// (versions, times, the catalogue's article ids).
fn comparable(file: &Path) -> Vec<Value> {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for key in ["version", "created_at", "updated_at"] {
                    map.remove(key);
                }
                if let Some(Value::Object(article)) = map.get_mut("article") {
                    article.remove("id");
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| {
            let mut line: Value = serde_json::from_str(l).unwrap();
            strip(&mut line);
            line
        })
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

fn write_lines(path: &Path, lines: &[Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn a_backup_imported_into_an_empty_registry_exports_the_same_and_a_second_run_adds_nothing() {
    let from = TestApp::spawn().await;
    let writer = from.writer().await;
    let person_id = registry(&from, &writer).await;
    let org = organization(&from, "Viasna").await;
    from.create(
        &format!("/api/v1/persons/{person_id}/recognitions"),
        &writer,
        &json!({"organization_id": org, "since": day("2020-10-01")}),
    )
    .await;
    from.create(
        &format!("/api/v1/persons/{person_id}/affiliations"),
        &writer,
        &json!({"organization_id": org, "role": "volunteer"}),
    )
    .await;
    let admin = from.staff_account(Role::Admin, true).await;
    let dir = tempfile::tempdir().unwrap();
    // Restricted notes come in through an import too, sealed with the key.
    let secret = dir.path().join("secret.ndjson");
    let mut restricted = person("Restricted Person");
    restricted["visibility"] = "restricted".into();
    restricted["restricted_notes"] = "Lawyer's number".into();
    write_lines(&secret, &[json!({"kind": "person", "record": restricted})]);
    let done = import(&from, &admin, &secret, false);
    assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));

    let backup = dir.path().join("backup.ndjson");
    export(&from, &admin, &backup);
    let exported = comparable(&backup);
    assert!(exported.len() >= 4, "{exported:?}");

    let to = TestApp::spawn().await;
    let restorer = to.staff_account(Role::Admin, true).await;
    let tried = import(&to, &restorer, &backup, true);
    assert!(tried.status.success(), "{}", stdout(&tried));
    assert!(stdout(&tried).contains("Dry run"), "{}", stdout(&tried));
    assert_eq!(count(&to, "SELECT count(*) FROM persons").await, 0);
    assert_eq!(count(&to, "SELECT count(*) FROM history").await, 0);

    let done = import(&to, &restorer, &backup, false);
    assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
    assert!(stdout(&done).contains("person: 3 new"), "{}", stdout(&done));
    let restored = dir.path().join("restored.ndjson");
    export(&to, &restorer, &restored);
    assert_eq!(comparable(&restored), exported);
    let text = std::fs::read_to_string(&restored).unwrap();
    assert!(text.contains("Lawyer's number"), "restricted notes opened");

    // History says which file every change came with, and by whom.
    let entries = count(&to, "SELECT count(*) FROM history").await;
    let named = count(
        &to,
        "SELECT count(*) FROM history h JOIN imports i ON i.id = h.import_id
          WHERE h.face = 'import' AND i.file_name = 'backup.ndjson'
            AND h.account_id = i.account_id",
    )
    .await;
    assert_eq!(named, entries);

    let again = import(&to, &restorer, &backup, false);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stdout(&again).contains(" 1 new"), "{}", stdout(&again));
    assert_eq!(count(&to, "SELECT count(*) FROM history").await, entries);
    let chain = docket_with_key(&to, &["audit", "verify"]);
    assert!(chain.status.success(), "{}", stderr(&chain));
}

#[tokio::test]
async fn an_import_with_problems_changes_nothing_and_names_each_by_line_and_field() {
    let app = TestApp::spawn().await;
    let editor = app.staff_account(Role::Editor, false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spreadsheet.ndjson");
    let facility = uuid::Uuid::now_v7();
    let detention = uuid::Uuid::now_v7();
    let mut good = person("Good Person");
    good["external_ids"] = json!([{"system": "viasna", "id": "1"}]);
    let mut bad_date = person("Bad Date");
    bad_date["birth_date"] = json!({"date": "1990-02-30", "precision": "day"});
    let mut sequence = person("Impossible Sequence");
    sequence["detentions"] = json!([{"id": detention, "kind": "pre_trial",
        "started": day("2021-05-01"), "ended": day("2021-04-01"),
        "facility": {"id": facility, "name": "SIZO-1"}}]);
    sequence["charges"] = json!([
        {"article": {"code": "criminal_code", "number": "999"}, "status": "charged"},
        {"article": {"code": "criminal_code", "number": "342"}, "detention_id": detention},
    ]);
    let text = [
        json!({"kind": "facility", "record": {"id": facility, "name": "SIZO-1", "kind": "pre_trial_centre"}}).to_string(),
        json!({"kind": "person", "record": good}).to_string(),
        String::new(),
        json!({"kind": "person", "record": bad_date}).to_string(),
        "{\"kind\": \"person\", \"record\": ".to_owned(),
        json!({"kind": "prisoner", "record": {}}).to_string(),
        json!({"kind": "person", "record": sequence}).to_string(),
    ]
    .join("\n");
    std::fs::write(&file, text).unwrap();
    let history = count(&app, "SELECT count(*) FROM history").await;

    for dry_run in [true, false] {
        let done = import(&app, &editor, &file, dry_run);
        assert!(!done.status.success());
        let said = stdout(&done);
        for expected in [
            "line 4, birth_date",
            "line 5: not a line of an export",
            "line 6, kind: must be",
            "line 7, detentions[0].ended: must not be before `started`",
            "line 7, charges[0].article: no article 999",
            "line 7, charges[1].detention_id: no such detention of this person",
        ] {
            assert!(said.contains(expected), "{expected} in {said}");
        }
        assert!(!said.contains("line 1"), "{said}");
        assert!(!said.contains("line 2"), "{said}");
        assert!(
            stderr(&done).contains("6 problems in 7 lines"),
            "{}",
            stderr(&done)
        );
        assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);
        assert_eq!(count(&app, "SELECT count(*) FROM facilities").await, 0);
        assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);
        assert_eq!(count(&app, "SELECT count(*) FROM history").await, history);
    }

    // A viewer may not import at all.
    let viewer = app.staff_account(Role::Viewer, false).await;
    let refused = import(&app, &viewer, &file, true);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("may not change case data"));
}

#[tokio::test]
async fn a_person_without_a_known_id_is_matched_on_an_external_id() {
    let app = TestApp::spawn().await;
    let writer = app.writer().await;
    let mut body = person("Ihar Losik");
    body["external_ids"] = json!([{"system": "viasna", "id": "7"}]);
    let existing = app.create("/api/v1/persons", &writer, &body).await;
    let editor = app.staff_account(Role::Editor, false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("partner.ndjson");
    let mut theirs = person("Ihar Losik");
    theirs["id"] = uuid::Uuid::now_v7().to_string().into();
    theirs["external_ids"] = json!([{"system": "viasna", "id": "7"}]);
    theirs["occupation"] = "blogger".into();
    theirs["detentions"] = json!([{"kind": "pre_trial", "started": day("2020-06-25")}]);
    theirs["charges"] = json!([{"article": {"code": "criminal_code", "number": "342"}}]);
    write_lines(&file, &[json!({"kind": "person", "record": theirs})]);

    for run in 0..2 {
        let done = import(&app, &editor, &file, false);
        assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
        let said = stdout(&done);
        if run == 0 {
            assert!(said.contains("person: 0 new, 1 changed"), "{said}");
            assert!(said.contains("detention: 1 new"), "{said}");
        } else {
            assert!(
                said.contains("person: 0 new, 0 changed, 1 unchanged"),
                "{said}"
            );
            assert!(
                said.contains("detention: 0 new, 0 changed, 1 unchanged"),
                "{said}"
            );
            assert!(
                said.contains("charge: 0 new, 0 changed, 1 unchanged"),
                "{said}"
            );
        }
    }
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 1);
    let id = existing["id"].as_str().unwrap();
    let case = crate::support::json(app.get(&format!("/api/v1/persons/{id}"), &writer).await)
        .await
        .1;
    assert_eq!(case["occupation"], "blogger");
    assert_eq!(case["detentions"].as_array().unwrap().len(), 1);
    assert_eq!(
        case["charges"][0]["article"]["id"],
        article(&app, "342").await
    );
    // The case's history says which file the changes came from.
    let (status, page) = app
        .web(Role::Viewer)
        .await
        .get(&format!("/persons/{id}/history"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("imported from <span class=\"file\">partner.ndjson</span>"),
        "{page}"
    );
}

#[tokio::test]
async fn an_import_killed_midway_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.staff_account(Role::Editor, false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("large.ndjson");
    let lines: Vec<Value> = (0..3_000)
        .map(|i| json!({"kind": "person", "record": person(&format!("Person {i}"))}))
        .collect();
    write_lines(&file, &lines);
    let history = count(&app, "SELECT count(*) FROM history").await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_docket"))
        .args(["import", "--by", &editor, file.to_str().unwrap()])
        .env("DATABASE_URL", &app.database_url)
        .env("DOCKET_SECRET_KEY", "test secret")
        .env("DOCKET_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docket runs");
    // Killed once it has written a few hundred persons in its transaction.
    let mut progress = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.starts_with("300 lines read") {
        said.clear();
        let n = progress.read_line(&mut said).unwrap();
        assert!(n > 0, "the import ended before it was killed");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::io::stderr().flush().ok();

    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM history").await, history);
    // The history's head is free again: a change goes through.
    let writer = app.writer().await;
    app.create("/api/v1/persons", &writer, &person("After"))
        .await;
}

/// Uploads `text` as `name` through the import page's form:
/// `(status, body, Location)`.
async fn upload(
    session: &crate::support::WebSession,
    name: &str,
    text: &str,
    with_token: bool,
) -> (u16, String, Option<String>) {
    let mut form = reqwest::multipart::Form::new();
    if with_token {
        form = form.text("csrf", session.csrf("/import").await);
    }
    let file = reqwest::multipart::Part::bytes(text.as_bytes().to_vec()).file_name(name.to_owned());
    let response = session
        .client
        .post(format!("{}/import", session.base))
        .multipart(form.part("file", file))
        .send()
        .await
        .unwrap();
    crate::support::answer(response).await
}

/// The job's page once it stops reloading itself.
async fn finished(session: &crate::support::WebSession, job: &str) -> String {
    for _ in 0..100 {
        let (status, page) = session.get(job).await;
        assert_eq!(status, 200, "{page}");
        if !page.contains("http-equiv=\"refresh\"") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import of {job} did not finish");
}

#[tokio::test]
async fn an_editor_checks_a_file_in_the_browser_then_imports_it() {
    let app = TestApp::spawn().await;
    let editor = app.web(Role::Editor).await;
    let (status, page) = editor.get("/import").await;
    assert_eq!(status, 200);
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");

    let mut good = person("Mikalai Statkevich");
    good["detentions"] = json!([{"kind": "pre_trial", "started": day("2020-05-31")}]);
    let text = format!("{}\n", json!({"kind": "person", "record": good}));
    let (status, _, job) = upload(&editor, "campaign.ndjson", &text, true).await;
    assert_eq!(status, 303);
    let job = job.expect("the job's page");
    let page = finished(&editor, &job).await;
    assert!(page.contains("No problems found"), "{page}");
    assert!(page.contains("campaign.ndjson"), "{page}");
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);

    // Someone else cannot see or apply it.
    let other = app.web(Role::Editor).await;
    assert_eq!(other.get(&job).await.0, 404);
    let (status, _, _) = other.submit("/import", &format!("{job}/apply"), &[]).await;
    assert_eq!(status, 404);

    let (status, _, location) = editor.submit(&job, &format!("{job}/apply"), &[]).await;
    assert_eq!((status, location.as_deref()), (303, Some(job.as_str())));
    let page = finished(&editor, &job).await;
    assert!(page.contains("Imported."), "{page}");
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM detentions").await, 1);
    // Once only.
    let (status, _, _) = editor.submit(&job, &format!("{job}/apply"), &[]).await;
    assert_eq!(status, 409);
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 1);
}

#[tokio::test]
async fn a_file_with_problems_is_reported_in_the_browser_and_cannot_be_applied() {
    let app = TestApp::spawn().await;
    let editor = app.web(Role::Editor).await;
    let mut bad = person("Bad Dates");
    bad["detentions"] = json!([{"kind": "pre_trial", "started": day("2021-05-01"),
        "ended": day("2021-04-01")}]);
    let text = format!("{}\nnot json\n", json!({"kind": "person", "record": bad}));
    let (status, _, job) = upload(&editor, "bad.ndjson", &text, true).await;
    assert_eq!(status, 303);
    let job = job.unwrap();
    let page = finished(&editor, &job).await;
    assert!(page.contains("The file has problems"), "{page}");
    assert!(
        page.contains("<td>1</td><td><code>detentions[0].ended</code></td>"),
        "{page}"
    );
    assert!(page.contains("<td>2</td><td><code></code></td><td>not a line of an export"));
    assert!(!page.contains("/apply"), "{page}");
    let (status, _, _) = editor.submit(&job, &format!("{job}/apply"), &[]).await;
    assert_eq!(status, 409);
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);

    // Without the form's token nothing is taken; viewers have no import.
    let (status, _, _) = upload(&editor, "bad.ndjson", &text, false).await;
    assert_eq!(status, 403);
    let viewer = app.web(Role::Viewer).await;
    assert_eq!(viewer.get("/import").await.0, 403);
}
