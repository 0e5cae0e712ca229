-- History is append-only: no statement may change or remove an entry.
-- (A separate database role for the server, which cannot even try, comes
-- with the owner/application role split.)
CREATE FUNCTION history_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER history_append_only
    BEFORE UPDATE OR DELETE ON history
    FOR EACH ROW EXECUTE FUNCTION history_is_append_only();

CREATE TRIGGER history_no_truncate
    BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only();
