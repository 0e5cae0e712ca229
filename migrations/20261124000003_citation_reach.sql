-- A citation reaches no further than the source it cites and the record it
-- is cited for, and is gone when either is archived.
CREATE VIEW citation_reach AS
SELECT c.id,
       greatest(c.visibility, s.visibility,
                coalesce(d.visibility, 'public'), coalesce(ch.visibility, 'public'),
                coalesce(se.visibility, 'public')) AS reach,
       coalesce(c.archived_at, s.archived_at, d.archived_at, ch.archived_at,
                se.archived_at) AS archived_at
  FROM citations c
  JOIN sources s ON s.id = c.source_id
  LEFT JOIN detentions d ON d.id = c.detention_id
  LEFT JOIN charges ch ON ch.id = c.charge_id
  LEFT JOIN sentences se ON se.id = c.sentence_id;
