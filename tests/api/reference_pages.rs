//! The reference-data pages over real HTTP: sources, facilities and
//! organisations listed, added, changed (with conflicts) and archived, and
//! what each role sees of them.

use docket::domain::Role;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn a_facility_with_its_postal_address_is_added_and_offered_to_detentions() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let address = "Pre-trial detention centre No. 1\nValadarskaha 2, 220030 Minsk";
    let id = web
        .add_reference(
            "facilities",
            &[
                ("name", "SIZO-1 Minsk"),
                ("kind", "pre_trial_centre"),
                ("city", "Minsk"),
                ("postal_address", address),
                ("version", "0"),
            ],
        )
        .await;
    let (status, list) = web.get("/facilities?q=sizo").await;
    assert_eq!(status, 200);
    assert!(list.contains("SIZO-1 Minsk") && list.contains("Pre-trial detention centre · Minsk"));
    let (_, none) = web.get("/facilities?q=nothing-like-it").await;
    assert!(!none.contains("SIZO-1 Minsk"));

    // The person page shows where to write.
    let fields = [
        ("names[0].name", "Ihar Losik"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("visibility", "internal"),
        ("version", "0"),
    ];
    let (_, _, page) = web.submit("/persons/new", "/persons", &fields).await;
    let page = page.unwrap();
    let (_, form) = web.get(&format!("{page}/detentions/new")).await;
    assert!(form.contains(&format!(
        "<option value=\"{id}\">SIZO-1 Minsk, Minsk</option>"
    )));
    let (status, _, _) = web
        .submit(
            &format!("{page}/detentions/new"),
            &format!("{page}/detentions"),
            &[
                ("kind", "pre_trial"),
                ("started", "2020-06-25"),
                ("facility_id", &id),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("Valadarskaha 2, 220030 Minsk"));

    // Archived, it leaves the list and the choices; the detention keeps it.
    let edit = format!("/facilities/{id}/edit");
    let (status, _, _) = web
        .submit(
            &edit,
            &format!("/facilities/{id}/archive"),
            &[("version", "1")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(!web.get("/facilities").await.1.contains("SIZO-1 Minsk"));
    assert!(
        !web.get(&format!("{page}/detentions/new"))
            .await
            .1
            .contains("SIZO-1")
    );
    assert!(web.get(&page).await.1.contains("Valadarskaha 2"));
}

#[tokio::test]
async fn reference_forms_name_each_bad_field_and_meet_in_a_conflict() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let (status, body, _) = web
        .submit(
            "/organizations/new",
            "/organizations",
            &[
                ("name", ""),
                ("kind", "ngo"),
                ("country", "Belarus"),
                ("url", "javascript:alert(1)"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    for field in ["name", "country", "url"] {
        assert!(body.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(body.contains("value=\"Belarus\""), "the input is kept");

    let id = web
        .add_reference(
            "organizations",
            &[
                ("name", "Viasna"),
                ("kind", "ngo"),
                ("country", "by"),
                ("version", "0"),
            ],
        )
        .await;
    let edit = format!("/organizations/{id}/edit");
    let path = format!("/organizations/{id}");
    let colleague = app.web(Role::Editor).await;
    let theirs = [
        ("name", "Viasna Human Rights Centre"),
        ("kind", "ngo"),
        ("version", "1"),
    ];
    assert_eq!(colleague.submit(&edit, &path, &theirs).await.0, 303);
    let mine = [
        ("name", "Human Rights Centre Viasna"),
        ("kind", "ngo"),
        ("version", "1"),
    ];
    let (status, body, _) = web.submit(&edit, &path, &mine).await;
    assert_eq!(status, 409);
    assert!(
        body.contains("Viasna Human Rights Centre") && body.contains("Human Rights Centre Viasna")
    );
    assert!(
        web.get("/organizations")
            .await
            .1
            .contains("Viasna Human Rights Centre")
    );
}

#[tokio::test]
async fn a_restricted_source_stays_with_cleared_staff_and_viewers_only_read() {
    let app = TestApp::spawn().await;
    let email = app.staff_account(Role::Editor, true).await;
    let cleared = app.visitor();
    cleared.login(&email, PASSWORD).await;
    let id = cleared
        .add_reference(
            "sources",
            &[
                ("title", "Letter from the colony <script>alert(1)</script>"),
                ("kind", "witness"),
                ("published", "03.2023"),
                ("visibility", "restricted"),
                ("version", "0"),
            ],
        )
        .await;
    let (_, list) = cleared.get("/sources").await;
    assert!(list.contains("Letter from the colony") && !list.contains("<script>alert"));
    assert!(list.contains("March 2023"));

    let editor = app.web(Role::Editor).await;
    let (_, list) = editor.get("/sources?q=letter").await;
    assert!(!list.contains("Letter from the colony"));
    assert_eq!(editor.get(&format!("/sources/{id}/edit")).await.0, 404);
    let (_, form) = editor.get("/sources/new").await;
    assert!(
        !form.contains("value=\"restricted\""),
        "nor can they make one"
    );
    let (status, _, _) = editor
        .submit(
            "/sources/new",
            "/sources",
            &[
                ("title", "Court ruling"),
                ("kind", "court_record"),
                ("visibility", "restricted"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);

    let viewer = app.web(Role::Viewer).await;
    let (status, list) = viewer.get("/sources").await;
    assert_eq!(status, 200);
    assert!(!list.contains("/sources/new") && !list.contains("/edit"));
    assert_eq!(viewer.get("/sources/new").await.0, 403);
}

#[tokio::test]
async fn a_criminal_case_groups_the_charges_filed_under_it() {
    let app = TestApp::spawn().await;
    let web = app.web(Role::Editor).await;
    let case = web
        .add_reference(
            "cases",
            &[
                ("number", "No. 20211500123"),
                ("opened", "07.2021"),
                ("authority", "Investigative Committee"),
                ("description", "The Viasna case"),
                ("version", "0"),
            ],
        )
        .await;
    let (_, list) = web.get("/cases?q=viasna").await;
    assert!(list.contains("No. 20211500123") && list.contains("July 2021"));
    let fields = [
        ("names[0].name", "Valiantsin Stefanovic"),
        ("names[0].lang", "be-Latn"),
        ("primary", "0"),
        ("visibility", "internal"),
        ("version", "0"),
    ];
    let (_, _, page) = web.submit("/persons/new", "/persons", &fields).await;
    let page = page.unwrap();
    let (_, form) = web.get(&format!("{page}/charges/new")).await;
    assert!(form.contains(&format!(
        "<option value=\"{case}\">No. 20211500123</option>"
    )));
    let (status, body, _) = web
        .submit(
            &format!("{page}/charges/new"),
            &format!("{page}/charges"),
            &[
                ("article_q", "342"),
                ("status", "convicted"),
                ("case_id", &case),
                ("visibility", "public"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{body}");
    let (_, shown) = web.get(&page).await;
    assert!(shown.contains("Criminal case No. 20211500123"));
    let (status, body, _) = web
        .submit(
            "/cases/new",
            "/cases",
            &[("opened", "2021-02-30"), ("version", "0")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("id=\"opened-error\""));
}
