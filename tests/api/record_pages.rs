//! The records of a case edited from the person page over real HTTP:
//! detentions, charges with the article picker, sentences, recognitions,
//! affiliations and citations; their errors, conflicts, archiving, roles
//! and escaping.

use docket::domain::Role;

use crate::support::{PASSWORD, TestApp, WebSession};

/// A new person through the form; returns the person page's path.
async fn person(web: &WebSession, name: &str) -> String {
    let fields = [
        ("names[0].name", name),
        ("names[0].lang", "be"),
        ("primary", "0"),
        ("visibility", "internal"),
        ("version", "0"),
    ];
    let (status, body, location) = web.submit("/persons/new", "/persons", &fields).await;
    assert_eq!(status, 303, "{body}");
    location.expect("the person's page")
}

/// Posts a record form opened at `from`; returns `(status, body, Location)`.
async fn post(
    web: &WebSession,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, Option<String>) {
    web.submit(from, path, fields).await
}

/// A staff member with restricted clearance, logged in.
async fn cleared(app: &TestApp) -> WebSession {
    let email = app.staff_account(Role::Editor, true).await;
    let web = app.visitor();
    web.login(&email, PASSWORD).await;
    web
}

const DETENTION: [(&str, &str); 5] = [
    ("kind", "pre_trial"),
    ("started", "14.07.2021"),
    ("authority", "KGB"),
    ("visibility", "public"),
    ("version", "0"),
];

#[tokio::test]
async fn a_detention_a_charge_and_a_sentence_are_added_from_the_person_page() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Марфа Рабкова").await;
    let (status, form) = web.get(&format!("{page}/detentions/new")).await;
    assert_eq!(status, 200);
    assert!(form.contains("New detention") && form.contains("Марфа Рабкова"));
    let before = app.history_count().await;
    let detention = web.add_record(&page, "detentions", &DETENTION).await;
    assert_eq!(
        app.history_count().await,
        before + 1,
        "the change is attributed"
    );

    // The article typed by its number alone is the one article of that number.
    let charge = web
        .add_record(
            &page,
            "charges",
            &[
                ("article_q", "342"),
                ("part", "1"),
                ("status", "charged"),
                ("detention_id", &detention),
                ("filed", "07.2021"),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    web.add_record(
        &page,
        "sentences",
        &[
            ("kind", "imprisonment"),
            ("pronounced", "2022-03-03"),
            ("term_years", "3"),
            ("term_months", "6"),
            ("regime", "general"),
            ("charge_ids", &charge),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    let (_, shown) = web.get(&page).await;
    for expected in [
        "14 July 2021",
        "Pre-trial detention",
        "KGB",
        "Art. 342 (part 1)",
        "3 years 6 months",
        "general regime",
        "3 September 2025",
    ] {
        assert!(shown.contains(expected), "the person page shows {expected}");
    }
    // Each record has its edit form, filled with what is stored.
    let (status, form) = web.get(&format!("/charges/{charge}/edit")).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"1\"") && form.contains("Art. 342"));
    assert!(form.contains(&format!("value=\"{detention}\" selected")));
}

#[tokio::test]
async fn htmx_gets_the_form_alone_and_is_sent_back_to_the_case_after_saving() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Ihar Losik").await;
    let response = web
        .client
        .get(format!("{}{page}/detentions/new", app.base))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(
        body.trim_start()
            .starts_with("<div class=\"record-editor\"")
    );
    assert!(!body.contains("<html"), "a part of the page, not a page");

    let csrf = web.csrf(&page).await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&DETENTION);
    let (status, _, _) = web
        .post_raw(
            &format!("{page}/detentions"),
            &fields,
            &[("hx-request", "true")],
        )
        .await;
    assert_eq!(status, 204);
    let response = web
        .client
        .post(format!("{}{page}/detentions", app.base))
        .header("hx-request", "true")
        .form(&fields)
        .send()
        .await
        .unwrap();
    let location = response.headers()["hx-location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        location.contains(&format!("\"path\":\"{page}\"")),
        "{location}"
    );
    assert!(location.contains("\"target\":\"#case\""), "{location}");

    // An error comes back as the form alone, for htmx to put in place.
    fields.retain(|(k, _)| *k != "started");
    let response = web
        .client
        .post(format!("{}{page}/detentions", app.base))
        .header("hx-request", "true")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("id=\"started-error\"") && !body.contains("<html"));
}

#[tokio::test]
async fn every_bad_value_is_named_beside_its_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Мікалай Статкевіч").await;
    let other = person(&web, "Сяргей Ціханоўскі").await;
    let before = app.history_count().await;
    let from = format!("{page}/detentions/new");
    let (status, body, _) = post(
        &web,
        &from,
        &format!("{page}/detentions"),
        &[
            ("kind", "no_such_kind"),
            ("started", "31.02.2021"),
            ("ended", "2020"),
            ("authority", "Следственный комитет"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"kind-error\"") && body.contains("id=\"started-error\""));
    assert!(
        body.contains("“31.02.2021” is not a day of the calendar"),
        "the message names what was typed"
    );
    assert!(body.contains("value=\"31.02.2021\"") && body.contains("Следственный комитет"));

    // A charge with no article found, and a term that is not a number.
    let (status, body, _) = post(
        &web,
        &format!("{page}/charges/new"),
        &format!("{page}/charges"),
        &[
            ("article_q", "no such article"),
            ("status", "charged"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"article_id-error\"") && body.contains("No article matches"));
    let (status, body, _) = post(
        &web,
        &format!("{page}/sentences/new"),
        &format!("{page}/sentences"),
        &[
            ("kind", "imprisonment"),
            ("term_years", "three"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"term_years-error\"") && body.contains("value=\"three\""));

    // Another person's charge, and another person's detention to cite for.
    let theirs = web
        .add_record(
            &other,
            "charges",
            &[
                ("article_q", "342"),
                ("status", "charged"),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let after_theirs = app.history_count().await;
    let (status, body, _) = post(
        &web,
        &format!("{page}/sentences/new"),
        &format!("{page}/sentences"),
        &[
            ("kind", "fine"),
            ("fine_basic_units", "50"),
            ("charge_ids", &theirs),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("id=\"charge_ids-error\""));
    let cite_for = format!("charge:{theirs}");
    let (status, body, _) = post(
        &web,
        &format!("{page}/citations/new"),
        &format!("{page}/citations"),
        &[
            ("cited_for", &cite_for),
            ("source_id", ""),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"cited_for-error\"") && body.contains("id=\"source_id-error\""));
    assert_eq!(app.history_count().await, after_theirs);
    assert_eq!(
        after_theirs,
        before + 1,
        "only the other person's charge was saved"
    );

    // Looking an article up saves nothing and lists what was found.
    let (status, body, _) = post(
        &web,
        &format!("{page}/charges/new"),
        &format!("{page}/charges"),
        &[
            ("article_q", "public order"),
            ("find", "article"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("Art. 342") && !body.contains("field-error"));
    assert_eq!(app.history_count().await, after_theirs);
}

#[tokio::test]
async fn two_edits_of_one_record_meet_in_a_conflict_and_archiving_keeps_history() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let colleague = app.web(Role::Editor).await;
    let page = person(&web, "Maria Kalesnikava").await;
    let id = web.add_record(&page, "detentions", &DETENTION).await;
    let edit = format!("/detentions/{id}/edit");
    let path = format!("/detentions/{id}");
    let mut theirs = DETENTION.to_vec();
    theirs.retain(|(k, _)| *k != "authority" && *k != "version");
    theirs.extend([("authority", "Investigative Committee"), ("version", "1")]);
    let (status, body, _) = post(&colleague, &edit, &path, &theirs).await;
    assert_eq!(status, 303, "{body}");

    let mut mine = DETENTION.to_vec();
    mine.retain(|(k, _)| *k != "authority" && *k != "version");
    mine.extend([("authority", "GUBOPiK"), ("version", "1")]);
    let (status, body, _) = post(&web, &edit, &path, &mine).await;
    assert_eq!(status, 409);
    assert!(body.contains("Investigative Committee") && body.contains("GUBOPiK"));
    assert!(body.contains("Test Staff"), "who saved first");
    assert!(
        body.contains("name=\"version\" value=\"2\""),
        "the form moves on"
    );
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("Investigative Committee") && !shown.contains("GUBOPiK"));

    // Saving again at the new version replaces theirs, knowingly.
    mine.retain(|(k, _)| *k != "version");
    mine.push(("version", "2"));
    assert_eq!(post(&web, &edit, &path, &mine).await.0, 303);

    // Archiving at a stale version is refused; at the current one it works.
    let archive = format!("/detentions/{id}/archive");
    assert_eq!(
        post(&web, &edit, &archive, &[("version", "2")]).await.0,
        412
    );
    let before = app.history_count().await;
    let (status, _, location) = post(&web, &edit, &archive, &[("version", "3")]).await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}#detentions").as_str())
    );
    assert_eq!(app.history_count().await, before + 1);
    let (_, shown) = web.get(&page).await;
    assert!(!shown.contains("GUBOPiK"));
    assert_eq!(
        web.get(&edit).await.0,
        404,
        "an archived record has no form"
    );
}

#[tokio::test]
async fn a_viewer_gets_no_record_forms() {
    let app = TestApp::spawn().await;
    let editor = app.web(Role::Editor).await;
    let page = person(&editor, "Ales Bialiatski").await;
    let id = editor.add_record(&page, "detentions", &DETENTION).await;
    let viewer = app.web(Role::Viewer).await;
    let (_, shown) = viewer.get(&page).await;
    assert!(shown.contains("14 July 2021"));
    assert!(!shown.contains("/detentions/new") && !shown.contains("/edit"));
    assert_eq!(viewer.get(&format!("{page}/detentions/new")).await.0, 403);
    assert_eq!(viewer.get(&format!("/detentions/{id}/edit")).await.0, 403);
    let (status, _, _) = post(&viewer, &page, &format!("{page}/detentions"), &DETENTION).await;
    assert_eq!(status, 403);
    let (status, _, _) = post(
        &viewer,
        &page,
        &format!("/detentions/{id}/archive"),
        &[("version", "1")],
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_link_to_a_restricted_record_is_neither_shown_nor_cut_by_an_uncleared_editor() {
    let app = TestApp::spawn().await;
    let cleared = cleared(&app).await;
    let page = person(&cleared, "Palina Sharenda-Panasiuk").await;
    let mut hidden = DETENTION.to_vec();
    hidden.retain(|(k, _)| *k != "visibility");
    hidden.push(("visibility", "restricted"));
    let detention = cleared.add_record(&page, "detentions", &hidden).await;
    let charge = cleared
        .add_record(
            &page,
            "charges",
            &[
                ("article_q", "342"),
                ("status", "charged"),
                ("detention_id", &detention),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;

    let editor = app.web(Role::Editor).await;
    let edit = format!("/charges/{charge}/edit");
    let (status, form) = editor.get(&edit).await;
    assert_eq!(status, 200);
    assert!(
        !form.contains(&detention),
        "the restricted detention's id stays hidden"
    );
    assert!(
        !form.contains("value=\"restricted\""),
        "nor may they make records restricted"
    );
    let (status, body, _) = post(
        &editor,
        &edit,
        &format!("/charges/{charge}"),
        &[
            ("article_q", "342"),
            ("part", "2"),
            ("status", "convicted"),
            ("detention_id", ""),
            ("visibility", "public"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    let (_, form) = cleared.get(&edit).await;
    assert!(
        form.contains(&format!("value=\"{detention}\" selected")),
        "the link survives the edit"
    );
    assert!(form.contains("value=\"2\""));

    // Two edits meet: the conflict names the other side's values, and
    // still not the restricted detention.
    let stale = [
        ("article_q", "342"),
        ("part", "3"),
        ("status", "convicted"),
        ("visibility", "public"),
        ("version", "1"),
    ];
    let (status, body, _) = post(&editor, &edit, &format!("/charges/{charge}"), &stale).await;
    assert_eq!(status, 409);
    assert!(body.contains("value=\"3\""), "their input kept");
    assert!(!body.contains(&detention), "{body}");
}

#[tokio::test]
async fn what_users_type_into_records_is_escaped_on_the_person_page_and_in_forms() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Eduard Babaryka").await;
    let evil = "<script>alert(1)</script>";
    let detention = web
        .add_record(
            &page,
            "detentions",
            &[
                ("kind", "pre_trial"),
                ("started", "2020"),
                ("authority", evil),
                ("notes", evil),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let sentence = web
        .add_record(
            &page,
            "sentences",
            &[
                ("kind", "other"),
                ("court", evil),
                ("judge", evil),
                ("appeal_outcome", evil),
                ("notes", evil),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let reference = |collection: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let web = &web;
        async move {
            let (status, body, location) = web
                .submit(
                    &format!("/{collection}/new"),
                    &format!("/{collection}"),
                    &fields,
                )
                .await;
            assert_eq!(status, 303, "{body}");
            let location = location.unwrap();
            location
                .split_once('#')
                .unwrap()
                .1
                .split_once('-')
                .unwrap()
                .1
                .to_owned()
        }
    };
    let organization = reference(
        "organizations",
        vec![
            ("name", "<script>alert(1)</script>"),
            ("kind", "ngo"),
            ("version", "0"),
        ],
    )
    .await;
    let source = reference(
        "sources",
        vec![
            ("title", "<script>alert(1)</script>"),
            ("publisher", "<script>alert(1)</script>"),
            ("kind", "article"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    let facility = reference(
        "facilities",
        vec![
            ("name", "<script>alert(1)</script>"),
            ("kind", "prison"),
            ("city", "<script>alert(1)</script>"),
            ("postal_address", "<script>alert(1)</script>"),
            ("version", "0"),
        ],
    )
    .await;
    let affiliation = web
        .add_record(
            &page,
            "affiliations",
            &[
                ("organization_id", &organization),
                ("role", evil),
                ("notes", evil),
                ("visibility", "internal"),
                ("version", "0"),
            ],
        )
        .await;
    let recognition = web
        .add_record(
            &page,
            "recognitions",
            &[
                ("organization_id", &organization),
                ("source_id", &source),
                ("notes", evil),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let charge = web
        .add_record(
            &page,
            "charges",
            &[
                ("article_q", "342"),
                ("status", "charged"),
                ("notes", evil),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let cite_for = format!("charge:{charge}");
    let citation = web
        .add_record(
            &page,
            "citations",
            &[
                ("cited_for", &cite_for),
                ("source_id", &source),
                ("note", evil),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let detained_in = web
        .add_record(
            &page,
            "detentions",
            &[
                ("kind", "imprisonment"),
                ("started", "2021"),
                ("facility_id", &facility),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    for path in [
        page.clone(),
        format!("{page}/history"),
        format!("/detentions/{detention}/edit"),
        format!("/detentions/{detained_in}/edit"),
        format!("/sentences/{sentence}/edit"),
        format!("/affiliations/{affiliation}/edit"),
        format!("/recognitions/{recognition}/edit"),
        format!("/charges/{charge}/edit"),
        format!("/citations/{citation}/edit"),
        format!("{page}/citations/new?for={evil}"),
        format!("{page}/sentences/new"),
        "/organizations".to_owned(),
        "/sources".to_owned(),
        "/facilities".to_owned(),
        format!("/facilities/{facility}/edit"),
        "/".to_owned(),
    ] {
        let (status, body) = web.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains(evil), "{path} escapes what users typed");
    }
    let (_, body) = web.get(&format!("/articles/pick?article_q={evil}")).await;
    assert!(!body.contains(evil));
}

/// The history page's restore forms: `(entry path, the button's words)`.
fn restore_forms(page: &str) -> Vec<(String, String)> {
    page.split("action=\"")
        .skip(1)
        .filter_map(|rest| {
            let path = rest.split('"').next()?;
            if !path.ends_with("/restore") {
                return None;
            }
            let button = rest.split("data-confirm=").nth(1)?.split('>').nth(1)?;
            Some((path.to_owned(), button.split('<').next()?.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn the_history_page_tells_who_changed_what_and_restores_an_earlier_version() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Ihar Losik").await;
    let id = web.add_record(&page, "detentions", &DETENTION).await;
    let edit = format!("/detentions/{id}/edit");
    let mut changed = DETENTION.to_vec();
    changed.retain(|(k, _)| *k != "started" && *k != "version");
    changed.extend([("started", "2021-07-15"), ("version", "1")]);
    let (status, body, _) = post(&web, &edit, &format!("/detentions/{id}"), &changed).await;
    assert_eq!(status, 303, "{body}");

    let history = format!("{page}/history");
    let (status, shown) = web.get(&history).await;
    assert_eq!(status, 200);
    assert!(shown.contains("detention</strong> changed") && shown.contains("Test Staff"));
    let started = shown
        .find("<th scope=\"row\">Started</th>")
        .expect("the changed field");
    let row = &shown[started..started + 200];
    assert!(
        row.contains("14 July 2021") && row.contains("15 July 2021"),
        "{row}"
    );

    // The newest version is the current one; the first can be restored.
    let forms = restore_forms(&shown);
    assert_eq!(
        forms.len(),
        1,
        "only the detention's first version: {forms:?}"
    );
    let (restore, words) = forms[0].clone();
    assert_eq!(words, "Restore this version");
    let before = app.history_count().await;
    let (status, body, location) = post(&web, &history, &restore, &[("version", "1")]).await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(location.as_deref(), Some(history.as_str()));
    assert_eq!(
        app.history_count().await,
        before + 1,
        "restoring is a change"
    );
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("14 July 2021") && !shown.contains("15 July 2021"));
    let (_, shown) = web.get(&history).await;
    assert!(shown.contains("detention</strong> restored"));

    // An archived record comes back from its history.
    let archive = format!("/detentions/{id}/archive");
    assert_eq!(
        post(&web, &edit, &archive, &[("version", "3")]).await.0,
        303
    );
    let (_, shown) = web.get(&history).await;
    let (restore, words) = restore_forms(&shown).into_iter().next().unwrap();
    assert_eq!(words, "Restore the record");
    assert_eq!(post(&web, &history, &restore, &[]).await.0, 303);
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("14 July 2021"));
}

#[tokio::test]
async fn history_keeps_restricted_values_from_uncleared_readers_and_viewers_cannot_restore() {
    let app = TestApp::spawn().await;
    let cleared = cleared(&app).await;
    let page = person(&cleared, "Palina Sharenda-Panasiuk").await;
    let edit = format!("{page}/edit");
    let marker = "whereabouts-marker-41e9";
    let fields = [
        ("names[0].name", "Palina Sharenda-Panasiuk"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("occupation", "<script>alert(1)</script>"),
        ("restricted_notes", marker),
        ("visibility", "internal"),
        ("version", "1"),
    ];
    let (status, body, _) = cleared.submit(&edit, &page, &fields).await;
    assert_eq!(status, 303, "{body}");
    let history = format!("{page}/history");
    let (_, shown) = cleared.get(&history).await;
    assert!(
        shown.contains(marker),
        "a cleared reader sees the restricted value"
    );
    assert!(!shown.contains("<script>alert"), "values are escaped");

    let viewer = app.web(Role::Viewer).await;
    let (status, shown) = viewer.get(&history).await;
    assert_eq!(status, 200);
    assert!(!shown.contains(marker) && !shown.contains("sealed:"));
    assert!(
        !shown.contains("Restricted notes"),
        "not even that there is one"
    );
    assert!(
        restore_forms(&shown).is_empty(),
        "a viewer has nothing to restore"
    );
    let (restore, _) = restore_forms(&cleared.get(&history).await.1)
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(
        post(&viewer, &history, &restore, &[("version", "2")])
            .await
            .0,
        403
    );

    // An uncleared editor restoring the first version leaves the
    // restricted notes as they are.
    let editor = app.web(Role::Editor).await;
    assert_eq!(
        post(&editor, &history, &restore, &[("version", "2")])
            .await
            .0,
        303
    );
    let (_, shown) = cleared.get(&edit).await;
    assert!(shown.contains(marker), "restricted notes kept");
    assert!(
        !shown.contains("&#60;script&#62;alert"),
        "the occupation is restored"
    );
}

#[tokio::test]
async fn field_errors_speak_the_readers_language() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Алесь Бяляцкі").await;
    let (status, _, _) = web
        .submit("/", "/language", &[("language", "be"), ("back", "/")])
        .await;
    assert_eq!(status, 303);
    let (status, body, _) = post(
        &web,
        &format!("{page}/detentions/new"),
        &format!("{page}/detentions"),
        &[
            ("kind", "pre_trial"),
            ("started", "31.02.2021"),
            ("visibility", "public"),
            ("version", "0"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body.contains("«31.02.2021»: няма такога дня ў календары."),
        "{body}"
    );
    assert!(!body.contains("is not a day of the calendar"));
}

/// Changes the person at `page` through its form, as `web`.
async fn edit_person(web: &WebSession, page: &str, version: &str, extra: &[(&str, &str)]) {
    let mut fields = vec![
        ("names[0].name", "Maryna Zolatava"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("visibility", "restricted"),
        ("version", version),
    ];
    for (k, v) in extra {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    let (status, body, _) = web.submit(&format!("{page}/edit"), page, &fields).await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn history_never_uncovers_what_was_written_under_a_stricter_visibility() {
    let app = TestApp::spawn().await;
    let cleared = cleared(&app).await;
    let fields = [
        ("names[0].name", "Maryna Zolatava"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("visibility", "restricted"),
        ("version", "0"),
    ];
    let (_, _, page) = cleared.submit("/persons/new", "/persons", &fields).await;
    let page = page.unwrap();
    let detention = cleared
        .add_record(
            &page,
            "detentions",
            &[
                ("kind", "pre_trial"),
                ("started", "2021-05-18"),
                ("notes", "SECRET-WHEREABOUTS"),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let edit = format!("/detentions/{detention}/edit");
    let (status, _, _) = post(
        &cleared,
        &edit,
        &format!("/detentions/{detention}"),
        &[
            ("kind", "pre_trial"),
            ("started", "2021-05-18"),
            ("visibility", "public"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    // A restricted source cited, then swapped for a public one.
    let source = |title: &'static str, visibility: &'static str| {
        let cleared = &cleared;
        async move {
            let (_, _, location) = cleared
                .submit(
                    "/sources/new",
                    "/sources",
                    &[
                        ("title", title),
                        ("kind", "witness"),
                        ("visibility", visibility),
                        ("version", "0"),
                    ],
                )
                .await;
            let location = location.unwrap();
            location
                .split_once('#')
                .unwrap()
                .1
                .split_once('-')
                .unwrap()
                .1
                .to_owned()
        }
    };
    let hidden_source = source("A prisoner's letter", "restricted").await;
    let public_source = source("Newspaper", "public").await;
    let citation = cleared
        .add_record(
            &page,
            "citations",
            &[
                ("cited_for", "person"),
                ("source_id", &hidden_source),
                ("note", "SECRET-NOTE"),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let (status, body, _) = post(
        &cleared,
        &format!("/citations/{citation}/edit"),
        &format!("/citations/{citation}"),
        &[
            ("source_id", &public_source),
            ("visibility", "public"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    // Now the person is lowered to internal.
    edit_person(&cleared, &page, "1", &[("visibility", "internal")]).await;

    let viewer = app.web(Role::Viewer).await;
    let (status, shown) = viewer.get(&format!("{page}/history")).await;
    assert_eq!(status, 200);
    for secret in [
        "SECRET-WHEREABOUTS",
        "SECRET-NOTE",
        "A prisoner",
        "linked record",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let (_, shown) = cleared.get(&format!("{page}/history")).await;
    assert!(shown.contains("SECRET-WHEREABOUTS") && shown.contains("SECRET-NOTE"));
}

#[tokio::test]
async fn a_form_keeps_links_to_archived_reference_records_and_odd_entries_are_404() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let page = person(&web, "Ihar Losik").await;
    let (_, _, location) = web
        .submit(
            "/facilities/new",
            "/facilities",
            &[
                ("name", "Penal colony No. 1"),
                ("kind", "penal_colony"),
                ("version", "0"),
            ],
        )
        .await;
    let facility = location
        .unwrap()
        .split_once('#')
        .unwrap()
        .1
        .split_once('-')
        .unwrap()
        .1
        .to_owned();
    let detention = web
        .add_record(
            &page,
            "detentions",
            &[
                ("kind", "imprisonment"),
                ("started", "2022"),
                ("facility_id", &facility),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    let (status, _, _) = web
        .submit(
            &format!("/facilities/{facility}/edit"),
            &format!("/facilities/{facility}/archive"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(status, 303);
    let edit = format!("/detentions/{detention}/edit");
    let (_, form) = web.get(&edit).await;
    assert!(
        form.contains(&format!("value=\"{facility}\" selected")),
        "still offered"
    );
    let (status, _, _) = post(
        &web,
        &edit,
        &format!("/detentions/{detention}"),
        &[
            ("kind", "imprisonment"),
            ("started", "2022"),
            ("facility_id", &facility),
            ("authority", "court"),
            ("visibility", "public"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        web.get(&page).await.1.contains("Penal colony No. 1"),
        "the link is kept"
    );

    let history = format!("{page}/history");
    for seq in ["9223372036854775807", "-1", "x"] {
        let (status, _, _) = post(&web, &history, &format!("{history}/{seq}/restore"), &[]).await;
        assert_eq!(status, 404, "{seq}");
    }
}
