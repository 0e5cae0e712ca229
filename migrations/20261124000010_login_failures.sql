-- Failed logins, kept for the throttle: one row per failure and key, where
-- a key is the email as typed (lower case: unknown addresses count the
-- same as real ones) or the client's address. Rows older than the window
-- are deleted as logins go.
CREATE TABLE login_failures (
    key text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);
