//! Finding a person by any spelling of a name: Belarusian and Russian
//! Cyrillic, BGN/PCGN, the Belarusian national system, Polish-style
//! Łacinka, passport spellings, missing diacritics, typos, another word
//! order and a part of a name. The registry holds one spelling of each
//! name; every other spelling finds that person first, in the API and in
//! the workspace.

use docket::domain::Role;
use serde_json::Value;

use crate::support::{TestApp, json, person};

/// The names as recorded: one spelling each (the demo cases' English one).
const RECORDED: [&str; 27] = [
    "Ales Bialiatski",
    "Valiantsin Stefanovich",
    "Uladzimir Labkovich",
    "Nina Labkovich",
    "Siarhei Matskievich",
    "Andrei Paluda",
    "Viktar Sazonau",
    "Leanid Sudalenka",
    "Tatsiana Lasitsa",
    "Aliaksei Loika",
    "Leanid Svetsik",
    "Pavel Levinau",
    "Andrei Strizhak",
    "Tatsiana Reviaka",
    "Mikalai Statkevich",
    "Anatol Liabedzka",
    "Vital Rymasheuski",
    "Pavel Seviarynets",
    "Yury Hubarevich",
    "Viachaslau Kasinerau",
    "Maryia Kalesnikava",
    "Siarhei Tsikhanouski",
    "Ihar Losik",
    "Mikhail Volchek",
    "Svetlana Volchek",
    "Marfa Rabkova",
    "Ales Kaputski",
];

/// Other spellings, and whom each must find first. Built from the demo
/// cases' names in Belarusian and Russian, and from the transliteration
/// tables (BGN/PCGN, the national system, Łacinka, passports).
const SPELLINGS: [(&str, &str); 71] = [
    ("Алесь Бяляцкі", "Ales Bialiatski"),
    ("Алесь Беляцкий", "Ales Bialiatski"),
    ("Ales Bialiatsky", "Ales Bialiatski"),
    ("Aleś Bialacki", "Ales Bialiatski"),
    ("Bialiatski Ales", "Ales Bialiatski"),
    ("Bialatski", "Ales Bialiatski"),
    ("Бяля", "Ales Bialiatski"),
    ("Валянцін Стэфановіч", "Valiantsin Stefanovich"),
    ("Валентин Стефанович", "Valiantsin Stefanovich"),
    ("Valiancin Stefanovič", "Valiantsin Stefanovich"),
    ("Уладзімір Лабковіч", "Uladzimir Labkovich"),
    ("Владимир Лабкович", "Uladzimir Labkovich"),
    ("Vladimir Labkovich", "Uladzimir Labkovich"),
    ("Ніна Лабковіч", "Nina Labkovich"),
    ("Сяргей Мацкевіч", "Siarhei Matskievich"),
    ("Sergei Matskevich", "Siarhei Matskievich"),
    ("Siarhiej Mackievič", "Siarhei Matskievich"),
    ("Андрэй Палуда", "Andrei Paluda"),
    ("Андрей Полуда", "Andrei Paluda"),
    ("Віктар Сазонаў", "Viktar Sazonau"),
    ("Viktor Sazonov", "Viktar Sazonau"),
    ("Леанід Судаленка", "Leanid Sudalenka"),
    ("Леонид Судаленко", "Leanid Sudalenka"),
    ("Leonid Sudalenko", "Leanid Sudalenka"),
    ("Таццяна Ласіца", "Tatsiana Lasitsa"),
    ("Tatiana Lasitsa", "Tatsiana Lasitsa"),
    ("Tacciana Lasica", "Tatsiana Lasitsa"),
    ("Аляксей Лойка", "Aliaksei Loika"),
    ("Alexei Loiko", "Aliaksei Loika"),
    ("Aleksiej Łojka", "Aliaksei Loika"),
    ("Леанід Свецік", "Leanid Svetsik"),
    ("Леонид Светик", "Leanid Svetsik"),
    ("Павел Левінаў", "Pavel Levinau"),
    ("Pavel Levinov", "Pavel Levinau"),
    ("Андрэй Стрыжак", "Andrei Strizhak"),
    ("Andrej Stryžak", "Andrei Strizhak"),
    ("Таццяна Равяка", "Tatsiana Reviaka"),
    ("Татьяна Ревяко", "Tatsiana Reviaka"),
    ("Мікалай Статкевіч", "Mikalai Statkevich"),
    ("Nikolai Statkevich", "Mikalai Statkevich"),
    ("Mikola Statkevič", "Mikalai Statkevich"),
    ("Statkevitch", "Mikalai Statkevich"),
    ("Анатоль Лябедзька", "Anatol Liabedzka"),
    ("Анатолий Лебедько", "Anatol Liabedzka"),
    ("Anatoly Lebedko", "Anatol Liabedzka"),
    ("Віталь Рымашэўскі", "Vital Rymasheuski"),
    ("Виталий Рымашевский", "Vital Rymasheuski"),
    ("Vitaly Rymashevsky", "Vital Rymasheuski"),
    ("Павел Севярынец", "Pavel Seviarynets"),
    ("Pavel Severinets", "Pavel Seviarynets"),
    ("Юры Губарэвіч", "Yury Hubarevich"),
    ("Yuri Gubarevich", "Yury Hubarevich"),
    ("Jury Hubarevič", "Yury Hubarevich"),
    ("Вячаслаў Касінераў", "Viachaslau Kasinerau"),
    ("Vyacheslav Kosinerov", "Viachaslau Kasinerau"),
    ("Марыя Калеснікава", "Maryia Kalesnikava"),
    ("Мария Колесникова", "Maryia Kalesnikava"),
    ("Maria Kolesnikova", "Maryia Kalesnikava"),
    ("Kalesnikova", "Maryia Kalesnikava"),
    ("Сергей Тихановский", "Siarhei Tsikhanouski"),
    ("Sergei Tikhanovsky", "Siarhei Tsikhanouski"),
    ("Siarhiej Cichanoŭski", "Siarhei Tsikhanouski"),
    ("Tikhanovskiy Sergey", "Siarhei Tsikhanouski"),
    ("Ціханоўскі", "Siarhei Tsikhanouski"),
    ("Игорь Лосик", "Ihar Losik"),
    ("Ігар Лосік", "Ihar Losik"),
    ("Igor Losik", "Ihar Losik"),
    ("Михаил Волчек", "Mikhail Volchek"),
    ("Svetlana Volček", "Svetlana Volchek"),
    ("Марфа Рабкова", "Marfa Rabkova"),
    ("Алесь Капуцкі", "Ales Kaputski"),
];

async fn record_everyone(app: &TestApp) -> String {
    let token = app.writer().await;
    for name in RECORDED {
        app.create("/api/v1/persons", &token, &person(name)).await;
    }
    token
}

/// The primary name of a person in a list.
fn primary(item: &Value) -> &str {
    item["names"]
        .as_array()
        .and_then(|names| names.iter().find(|n| n["primary"] == true))
        .and_then(|n| n["name"].as_str())
        .unwrap_or_default()
}

fn query(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

#[tokio::test]
async fn every_spelling_of_a_name_finds_its_person_first_in_the_api() {
    let app = TestApp::spawn().await;
    let token = record_everyone(&app).await;
    let mut misses = Vec::new();
    for (spelling, expected) in SPELLINGS {
        let response = app
            .get(&format!("/api/v1/persons?q={}", query(spelling)), &token)
            .await;
        let (status, page) = json(response).await;
        assert_eq!(status, 200, "{spelling}: {page}");
        let first = &page["items"][0];
        if primary(first) != expected {
            misses.push(format!(
                "{spelling} found {:?}, not {expected}",
                primary(first)
            ));
            continue;
        }
        // The name that matched, and how closely.
        assert_eq!(first["name_match"]["name"], expected, "{spelling}");
        let closeness = first["name_match"]["closeness"].as_f64().unwrap_or(0.0);
        assert!(
            closeness > 0.3 && closeness <= 1.0,
            "{spelling}: {closeness}"
        );
    }
    assert!(
        misses.is_empty(),
        "{} of {} missed:\n{}",
        misses.len(),
        SPELLINGS.len(),
        misses.join("\n")
    );
}

#[tokio::test]
async fn the_workspace_search_finds_the_same_person_and_shows_the_matching_name() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    let mut ales = person("Ales Bialiatski");
    ales["names"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "Алесь Бяляцкі", "lang": "be"}));
    app.create("/api/v1/persons", &token, &ales).await;
    for name in ["Ales Kaputski", "Anatol Liabedzka"] {
        app.create("/api/v1/persons", &token, &person(name)).await;
    }
    let web = app.web(Role::Viewer).await;
    let (status, page) = web
        .get(&format!("/persons?q={}", query("Алесь Беляцкий")))
        .await;
    assert_eq!(status, 200);
    let first_row = page
        .split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tr>").next())
        .unwrap_or_default();
    assert!(first_row.contains("Ales Bialiatski"), "{first_row}");
    assert!(
        first_row.contains("<mark>Алесь Бяляцкі</mark>"),
        "{first_row}"
    );
    assert!(page.contains("<option value=\"\" selected>Closest match</option>"));
    // Typing a part of a name, as htmx sends it on each key.
    let response = web
        .client
        .get(format!("{}/persons?q={}", web.base, query("Бяля")))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let rows = response.text().await.unwrap();
    assert!(
        rows.contains("Ales Bialiatski") && !rows.contains("Ales Kaputski"),
        "{rows}"
    );
    // Nothing a name could be: no one, and no error.
    for q in ["12345", "ნინო", "%", "_", "'"] {
        let (status, page) = web.get(&format!("/persons?q={}", query(q))).await;
        assert_eq!(status, 200, "{q}");
        assert!(!page.contains("Ales Bialiatski"), "{q}");
    }
}

#[tokio::test]
async fn a_search_pages_closest_first_and_refuses_a_foreign_cursor() {
    let app = TestApp::spawn().await;
    let token = record_everyone(&app).await;
    // The two Labkoviches, one page at a time, closest first.
    let (_, first) = json(app.get("/api/v1/persons?q=Labkovich&limit=1", &token).await).await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("another page")
        .to_owned();
    let (_, second) = json(
        app.get(
            &format!("/api/v1/persons?q=Labkovich&limit=1&cursor={cursor}"),
            &token,
        )
        .await,
    )
    .await;
    let mut found = vec![
        primary(&first["items"][0]).to_owned(),
        primary(&second["items"][0]).to_owned(),
    ];
    found.sort();
    assert_eq!(found, ["Nina Labkovich", "Uladzimir Labkovich"]);
    // A search's cursor means nothing to a plain list, and the other way.
    let response = app
        .get(&format!("/api/v1/persons?cursor={cursor}"), &token)
        .await;
    let (status, problem) = json(response).await;
    assert_eq!(status, 422, "{problem}");
    let (_, plain) = json(app.get("/api/v1/persons?limit=1", &token).await).await;
    let id_cursor = plain["next_cursor"].as_str().unwrap().to_owned();
    let response = app
        .get(
            &format!("/api/v1/persons?q=Labkovich&cursor={id_cursor}"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn the_spelling_typed_decides_between_names_that_sound_alike() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for name in ["Andrei Zhdanovich", "Andrei Zdanovich", "Vital Rymasheuski"] {
        app.create("/api/v1/persons", &token, &person(name)).await;
    }
    for (q, expected) in [
        ("Andrei Zhdanovich", "Andrei Zhdanovich"),
        ("Andrei Zdanovich", "Andrei Zdanovich"),
        // A part of a word, as typed.
        ("heuski", "Vital Rymasheuski"),
    ] {
        let (_, page) = json(
            app.get(&format!("/api/v1/persons?q={}", query(q)), &token)
                .await,
        )
        .await;
        assert_eq!(primary(&page["items"][0]), expected, "{q}: {page}");
    }
    // A search longer than any name is refused before it costs anything.
    let long = "ab".repeat(5000);
    let response = app.get(&format!("/api/v1/persons?q={long}"), &token).await;
    let (status, problem) = json(response).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "q");
    for cursor in ["s+3", "s03", "s-1", "s"] {
        let response = app
            .get(&format!("/api/v1/persons?q=Andrei&cursor={cursor}"), &token)
            .await;
        assert_eq!(response.status(), 422, "{cursor}");
    }

    // The workspace's form, as the browser sends it: the order left
    // unchosen is closest first; chosen, it holds.
    let web = app.web(Role::Viewer).await;
    let first = |page: &str| {
        page.split("<tbody>")
            .nth(1)
            .and_then(|b| b.split("</tr>").next())
            .unwrap_or_default()
            .to_owned()
    };
    let (_, page) = web
        .get("/persons?q=Andrei+Zhdanovich&status=&sort=&as_of=")
        .await;
    assert!(first(&page).contains("Andrei Zhdanovich"), "{page}");
    let (_, page) = web.get("/persons?q=Andrei+Zhdanovich&sort=name").await;
    assert!(first(&page).contains("Andrei Zdanovich"));
    let (status, page) = web.get(&format!("/persons?q={long}")).await;
    assert_eq!(status, 422);
    assert!(page.contains("At most 200 characters"));
}
