#!/usr/bin/env bash
# What counting requests costs: throughput with metrics off and on, A/B in the same minutes.
#
#   bench/api/metrics.sh [--customers N] [--duration S] [--rounds R] [--connections C] [--skip-build]
#
# Loads N demo customers (default 2,000) into a throwaway SQLite directory, then R rounds (default 3)
# of three servers in turn on the same data, each measured with wrk for S seconds (default 8) on
#   GET /api/v1/customers/{id} (random id from a sample) and GET /health:
#   off  GUANXI_METRICS=off GUANXI_REQUEST_LOG=off   (request ids only)
#   on   GUANXI_METRICS=on  GUANXI_REQUEST_LOG=off   (counts and histograms)
#   log  GUANXI_METRICS=on  the request log to a file (one JSON line per request)
# and prints the requests per second of each round and the median, with the cost against `off`.
# Environment: GUANXI_BIN=/path/to/guanxi skips the build (a debug binary measures a debug build:
# say so when quoting it). Loopback only; every wrk run is bounded by --duration.
set -euo pipefail

# shellcheck source=bench/api/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CUSTOMERS=2000
DURATION=8
ROUNDS=3
CONNECTIONS=16
while [[ $# -gt 0 ]]; do
    case $1 in
        --customers) CUSTOMERS=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --rounds) ROUNDS=${2:?}; shift ;;
        --connections) CONNECTIONS=${2:?}; shift ;;
        --skip-build) BENCH_SKIP_BUILD=1 ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
    shift
done
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 1 && $DURATION -le 120 ]] || die "--duration must be 1..120 seconds"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 && $ROUNDS -le 10 ]] || die "--rounds must be 1..10"
[[ $CUSTOMERS =~ ^[0-9]+$ && $CUSTOMERS -ge 1 && $CUSTOMERS -le 200000 ]] || die "--customers must be 1..200000"

unset GUANXI_TEST_POSTGRES_URL   # SQLite: the server's own work, not a second process's
fresh_bench_database metrics
log "loading $CUSTOMERS demo customers"
"$GUANXI_BIN" demo "${DB_ARGS[@]}" --no-scores --customers "$CUSTOMERS" --tickets 0 >/dev/null

# one server to take a sample of ids
serve_bench
python3 "$BENCH_API_DIR/sample.py" --base "$BASE" --token "$TOKEN" --out "$WORK" >/dev/null
stop_server

# run_one MODE PATHFILE PREFIX: rps of one wrk run against a fresh server in MODE
run_one() {
    local mode=$1 file=$2 prefix=$3 out="$WORK/wrk-$1.txt"
    case $mode in
        off) export GUANXI_METRICS=off GUANXI_REQUEST_LOG=off ;;
        on) export GUANXI_METRICS=on GUANXI_REQUEST_LOG=off ;;
        log) export GUANXI_METRICS=on; unset GUANXI_REQUEST_LOG ;;
    esac
    serve_bench
    # a short warm-up, then the measured run
    wrk -t2 -c"$CONNECTIONS" -d1s -H "Authorization: Bearer $TOKEN" -s "$BENCH_API_DIR/paths.lua" "$BASE" -- "$file" "$prefix" >/dev/null 2>&1 || true
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" \
        -s "$BENCH_API_DIR/paths.lua" "$BASE" -- "$file" "$prefix" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
    stop_server
    unset GUANXI_METRICS GUANXI_REQUEST_LOG
    grep '^BENCH_RESULT' "$out" | sed -E 's/.* rps=([0-9.]+).*/\1/'
}

echo "/health" >"$WORK/health.txt"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "## Metrics on and off ($(basename "$GUANXI_BIN"), $CUSTOMERS customers, $ROUNDS rounds of ${DURATION}s, -t2 -c$CONNECTIONS)"
echo
machine_facts
echo "- Binary: $GUANXI_BIN"
echo
for scenario in "customer:$WORK/ids.txt:/api/v1/customers/" "health:$WORK/health.txt:"; do
    IFS=: read -r name file prefix <<<"$scenario"
    declare -A all=()
    for r in $(seq "$ROUNDS"); do
        for mode in off on log; do
            rps=$(run_one "$mode" "$file" "$prefix")
            all[$mode]+="$rps "
            log "$name round $r $mode: $rps req/s"
        done
    done
    echo "| $name | round rps | median rps | vs off |"
    echo "| --- | --- | --- | --- |"
    off=$(tr ' ' '\n' <<<"${all[off]}" | grep . | median)
    for mode in off on log; do
        m=$(tr ' ' '\n' <<<"${all[$mode]}" | grep . | median)
        echo "| $mode | ${all[$mode]}| $m | $(awk -v a="$m" -v b="$off" 'BEGIN { printf "%+.1f %%", (a - b) / b * 100 }') |"
    done
    echo
    unset all
done
