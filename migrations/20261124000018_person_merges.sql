-- Two records of one person merged into one, and undone. The person
-- merged away stays, archived, pointing at the one kept; its records move
-- to the kept person; the merge keeps what undoing it needs.
ALTER TYPE change_action ADD VALUE 'merge';

ALTER TABLE persons ADD COLUMN merged_into uuid
    CONSTRAINT persons_merged_into_fkey REFERENCES persons (id);
ALTER TABLE persons ADD CONSTRAINT persons_merged_is_archived
    CHECK (merged_into IS NULL OR archived_at IS NOT NULL);
ALTER TABLE persons ADD CONSTRAINT persons_not_merged_into_itself
    CHECK (merged_into <> id);
CREATE INDEX persons_merged_into_idx ON persons (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE person_merges (
    id uuid PRIMARY KEY,
    kept_id uuid NOT NULL REFERENCES persons (id),
    merged_id uuid NOT NULL REFERENCES persons (id),
    account_id uuid REFERENCES accounts (id),
    token_id uuid REFERENCES api_tokens (id),
    at timestamptz NOT NULL DEFAULT now(),
    -- Both persons as history snapshots (restricted values sealed) before
    -- the merge, the kept one after it, and the records moved:
    -- [{record_type, id, visibility_before, visibility_after}].
    kept_before jsonb NOT NULL,
    kept_after jsonb NOT NULL,
    merged_before jsonb NOT NULL,
    moved jsonb NOT NULL,
    undone_at timestamptz,
    undone_by uuid REFERENCES accounts (id),
    undone_by_token uuid REFERENCES api_tokens (id),
    CONSTRAINT person_merges_two_persons CHECK (kept_id <> merged_id)
);
-- A person is merged away at most once at a time.
CREATE UNIQUE INDEX person_merges_merged_once_key ON person_merges (merged_id)
    WHERE undone_at IS NULL;
CREATE INDEX person_merges_kept_idx ON person_merges (kept_id);
-- A merge moves a person's sentence links by person.
CREATE INDEX sentence_charges_person_idx ON sentence_charges (person_id);

-- Pairs staff have said are two different persons: not offered as
-- duplicates again. `person_a` is the smaller id.
CREATE TABLE distinct_persons (
    person_a uuid NOT NULL REFERENCES persons (id),
    person_b uuid NOT NULL REFERENCES persons (id),
    account_id uuid REFERENCES accounts (id),
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT distinct_persons_pkey PRIMARY KEY (person_a, person_b),
    CONSTRAINT distinct_persons_ordered CHECK (person_a < person_b)
);

-- A merge moves a person's records table by table; the links between
-- them (a charge's detention, a sentence's charges, a citation's record)
-- hold again once all have moved, and are checked at commit.
ALTER TABLE charges ALTER CONSTRAINT charges_detention_fkey DEFERRABLE;
ALTER TABLE sentence_charges ALTER CONSTRAINT sentence_charges_sentence_fkey DEFERRABLE;
ALTER TABLE sentence_charges ALTER CONSTRAINT sentence_charges_charge_fkey DEFERRABLE;
ALTER TABLE citations ALTER CONSTRAINT citations_detention_fkey DEFERRABLE;
ALTER TABLE citations ALTER CONSTRAINT citations_charge_fkey DEFERRABLE;
ALTER TABLE citations ALTER CONSTRAINT citations_sentence_fkey DEFERRABLE;

-- A person and every person merged into it, however indirectly: whose
-- history a case's history shows.
CREATE FUNCTION merged_persons(p uuid) RETURNS uuid[]
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE m (id) AS (
        SELECT p
        UNION
        SELECT x.id FROM persons x JOIN m ON x.merged_into = m.id
    )
    SELECT array_agg(id) FROM m
$$;

-- Moves every record of one person to another (archived ones too), each
-- at least as hidden as the person it comes from was: what was restricted
-- through its person stays restricted. Returns what moved.
CREATE FUNCTION move_person_records(from_id uuid, to_id uuid, at_least visibility)
RETURNS TABLE (record_type text, id uuid, visibility_before visibility, visibility_after visibility)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM detentions x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE detentions x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'detention'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM charges x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE charges x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'charge'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM sentences x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE sentences x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'sentence'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM recognitions x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE recognitions x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'recognition'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM affiliations x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE affiliations x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'affiliation'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (SELECT x.id, x.visibility FROM citations x WHERE x.person_id = from_id FOR UPDATE)
        UPDATE citations x SET person_id = to_id, visibility = greatest(x.visibility, at_least),
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'citation'::text, x.id, old.visibility, x.visibility;
    UPDATE sentence_charges SET person_id = to_id WHERE person_id = from_id;
END
$$;

-- Moves back the records a merge moved (`moved`, as move_person_records
-- returned them) that are still the kept person's, with the visibility
-- they had unless it was changed since. Returns what moved back.
CREATE FUNCTION return_person_records(moved jsonb, from_id uuid, to_id uuid)
RETURNS TABLE (record_type text, id uuid, visibility_before visibility, visibility_after visibility)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM detentions x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'detention' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE detentions x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'detention'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM charges x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'charge' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE charges x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'charge'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM sentences x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'sentence' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE sentences x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'sentence'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM recognitions x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'recognition' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE recognitions x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'recognition'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM affiliations x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'affiliation' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE affiliations x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'affiliation'::text, x.id, old.visibility, x.visibility;
    RETURN QUERY
        WITH old AS (
            SELECT x.id, x.visibility, m.visibility_before, m.visibility_after
              FROM citations x
              JOIN jsonb_to_recordset(moved) AS m (record_type text, id uuid,
                                                   visibility_before visibility,
                                                   visibility_after visibility)
                ON m.record_type = 'citation' AND x.id = m.id
             WHERE x.person_id = from_id
               FOR UPDATE OF x)
        UPDATE citations x SET person_id = to_id,
                         visibility = CASE WHEN old.visibility = old.visibility_after
                                           THEN old.visibility_before ELSE old.visibility END,
                         version = x.version + 1, updated_at = now()
          FROM old WHERE x.id = old.id
        RETURNING 'citation'::text, x.id, old.visibility, x.visibility;
    UPDATE sentence_charges sc SET person_id = to_id
     WHERE sc.person_id = from_id
       AND sc.sentence_id IN (SELECT (e->>'id')::uuid FROM jsonb_array_elements(moved) e
                               WHERE e->>'record_type' = 'sentence');
END
$$;

-- Whether a record a merge moved was linked since to one it did not move
-- (a charge to a detention, a sentence to a charge, a citation to a
-- record): moving them back would split the link.
CREATE FUNCTION merge_links_crossing(moved jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    WITH m AS (SELECT e->>'record_type' AS kind, (e->>'id')::uuid AS id
                 FROM jsonb_array_elements(moved) e)
    SELECT EXISTS (
        SELECT 1 FROM charges c
         WHERE c.detention_id IS NOT NULL
           AND (c.id IN (SELECT id FROM m WHERE kind = 'charge'))
               <> (c.detention_id IN (SELECT id FROM m WHERE kind = 'detention'))
           AND (c.id IN (SELECT id FROM m) OR c.detention_id IN (SELECT id FROM m)))
    OR EXISTS (
        SELECT 1 FROM sentence_charges sc
         WHERE (sc.sentence_id IN (SELECT id FROM m WHERE kind = 'sentence'))
               <> (sc.charge_id IN (SELECT id FROM m WHERE kind = 'charge')))
    OR EXISTS (
        SELECT 1 FROM citations ci
         WHERE num_nonnulls(ci.detention_id, ci.charge_id, ci.sentence_id) = 1
           AND (ci.id IN (SELECT id FROM m WHERE kind = 'citation'))
               <> (coalesce(ci.detention_id, ci.charge_id, ci.sentence_id) IN (SELECT id FROM m)))
$$;

GRANT SELECT, INSERT, UPDATE ON person_merges TO docket_app;
GRANT SELECT, INSERT ON distinct_persons TO docket_app;
