-- The security log: who did what, when, from where, for logins and their
-- failures, session and password changes, account and token changes, token
-- use and reads of restricted data. Never passwords, tokens or restricted
-- values. Append-only, as history is.
CREATE TYPE security_event AS ENUM (
    'login', 'login_failed', 'login_throttled', 'logout', 'sessions_ended',
    'password_changed', 'account_created', 'account_changed', 'token_created',
    'token_revoked', 'token_used', 'restricted_read'
);

CREATE TABLE security_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    event security_event NOT NULL,
    -- Who acted: an account (and the token it used), or nobody signed in.
    account_id uuid,
    token_id uuid,
    address inet,
    -- What the event concerns: an account, a token, a record, or the email
    -- typed at a failed login.
    subject text,
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX security_log_at_idx ON security_log (at);

CREATE FUNCTION security_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the security log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER security_log_append_only
    BEFORE UPDATE OR DELETE ON security_log
    FOR EACH ROW EXECUTE FUNCTION security_log_is_append_only();

CREATE TRIGGER security_log_no_truncate
    BEFORE TRUNCATE ON security_log
    FOR EACH STATEMENT EXECUTE FUNCTION security_log_is_append_only();
