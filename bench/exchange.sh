#!/usr/bin/env bash
# How long a partner takes to follow the change feed from the start, and to
# export everything as NDJSON and as a zip of CSV files, against the release
# build; with the server's peak resident memory after each.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1/docket_bench bench/exchange.sh
#
# Needs a database filled by bench/generate.sh and `cargo build --release`.
# The generator writes no history: the first run adds one entry a person
# (numbered, but not chained: `docket audit verify` fails on this database).
set -euo pipefail
cd "$(dirname "$0")"
: "${DATABASE_URL:?set DATABASE_URL to the database bench/generate.sh filled}"
PORT=${PORT:-8099}
BIN=../target/release/docket
OUT=${OUT:-/tmp/docket-bench}
mkdir -p "$OUT"

if [ "$(psql -At "$DATABASE_URL" -c 'SELECT count(*) FROM history')" = 0 ]; then
    psql -q "$DATABASE_URL" <<'SQL'
INSERT INTO history (seq, at, face, record_type, record_id, person_id, action, before, after,
                     payload_digest, prev_hash, hash)
SELECT row_number() OVER (ORDER BY p.id), now(), 'cli', 'person', p.id, p.id, 'create', NULL,
       jsonb_build_object('visibility', p.visibility), '\x00', '\x00', '\x00'
  FROM persons p;
UPDATE history_head SET last_seq = (SELECT max(seq) FROM history);
ANALYZE history;
SQL
fi

email=bench@example.org
psql -At "$DATABASE_URL" -c "SELECT 1 FROM accounts WHERE email = '$email'" | grep -q 1 ||
    echo 'correct horse battery staple' | "$BIN" user add "$email" --role editor >/dev/null
token=$("$BIN" token create --user "$email" --scope read:internal | tail -1)

DOCKET_RATE_PER_TOKEN=100000000 DOCKET_RATE_PER_ADDRESS=100000000 \
    DOCKET_LISTEN=127.0.0.1:$PORT DOCKET_DATA_DIR=$OUT/data "$BIN" serve >"$OUT/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
base="http://127.0.0.1:$PORT/api/v1"
peak() { awk '/VmHWM/ {printf "%d MiB", $2 / 1024}' "/proc/$server/status"; }
now() { date +%s.%N; }

start=$(now)
cursor="" pages=0 items=0
while :; do
    q="limit=500${cursor:+&since=$cursor}"
    curl -sf -H "Authorization: Bearer $token" "$base/changes?$q" >"$OUT/page.json"
    read -r n up cursor < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["items"]), d["caught_up"], d["next_cursor"])' "$OUT/page.json")
    pages=$((pages + 1)) items=$((items + n))
    [ "$up" = True ] && break
done
printf 'feed   %6.1f s  %d pages of 500, %d items  peak %s\n' \
    "$(echo "$(now) - $start" | bc)" "$pages" "$items" "$(peak)"

for format in ndjson csv; do
    start=$(now)
    curl -sf -H "Authorization: Bearer $token" "$base/export?format=$format" -o "$OUT/export.$format"
    printf 'export %6.1f s  %s, %d MiB  peak %s\n' "$(echo "$(now) - $start" | bc)" "$format" \
        "$(($(stat -c %s "$OUT/export.$format") / 1048576))" "$(peak)"
done
