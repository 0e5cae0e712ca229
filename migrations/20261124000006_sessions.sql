-- Browser sessions and each account's interface language.
--
-- The session table is the one tower-sessions' PostgreSQL store expects
-- (schema, names and types as it queries them); it is created here so that
-- the server never needs the right to create schemas.

CREATE SCHEMA tower_sessions;

CREATE TABLE tower_sessions.session (
    id text PRIMARY KEY NOT NULL,
    data bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);

CREATE INDEX session_expiry_date_idx ON tower_sessions.session (expiry_date);

CREATE TYPE interface_language AS ENUM ('en', 'be', 'ru');

ALTER TABLE accounts ADD COLUMN language interface_language NOT NULL DEFAULT 'en';
