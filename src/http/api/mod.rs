//! The partner JSON API, `/api/v1`.

pub mod articles;
pub mod cases;
pub mod changes;
pub mod charges;
pub mod citations;
pub mod detentions;
pub mod export;
pub mod extract;
pub mod facilities;
pub mod organizations;
pub mod persons;
pub mod rate;
pub mod recognitions;
pub mod records;
pub mod search;
pub mod sources;
pub mod stats;
pub mod usage;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::AppError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Docket API", version = "1", description = "Cases of political prisoners: persons, detentions, charges, sentences and their sources."),
    security(("bearer" = [])),
)]
struct ApiDoc;

/// What holds for every operation: bearer tokens, and the problem
/// documents any request may meet, typed `application/problem+json`.
struct Conventions;

/// Answers any operation may give, beside those it documents itself.
const COMMON_PROBLEMS: &[(&str, &str)] = &[
    ("400", "Malformed request: bad JSON, or a token in the URL"),
    ("401", "No valid token"),
    (
        "403",
        "The token's scope or its account's role does not allow this",
    ),
    ("404", "No such record, or none the caller may see"),
    ("413", "Body too large"),
    ("415", "Not JSON"),
    ("422", "Invalid input, one entry per field"),
    (
        "429",
        "Past the token's or the address's requests a minute; retry after `Retry-After` \
         seconds (`RateLimit-Remaining` in every answer tells how many are left)",
    ),
    (
        "503",
        "The database cannot be reached; retry after `Retry-After` seconds",
    ),
];

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        let problem = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
                &mut item.put,
            ];
            for operation in operations.into_iter().flatten() {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if parameter.parameter_in == utoipa::openapi::path::ParameterIn::Query
                        && let Some(schema) = &mut parameter.schema
                    {
                        query_schema(schema);
                    }
                }
                let responses = &mut operation.responses.responses;
                for (status, response) in responses.iter_mut() {
                    // Documented problems are problem documents.
                    if let utoipa::openapi::RefOr::T(response) = response
                        && status.starts_with(['4', '5'])
                    {
                        response.content.clear();
                        response
                            .content
                            .insert("application/problem+json".into(), problem());
                    }
                }
                for (status, description) in COMMON_PROBLEMS {
                    responses.entry((*status).into()).or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(*description)
                            .content("application/problem+json", problem())
                            .into()
                    });
                }
            }
        }
    }
}

/// A query parameter is given or left out, never `null`; and its text,
/// where nothing stricter is said, has no control characters (see
/// [`extract::Query`]).
fn query_schema(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    let is_null = |s: &RefOr<Schema>| matches!(s, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null));
    if let RefOr::T(Schema::OneOf(one_of)) = schema {
        let mut given: Vec<_> = one_of
            .items
            .iter()
            .filter(|s| !is_null(s))
            .cloned()
            .collect();
        if given.len() == 1
            && let Some(only) = given.pop()
        {
            let description = one_of.description.take();
            *schema = only;
            if let (RefOr::T(Schema::Object(o)), Some(d)) = (&mut *schema, description) {
                o.description.get_or_insert(d);
            }
        }
    }
    let RefOr::T(Schema::Object(object)) = schema else {
        return;
    };
    if let SchemaType::Array(types) = &object.schema_type {
        let given: Vec<Type> = types
            .iter()
            .filter(|t| **t != Type::Null)
            .cloned()
            .collect();
        object.schema_type = match given.as_slice() {
            [only] => SchemaType::Type(only.clone()),
            _ => SchemaType::Array(given),
        };
    }
    if object.schema_type == SchemaType::Type(Type::String)
        && object.pattern.is_none()
        && object.enum_values.is_none()
        && object.format.is_none()
    {
        object.pattern = Some(extract::QUERY_TEXT.into());
    }
}

/// Where the API is served.
pub const PREFIX: &str = "/api/v1";

/// The API routes and the OpenAPI document they describe.
pub fn router() -> axum::Router<AppState> {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(persons::router())
        .merge(detentions::router())
        .merge(charges::router())
        .merge(recognitions::router())
        .merge(citations::router())
        .merge(facilities::router())
        .merge(organizations::router())
        .merge(sources::router())
        .merge(cases::router())
        .merge(articles::router())
        .merge(stats::router())
        .merge(search::router())
        .merge(changes::router())
        .merge(usage::router())
        .merge(export::router())
        .split_for_parts();
    openapi.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    // After the merge, so that it sees every operation.
    utoipa::Modify::modify(&Conventions, &mut openapi);
    for path in openapi.paths.paths.keys() {
        crate::http::routes::note(format!("{PREFIX}{path}"));
    }
    crate::http::routes::note(format!("{PREFIX}/openapi.json"));
    let openapi = std::sync::Arc::new(openapi);
    #[allow(clippy::disallowed_methods)] // noted just above, under the prefix
    router.route(
        "/openapi.json",
        axum::routing::get(move || {
            let openapi = openapi.clone();
            async move { axum::Json(openapi.as_ref().clone()) }
        }),
    )
}

/// A list page: `{"items": [...], "next_cursor": "…" | null}`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Page size from `limit`: default 50, at most 500.
pub fn page_size(limit: Option<i64>) -> Result<i64, AppError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=500).contains(&n) => Ok(n),
        Some(_) => Err(crate::domain::validate::FieldErrors::single(
            "limit",
            "must be between 1 and 500",
        )
        .into()),
    }
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` rows fetched in id order: the extra row
    /// only tells that another page follows, and the last shown row's id
    /// is where it starts.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        id_of: impl Fn(&R) -> uuid::Uuid,
        out: impl FnMut(R) -> T,
    ) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = more
            .then(|| rows.last().map(|r| id_of(r).to_string()))
            .flatten();
        Page {
            items: rows.into_iter().map(out).collect(),
            next_cursor,
        }
    }
}

/// The id a page starts after, from a `cursor` this API handed out.
pub fn cursor(cursor: Option<&str>) -> Result<Option<uuid::Uuid>, AppError> {
    match cursor.map(str::parse::<Cursor>) {
        None => Ok(None),
        Some(Ok(Cursor::After(id))) => Ok(Some(id)),
        Some(_) => Err(crate::domain::validate::FieldErrors::single(
            "cursor",
            "is not a cursor from this list",
        )
        .into()),
    }
}

/// Where the next page starts: after a record (lists in id order), or
/// after so many results (searches, best first).
pub enum Cursor {
    After(uuid::Uuid),
    Skip(i64),
}

/// How [`Cursor::After`] is written: an id, as `Uuid` writes it.
const AFTER: &str = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/// How [`Cursor::Skip`] is written: `s` and up to a million, no leading zero.
const SKIP: &str = "s(?:0|[1-9][0-9]{0,5}|1000000)";

impl Cursor {
    fn schema(pattern: &str, description: &str) -> utoipa::openapi::schema::Object {
        crate::domain::validate::schema::string(false)
            .pattern(Some(format!("^(?:{pattern})$")))
            .description(Some(description))
            .build()
    }

    /// The `cursor` of a list in id order.
    pub fn after_schema() -> utoipa::openapi::schema::Object {
        Self::schema(AFTER, "`next_cursor` of the previous page.")
    }

    /// The `cursor` of a list paged by position.
    pub fn skip_schema() -> utoipa::openapi::schema::Object {
        Self::schema(SKIP, "`next_cursor` of the previous page.")
    }

    /// The `cursor` of a list paged either way, as its other parameters
    /// say.
    pub fn any_schema() -> utoipa::openapi::schema::Object {
        Self::schema(
            &format!("{AFTER}|{SKIP}"),
            "`next_cursor` of the previous page, asked for as it was (with `q` or `sort`, \
             or without).",
        )
    }

    /// Where a list paged by position starts: 0 without a cursor; any
    /// other kind of cursor is not from this list.
    pub fn skipped(cursor: Option<&str>) -> Result<i64, crate::domain::validate::FieldErrors> {
        match cursor.map(str::parse::<Cursor>) {
            None => Ok(0),
            Some(Ok(Cursor::Skip(n))) => Ok(n),
            Some(_) => Err(crate::domain::validate::FieldErrors::single(
                "cursor",
                "is not a cursor from this list",
            )),
        }
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cursor::After(id) => write!(f, "{id}"),
            Cursor::Skip(n) => write!(f, "s{n}"),
        }
    }
}

impl std::str::FromStr for Cursor {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.strip_prefix('s') {
            // As written here: digits, no sign, no leading zero.
            Some(n)
                if n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0')) =>
            {
                n.parse()
                    .ok()
                    .filter(|n| (0..=1_000_000).contains(n))
                    .map(Cursor::Skip)
                    .ok_or(())
            }
            Some(_) => Err(()),
            // Only the hyphenated form of an id is 36 characters long.
            None if s.len() == 36 => s.parse().map(Cursor::After).map_err(|_| ()),
            None => Err(()),
        }
    }
}

/// Query of the reference-data lists.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Part of the name, any case (sources: the title; cases: the
    /// description, or the number for readers who may see it).
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = Cursor::after_schema)]
    pub cursor: Option<String>,
    /// Page size: 50 unless given, at most 500.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl ListQuery {
    /// The search text, trimmed; blank means none.
    pub fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// A JSON body with its version as `ETag`.
pub fn versioned<T: Serialize>(status: StatusCode, version: i32, body: &T) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// 201 Created with `Location` and `ETag`.
pub fn created<T: Serialize>(location: String, version: i32, body: &T) -> Response {
    let mut response = versioned(StatusCode::CREATED, version, body);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The schema of a JSON merge patch (RFC 7396) of the write shape `F`:
/// any of its fields, none required; `null` removes a field, so it is
/// allowed for every field that may be left out (which then goes back to
/// its default). A patch is checked as a whole record once applied, so
/// the rules between fields hold against what is stored.
pub fn patch_schema<F: utoipa::ToSchema>() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>
{
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Object, OneOfBuilder, Schema, Type};
    let RefOr::T(Schema::Object(mut shape)) = F::schema() else {
        return F::schema();
    };
    let required = std::mem::take(&mut shape.required);
    for (name, property) in shape.properties.iter_mut() {
        if required.contains(name) || may_be_null(property) {
            continue;
        }
        let removable = OneOfBuilder::new()
            .item(Object::with_type(Type::Null))
            .item(property.clone());
        *property = removable.into();
    }
    shape.description = Some(format!(
        "A JSON merge patch of {}: only the fields to change; `null` removes a field \
         that may be left out.",
        F::name()
    ));
    shape.example = None;
    RefOr::T(Schema::Object(shape))
}

/// Whether a property's schema admits `null` already.
fn may_be_null(property: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) -> bool {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    let is_null = |t: &SchemaType| match t {
        SchemaType::Type(t) => *t == Type::Null,
        SchemaType::Array(types) => types.contains(&Type::Null),
        SchemaType::AnyValue => true,
    };
    match property {
        RefOr::T(Schema::Object(o)) => is_null(&o.schema_type),
        RefOr::T(Schema::OneOf(o)) => o.items.iter().any(may_be_null),
        _ => false,
    }
}

/// Applies a JSON merge patch (RFC 7396) to the write shape of a record and
/// parses the result again, so a patch meets every rule a create meets.
/// `hidden` fields were left out of `current` (the caller may not see them)
/// and may not be patched.
pub fn merge_patch<F: Serialize + DeserializeOwned>(
    current: &F,
    patch: &Value,
    hidden: &[&str],
) -> Result<F, AppError> {
    let Value::Object(changes) = patch else {
        return Err(crate::domain::validate::FieldErrors::single(
            "body",
            "a merge patch must be a JSON object",
        )
        .into());
    };
    if hidden.iter().any(|f| changes.contains_key(*f)) {
        return Err(AppError::Forbidden(
            "Changing restricted fields needs restricted clearance in a browser session.",
        ));
    }
    let mut document = serde_json::to_value(current).map_err(anyhow::Error::from)?;
    if let Value::Object(map) = &mut document {
        for field in hidden {
            map.remove(*field);
        }
    }
    json_patch::merge(&mut document, patch);
    extract::parse_value(document)
}
