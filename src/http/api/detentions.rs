//! `/persons/{id}/detentions` and `/detentions/{id}`.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::records;
use crate::db::detentions::DetentionRow;
use crate::domain::DetentionId;
use crate::domain::detention::DetentionFields;
use crate::records::detentions::DetentionOut;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_detention))
        .routes(routes!(get_detention, update_detention, archive_detention))
}

records::create_under_person!(
    name = create_detention,
    row = DetentionRow,
    id = DetentionId,
    fields = DetentionFields,
    out = DetentionOut,
    path = "/persons/{id}/detentions",
    tag = "detentions",
);

records::item_handlers!(
    row = DetentionRow,
    id = DetentionId,
    fields = DetentionFields,
    patch = DetentionPatch,
    out = DetentionOut,
    path = "/detentions/{id}",
    tag = "detentions",
    get = get_detention,
    update = update_detention,
    archive = archive_detention,
);
