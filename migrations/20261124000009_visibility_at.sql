-- The visibility a record had just after history entry `at_seq` (its last
-- snapshot up to then; an archive keeps the visibility it had). NULL when
-- history holds no version of it yet. The history page shows an entry only
-- if the records it depends on were visible then as well as now, so that
-- lowering a visibility later never uncovers what was written under the
-- stricter one.
CREATE FUNCTION visibility_at(kind text, rid uuid, at_seq bigint) RETURNS visibility
LANGUAGE sql STABLE AS $$
    SELECT coalesce((h.after->>'visibility')::visibility,
                    (h.before->>'visibility')::visibility)
      FROM history h
     WHERE h.record_id = rid AND h.record_type = kind AND h.seq <= at_seq
     ORDER BY h.seq DESC LIMIT 1
$$;
