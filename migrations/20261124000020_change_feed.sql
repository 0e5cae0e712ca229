-- The visibility a reader needs to have seen one version of a record named
-- in history: `version` is an entry's `before` or `after`, `person_id` the
-- person it belonged to then, and the records it depends on (its person, a
-- citation's source and the record it is cited for) are taken as they were
-- just after entry `at_seq`. NULL when there is no such version: before a
-- create, after an archive.
--
-- The change feed shows an entry only to readers who could see the record
-- just before it or just after it, so that it never names a record they
-- never saw, nor tells when a record hidden from them changed.
CREATE FUNCTION version_reach(kind text, version jsonb, person_id uuid, at_seq bigint)
RETURNS visibility
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN version IS NULL THEN NULL ELSE greatest(
        coalesce((version->>'visibility')::visibility, 'public'),
        CASE WHEN kind IN ('affiliation', 'case') THEN 'internal'::visibility END,
        CASE WHEN person_id IS NOT NULL THEN visibility_at('person', person_id, at_seq) END,
        CASE WHEN kind = 'citation' THEN greatest(
            visibility_at('source', (version->>'source_id')::uuid, at_seq),
            visibility_at(version->'cited_for'->>'record_type',
                          (version->'cited_for'->>'record_id')::uuid, at_seq)) END)
    END
$$;

-- What a citation's reach would be without its source, and whether it is
-- archived but for its source: when a source's visibility changes, the
-- feed brings the cases whose citations of it come or go with it, and only
-- those.
CREATE OR REPLACE VIEW citation_reach AS
SELECT c.id,
       greatest(c.visibility, s.visibility,
                coalesce(d.visibility, 'public'), coalesce(ch.visibility, 'public'),
                coalesce(se.visibility, 'public')) AS reach,
       coalesce(c.archived_at, s.archived_at, d.archived_at, ch.archived_at,
                se.archived_at) AS archived_at,
       greatest(c.visibility, coalesce(d.visibility, 'public'),
                coalesce(ch.visibility, 'public'),
                coalesce(se.visibility, 'public')) AS reach_but_source,
       coalesce(c.archived_at, d.archived_at, ch.archived_at,
                se.archived_at) AS archived_but_source_at
  FROM citations c
  JOIN sources s ON s.id = c.source_id
  LEFT JOIN detentions d ON d.id = c.detention_id
  LEFT JOIN charges ch ON ch.id = c.charge_id
  LEFT JOIN sentences se ON se.id = c.sentence_id;
