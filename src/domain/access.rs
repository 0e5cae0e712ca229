//! Who may see and change what: the permission matrix and the
//! classification of every non-public field (DESIGN.md, "Visibility and
//! roles").

use serde::{Serialize, Serializer};

use super::{AccountId, Face, ImportId, Role, TokenId, TokenScope, Visibility};

/// The account (and token) behind a request, with its role as it is now.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: AccountId,
    pub token_id: Option<TokenId>,
    pub role: Role,
    pub restricted_clearance: bool,
    /// `None` for a browser session or the command line.
    pub scope: Option<TokenScope>,
    pub face: Face,
    /// The import whose changes this caller makes, if any.
    pub import: Option<ImportId>,
}

impl Caller {
    /// Who to record as the author of a change.
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: Some(self.account_id),
            token_id: self.token_id,
            face: self.face,
            import_id: self.import,
        }
    }

    /// The most sensitive visibility this caller may read: a token's scope
    /// intersected with its account's role; tokens never reach restricted
    /// data.
    pub fn max_visibility(&self) -> Visibility {
        match self.scope {
            Some(TokenScope::ReadPublic) => Visibility::Public,
            Some(TokenScope::ReadInternal | TokenScope::Write) => Visibility::Internal,
            None if self.restricted_clearance => Visibility::Restricted,
            None => Visibility::Internal,
        }
    }

    pub fn may_see(&self, visibility: Visibility) -> bool {
        visibility <= self.max_visibility()
    }

    /// Editors and admins write; a token only with the `write` scope.
    pub fn may_write(&self) -> bool {
        self.role >= Role::Editor && self.scope.is_none_or(|s| s == TokenScope::Write)
    }

    /// A writer may give a record any visibility it can itself read: so
    /// tokens mark records public or internal, never restricted.
    pub fn may_set_visibility(&self, visibility: Visibility) -> bool {
        self.may_write() && self.may_see(visibility)
    }

    /// Merging persons (and undoing a merge) is for admins who may write.
    pub fn may_merge(&self) -> bool {
        self.role == Role::Admin && self.may_write()
    }

    /// Restricted fields are written only by cleared staff, never by a token.
    pub fn may_write_restricted(&self) -> bool {
        self.may_write() && self.scope.is_none() && self.restricted_clearance
    }

    /// The value of a classified field, or `Withheld` if the caller may not
    /// see its class.
    pub fn reveal<T>(&self, field: Field, value: T) -> Guarded<T> {
        if self.may_see(field.class()) {
            Guarded::Shown(value)
        } else {
            Guarded::Withheld
        }
    }
}

/// The visibilities a token may give a record (see
/// [`Caller::may_set_visibility`]), for the API's write shapes.
pub fn token_visibility() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some([
            Visibility::Public.as_str(),
            Visibility::Internal.as_str(),
        ]))
        .description(Some(
            "`public` or `internal`: a token never marks a record restricted.",
        ))
        .build()
}

/// Who made a change and through which face; no account for the system's
/// own changes (demo data).
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    pub token_id: Option<TokenId>,
    pub face: Face,
    /// The import the change came in with.
    pub import_id: Option<ImportId>,
}

/// Every field that is not public. All other fields of every record are
/// public: names, gender, pronouns, occupation, region, birth year,
/// recognitions, detention kinds and dates, facility, article, charge status,
/// sentence terms, court, public sources, facilities and their postal
/// addresses, organisations, criminal cases but their numbers. A new column
/// must be added here or consciously left public where its wire type is
/// built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    PersonBirthDateExact,
    PersonNotes,
    PersonRestrictedNotes,
    PersonStatusOverrideReason,
    PersonExternalIds,
    DetentionAuthority,
    DetentionNotes,
    ChargeCase,
    ChargeNotes,
    SentenceJudge,
    SentenceNotes,
    CaseNumber,
    FacilityNotes,
    OrganizationNotes,
    Affiliations,
    RecognitionNotes,
    SourceNotes,
    CitationNote,
    History,
}

impl Field {
    /// The class of the field: the visibility a caller needs to read it.
    pub const fn class(self) -> Visibility {
        match self {
            Field::PersonRestrictedNotes => Visibility::Restricted,
            Field::PersonBirthDateExact
            | Field::PersonNotes
            | Field::PersonStatusOverrideReason
            | Field::PersonExternalIds
            | Field::DetentionAuthority
            | Field::DetentionNotes
            | Field::ChargeCase
            | Field::ChargeNotes
            | Field::SentenceJudge
            | Field::SentenceNotes
            | Field::CaseNumber
            | Field::FacilityNotes
            | Field::OrganizationNotes
            | Field::Affiliations
            | Field::RecognitionNotes
            | Field::SourceNotes
            | Field::CitationNote
            | Field::History => Visibility::Internal,
        }
    }
}

/// A field value the caller may or may not see. A withheld field is left
/// out of the response altogether, so `null` always means "not known".
#[derive(Debug, Clone, PartialEq)]
pub enum Guarded<T> {
    Shown(T),
    Withheld,
}

impl<T> Guarded<T> {
    pub fn is_withheld(&self) -> bool {
        matches!(self, Guarded::Withheld)
    }

    /// The value, if the caller may see it.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Guarded::Shown(value) => Some(value),
            Guarded::Withheld => None,
        }
    }
}

impl<T: Serialize> Serialize for Guarded<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Guarded::Shown(value) => value.serialize(serializer),
            Guarded::Withheld => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, clearance: bool, scope: Option<TokenScope>) -> Caller {
        Caller {
            account_id: AccountId::new(),
            token_id: None,
            role,
            restricted_clearance: clearance,
            scope,
            face: Face::Api,
            import: None,
        }
    }

    #[test]
    fn a_token_never_reaches_restricted_data_even_for_a_cleared_admin() {
        let c = caller(Role::Admin, true, Some(TokenScope::Write));
        assert_eq!(c.max_visibility(), Visibility::Internal);
        assert!(!c.may_write_restricted());
        assert!(!c.may_set_visibility(Visibility::Restricted));
    }

    #[test]
    fn a_write_token_of_a_viewer_account_cannot_write() {
        let c = caller(Role::Viewer, false, Some(TokenScope::Write));
        assert!(!c.may_write());
        assert_eq!(c.max_visibility(), Visibility::Internal);
    }

    #[test]
    fn a_public_token_sees_only_public_fields() {
        let c = caller(Role::Admin, true, Some(TokenScope::ReadPublic));
        assert!(c.reveal(Field::PersonNotes, ()).is_withheld());
        assert!(!c.may_write());
    }

    #[test]
    fn only_cleared_staff_see_restricted_fields() {
        assert!(
            caller(Role::Viewer, false, None)
                .reveal(Field::PersonRestrictedNotes, ())
                .is_withheld()
        );
        assert!(
            !caller(Role::Viewer, true, None)
                .reveal(Field::PersonRestrictedNotes, ())
                .is_withheld()
        );
    }
}
