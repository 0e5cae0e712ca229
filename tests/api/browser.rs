//! The workspace in real headless Chromium, driven through chromedriver.
//! Needs Debian's `chromium` and `chromium-driver` (installed by `.ci/run`);
//! without them these tests say so and pass, except under `CI=true`, where
//! their absence is a failure. Screenshots of the main pages are written
//! to `target/screenshots/` for a reviewer to look at.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use docket::domain::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::support::{PASSWORD, TestApp, now, totp_code};

/// A chromedriver of this test; its browsers die with it.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The browsers are in chromedriver's process group: a test that
        // fails half-way leaves none behind.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: signals a process group this test started.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

/// chromedriver, or `None` (with a note) when it is not installed and this
/// is not CI.
fn driver() -> Option<Driver> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("chromedriver")
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!(
                "skipped: chromedriver is not installed ({e}); apt install chromium chromium-driver"
            );
            return None;
        }
        Err(e) => panic!("CI needs chromedriver: {e}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// A fresh browser (its own cookies) at desktop size.
async fn browser(driver: &Driver) -> Client {
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--lang=en"]
        }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("an object literal")
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

async fn log_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    click(c, "form[action='/login'] button").await;
    c.wait()
        .for_element(Locator::Css("a.brand + nav"))
        .await
        .unwrap();
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Saves the page at desktop and phone widths.
async fn screenshots(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, height, size) in [(1280, 900, "desktop"), (390, 844, "phone")] {
        c.set_window_size(width, height).await.unwrap();
        let png = c.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{size}.png")), png).unwrap();
    }
    c.set_window_size(1280, 900).await.unwrap();
}

/// Clicks the element `css` finds.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn fill(c: &Client, id: &str, value: &str) {
    let input = c.find(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn save(c: &Client) {
    click(c, "form.record-form button[type=submit]").await;
}

/// Opens a form of the case on the person page (htmx puts it in place).
async fn open_form(c: &Client, add: &str, form: &str) {
    click(c, &format!("a[href$='/{add}/new']")).await;
    c.wait().for_element(Locator::Id(form)).await.unwrap();
}

async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// Saves a form of the case and waits for the case to show `expected`.
async fn save_record(c: &Client, form: &str, expected: &str) {
    click(c, &format!("#{form} .actions button")).await;
    for _ in 0..100 {
        let gone = c.find(Locator::Id(form)).await.is_err();
        if gone && text(c).await.contains(expected) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "after saving {form}, the page does not show {expected:?}: {}",
        text(c).await
    );
}

/// On the person page, without leaving it: a detention, a charge under
/// Art. 342 found with the picker, and a sentence for that charge.
async fn record_a_detention_a_charge_and_a_sentence(c: &Client) {
    let page = c.current_url().await.unwrap();
    open_form(c, "detentions", "detention-form").await;
    choose(c, "detention-kind", "pre_trial").await;
    fill(c, "detention-started", "14.07.2021").await;
    save_record(c, "detention-form", "14 July 2021").await;
    assert_eq!(c.current_url().await.unwrap().path(), page.path());

    open_form(c, "charges", "charge-form").await;
    fill(c, "charge-article_id-q", "342").await;
    let article = c
        .wait()
        .for_element(Locator::Css("#charge-article_id-choices input[type=radio]"))
        .await
        .unwrap();
    article.click().await.unwrap();
    fill(c, "charge-part", "1").await;
    screenshots(c, "charge-form").await;
    save_record(c, "charge-form", "Art. 342").await;

    open_form(c, "sentences", "sentence-form").await;
    choose(c, "sentence-kind", "imprisonment").await;
    fill(c, "sentence-pronounced", "2022-03-03").await;
    fill(c, "sentence-term_years", "3").await;
    choose(c, "sentence-regime", "general").await;
    click(c, "#sentence-form input[name=charge_ids]").await;
    save_record(c, "sentence-form", "3 years").await;
    let shown = text(c).await;
    assert!(
        shown.contains("Imprisonment") && shown.contains("general regime"),
        "{shown}"
    );
    assert!(shown.contains("3 March 2025"), "the term's end: {shown}");
    screenshots(c, "person-case").await;

    c.goto(&format!("{page}/history")).await.unwrap();
    assert!(text(c).await.contains("sentence added"));
    screenshots(c, "history").await;

    // Without JavaScript the same forms are pages of their own.
    c.goto(&format!("{page}/detentions/new")).await.unwrap();
    assert!(text(c).await.contains("New detention"));
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_record_a_person_and_meet_errors_conflicts_and_languages_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let editor = app.staff_account(Role::Editor, false).await;
    let c = browser(&driver).await;
    log_in(&c, &app.base, &editor).await;
    screenshots(&c, "overview").await;

    // A person with a Cyrillic name and a birth date known to the month.
    c.goto(&format!("{}/persons/new", app.base)).await.unwrap();
    fill(&c, "name-0", "Марфа Рабкова").await;
    fill(&c, "lang-0", "be").await;
    fill(&c, "name-1", "Marfa Rabkova").await;
    fill(&c, "lang-1", "be-Latn").await;
    fill(&c, "birth_date", "1995-03").await;
    fill(&c, "occupation", "volunteer coordinator").await;
    screenshots(&c, "person-form").await;
    save(&c).await;
    c.wait()
        .for_element(Locator::Id("status-heading"))
        .await
        .unwrap();
    let page = c.current_url().await.unwrap();
    let shown = text(&c).await;
    assert!(
        shown.contains("Марфа Рабкова") && shown.contains("Marfa Rabkova"),
        "{shown}"
    );
    assert!(shown.contains("March 1995"), "{shown}");
    screenshots(&c, "person").await;
    record_a_detention_a_charge_and_a_sentence(&c).await;

    // An impossible date: the error beside the field, the input kept.
    c.goto(&format!("{page}/edit")).await.unwrap();
    fill(&c, "birth_date", "30.02.1995").await;
    save(&c).await;
    let error = c
        .wait()
        .for_element(Locator::Id("birth_date-error"))
        .await
        .unwrap();
    assert!(error.text().await.unwrap().contains("30.02.1995"));
    let kept = c
        .find(Locator::Id("birth_date"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("30.02.1995"));
    screenshots(&c, "person-form-error").await;

    // The same person edited in two windows (two staff members).
    let other = browser(&driver).await;
    log_in(
        &other,
        &app.base,
        &app.staff_account(Role::Editor, false).await,
    )
    .await;
    c.goto(&format!("{page}/edit")).await.unwrap();
    other.goto(&format!("{page}/edit")).await.unwrap();
    fill(&other, "occupation", "human-rights defender").await;
    save(&other).await;
    other
        .wait()
        .for_element(Locator::Id("status-heading"))
        .await
        .unwrap();
    fill(&c, "occupation", "volunteer").await;
    save(&c).await;
    let conflict = c
        .wait()
        .for_element(Locator::Css(".conflict"))
        .await
        .unwrap();
    let said = conflict.text().await.unwrap();
    assert!(
        said.contains("human-rights defender") && said.contains("volunteer"),
        "{said}"
    );
    screenshots(&c, "person-conflict").await;
    other.close().await.unwrap();

    // Belarusian.
    c.goto(&format!("{}/persons", app.base)).await.unwrap();
    c.find(Locator::Id("language-choice"))
        .await
        .unwrap()
        .select_by_value("be")
        .await
        .unwrap();
    click(&c, "form.language button").await;
    c.wait()
        .for_element(Locator::Css("html[lang='be']"))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Асобы"));
    screenshots(&c, "persons-be").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_up_a_second_factor_and_sees_accounts_and_reference_data_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let admin = app.staff_account(Role::Admin, true).await;
    let c = browser(&driver).await;
    log_in(&c, &app.base, &admin).await;

    // An admin must have a second factor: the first page is its setup,
    // with a QR code drawn by the server and the key to type.
    assert!(c.current_url().await.unwrap().path() == "/account/second-factor");
    assert!(c.find(Locator::Css("figure.qr svg path")).await.is_ok());
    screenshots(&c, "second-factor-setup").await;
    let secret: String = c
        .find(Locator::Id("secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .split_whitespace()
        .collect();
    fill(&c, "code", &totp_code(&secret, now())).await;
    fill(&c, "current_password", PASSWORD).await;
    click(&c, "form[action='/account/second-factor'] button").await;
    c.wait()
        .for_element(Locator::Css(".recovery-codes"))
        .await
        .unwrap();
    assert_eq!(
        c.find_all(Locator::Css(".recovery-codes li"))
            .await
            .unwrap()
            .len(),
        10
    );
    screenshots(&c, "recovery-codes").await;

    // Logging in again asks for the code after the password; the code of
    // the setup does not work twice, the next one does.
    click(&c, "form[action='/logout'] button").await;
    c.wait().for_element(Locator::Id("email")).await.unwrap();
    fill(&c, "email", &admin).await;
    fill(&c, "password", PASSWORD).await;
    click(&c, "form[action='/login'] button").await;
    c.wait().for_element(Locator::Id("code")).await.unwrap();
    screenshots(&c, "login-code").await;
    fill(&c, "code", &totp_code(&secret, now() + 30)).await;
    click(&c, "form[action='/login/code'] button").await;
    c.wait()
        .for_element(Locator::Css("a.brand + nav"))
        .await
        .unwrap();
    c.goto(&format!("{}/admin/users", app.base)).await.unwrap();
    assert!(text(&c).await.contains("New account"));
    screenshots(&c, "accounts").await;
    c.goto(&format!("{}/facilities/new", app.base))
        .await
        .unwrap();
    fill(&c, "facility-name", "Penal colony No. 4, Mogilev").await;
    fill(
        &c,
        "facility-postal_address",
        "ul. Kruglyanskoe shosse 33\n212013 Mogilev",
    )
    .await;
    screenshots(&c, "facility-form").await;
    click(&c, "#facility-form .actions button").await;
    c.wait()
        .for_element(Locator::Css(".reference-list"))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Penal colony No. 4, Mogilev"));
    screenshots(&c, "facilities").await;

    // Two records of one person: offered as duplicates, compared side by
    // side; and a note found by the text search.
    let token = app.writer().await;
    let mut noted = crate::support::person("Mikalai Statkevich");
    noted["notes"] = "Beaten in the van on 31 May 2020.".into();
    app.create("/api/v1/persons", &token, &noted).await;
    let other = crate::support::person("Мікалай Статкевіч");
    app.create("/api/v1/persons", &token, &other).await;
    c.goto(&format!("{}/persons/duplicates", app.base))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Names written alike"));
    screenshots(&c, "duplicates").await;
    click(&c, ".duplicates .record-actions a").await;
    c.wait()
        .for_element(Locator::Css(".compare"))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Keep this record"));
    screenshots(&c, "merge").await;
    c.goto(&format!("{}/search?q=beaten+van", app.base))
        .await
        .unwrap();
    assert!(text(&c).await.contains("1 text found"));
    screenshots(&c, "search").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_finds_no_edit_controls_and_a_forged_post_is_refused_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let editor = app.web(Role::Editor).await;
    let (_, _, location) = editor
        .submit(
            "/persons/new",
            "/persons",
            &[
                ("names[0].name", "Ihar Losik"),
                ("names[0].lang", "en"),
                ("visibility", "internal"),
            ],
        )
        .await;
    let page = location.expect("created");
    let c = browser(&driver).await;
    log_in(&c, &app.base, &app.staff_account(Role::Viewer, false).await).await;
    c.goto(&format!("{}{page}", app.base)).await.unwrap();
    assert!(text(&c).await.contains("Ihar Losik"));
    assert!(
        c.find_all(Locator::Css("a[href$='/edit']"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        c.find_all(Locator::Css("a[href='/persons/new']"))
            .await
            .unwrap()
            .is_empty()
    );
    // A POST forged from the page itself, with the session's own token.
    let status = c
        .execute(
            "const csrf = document.querySelector('input[name=csrf]').value;
             return fetch(arguments[0], {method: 'POST', headers: {'content-type': 'application/x-www-form-urlencoded'},
                          body: 'csrf=' + encodeURIComponent(csrf) + '&names%5B0%5D.name=Forged&names%5B0%5D.lang=en'})
                    .then(r => r.status);",
            vec![serde_json::json!(format!("{}/persons", app.base))],
        )
        .await
        .unwrap();
    assert_eq!(status, serde_json::json!(403));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn partners_browse_the_api_reference_served_by_the_server_in_a_browser() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let c = browser(&driver).await;
    c.goto(&format!("{}/api/docs", app.base)).await.unwrap();
    // Rendered by its scripts, under the pages' policy, from the document
    // the server serves.
    c.wait()
        .for_element(Locator::Css(
            ".opblock-summary-path[data-path='/persons/{id}']",
        ))
        .await
        .unwrap();
    let page = c
        .find(Locator::Css("#swagger-ui"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/persons/{id}/merge"), "{page}");
    assert!(page.contains("/search"), "{page}");
    assert_eq!(c.current_url().await.unwrap().path(), "/api/docs/");
    screenshots(&c, "api-docs").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_imports_a_file_in_a_browser_after_checking_it() {
    let Some(driver) = driver() else { return };
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("campaign.ndjson");
    let lines: String = (0..400)
        .map(|i| {
            let record = crate::support::person(&format!("Person {i}"));
            format!(
                "{}\n",
                serde_json::json!({"kind": "person", "record": record})
            )
        })
        .collect();
    std::fs::write(&file, lines).unwrap();
    let c = browser(&driver).await;
    log_in(&c, &app.base, &app.staff_account(Role::Editor, false).await).await;
    click(&c, "nav a[href='/import']").await;
    c.find(Locator::Id("import-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    click(&c, "form[action='/import'] button").await;
    // The page follows the check with a progress bar until it is done.
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("form[action$='/apply'] button"))
        .await
        .unwrap();
    let checked = text(&c).await;
    assert!(checked.contains("No problems found"), "{checked}");
    assert!(checked.contains("400"), "{checked}");
    screenshots(&c, "import-checked").await;
    click(&c, "form[action$='/apply'] button").await;
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("p.done"))
        .await
        .unwrap();
    assert!(text(&c).await.contains("Imported."));
    let persons: i64 = sqlx::query_scalar("SELECT count(*) FROM persons")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(persons, 400);
    c.close().await.unwrap();
}
