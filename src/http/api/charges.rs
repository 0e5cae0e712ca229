//! `/persons/{id}/charges`, `/charges/{id}`, and the same for sentences.

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::records;
use crate::db::charges::ChargeRow;
use crate::db::sentences::SentenceRow;
use crate::domain::charge::{ChargeFields, SentenceFields};
use crate::domain::{ChargeId, SentenceId};
use crate::records::charges::{ChargeOut, SentenceOut};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_charge))
        .routes(routes!(get_charge, update_charge, archive_charge))
        .routes(routes!(create_sentence))
        .routes(routes!(get_sentence, update_sentence, archive_sentence))
}

records::create_under_person!(
    name = create_charge,
    row = ChargeRow,
    id = ChargeId,
    fields = ChargeFields,
    out = ChargeOut,
    path = "/persons/{id}/charges",
    tag = "charges",
);

records::item_handlers!(
    row = ChargeRow,
    id = ChargeId,
    fields = ChargeFields,
    patch = ChargePatch,
    out = ChargeOut,
    path = "/charges/{id}",
    tag = "charges",
    get = get_charge,
    update = update_charge,
    archive = archive_charge,
);

records::create_under_person!(
    name = create_sentence,
    row = SentenceRow,
    id = SentenceId,
    fields = SentenceFields,
    out = SentenceOut,
    path = "/persons/{id}/sentences",
    tag = "sentences",
);

records::item_handlers!(
    row = SentenceRow,
    id = SentenceId,
    fields = SentenceFields,
    patch = SentencePatch,
    out = SentenceOut,
    path = "/sentences/{id}",
    tag = "sentences",
    get = get_sentence,
    update = update_sentence,
    archive = archive_sentence,
);
