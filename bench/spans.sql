-- The status spans of half the persons (:part is 0 or 1).
\set ON_ERROR_STOP on
SELECT refresh_status_spans(ARRAY(SELECT id FROM bench_p WHERE n % 2 = :part));
