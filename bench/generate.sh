#!/usr/bin/env bash
# Fills the database at $DATABASE_URL (migrated, no cases yet; connect as
# its owner) with the benchmark's synthetic cases, and says how long it took.
#   DATABASE_URL=postgres://postgres@127.0.0.1/docket_bench bench/generate.sh
set -euo pipefail
cd "$(dirname "$0")"
: "${DATABASE_URL:?set DATABASE_URL to a migrated, empty database}"
start=$(date +%s.%N)
# Statuses are computed once at the end rather than after each statement.
spans_triggers() {
    psql -q "$DATABASE_URL" -c "DO \$\$ DECLARE t text; BEGIN
        FOREACH t IN ARRAY ARRAY['persons', 'detentions', 'charges', 'sentences'] LOOP
            EXECUTE format('ALTER TABLE %I $1 TRIGGER status_spans_insert', t);
        END LOOP; END \$\$"
}
spans_triggers DISABLE
psql -q "$DATABASE_URL" -f generate.sql
# Names and records in two halves at once: two cores.
halves() {
    local pids=()
    for part in 0 1; do psql -q "$DATABASE_URL" -v part=$part -f "$1" & pids+=($!); done
    for pid in "${pids[@]}"; do wait "$pid"; done
}
halves names.sql
halves records.sql
spans_triggers ENABLE
halves spans.sql
psql -q "$DATABASE_URL" -c 'DROP TABLE bench_p, bench_given, bench_family, bench_articles' \
     -c 'VACUUM ANALYZE'
end=$(date +%s.%N)
psql -At "$DATABASE_URL" -c "SELECT 'persons ' || count(*) FROM persons
    UNION ALL SELECT 'names ' || count(*) FROM person_names
    UNION ALL SELECT 'detentions ' || count(*) FROM detentions
    UNION ALL SELECT 'charges ' || count(*) FROM charges
    UNION ALL SELECT 'sentences ' || count(*) FROM sentences"
printf 'generated in %.0f s\n' "$(echo "$end - $start" | bc)"
