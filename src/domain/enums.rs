//! Closed vocabularies shared by the database, the API and the pages. Each
//! maps to a PostgreSQL enum of the same name and values.

macro_rules! vocabulary {
    ($($(#[$doc:meta])* $name:ident = $pg:literal { $($variant:ident = $value:literal),* $(,)? })*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[sqlx(type_name = $pg)]
        pub enum $name {
            $(
                #[serde(rename = $value)]
                #[sqlx(rename = $value)]
                $variant,
            )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value as written on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)*
                }
            }
        }

        // Written by hand: the schema must list the wire values, and a
        // derive does not see the renames inside this macro.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($value),*]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($value => Ok($name::$variant),)*
                    _ => Err(format!(
                        "unknown value `{s}`; expected one of: {}",
                        [$($value),*].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

vocabulary! {
    /// Who may see a record or a field. Ordered from least to most strict.
    Visibility = "visibility" { Public = "public", Internal = "internal", Restricted = "restricted" }

    /// What a staff or partner account may do.
    Role = "role" { Viewer = "viewer", Editor = "editor", Admin = "admin" }

    AccountKind = "account_kind" { Staff = "staff", Partner = "partner" }

    /// What an API token is allowed, before its account's role is applied.
    TokenScope = "token_scope" { ReadPublic = "read:public", ReadInternal = "read:internal", Write = "write" }

    /// Where a person stands on a given day.
    PersonStatus = "person_status" {
        ShortTerm = "short_term",
        AdministrativeArrest = "administrative_arrest",
        PreTrial = "pre_trial",
        HouseArrest = "house_arrest",
        CompulsoryTreatment = "compulsory_treatment",
        Imprisoned = "imprisoned",
        Released = "released",
        InExile = "in_exile",
        Deceased = "deceased",
        AtLiberty = "at_liberty",
        Unknown = "unknown",
    }

    Gender = "gender" { Female = "female", Male = "male", Other = "other" }

    DetentionKind = "detention_kind" {
        ShortTerm = "short_term",
        AdministrativeArrest = "administrative_arrest",
        PreTrial = "pre_trial",
        HouseArrest = "house_arrest",
        Imprisonment = "imprisonment",
        CompulsoryTreatment = "compulsory_treatment",
    }

    DetentionEndReason = "detention_end_reason" {
        Released = "released",
        Transferred = "transferred",
        Sentenced = "sentenced",
        Pardoned = "pardoned",
        Amnestied = "amnestied",
        TermServed = "term_served",
        Died = "died",
        Exiled = "exiled",
    }

    ChargeStatus = "charge_status" {
        Suspected = "suspected",
        Charged = "charged",
        Convicted = "convicted",
        Acquitted = "acquitted",
        Dropped = "dropped",
        Amnestied = "amnestied",
    }

    SentenceKind = "sentence_kind" {
        Imprisonment = "imprisonment",
        RestrictionOfFreedom = "restriction_of_freedom",
        AdministrativeArrest = "administrative_arrest",
        Fine = "fine",
        DeathPenalty = "death_penalty",
        Other = "other",
    }

    Regime = "regime" {
        General = "general",
        Reinforced = "reinforced",
        Strict = "strict",
        Special = "special",
        Prison = "prison",
    }

    FacilityKind = "facility_kind" {
        DetentionCentre = "detention_centre",
        PreTrialCentre = "pre_trial_centre",
        KgbPreTrial = "kgb_pre_trial",
        PenalColony = "penal_colony",
        Prison = "prison",
        Other = "other",
    }

    OrganizationKind = "organization_kind" {
        Ngo = "ngo",
        TradeUnion = "trade_union",
        Media = "media",
        Political = "political",
        International = "international",
        State = "state",
        Other = "other",
    }

    SourceKind = "source_kind" {
        Document = "document",
        Article = "article",
        CourtRecord = "court_record",
        Witness = "witness",
        Statement = "statement",
        Other = "other",
    }

    /// A code edition an article belongs to.
    LegalCode = "legal_code" {
        CriminalCode = "criminal_code",
        AdministrativeCode2003 = "administrative_code_2003",
        AdministrativeCode2021 = "administrative_code_2021",
    }

    /// Through which face a change arrived.
    Face = "change_face" { Api = "api", Web = "web", Cli = "cli", Import = "import" }

    /// The language of the interface, chosen per account.
    Language = "interface_language" { En = "en", Be = "be", Ru = "ru" }

    ChangeAction = "change_action" { Create = "create", Update = "update", Archive = "archive", Restore = "restore", Merge = "merge" }

    /// What the security log records.
    SecurityEvent = "security_event" {
        Login = "login",
        LoginFailed = "login_failed",
        LoginThrottled = "login_throttled",
        Logout = "logout",
        SessionsEnded = "sessions_ended",
        PasswordChanged = "password_changed",
        AccountCreated = "account_created",
        AccountChanged = "account_changed",
        TokenCreated = "token_created",
        TokenRevoked = "token_revoked",
        TokenUsed = "token_used",
        RestrictedRead = "restricted_read",
        SecondFactorEnabled = "second_factor_enabled",
        SecondFactorDisabled = "second_factor_disabled",
        SecondFactorFailed = "second_factor_failed",
        SecondFactorReset = "second_factor_reset",
        RecoveryCodeUsed = "recovery_code_used",
        RecoveryCodesRenewed = "recovery_codes_renewed",
        SettingsChanged = "settings_changed",
        Export = "export",
    }
}

impl PersonStatus {
    /// The statuses of a person deprived of liberty.
    pub const HELD: &'static [PersonStatus] = &[
        PersonStatus::ShortTerm,
        PersonStatus::AdministrativeArrest,
        PersonStatus::PreTrial,
        PersonStatus::HouseArrest,
        PersonStatus::CompulsoryTreatment,
        PersonStatus::Imprisoned,
    ];
}
