#!/usr/bin/env bash
# Backup while the API serves reads (issue 26 target: the 1,000,000-customer demo database backed up in
# < 30 s while serving reads), then restore of that backup into an empty target.
#
#   bench/backup/run.sh [--skip-build] [--customers N] [--data-cache DIR] [--postgres]
#
# A data directory of N demo customers (copied from --data-cache when it holds one of that size, as
# bench/api/run.sh leaves it), served on 127.0.0.1. wrk reads customers by id for 10 s alone, then again
# while `guanxi backup` runs (stopped when the backup returns; at most 180 s); then `guanxi restore`
# into an empty directory (or database) is timed. Results go to bench/out/backup-*.md.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"

CUSTOMERS=1000000; DATA_CACHE=""; POSTGRES=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --customers) CUSTOMERS=$2; shift ;;
        --data-cache) DATA_CACHE=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( CUSTOMERS <= 2000000 )) || die "--customers is capped at 2,000,000"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" ${BENCH_SKIP_BUILD:+--skip-build} --customers "$CUSTOMERS"; fi

ensure_debian_package wrk wrk
ensure_debian_package zstd zstd
[[ -n ${GUANXI_BIN:-} ]] || build_release
WORK=$(mktemp -d "/tmp/guanxi-bench-backup.XXXXXX")
SERVER_PID=""; WRK_PID=""
trap 'stop_pid "$WRK_PID" wrk; stop_server; rm -rf "$WORK"' EXIT INT TERM

DB_ARGS=(--data "$WORK/data"); DB_LABEL=sqlite; RESTORE_ARGS=(--data "$WORK/restored"); RESTORE_ENV=()
if [[ -n ${GUANXI_TEST_POSTGRES_URL:-} ]]; then
    export GUANXI_DATABASE_URL=$GUANXI_TEST_POSTGRES_URL; DB_LABEL=postgres
    psql "$GUANXI_TEST_POSTGRES_URL" -qc 'CREATE DATABASE guanxi_restored' >/dev/null
    RESTORE_ENV=(GUANXI_DATABASE_URL="${GUANXI_TEST_POSTGRES_URL%/*}/guanxi_restored")
fi
if [[ $DB_LABEL == sqlite && -n $DATA_CACHE && -f $DATA_CACHE/guanxi.sqlite && -f $DATA_CACHE/customers-$CUSTOMERS ]]; then
    log "copying the cached data directory $DATA_CACHE ($CUSTOMERS customers)"
    mkdir -p "$WORK/data" && cp -a "$DATA_CACHE"/. "$WORK/data"/ && rm -f "$WORK/data/customers-$CUSTOMERS"
else
    log "loading $CUSTOMERS demo customers"
    run_step "$GUANXI_BIN" demo "${DB_ARGS[@]}" --no-scores --customers "$CUSTOMERS" >"$WORK/demo.log"
fi
"$GUANXI_BIN" user create "${DB_ARGS[@]}" --email backup-bench@bench.example --password bench-Passw0rd --role owner >/dev/null
TOKEN=$("$GUANXI_BIN" token create "${DB_ARGS[@]}" --email backup-bench@bench.example --name bench | tail -1)
SIZE=$([[ $DB_LABEL == sqlite ]] && du -sb "$WORK/data" | awk '{print $1}' ||
       psql "$GUANXI_DATABASE_URL" -Atc 'SELECT pg_database_size(current_database())')

serve_bench
python3 "$BENCH_API_DIR/sample.py" --base "$BASE" --token "$TOKEN" --out "$WORK" >/dev/null
reads() {   # DURATION_S OUT: wrk reading customers by id (exec: in the background its PID is wrk's, for SIGINT)
    exec wrk -t2 -c8 -d"$1s" --timeout 10s --latency -H "Authorization: Bearer $TOKEN" -s "$BENCH_API_DIR/paths.lua" "$BASE" \
        -- "$WORK/ids.txt" "/api/v1/customers/" >"$2" 2>&1
}
field() { sed -n "s/.*BENCH_RESULT.* $2=\([0-9.]*\).*/\1/p" "$1"; }

(reads 2 /dev/null)
(reads 10 "$WORK/alone.txt")
log "reads alone: $(grep BENCH_RESULT "$WORK/alone.txt")"

reads 180 "$WORK/during.txt" & WRK_PID=$!
sleep 1
START=$(now_s)
"$GUANXI_BIN" backup "$WORK/guanxi.backup" "${DB_ARGS[@]}" >"$WORK/backup.log"
BACKUP_S=$(elapsed "$START")
kill -INT "$WRK_PID" 2>/dev/null || true; wait "$WRK_PID" || true; WRK_PID=""
log "backup: $(head -1 "$WORK/backup.log") — ${BACKUP_S} s; reads during it: $(grep BENCH_RESULT "$WORK/during.txt" || echo none)"
stop_server

START=$(now_s)
env "${RESTORE_ENV[@]}" "$GUANXI_BIN" restore "$WORK/guanxi.backup" "${RESTORE_ARGS[@]}" >"$WORK/restore.log"
RESTORE_S=$(elapsed "$START")
log "restore: $(tail -1 "$WORK/restore.log") — ${RESTORE_S} s"

mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/backup-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Backup and restore — $(date -u +%Y-%m-%dT%H:%M:%SZ), $DB_LABEL, $CUSTOMERS customers"
    echo
    machine_facts
    echo
    echo "- Database: $(awk -v b="$SIZE" 'BEGIN { printf "%.2f GB", b / 1e9 }') on disk"
    echo "- Backup file: $(awk -v b="$(stat -c %s "$WORK/guanxi.backup")" 'BEGIN { printf "%.2f GB", b / 1e9 }'), $(sed -n 1p "$WORK/backup.log")"
    echo "- **Backup while serving reads: ${BACKUP_S} s** (target < 30 s); restore into an empty target: ${RESTORE_S} s ($(tail -1 "$WORK/restore.log"))"
    echo
    echo "| reads (GET /api/v1/customers/{id}, wrk -t2 -c8) | req/s | p50 ms | p99 ms |"
    echo "|---|---:|---:|---:|"
    for f in alone during; do
        printf '| %s | %s | %.1f | %.1f |\n' "$([[ $f == alone ]] && echo "alone, 10 s" || echo "while the backup runs")" "$(field "$WORK/$f.txt" rps)" \
            "$(awk -v x="$(field "$WORK/$f.txt" p50_us)" 'BEGIN{print x/1000}')" "$(awk -v x="$(field "$WORK/$f.txt" p99_us)" 'BEGIN{print x/1000}')"
    done
} >"$REPORT"
log "report: $REPORT"
cat "$REPORT"
