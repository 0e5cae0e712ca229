//! `/export`: everything the caller may see, as one stream.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use tokio_stream::wrappers::ReceiverStream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::persons::list::{PersonQuery, person_filter};
use crate::domain::access::Caller;
use crate::domain::{FacilityId, OrganizationId, PersonStatus};
use crate::error::{AppResult, Problem};
use crate::http::ClientAddress;
use crate::http::api::extract::Query;
use crate::records::changes::ChangedRecord;
use crate::records::export::{self, ExportFormat, ExportRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// The filters of the person list, and the format.
#[derive(Deserialize, Serialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `ndjson`: one record a line; `csv`: a zip of one CSV file a table.
    #[param(inline)]
    pub format: ExportFormat,
    /// As the person list: persons with a name like this.
    pub q: Option<String>,
    pub status: Option<PersonStatus>,
    pub article: Option<String>,
    pub article_part: Option<String>,
    pub facility: Option<FacilityId>,
    pub organization: Option<OrganizationId>,
    pub recognized: Option<bool>,
    pub held: Option<bool>,
    pub region: Option<String>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub detained_from: Option<Date>,
    #[serde(default, with = "crate::domain::date::iso_day::option")]
    #[param(value_type = Option<String>, format = Date)]
    pub detained_to: Option<Date>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<OffsetDateTime>,
}

impl ExportQuery {
    /// The person list's query with the same filters.
    fn list_query(&self) -> PersonQuery {
        PersonQuery {
            q: self.q.clone(),
            status: self.status,
            article: self.article.clone(),
            article_part: self.article_part.clone(),
            facility: self.facility,
            organization: self.organization,
            recognized: self.recognized,
            held: self.held,
            region: self.region.clone(),
            as_of: self.as_of,
            detained_from: self.detained_from,
            detained_to: self.detained_to,
            updated_since: self.updated_since,
            sort: None,
            cursor: None,
            limit: None,
        }
    }
}

/// Export everything the token may see of the persons the filters select
/// (the person list's filters; none: every person), with every facility,
/// organisation, source and criminal case it may see, read in one
/// snapshot and streamed as it is read. `ndjson`: one record a line,
/// reference data first, then each person's whole case as
/// `GET /persons/{id}` returns it. `csv`: a zip of one CSV file a table
/// (facilities, organizations, sources, cases, persons, names,
/// external_ids, affiliations, recognitions, detentions, charges,
/// sentences, sentence_charges, citations), with the same columns in every
/// export and the ids to join them; what the token may not see is empty.
/// An export cut short (an error, or a reader that stops reading for a
/// minute) ends without its last chunk, so HTTP reports it incomplete; a
/// zip cut short has no directory either. Two exports run at once at most:
/// a third gets a 503 with `Retry-After`. Every export is logged as begun,
/// and as ended with its rows and whether it was whole.
#[utoipa::path(get, path = "/export", tag = "export", params(ExportQuery),
    responses((status = 200, description = "The export",
                content((ChangedRecord = "application/x-ndjson"), (Vec<u8> = "application/zip"))),
              (status = 422, body = Problem),
              (status = 503, body = Problem,
               description = "Other exports are running, or the database cannot be reached; retry after `Retry-After` seconds")))]
async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ClientAddress(address): ClientAddress,
    Query(q): Query<ExportQuery>,
) -> AppResult<Response> {
    let format = q.format;
    let filter = person_filter(&q.list_query())?;
    // The filter as parsed, for the log: what was given, nothing else.
    let mut asked = serde_json::to_value(&q).map_err(anyhow::Error::from)?;
    if let Some(fields) = asked.as_object_mut() {
        fields.retain(|_, v| !v.is_null());
    }
    let request = ExportRequest {
        format,
        filter,
        asked,
    };
    let started = export::begin(&state, &caller, request, address).await?;
    let (chunks, received) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let failed = chunks.clone();
        if let Err(e) = started.run(chunks).await {
            tracing::warn!(error = %e, "export cut short");
            let _ = failed
                .send(Err(std::io::Error::other("export cut short")))
                .await;
        }
    });
    let (content_type, file) = match format {
        ExportFormat::Ndjson => ("application/x-ndjson", "docket-export.ndjson"),
        ExportFormat::Csv => ("application/zip", "docket-export.zip"),
    };
    let mut response = Body::from_stream(ReceiverStream::new(received)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    Ok(response)
}
