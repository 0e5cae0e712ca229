//! `/persons/{id}/recognitions`, `/recognitions/{id}`, and the same for
//! affiliations.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::records;
use crate::db::affiliations::AffiliationRow;
use crate::db::recognitions::RecognitionRow;
use crate::domain::affiliation::{AffiliationFields, RecognitionFields};
use crate::domain::{AffiliationId, RecognitionId};
use crate::records::recognitions::{AffiliationOut, RecognitionOut};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_recognition))
        .routes(routes!(
            get_recognition,
            update_recognition,
            archive_recognition
        ))
        .routes(routes!(create_affiliation))
        .routes(routes!(
            get_affiliation,
            update_affiliation,
            archive_affiliation
        ))
}

records::create_under_person!(
    name = create_recognition,
    row = RecognitionRow,
    id = RecognitionId,
    fields = RecognitionFields,
    out = RecognitionOut,
    path = "/persons/{id}/recognitions",
    tag = "recognitions",
);

records::item_handlers!(
    row = RecognitionRow,
    id = RecognitionId,
    fields = RecognitionFields,
    patch = RecognitionPatch,
    out = RecognitionOut,
    path = "/recognitions/{id}",
    tag = "recognitions",
    get = get_recognition,
    update = update_recognition,
    archive = archive_recognition,
);

records::create_under_person!(
    name = create_affiliation,
    row = AffiliationRow,
    id = AffiliationId,
    fields = AffiliationFields,
    out = AffiliationOut,
    path = "/persons/{id}/affiliations",
    tag = "affiliations",
);

records::item_handlers!(
    row = AffiliationRow,
    id = AffiliationId,
    fields = AffiliationFields,
    patch = AffiliationPatch,
    out = AffiliationOut,
    path = "/affiliations/{id}",
    tag = "affiliations",
    get = get_affiliation,
    update = update_affiliation,
    archive = archive_affiliation,
);
