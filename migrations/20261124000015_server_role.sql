-- The server acts as `docket_app`: a role that owns nothing, cannot log in
-- by itself, has no BYPASSRLS (no table has row security yet; any policy
-- added later holds for it), and holds exactly the rights the server
-- needs. History and the security log it may read and add to, never change
-- or remove; the article catalogue it may only read; migrations run as the
-- owner. A login role that is a member of `docket_app` (the private cluster
-- makes `docket_server`) is what the server connects as.
--
-- Every later migration that adds a table grants `docket_app` its rights on
-- it explicitly. Without a grant the server gets "permission denied" at run
-- time; the tests run the server as this role, so they find it.
--
-- Roles belong to the whole PostgreSQL server: where it holds several
-- Docket databases, each gets its own login role, and CONNECT to each
-- database only for its own (see the README).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'docket_app') THEN
        CREATE ROLE docket_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
            NOREPLICATION NOBYPASSRLS;
    END IF;
EXCEPTION
    WHEN duplicate_object THEN
        -- Another database of the same server made it at the same moment.
        NULL;
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the role docket_app is missing and % may not create it', current_user
            USING HINT = 'As a superuser: CREATE ROLE docket_app NOLOGIN; then run the migrations again.';
END
$$;

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM docket_app;
GRANT USAGE ON SCHEMA public, tower_sessions TO docket_app;

-- Case data and reference data: written by the server, archived, never
-- deleted (names, external ids and a sentence's charges are replaced as a
-- whole, and their earlier state stays in the history).
GRANT SELECT, INSERT, UPDATE ON
    persons, detentions, charges, sentences, recognitions, affiliations,
    citations, sources, facilities, organizations, criminal_cases
    TO docket_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    person_names, person_external_ids, sentence_charges
    TO docket_app;

-- The article catalogue comes with the migrations.
GRANT SELECT ON articles, article_parts, article_periods TO docket_app;
-- Views.
GRANT SELECT ON citation_reach TO docket_app;

-- Append-only: read and add.
GRANT SELECT, INSERT ON history, security_log TO docket_app;
-- The head of the chain, taken under a row lock to number entries.
GRANT SELECT, UPDATE ON history_head TO docket_app;

-- Accounts, tokens, second factors, settings, login throttle, sessions.
GRANT SELECT, INSERT, UPDATE ON accounts, api_tokens TO docket_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO docket_app;
GRANT SELECT, UPDATE ON settings TO docket_app;
GRANT SELECT, INSERT, DELETE ON login_attempts TO docket_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tower_sessions.session TO docket_app;

GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO docket_app;
