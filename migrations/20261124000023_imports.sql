-- Imports: each file brought in, by whom and when (a dry run leaves
-- nothing). History entries an import wrote name it, so a change can be traced
-- to the file it came from.
CREATE TABLE imports (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    -- The file's name as given, and a digest of its bytes.
    file_name text NOT NULL,
    file_sha256 bytea NOT NULL,
    format text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE history ADD COLUMN import_id uuid REFERENCES imports (id);

GRANT SELECT, INSERT ON imports TO docket_app;
