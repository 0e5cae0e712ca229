-- Detentions (1–4 a person; one in seventy still goes on), charges (1–2 a detention, articles skewed
-- towards the first of the catalogue: 342 first), and a sentence for
-- three persons in five, covering a charge, of half the persons (:part
-- is 0 or 1).
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE d ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, p.id AS person_id, p.n, k.k,
       date '2020-08-01' + (random() * 1900)::int AS started,
       random() AS r, random() AS r2
  FROM bench_p p
  CROSS JOIN LATERAL generate_series(1, 1 + (p.r * 1000)::int % 4) AS k (k)
 WHERE p.n % 2 = :part;
INSERT INTO detentions (id, person_id, kind, started, ended, facility_id, end_reason, visibility)
SELECT d.id, d.person_id,
       CASE WHEN d.r < 0.4 THEN 'short_term' WHEN d.r < 0.65 THEN 'administrative_arrest'
            WHEN d.r < 0.85 THEN 'pre_trial' WHEN d.r < 0.95 THEN 'imprisonment'
            ELSE 'house_arrest' END::detention_kind,
       ROW(d.started, CASE WHEN d.r < 0.9 THEN 'day' ELSE 'month' END, false)::partial_date,
       CASE WHEN d.r2 < 0.985 THEN ROW(d.started + 3 + (d.r * 400)::int, 'day', false)::partial_date END,
       f.ids[1 + (d.n + d.k) % array_length(f.ids, 1)],
       CASE WHEN d.r2 < 0.985 THEN 'released' END::detention_end_reason,
       CASE WHEN d.r < 0.97 THEN 'public' ELSE 'internal' END::visibility
  FROM d, (SELECT array_agg(id ORDER BY id) AS ids FROM facilities) f;
CREATE TEMP TABLE c ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, d.person_id, d.id AS detention_id, d.started, random() AS r
  FROM d CROSS JOIN LATERAL generate_series(1, 1 + (d.r < 0.6)::int) AS j (j);
INSERT INTO charges (id, person_id, article_id, detention_id, filed, status)
SELECT c.id, c.person_id,
       (SELECT ids[1 + floor(array_length(ids, 1) * c.r ^ 3)::int] FROM bench_articles),
       c.detention_id, ROW(c.started + 2, 'day', false)::partial_date,
       (ARRAY['charged', 'convicted', 'convicted', 'suspected', 'dropped']::charge_status[])[1 + floor(c.r * 5)::int]
  FROM c;
CREATE TEMP TABLE s ON COMMIT DROP AS
SELECT DISTINCT ON (c.person_id) gen_random_uuid() AS id, c.person_id, c.id AS charge_id, c.started
  FROM c JOIN bench_p p ON p.id = c.person_id
 WHERE (p.n * 7919) % 5 < 3
 ORDER BY c.person_id, c.started;
INSERT INTO sentences (id, person_id, kind, pronounced, term_months, regime)
SELECT s.id, s.person_id, 'imprisonment', ROW(s.started + 90, 'day', false)::partial_date,
       12 + (abs(hashtext(s.id::text)) % 168), 'general'
  FROM s;
INSERT INTO sentence_charges (sentence_id, charge_id, person_id)
SELECT s.id, s.charge_id, s.person_id FROM s;
COMMIT;
