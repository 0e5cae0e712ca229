//! Facets of the person list: for every reader and under every filter, a
//! value's count is the length of the list filtered by it as well, and the
//! total is the list's length.

use docket::domain::{Role, TokenScope};
use serde_json::Value;

use crate::support::{TestApp, json};

/// Every person of the list at `query`, page after page.
async fn list_length(app: &TestApp, token: &str, query: &str) -> usize {
    let mut length = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/persons?limit=500{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = json(app.get(&path, token).await).await;
        assert_eq!(status, 200, "{path}: {page}");
        length += page["items"].as_array().map_or(0, Vec::len);
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return length,
        }
    }
}

/// The list filter that selects a facet's value.
fn filter_for(facet: &str, value: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    match facet {
        "detention_year" => format!("&detained_from={value}-01-01&detained_to={value}-12-31"),
        _ => format!("&{facet}={encoded}"),
    }
}

#[tokio::test]
async fn facet_counts_equal_the_lists_they_stand_for_under_every_filter_and_role() {
    let app = TestApp::spawn().await;
    docket::demo::load(&app.pool).await.expect("the demo cases");
    let readers = [
        app.token(Role::Viewer, TokenScope::ReadPublic).await,
        app.token(Role::Viewer, TokenScope::ReadInternal).await,
        app.token(Role::Editor, TokenScope::Write).await,
    ];
    // One person more for internal readers only.
    let mut hidden = crate::support::person("Ihar Losik");
    hidden["visibility"] = "internal".into();
    app.create("/api/v1/persons", &readers[2], &hidden).await;
    let filters = [
        "",
        "&status=pre_trial",
        "&held=true&as_of=2021-07-20",
        "&article=342",
        "&recognized=true",
        "&detained_from=2020-08-09&detained_to=2020-12-31",
        "&facility=00000000-0000-0000-0000-000000000000",
        "&organization=00000000-0000-0000-0000-000000000000",
        "&q=Labkovich",
        "&as_of=2017-04-01",
    ];
    let mut checked = 0;
    let mut totals = Vec::new();
    for token in &readers {
        for base in filters {
            let (status, facets) = json(
                app.get(&format!("/api/v1/persons/facets?{base}"), token)
                    .await,
            )
            .await;
            assert_eq!(status, 200, "{base}: {facets}");
            let total = facets["total"].as_i64().unwrap_or(-1);
            assert_eq!(
                total as usize,
                list_length(&app, token, base).await,
                "{base}"
            );
            totals.push(total);
            for facet in [
                "status",
                "article",
                "facility",
                "organization",
                "region",
                "detention_year",
                "recognized",
            ] {
                // A person may have several articles, facilities,
                // organisations and years, and the list takes one: with
                // its filter set, such a facet is left out.
                let own_filter = match facet {
                    "detention_year" => base.contains("&detained_"),
                    _ => base.contains(&format!("&{facet}=")),
                };
                let several = matches!(
                    facet,
                    "article" | "facility" | "organization" | "detention_year"
                );
                if own_filter && several {
                    assert_eq!(facets[facet], serde_json::json!([]), "{base} {facet}");
                    continue;
                }
                let values = facets[facet].as_array().cloned().unwrap_or_default();
                for v in values {
                    let value = v["value"].as_str().unwrap_or_default();
                    let count = v["count"].as_i64().unwrap_or(-1) as usize;
                    // A facet of one value per person under its own filter
                    // shows that value alone: the base list.
                    let query = if own_filter {
                        base.to_owned()
                    } else {
                        format!("{base}{}", filter_for(facet, value))
                    };
                    let length = list_length(&app, token, &query).await;
                    assert_eq!(count, length, "{base} {facet}={value}: {v}");
                    assert!(count > 0, "{base} {facet}={value}: only values present");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "{checked} counts checked");
    // A public token counts one person fewer than an internal one: the
    // facets follow each reader's visibility.
    assert_eq!(totals[0] + 1, totals[filters.len()], "{totals:?}");
    app.assert_status_spans_hold().await;
}

#[tokio::test]
async fn facets_refuse_what_the_list_refuses() {
    let app = TestApp::spawn().await;
    let token = app.writer().await;
    for query in [
        "article_part=1",
        "detained_from=2021-02-01&detained_to=2021-01-01",
        "status=nonsense",
        "nonsense=1",
    ] {
        let response = app
            .get(&format!("/api/v1/persons/facets?{query}"), &token)
            .await;
        let (status, problem): (u16, Value) = json(response).await;
        assert!(
            status == 422 || status == 400,
            "{query}: {status} {problem}"
        );
    }
}

#[tokio::test]
async fn the_workspace_list_shows_facets_that_lead_to_as_many_persons() {
    let app = TestApp::spawn().await;
    docket::demo::load(&app.pool).await.expect("the demo cases");
    let web = app.web(Role::Viewer).await;
    let (status, page) = web.get("/persons?as_of=2021-07-20").await;
    assert_eq!(status, 200);
    assert!(page.contains("persons match: narrow them down"), "{page}");
    // Each link of the facets, followed: as many rows as it said (a page
    // holds 50).
    let facets = page
        .split("<details class=\"facets\"")
        .nth(1)
        .and_then(|f| f.split("</details>").next())
        .expect("the facets")
        .to_owned();
    let mut followed = 0;
    for item in facets.split("<li><a href=\"").skip(1) {
        let (href, rest) = item.split_once('"').expect("a link");
        let count: usize = rest
            .split("class=\"count\">")
            .nth(1)
            .and_then(|c| c.split('<').next())
            .and_then(|c| c.trim().parse().ok())
            .expect("a count");
        let href = href.replace("&#38;", "&").replace("&amp;", "&");
        let (status, list) = web.get(&href).await;
        assert_eq!(status, 200, "{href}");
        let rows = list
            .split("<tbody>")
            .nth(1)
            .map_or(0, |body| body.matches("<tr>").count());
        assert_eq!(rows, count.min(50), "{href}");
        followed += 1;
    }
    assert!(followed >= 15, "{followed} facet links followed");
    // In Belarusian, with its plural.
    assert!(
        web.submit(
            "/persons",
            "/language",
            &[("language", "be"), ("back", "/persons")]
        )
        .await
        .0 == 303
    );
    let (_, page) = web.get("/persons").await;
    assert!(page.contains("асоб: удакладніце") || page.contains("асобы: удакладніце"));
}
