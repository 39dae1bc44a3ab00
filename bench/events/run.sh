#!/usr/bin/env bash
# Behaviour-event intake (issue 21 targets, SQLite: /v1/batch of 100 events ≥ 50,000 events/s for
# 60 s, durable before the 200, p99 < 50 ms; single /v1/track ≥ 8,000 requests/s; RSS < 250 MB).
#
#   bench/events/run.sh [--skip-build] [--debug] [--duration S] [--connections N] [--batch N] [--webhooks [--filters JSON]] [--postgres]
#
# A fresh database with one event source; wrk POSTs events to 127.0.0.1 for the given seconds
# (--batch 0: one /v1/track per request). Afterwards the script counts the stored events against
# the 200s wrk saw (every acknowledged event must be stored, none twice). Results go to
# bench/out/events-*.md. --debug runs the debug build (a sanity run, not a figure). --webhooks subscribes
# an endpoint (bench/webhooks/receiver.py on loopback) to event.received first: what intake costs
# when every stored event is also written to the webhook outbox; --filters gives the subscription's
# filters (`{"type":["identify"]}`: one event in fifty), what a subscriber to chosen events costs.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"
BENCH_EVENTS_DIR=$(cd "$(dirname "$0")" && pwd)

DURATION=10; CONNECTIONS=16; POSTGRES=0; BATCH=100; WEBHOOKS=0; FILTERS={}
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --debug) GUANXI_BIN=$REPO_ROOT/.build/debug/guanxi; export GUANXI_BIN ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --batch) BATCH=$2; shift ;;
        --webhooks) WEBHOOKS=1 ;;
        --filters) FILTERS=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( DURATION <= 60 )) || die "--duration is capped at 60 s"
(( BATCH <= 500 )) || die "--batch is at most 500 (a batch's 500 KB)"
(( CONNECTIONS <= 256 )) || die "--connections is at most 256"
HOOK_ARGS=(); if [[ $WEBHOOKS == 1 ]]; then HOOK_ARGS=(--webhooks --filters "$FILTERS"); fi
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --duration "$DURATION" --connections "$CONNECTIONS" --batch "$BATCH" "${HOOK_ARGS[@]}"; fi
ensure_debian_package wrk wrk

fresh_bench_database events
KEY=$("$GUANXI_BIN" source create "${DB_ARGS[@]}" --name bench | tail -1)
serve_bench
HOOKS=off
if [[ $WEBHOOKS == 1 ]]; then subscribe_receiver event.received "$FILTERS"; fi
AUTH="Authorization: Basic $(printf '%s:' "$KEY" | base64 -w0)"

SCRIPT=(-s "$BENCH_EVENTS_DIR/events.lua" "$BASE" -- "$BATCH")   # then a tag per run (unique message ids)
log "warm-up (2 s), then ${DURATION} s of events with -c$CONNECTIONS (batch $BATCH; 0 = single /v1/track)"
timeout 30 wrk -t2 -c"$CONNECTIONS" -d2s -H "$AUTH" "${SCRIPT[@]}" warm >/dev/null
RSS_FILE=$WORK/rss; start_rss_sampler "$SERVER_PID" "$RSS_FILE"
OUT=$(timeout $(( DURATION + 30 )) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 10s -H "$AUTH" "${SCRIPT[@]}" run)
stop_rss_sampler
RESULT=$(grep '^BENCH_RESULT' <<<"$OUT")
PER=$(( BATCH > 0 ? BATCH : 1 ))
RESULT="$RESULT batch=$BATCH events_per_s=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$RESULT" | awk -v b="$PER" '{ printf "%.1f", $1 * b }')"
log "$RESULT"
SERIES=$(grep '^SERIES' <<<"$OUT" | cut -d' ' -f2- | tr ' ' '\n' | cut -d: -f2 | sed '1d;$d' | tr '\n' ' ')
SLOWEST=$(tr ' ' '\n' <<<"$SERIES" | grep . | sort -n | head -1 || true); SLOWEST=$(( ${SLOWEST:-0} * PER ))
log "per second: $SERIES (slowest whole second: $SLOWEST events)"

# what the source counted: every event of a 200 is stored, none twice (ids are unique per event)
COUNTS=$(curl -sf --max-time 10 -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/event-sources" \
    | python3 -c 'import json,sys; s=json.load(sys.stdin)["items"][0]; print("received=%d stored=%d duplicates=%d" % (s["received"], s["stored"], s["duplicates"]))')
log "$COUNTS"
if [[ $WEBHOOKS == 1 ]]; then
    PENDING=$(curl -sf --max-time 10 "$BASE/metrics" | awk '/^guanxi_queue_depth\{queue="webhook_pending"\}/ { print $2 }')
    AT_END=$(received_summary)
    # the rate the backlog drains at once the load has stopped
    R0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$STATS"); sleep 10
    R1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$STATS")
    HOOKS="on: $AT_END of event.received at the end of the load, ${PENDING:-?} deliveries waiting; then $(( (R1 - R0) / 10 )) deliveries/s over the next 10 s, $R1 received in all"
    log "webhooks $HOOKS"
fi
mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/events-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Behaviour-event intake ($DB_LABEL)"
    machine_facts
    echo "- Binary: $GUANXI_BIN"
    echo "- Command: bench/events/run.sh --duration $DURATION --connections $CONNECTIONS --batch $BATCH$( ((WEBHOOKS)) && echo " --webhooks --filters '$FILTERS'")"
    echo "- Webhooks: $HOOKS"
    echo "- Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $RESULT"
    echo "- Slowest whole second: $SLOWEST events (requests per second: $SERIES)"
    echo "- Source counters after the run (warm-up included): $COUNTS"
    echo "- Server peak RSS during the run: $(max_mb "$RSS_FILE") MB"
} >"$REPORT"
cat "$REPORT"
