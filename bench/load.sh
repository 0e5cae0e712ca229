#!/usr/bin/env bash
# Load test of four requests against the release build, each compared with
# pgbench replaying exactly the statements the request runs (token check
# included), in the same run, with the same number of connections.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1/docket_bench bench/load.sh
#
# Needs: a database filled by bench/generate.sh, `cargo build --release`,
# wrk and pgbench, and the PostgreSQL server's log (the Debian cluster's,
# or PGLOG=path): the statements are read from it.
#   A  one person with the whole case        GET /api/v1/persons/{id}
#   B  the list by status and article        GET /api/v1/persons?status=pre_trial&article=342&sort=name&limit=50
#   C  a misspelt name                       GET /api/v1/persons?q=Siarhei%20Kazlou&limit=50
#   D  facets of a filtered list             GET /api/v1/persons/facets?status=pre_trial&article=342
set -euo pipefail
cd "$(dirname "$0")"
: "${DATABASE_URL:?set DATABASE_URL to the database bench/generate.sh filled}"
CONNECTIONS=${CONNECTIONS:-32}
SECONDS_EACH=${SECONDS_EACH:-20}
PORT=${PORT:-8099}
PGLOG=${PGLOG:-$(ls /var/log/postgresql/postgresql-*-main.log | tail -1)}
BIN=../target/release/docket
OUT=${OUT:-/tmp/docket-bench}
mkdir -p "$OUT"
db=$(psql -At "$DATABASE_URL" -c 'SELECT current_database()')

# A staff account and a token that reads internal data.
email=bench@example.org
psql -At "$DATABASE_URL" -c "SELECT 1 FROM accounts WHERE email = '$email'" | grep -q 1 ||
    echo 'correct horse battery staple' | "$BIN" user add "$email" --role editor >/dev/null
token=$("$BIN" token create --user "$email" --scope read:internal | tail -1)
person=$(psql -At "$DATABASE_URL" -c "SELECT person_id FROM charges GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
small=$(psql -At "$DATABASE_URL" -c "SELECT person_id FROM detentions GROUP BY 1 ORDER BY count(*), 1 LIMIT 1")
declare -A path=(
    [A]="/api/v1/persons/$person"
    [A1]="/api/v1/persons/$small"
    [B]="/api/v1/persons?status=pre_trial&article=342&sort=name&limit=50"
    [C]="/api/v1/persons?q=Siarhei%20Kazlou&limit=50"
    [D]="/api/v1/persons/facets?status=pre_trial&article=342"
)

serve() {
    # The load is one token at one address: no rate limit in the way.
    DOCKET_RATE_PER_TOKEN=100000000 DOCKET_RATE_PER_ADDRESS=100000000 \
    DOCKET_LISTEN=127.0.0.1:$PORT DOCKET_DATA_DIR=$OUT/data "$BIN" serve >"$OUT/serve.log" 2>&1 &
    server=$!
    for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.2; done
    echo "the server did not start: $OUT/serve.log" >&2; exit 1
}

# 1. The statements of each request, from the server's log.
psql -q "$DATABASE_URL" -c "ALTER DATABASE \"$db\" SET log_min_duration_statement = 0"
serve
for k in A A1 B C D; do
    curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT${path[$k]}" # warm
    psql -q "$DATABASE_URL" -c "SELECT 'bench-mark $k start'" >/dev/null
    curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT${path[$k]}"
    psql -q "$DATABASE_URL" -c "SELECT 'bench-mark $k end'" >/dev/null
done
sleep 1
kill "$server"; wait "$server" 2>/dev/null || true
psql -q "$DATABASE_URL" -c "ALTER DATABASE \"$db\" RESET log_min_duration_statement"
for k in A A1 B C D; do
    python3 replay.py "$k" "$OUT/$k.vars" <"$PGLOG" >"$OUT/$k.sql" 2>"$OUT/$k.count"
done

# 2. Each request under load, then pgbench replaying its statements.
serve
printf '%-3s %10s %10s %10s %10s %8s %8s %6s\n' '' 'req/s' 'p99 ms' 'pgb tps' 'pgb p99' 'ratio' 'p99 x' 'stmts'
for k in A B C D; do
    w=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency --timeout 60s \
            -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT${path[$k]}")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$w")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}' <<<"$w")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$w")
    [ -z "$non2xx" ] || echo "$k: $non2xx answers were not 2xx" >&2
    timeouts=$(awk '/Socket errors/ {for (i = 1; i <= NF; i++) if ($i == "timeout") print $(i - 1)}' <<<"$w")
    [ -z "$timeouts" ] || [ "$timeouts" = 0 ] || echo "$k: $timeouts requests timed out" >&2
    rm -f "$OUT"/pgb_"$k".*
    # As the server's connections: no JIT (src/db/mod.rs).
    defines=()
    while IFS= read -r line; do defines+=(-D "$line"); done <"$OUT/$k.vars"
    PGOPTIONS='-c jit=off' pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_EACH" -f "$OUT/$k.sql" \
            "${defines[@]}" \
            -l --log-prefix="$OUT/pgb_$k" "$DATABASE_URL" >"$OUT/pgb_$k.out" 2>&1
    tps=$(awk '/^tps = / {print $3}' "$OUT/pgb_$k.out")
    pp99=$(cat "$OUT"/pgb_"$k".* | awk '{print $3/1000}' | sort -n |
           awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; print a[i]}')
    printf '%-3s %10.0f %10.1f %10.0f %10.1f %7.0f%% %8.2f %6s\n' "$k" "$rps" "$p99" "$tps" "$pp99" \
        "$(echo "100 * $rps / $tps" | bc -l)" "$(echo "$p99 / $pp99" | bc -l)" "$(cat "$OUT/$k.count")"
done
echo "statements of a person with the fewest records (A1): $(cat "$OUT/A1.count"), with the most (A): $(cat "$OUT/A.count")"
echo "server's peak resident memory: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"
kill "$server"; wait "$server" 2>/dev/null || true
