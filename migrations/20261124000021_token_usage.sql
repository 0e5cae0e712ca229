-- Requests each API token made, by day (UTC): its holder reads them at
-- GET /api/v1/token. The server counts in memory and adds its counts here
-- every minute.
CREATE TABLE token_usage (
    token_id uuid NOT NULL REFERENCES api_tokens (id),
    day date NOT NULL,
    requests bigint NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (token_id, day)
);
GRANT SELECT, INSERT, UPDATE ON token_usage TO docket_app;
