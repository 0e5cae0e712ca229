-- The visibility a reader needs to see any record now: its own (a
-- citation's reach, affiliations at least internal) and its person's.
-- Reference data (facilities, organisations, cases, sources but their own
-- visibility) belongs to no person. Used to decide which history entries a
-- reader may see; NULL when the record is unknown.
CREATE FUNCTION record_reach(kind text, rid uuid) RETURNS visibility
LANGUAGE sql STABLE AS $$
    SELECT CASE kind
        WHEN 'person' THEN (SELECT visibility FROM persons WHERE id = rid)
        WHEN 'detention' THEN (SELECT greatest(x.visibility, p.visibility)
                                 FROM detentions x JOIN persons p ON p.id = x.person_id WHERE x.id = rid)
        WHEN 'charge' THEN (SELECT greatest(x.visibility, p.visibility)
                              FROM charges x JOIN persons p ON p.id = x.person_id WHERE x.id = rid)
        WHEN 'sentence' THEN (SELECT greatest(x.visibility, p.visibility)
                                FROM sentences x JOIN persons p ON p.id = x.person_id WHERE x.id = rid)
        WHEN 'recognition' THEN (SELECT greatest(x.visibility, p.visibility)
                                   FROM recognitions x JOIN persons p ON p.id = x.person_id WHERE x.id = rid)
        WHEN 'affiliation' THEN (SELECT greatest(x.visibility, p.visibility, 'internal')
                                   FROM affiliations x JOIN persons p ON p.id = x.person_id WHERE x.id = rid)
        WHEN 'citation' THEN (SELECT greatest(r.reach, p.visibility)
                                FROM citation_reach r JOIN citations x ON x.id = r.id
                                JOIN persons p ON p.id = x.person_id WHERE r.id = rid)
        WHEN 'source' THEN (SELECT visibility FROM sources WHERE id = rid)
        WHEN 'case' THEN 'internal'::visibility
        ELSE 'public'::visibility
    END
$$;
