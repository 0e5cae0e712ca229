-- A second factor for staff: a TOTP secret (RFC 6238), sealed with the
-- application's key like restricted values; the newest time step accepted,
-- so that a code works once; and single-use recovery codes, kept as hashes.
ALTER TABLE accounts
    ADD COLUMN totp_secret bytea,
    ADD COLUMN totp_last_step bigint,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD CONSTRAINT accounts_totp_whole CHECK (
        (totp_secret IS NULL) = (totp_enabled_at IS NULL)
    );

CREATE TABLE recovery_codes (
    account_id uuid NOT NULL REFERENCES accounts (id),
    -- SHA-256 of the code: each carries 80 random bits.
    code_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at timestamptz,
    PRIMARY KEY (account_id, code_hash)
);

-- Settings of the whole registry: one row.
CREATE TABLE settings (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    -- Every staff member must have a second factor (admins always must).
    second_factor_for_all boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings DEFAULT VALUES;

ALTER TYPE security_event ADD VALUE 'second_factor_enabled';
ALTER TYPE security_event ADD VALUE 'second_factor_disabled';
ALTER TYPE security_event ADD VALUE 'second_factor_failed';
ALTER TYPE security_event ADD VALUE 'second_factor_reset';
ALTER TYPE security_event ADD VALUE 'recovery_code_used';
ALTER TYPE security_event ADD VALUE 'recovery_codes_renewed';
ALTER TYPE security_event ADD VALUE 'settings_changed';
