-- Each person's status over time, kept up to date on every write, so that
-- lists, facets and counts read a status instead of deriving it for every
-- person on every request.
--
-- A person's status (`person_status_on`) changes only on the days its
-- records name: an override's bounds, a detention's start and the first day
-- it no longer covers, a sentence's pronouncement, the day its term runs out
-- and a release. Between two such days it is one status, so the function
-- evaluated on each of them gives every span. `person_status_on` stays the
-- one definition; the spans are its values.
--
-- A reader sees the spans of their clearance: a person's records hidden
-- from one clearance may give it other spans than a higher one. Spans hold
-- for the clearances from `seen_from` to `seen_to`; clearances below the
-- person's own visibility do not see the person and have none.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE status_spans (
    person_id uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    seen_from visibility NOT NULL,
    seen_to visibility NOT NULL,
    during daterange NOT NULL,
    status person_status NOT NULL,
    uncertain boolean NOT NULL,
    PRIMARY KEY (person_id, seen_from, during),
    CHECK (seen_from <= seen_to),
    CHECK (NOT isempty(during))
);

-- Who has a status on a day (the status filters, counts over time).
CREATE INDEX status_spans_status_idx ON status_spans USING gist (status, during);

-- The days on which a person's status may change (see above), archived
-- records included: a day too many only splits a span in two equal ones,
-- which the refresh joins again.
CREATE FUNCTION status_changes(p_id uuid) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
    SELECT x FROM (
        SELECT unnest(ARRAY[status_override_since, status_override_until]) AS x
          FROM persons WHERE id = p_id
        UNION
        SELECT unnest(ARRAY[(started).earliest, detention_until(started, ended)])
          FROM detentions WHERE person_id = p_id
        UNION
        SELECT unnest(ARRAY[
                   (pronounced).earliest,
                   ((pronounced).earliest
                       + make_interval(months => coalesce(term_months, 0),
                                       days => coalesce(term_days, 0)))::date,
                   (released_on).earliest])
          FROM sentences WHERE person_id = p_id
    ) d WHERE x IS NOT NULL
$$;

-- A person's spans for a reader cleared up to `max_vis`, as a JSON array of
-- [from, until, status, uncertain] (from and until as dates, or null for
-- no bound), adjacent equal spans joined.
CREATE FUNCTION status_spans_for(p_id uuid, max_vis visibility) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH e AS (
        SELECT b.at, s.status, s.uncertain,
               (s.status, s.uncertain) IS DISTINCT FROM
                   lag((s.status, s.uncertain)) OVER (ORDER BY b.at NULLS FIRST) AS starts
          FROM (SELECT NULL::date AS at UNION ALL SELECT status_changes(p_id)) b
         CROSS JOIN LATERAL person_status_on(p_id, coalesce(b.at, '-infinity'::date), max_vis) s
    ), runs AS (
        SELECT e.at, e.status, e.uncertain
          FROM e WHERE e.starts
    )
    SELECT jsonb_agg(jsonb_build_array(r.at, r.next, r.status, r.uncertain)
                     ORDER BY r.at NULLS FIRST)
      FROM (SELECT runs.*, lead(runs.at) OVER (ORDER BY runs.at NULLS FIRST) AS next
              FROM runs) r
$$;

-- Recomputes the spans of the persons `ids`. Their rows are locked for the
-- rest of the transaction first, in one order, so that two transactions
-- writing records of one person compute its spans one after the other, the
-- second seeing the first's records (row locks, unlike advisory ones, take
-- no shared memory however many persons a statement touches). Runs as the owner: the server reads
-- spans and cannot write them other than through their definition.
CREATE FUNCTION refresh_status_spans(ids uuid[]) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    p record;
    lvl visibility;
    spans jsonb;
    prev jsonb;
    prev_from visibility;
BEGIN
    PERFORM 1 FROM persons WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM status_spans WHERE person_id = ANY (ids);
    FOR p IN SELECT id, visibility FROM persons WHERE id = ANY (ids) LOOP
        prev := NULL;
        -- A clearance sees other records than the one below it only when
        -- some record is visible from it exactly: evaluate those.
        FOR lvl IN
            SELECT v FROM unnest(enum_range(p.visibility, NULL)) v
             WHERE v = p.visibility
                OR v IN (SELECT greatest(x.visibility, p.visibility) FROM detentions x
                          WHERE x.person_id = p.id AND x.archived_at IS NULL
                         UNION
                         SELECT greatest(x.visibility, p.visibility) FROM sentences x
                          WHERE x.person_id = p.id AND x.archived_at IS NULL
                         UNION
                         SELECT greatest(x.visibility, p.visibility) FROM charges x
                          WHERE x.person_id = p.id AND x.archived_at IS NULL)
             ORDER BY v
        LOOP
            spans := status_spans_for(p.id, lvl);
            IF spans = prev THEN
                CONTINUE;
            END IF;
            INSERT INTO status_spans (person_id, seen_from, seen_to, during, status, uncertain)
            SELECT p.id, lvl, 'restricted',
                   daterange((s->>0)::date, (s->>1)::date, '[)'),
                   (s->>2)::person_status, (s->>3)::boolean
              FROM jsonb_array_elements(spans) s;
            IF prev IS NOT NULL THEN
                UPDATE status_spans SET seen_to = (
                           SELECT max(v) FROM unnest(enum_range(NULL::visibility)) v WHERE v < lvl)
                 WHERE person_id = p.id AND seen_from = prev_from;
            END IF;
            prev := spans;
            prev_from := lvl;
        END LOOP;
    END LOOP;
END
$$;

-- After every statement that writes what a status rests on, the spans of
-- the persons it touched (before and after: a record may move between
-- persons). As the owner too: nobody else may run the refresh (and lock
-- persons with it) other than through these triggers.
CREATE FUNCTION status_spans_of_records() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_status_spans(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM refresh_status_spans(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    ELSE
        PERFORM refresh_status_spans(ARRAY(SELECT person_id FROM new_rows
                                           UNION SELECT person_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION status_spans_of_persons() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM refresh_status_spans(ARRAY(SELECT id FROM new_rows));
    ELSE
        PERFORM refresh_status_spans(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (n.visibility, n.status_override, n.status_override_since,
                    n.status_override_until)
                   IS DISTINCT FROM
                   (o.visibility, o.status_override, o.status_override_since,
                    o.status_override_until)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER status_spans_insert AFTER INSERT ON persons
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION status_spans_of_persons();
CREATE TRIGGER status_spans_update AFTER UPDATE ON persons
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION status_spans_of_persons();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['detentions', 'sentences', 'charges'] LOOP
        EXECUTE format('CREATE TRIGGER status_spans_insert AFTER INSERT ON %I
                            REFERENCING NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION status_spans_of_records()', t);
        EXECUTE format('CREATE TRIGGER status_spans_update AFTER UPDATE ON %I
                            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION status_spans_of_records()', t);
        EXECUTE format('CREATE TRIGGER status_spans_delete AFTER DELETE ON %I
                            REFERENCING OLD TABLE AS old_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION status_spans_of_records()', t);
    END LOOP;
END
$$;

SELECT refresh_status_spans(ARRAY(SELECT id FROM persons));

REVOKE EXECUTE ON FUNCTION refresh_status_spans(uuid[]) FROM PUBLIC;
GRANT SELECT ON status_spans TO docket_app;
