#!/usr/bin/env bash
# CSV import benchmark for Guanxi.
#
#   bench/api/import.sh [--postgres] [--rows N] [--skip-build]
#
# Generates a deterministic N-row (default 1,000,000) customer CSV with Chinese
# headers (姓名,手机,邮箱,公司,城市,标签; unique phones and e-mails) and times
# `guanxi import customers FILE` into an empty throwaway SQLite data directory
# (or, with --postgres, a throwaway PostgreSQL 15 cluster via
# scripts/with-postgres and GUANXI_DATABASE_URL). Prints rows/s as Markdown
# and writes it to bench/out/import-<sqlite|postgres>-<date>.md.
#
# Environment: GUANXI_BIN=/path/to/guanxi skips the build and uses that binary.
set -euo pipefail

# shellcheck source=bench/api/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

ORIG_ARGS=("$@")
USE_PG=0
ROWS=1000000
while [[ $# -gt 0 ]]; do
    case $1 in
        --postgres) USE_PG=1 ;;
        --rows) ROWS=${2:?--rows needs a number}; shift ;;
        --skip-build) BENCH_SKIP_BUILD=1 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
    shift
done
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "--rows must be a positive integer"

command -v python3 >/dev/null || die "python3 is required"
if [[ -n ${GUANXI_BIN:-} ]]; then
    [[ -x $GUANXI_BIN ]] || die "GUANXI_BIN=$GUANXI_BIN is not executable"
else
    build_release
fi
export GUANXI_BIN BENCH_SKIP_BUILD=1
log "binary: $GUANXI_BIN"

[[ $USE_PG -eq 1 ]] && reexec_with_postgres "${BASH_SOURCE[0]}" "${ORIG_ARGS[@]}"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/guanxi-import.XXXXXX")
DATA=$WORK/data
FG_PID=""
# shellcheck disable=SC2317 # invoked via trap
cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM HUP
    [[ -n $FG_PID ]] && stop_pid "$FG_PID" "child"
    rm -rf -- "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [[ $USE_PG -eq 1 ]]; then
    [[ -n ${GUANXI_TEST_POSTGRES_URL:-} ]] || die "GUANXI_TEST_POSTGRES_URL is not set (run under scripts/with-postgres)"
    export GUANXI_DATABASE_URL=$GUANXI_TEST_POSTGRES_URL
    DB_LABEL=postgres
    DB_DESC="PostgreSQL $(psql -XAtc 'show server_version' "$GUANXI_TEST_POSTGRES_URL" 2>/dev/null | awk '{print $1}') (throwaway local cluster from scripts/with-postgres: fsync, synchronous_commit, full_page_writes off)"
else
    unset GUANXI_DATABASE_URL
    DB_LABEL=sqlite
    DB_DESC="SQLite (data directory in ${TMPDIR:-/tmp})"
fi

CSV=$WORK/customers.csv
log "generating $ROWS rows"
t0=$(now_s)
run_step python3 "$BENCH_API_DIR/gen_customers_csv.py" --rows "$ROWS" --seed 42 "$CSV"
log "generated $(du -h "$CSV" | awk '{print $1}') in $(elapsed "$t0")s"

# Schema first, so that the timing is the import alone.
"$GUANXI_BIN" migrate --data "$DATA" >&2

log "guanxi import customers ($DB_LABEL)"
t0=$(now_s)
# /usr/bin/time (Debian's `time` package) reports the import's peak resident memory
TIMER=(); [[ -x /usr/bin/time ]] && TIMER=(/usr/bin/time -f "peak-rss-kb %M" -o "$WORK/rss")
run_step "${TIMER[@]}" "$GUANXI_BIN" import customers "$CSV" --data "$DATA" >"$WORK/import.log" 2>&1 ||
    { cat "$WORK/import.log" >&2; die "guanxi import failed"; }
SECS=$(elapsed "$t0" 2)
PEAK=$(awk '/peak-rss-kb/ { printf "%.0f", $2 / 1024 }' "$WORK/rss" 2>/dev/null || true)
cat "$WORK/import.log" >&2
SUMMARY=$(grep -m1 -E '^(Imported|Dry run)' "$WORK/import.log" || tail -n1 "$WORK/import.log")
RATE=$(awk -v n="$ROWS" -v s="$SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
DATA_SIZE=""
if [[ $USE_PG -eq 0 ]]; then DATA_SIZE=$(du -sh "$DATA" | awk '{print $1}'); fi

STAMP=$(date +%Y%m%d-%H%M%S)
OUT_DIR=$REPO_ROOT/bench/out
OUT_FILE=$OUT_DIR/import-$DB_LABEL-$STAMP.md
mkdir -p "$OUT_DIR"
{
    echo "### CSV import, $DB_LABEL, $ROWS rows"
    echo
    echo "| rows | seconds | rows/s | peak memory |"
    echo "|---:|---:|---:|---:|"
    echo "| $ROWS | $SECS | $RATE | ${PEAK:-?} MB |"
    echo
    echo "- Command: \`guanxi import customers\` on a generated CSV ($(du -h "$CSV" | awk '{print $1}'), headers 姓名,手机,邮箱,公司,城市,标签) into an empty database${DATA_SIZE:+ (data directory afterwards $DATA_SIZE)}"
    echo "- Its summary: $SUMMARY"
    echo "- Database: $DB_DESC"
    echo "- Binary: \`${GUANXI_BIN#"$REPO_ROOT"/}\`"
    machine_facts
} | tee "$OUT_FILE"
log "report written to ${OUT_FILE#"$REPO_ROOT"/}"
