-- Names of half the persons (:part is 0 or 1): a Latin primary name, then
-- up to three more: Belarusian Cyrillic, Russian with a patronymic, and a
-- passport's spelling without diacritics.
\set ON_ERROR_STOP on
INSERT INTO person_names (person_id, position, name, lang, is_primary, family)
SELECT p.id, v.position, v.name, v.lang, v.position = 0, v.family
  FROM bench_p p
  JOIN bench_given g ON g.i = p.gi
  JOIN bench_given pg ON pg.i = 1 + (p.gi * 7 + p.n) % 12
  JOIN bench_family f ON f.i = p.fi
  CROSS JOIN LATERAL (VALUES
      (0, g.lat || ' ' || f.lat, 'be-Latn', f.lat),
      (1, g.be || ' ' || f.be, 'be', f.be),
      (2, g.ru || ' ' || pg.ru || CASE WHEN p.gi > 12 THEN 'овна' ELSE 'ович' END || ' ' || f.ru, 'ru', f.ru),
      (3, upper(unaccent(f.lat)) || ' ' || upper(unaccent(g.lat)), 'en', upper(unaccent(f.lat)))
  ) AS v (position, name, lang, family)
 WHERE p.n % 2 = :part AND v.position <= p.variants;
