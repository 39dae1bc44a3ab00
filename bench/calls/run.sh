#!/usr/bin/env bash
# Screen pop latency with many agent pages open (issue 25 target: p99 < 1 s with 500 pages).
#
#   bench/calls/run.sh [--skip-build] [--pages N] [--calls N] [--postgres]
#
# A fresh database and server on 127.0.0.1; N/4 agents (each may hold four streams) signed in
# through POST /api/v1/auth/sign-in; N event streams (GET /calls/events, the session cookie) held
# open by screen_pop.py (asyncio, standard library only); then --calls signed ringing webhooks, one
# every 200 ms, each meant for every agent (no agent named). Reported: for every (call, page) the
# time from the webhook's send to the pop's arrival — p50, p99, max, and pops missing. Results go
# to bench/out/calls-*.md. Bounded: at most 500 pages, 100 calls, 120 s of waiting; loopback only.
# Not measured on this machine yet (it is shared): run it on a quiet one before quoting a figure.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

PAGES=500; CALLS=20; POSTGRES=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --pages) PAGES=$2; shift ;;
        --calls) CALLS=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( PAGES >= 1 && PAGES <= 500 )) || die "--pages is 1 to 500"
(( CALLS >= 1 && CALLS <= 100 )) || die "--calls is 1 to 100"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --pages "$PAGES" --calls "$CALLS"; fi

fresh_bench_database calls
AGENTS=$(( (PAGES + 3) / 4 ))
log "making $AGENTS agents"
for i in $(seq 1 "$AGENTS"); do
    "$GUANXI_BIN" user create "${DB_ARGS[@]}" --email "agent$i@bench.example" --password bench-Passw0rd --role owner >/dev/null
done
serve_bench

OUT_DIR="$BENCH_DIR/../out"; mkdir -p "$OUT_DIR"
REPORT="$OUT_DIR/calls-$(date +%Y%m%d-%H%M%S)-$DB_LABEL.md"
timeout 300 python3 "$BENCH_DIR/screen_pop.py" --base "$BASE" --agents "$AGENTS" --pages "$PAGES" --calls "$CALLS" \
    --owner owner@bench.example --password bench-Passw0rd > "$WORK/result.txt"
{
    echo "# Screen pop, $PAGES pages, $CALLS calls ($DB_LABEL, $(date -u +%Y-%m-%d))"
    machine_facts
    echo
    cat "$WORK/result.txt"
} > "$REPORT"
cat "$REPORT"
