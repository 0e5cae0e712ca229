-- Whether a record named in history is archived now (false when unknown):
-- the history page offers to restore archived records.
CREATE FUNCTION record_archived(kind text, rid uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(CASE kind
        WHEN 'person' THEN (SELECT archived_at IS NOT NULL FROM persons WHERE id = rid)
        WHEN 'detention' THEN (SELECT archived_at IS NOT NULL FROM detentions WHERE id = rid)
        WHEN 'charge' THEN (SELECT archived_at IS NOT NULL FROM charges WHERE id = rid)
        WHEN 'sentence' THEN (SELECT archived_at IS NOT NULL FROM sentences WHERE id = rid)
        WHEN 'recognition' THEN (SELECT archived_at IS NOT NULL FROM recognitions WHERE id = rid)
        WHEN 'affiliation' THEN (SELECT archived_at IS NOT NULL FROM affiliations WHERE id = rid)
        WHEN 'citation' THEN (SELECT archived_at IS NOT NULL FROM citations WHERE id = rid)
        ELSE false
    END, false)
$$;
