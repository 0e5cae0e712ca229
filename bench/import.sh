#!/usr/bin/env bash
# How long an import takes, and the peak memory of `docket import`, for the
# demo registry's export copied COPIES times over (bench/copies.py): as
# NDJSON, dry run and import, then the same registry as a zip of CSV tables,
# against the release build. Each import goes into a database of its own,
# made empty on $SERVER.
#
#   SERVER=postgres://postgres@127.0.0.1 COPIES=100 bench/import.sh
#
# Needs `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")"
SERVER=${SERVER:-postgres://postgres@127.0.0.1}
COPIES=${COPIES:-100}
BIN=../target/release/docket
OUT=${OUT:-/tmp/docket-bench-import}
mkdir -p "$OUT"
email=bench@example.org
# The binary keeps its generated key there, not beside this script.
export DOCKET_DATA_DIR=$OUT/data

# An empty, migrated database with an admin.
fresh() {
    PGOPTIONS="-c client_min_messages=warning" psql -q "$SERVER/postgres" \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
    DATABASE_URL="$SERVER/$1" "$BIN" migrate >/dev/null 2>&1
    echo 'correct horse battery staple' |
        DATABASE_URL="$SERVER/$1" "$BIN" user add "$email" --role admin >/dev/null
}

# Runs `docket import` on a database: seconds, peak memory, the last line.
timed() {
    local db=$1 label=$2
    shift 2
    DATABASE_URL="$SERVER/$db" /usr/bin/time -f '%e %M' -o "$OUT/time" \
        "$BIN" import --by "$email" "$@" >"$OUT/import.out" 2>"$OUT/import.err" || {
        tail -5 "$OUT/import.out" "$OUT/import.err"
        exit 1
    }
    read -r seconds kib <"$OUT/time"
    printf '%-16s %7.1f s  peak %4d MiB  %s\n' "$label" "$seconds" $((kib / 1024)) \
        "$(tail -1 "$OUT/import.out")"
}

fresh docket_bench_demo
DATABASE_URL="$SERVER/docket_bench_demo" "$BIN" demo-data >/dev/null 2>&1
DATABASE_URL="$SERVER/docket_bench_demo" "$BIN" export --by "$email" -o "$OUT/demo.ndjson" 2>/dev/null
python3 copies.py "$OUT/demo.ndjson" "$COPIES" >"$OUT/copies.ndjson"
echo "$(wc -l <"$OUT/copies.ndjson") lines, $(du -h "$OUT/copies.ndjson" | cut -f1)"

fresh docket_bench_ndjson
timed docket_bench_ndjson "ndjson dry run" --dry-run "$OUT/copies.ndjson"
timed docket_bench_ndjson "ndjson import" "$OUT/copies.ndjson"
timed docket_bench_ndjson "ndjson again" "$OUT/copies.ndjson"

DATABASE_URL="$SERVER/docket_bench_ndjson" "$BIN" export --by "$email" --format csv \
    -o "$OUT/copies.zip" 2>/dev/null
echo "the same as a zip of CSV tables: $(du -h "$OUT/copies.zip" | cut -f1)"
fresh docket_bench_csv
timed docket_bench_csv "csv import" "$OUT/copies.zip"
timed docket_bench_csv "csv again" "$OUT/copies.zip"
