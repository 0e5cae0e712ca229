//! Imports: a file in the export's format goes in whole or not at all,
//! every problem named by line and field, matched on ids so that a second
//! run adds nothing, with history naming the file.

use std::collections::BTreeMap;
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
    export_as(app, by, file, "ndjson");
}

fn export_as(app: &TestApp, by: &str, file: &Path, format: &str) {
    let file = file.to_str().unwrap();
    let done = docket_with_key(app, &["export", "--by", by, "--format", format, "-o", file]);
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

/// A zip's tables, each row by header, without what a registry gives
/// each record itself (versions, times, the catalogue's article ids).
fn comparable_tables(file: &Path) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut tables = BTreeMap::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let mut reader = csv::Reader::from_reader(entry);
        let headers = reader.headers().unwrap().clone();
        let rows = reader
            .records()
            .map(|row| {
                headers
                    .iter()
                    .zip(row.unwrap().iter())
                    .filter(|(h, _)| {
                        !["version", "created_at", "updated_at", "article_id"].contains(h)
                    })
                    .map(|(h, c)| (h.to_owned(), c.to_owned()))
                    .collect()
            })
            .collect();
        tables.insert(name, rows);
    }
    tables
}

/// A zip of the tables given as text.
fn write_zip(path: &Path, tables: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in tables {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

fn write_lines(path: &Path, lines: &[Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

/// A registry with a whole case (detention, charge, sentence, citation,
/// recognition, affiliation) and a restricted person; returns its admin.
async fn full_registry(from: &TestApp, dir: &Path) -> String {
    let writer = from.writer().await;
    let person_id = registry(from, &writer).await;
    let org = organization(from, "Viasna").await;
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
    // Restricted notes come in through an import too, sealed with the key.
    let secret = dir.join("secret.ndjson");
    let mut restricted = person("Restricted Person");
    restricted["visibility"] = "restricted".into();
    restricted["restricted_notes"] = "Lawyer's number".into();
    write_lines(&secret, &[json!({"kind": "person", "record": restricted})]);
    let done = import(from, &admin, &secret, false);
    assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
    admin
}

#[tokio::test]
async fn a_backup_imported_into_an_empty_registry_exports_the_same_and_a_second_run_adds_nothing() {
    let from = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let admin = full_registry(&from, dir.path()).await;

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
async fn a_zip_of_tables_imported_into_an_empty_registry_exports_the_same() {
    let from = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let admin = full_registry(&from, dir.path()).await;
    let backup = dir.path().join("backup.zip");
    export_as(&from, &admin, &backup, "csv");
    let exported = comparable_tables(&backup);
    assert_eq!(exported.len(), 14, "{:?}", exported.keys());
    assert_eq!(exported["persons.csv"].len(), 3);
    assert_eq!(exported["sentence_charges.csv"].len(), 1);
    assert_eq!(exported["citations.csv"].len(), 1);

    let to = TestApp::spawn().await;
    let restorer = to.staff_account(Role::Admin, true).await;
    let tried = import(&to, &restorer, &backup, true);
    assert!(tried.status.success(), "{}", stdout(&tried));
    assert_eq!(count(&to, "SELECT count(*) FROM persons").await, 0);
    let done = import(&to, &restorer, &backup, false);
    assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
    assert!(stdout(&done).contains("person: 3 new"), "{}", stdout(&done));
    let restored = dir.path().join("restored.zip");
    export_as(&to, &restorer, &restored, "csv");
    assert_eq!(comparable_tables(&restored), exported);
    let format = sqlx::query_scalar::<_, String>("SELECT format FROM imports")
        .fetch_one(&to.pool)
        .await
        .unwrap();
    assert_eq!(format, "csv");

    let entries = count(&to, "SELECT count(*) FROM history").await;
    let again = import(&to, &restorer, &backup, false);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stdout(&again).contains(" 1 new"), "{}", stdout(&again));
    assert_eq!(count(&to, "SELECT count(*) FROM history").await, entries);
    // A change by hand after the import carries the chain on.
    to.create(
        "/api/v1/organizations",
        &to.writer().await,
        &json!({"name": "After", "kind": "ngo"}),
    )
    .await;
    assert_eq!(
        count(&to, "SELECT count(*) FROM history").await,
        entries + 1
    );
    let chain = docket_with_key(&to, &["audit", "verify"]);
    assert!(chain.status.success(), "{}", stderr(&chain));
}

#[tokio::test]
async fn a_spreadsheet_of_tables_made_by_hand_goes_in_in_any_order() {
    let app = TestApp::spawn().await;
    let editor = app.staff_account(Role::Editor, false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spreadsheet.zip");
    let (first, second) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    // As a spreadsheet saves it: a byte-order mark, CR LF, no version or
    // time columns, a quoted cell over two lines, and rows in any order.
    let persons = format!(
        "\u{feff}id,birth_date,birth_date_precision,birth_date_approximate,gender,pronouns,\
occupation,region,visibility,notes,restricted_notes,status_override,status_override_reason,\
status_override_since,status_override_until\r\n\
{first},1980,year,true,,,teacher,Minsk,public,\"Two\r\nlines\",,,,,\r\n\
{second},,,,,,, Minsk , public ,,,,,,\r\n"
    );
    let names = format!(
        "person_id,position,name,lang,primary,family \r\n\
{second},0,Second Person,en, TRUE ,\r\n\
,,,,,\r\n\
{first},1,Першая Асоба,be,false,Асоба\r\n\
{first},0,First Person,en,true,Person\r\n"
    );
    let external_ids = format!("person_id,system,external_id\r\n{first},viasna,77\r\n");
    let detentions = format!(
        "id,person_id,kind,started,started_precision,started_approximate,ended,\
ended_precision,ended_approximate,facility_id,authority,end_reason,notes,visibility\r\n\
,{second},pre_trial,2021-05,month,false,,,,,,,,public\r\n\
,{first},administrative_arrest,2020-08-09,day,false,2020-08-24,day,false,,,,,public\r\n"
    );
    write_zip(
        &file,
        &[
            ("export/detentions.csv", &detentions),
            ("export/names.csv", &names),
            ("export/persons.csv", &persons),
            ("export/external_ids.csv", &external_ids),
            ("__MACOSX/export/._persons.csv", "junk"),
        ],
    );
    let done = import(&app, &editor, &file, false);
    assert!(done.status.success(), "{}{}", stdout(&done), stderr(&done));
    assert!(
        stdout(&done).contains("detention: 2 new"),
        "{}",
        stdout(&done)
    );

    let (status, case) = crate::support::json(
        app.get(&format!("/api/v1/persons/{first}"), &app.writer().await)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{case}");
    assert_eq!(case["names"][0]["name"], "First Person");
    assert_eq!(case["names"][1]["name"], "Першая Асоба");
    assert_eq!(case["birth_date"]["approximate"], true);
    assert_eq!(case["notes"], "Two\r\nlines");
    assert_eq!(case["external_ids"][0]["id"], "77");
    assert_eq!(case["detentions"][0]["kind"], "administrative_arrest");
    assert_eq!(case["detentions"].as_array().unwrap().len(), 1);
    // Cells are trimmed, as a form's fields are.
    let (_, second) = crate::support::json(
        app.get(&format!("/api/v1/persons/{second}"), &app.writer().await)
            .await,
    )
    .await;
    assert_eq!(second["region"], "Minsk", "{second}");
    assert_eq!(second["visibility"], "public");

    // Again: nothing new, nothing changed.
    let again = import(&app, &editor, &file, false);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("person: 0 new, 0 changed, 2 unchanged"),
        "{}",
        stdout(&again)
    );
    assert!(
        stdout(&again).contains("detention: 0 new, 0 changed, 2 unchanged"),
        "{}",
        stdout(&again)
    );
}

#[tokio::test]
async fn a_zip_with_problems_names_each_by_table_line_and_column_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let editor = app.staff_account(Role::Editor, false).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tables.zip");
    let (good, bad, other) = (
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    let stranger = uuid::Uuid::now_v7();
    let persons = format!(
        "id,birth_date,birth_date_precision,birth_date_approximate,gender,pronouns,\
occupation,region,visibility,notes,restricted_notes,status_override,status_override_reason,\
status_override_since,status_override_until\r\n\
{good},,,,,,,,public,,,,,,\r\n\
{bad},1990-02-30,day,perhaps,,,,,public,,,,,,\r\n\
{good},,,,,,,,public,,,,,,\r\n\
{other},,,,,,,,public,,,,,,\r\n"
    );
    // LF line ends, a cell over two lines, an id in capitals, a blank row.
    let names = format!(
        "person_id,position,name,lang,primary,family\n\
{good},0,Good Person,en,true,\"Two\nlines\"\n\
{bad},0,Bad Person,en,true,\n\
{stranger},0,Nobody,en,true,\n\
{good},first,Good,en,false\n\
{},1,Also Good,en,true,\n\
{other},0,Other Person,en,true,\n\
,,,,,\n",
        good.to_string().to_uppercase()
    );
    let detentions = format!(
        "id,person_id,kind,started,started_precision,started_approximate,ended,\
ended_precision,ended_approximate,facility_id,authority,end_reason,notes,visibility\r\n\
,{other},pre_trial,2021-05-01,day,false,2021-04-01,day,false,,,,,public\r\n"
    );
    let facilities = "id,name,kind,city,postal_address,notes,colour\n";
    write_zip(
        &file,
        &[
            ("persons.csv", &persons),
            ("names.csv", &names),
            ("detentions.csv", &detentions),
            ("facilities.csv", facilities),
            ("sentences.csv", "id,person_id\n"),
            ("readme.txt", "hello"),
        ],
    );
    let history = count(&app, "SELECT count(*) FROM history").await;
    let done = import(&app, &editor, &file, false);
    assert!(!done.status.success());
    let said = stdout(&done);
    for expected in [
        "readme.txt: is not a table of an export",
        "external_ids.csv: is missing: the rows of persons.csv need it",
        "sentence_charges.csv: is missing: the rows of sentences.csv need it",
        "facilities.csv line 1, colour: is not a column of facilities.csv",
        "sentences.csv line 1, kind: the column is missing",
        "persons.csv line 4, id: is given twice: line 2 has it too",
        "persons.csv line 3, birth_date_approximate: must be true or false",
        "names.csv line 5, person_id: no person with this id in persons.csv",
        "names.csv line 6: has 5 cells where the header has 6",
        "names.csv line 2: exactly one name must be primary",
        "detentions.csv line 2, ended: must not be before `started`",
    ] {
        assert!(said.contains(expected), "{expected} in {said}");
    }
    assert!(
        !said.contains("names.csv line 9"),
        "a blank row is no record: {said}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM imports").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM history").await, history);

    // The page lists them by table too.
    let web = app.web(Role::Editor).await;
    let bytes = std::fs::read(&file).unwrap();
    let (status, _, job) = upload(&web, "tables.zip", bytes, true).await;
    assert_eq!(status, 303);
    let page = finished(&web, &job.unwrap()).await;
    assert!(page.contains("The file has problems"), "{page}");
    assert!(
        page.contains("<td>detentions.csv</td><td>2</td><td><code>ended</code></td>"),
        "{page}"
    );
    assert!(
        page.contains("<td>readme.txt</td><td></td><td><code></code></td>"),
        "{page}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM persons").await, 0);
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
            "line 7, charges[0].article.number: no article 999",
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
    text: impl Into<Vec<u8>>,
    with_token: bool,
) -> (u16, String, Option<String>) {
    let mut form = reqwest::multipart::Form::new();
    if with_token {
        form = form.text("csrf", session.csrf("/import").await);
    }
    let file = reqwest::multipart::Part::bytes(text.into()).file_name(name.to_owned());
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
    let (status, _, job) = upload(&editor, "campaign.ndjson", text, true).await;
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
    let (status, _, job) = upload(&editor, "bad.ndjson", text.clone(), true).await;
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
    let (status, _, _) = upload(&editor, "bad.ndjson", text, false).await;
    assert_eq!(status, 403);
    let viewer = app.web(Role::Viewer).await;
    assert_eq!(viewer.get("/import").await.0, 403);
}
