#!/usr/bin/env bash
# Outgoing webhook delivery rate (issue 26 target: ≥ 2,000 webhooks/s to a local receiver).
#
#   bench/webhooks/run.sh [--skip-build] [--events N] [--batch N] [--postgres]
#
# A fresh database and server (release build) on 127.0.0.1; a receiver (receiver.py, asyncio,
# keep-alive, answers 204) on another loopback port; one endpoint subscribed to lead.captured
# through POST /api/v1/webhooks. Then N leads are captured through POST /api/v1/leads/batch
# (--batch per request, as fast as the server takes them): each commit writes its events to the
# outbox and the server's delivery service sends them while capture goes on. Reported: capture
# rate, delivery rate (events received / seconds from the first received to the last), how long
# after the last capture the last delivery arrived, every event received exactly once, and the
# signatures the receiver checked (every 100th, with the endpoint's secret), and the server's CPU time
# per webhook sent after the capture ended (a figure that means something on a busy machine too). Results go to
# bench/out/webhooks-*.md. Talks to 127.0.0.1 only; bounded by --events (at most 200,000).
#
# The numbers mean little on a machine that is also building or testing: run it on a quiet one.
# GUANXI_BIN=path/to/guanxi (any build) skips the release build, e.g. to check the script itself
# with a debug build and --events 1000.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

EVENTS=20000; BATCH=500; POSTGRES=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --events) EVENTS=$2; shift ;;
        --batch) BATCH=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( EVENTS >= BATCH && EVENTS <= 200000 )) || die "--events is --batch to 200000"
(( BATCH >= 1 && BATCH <= 1000 )) || die "--batch is 1 to 1000"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --events "$EVENTS" --batch "$BATCH"; fi

fresh_bench_database webhooks
serve_bench

RPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STATS=$WORK/receiver.json
api() { curl -sf --max-time 60 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
SECRET=$(api -X POST "$BASE/api/v1/webhooks" -d "{\"url\":\"http://127.0.0.1:$RPORT/hook\",\"events\":[\"lead.captured\"],\"description\":\"bench 压测\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
python3 "$BENCH_DIR/receiver.py" --port "$RPORT" --stats "$STATS" --secret "$SECRET" &
RECEIVER_PID=$!
trap 'stop_pid "$RECEIVER_PID" receiver; stop_server; rm -rf "$WORK"' EXIT INT TERM
for _ in $(seq 1 50); do [[ -s $STATS ]] && break; sleep 0.1; done

# the batches, made up front so that making them is not timed
python3 - "$WORK" "$EVENTS" "$BATCH" <<'PY'
import json, sys
work, events, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for b in range(events // batch):
    leads = [{"name": f"线索{b}-{i} 🚀", "phone": f"139{b * batch + i:08d}", "source": "抖音", "company": "华信科技有限公司"} for i in range(batch)]
    with open(f"{work}/batch-{b:05d}.json", "w", encoding="utf-8") as f:
        json.dump({"leads": leads}, f, ensure_ascii=False)
PY
SENT=$(( EVENTS / BATCH * BATCH ))

log "capturing $SENT leads in batches of $BATCH; the server delivers lead.captured to 127.0.0.1:$RPORT meanwhile"
T0=$(now_s)
for f in "$WORK"/batch-*.json; do api -X POST "$BASE/api/v1/leads/batch" --data-binary "@$f" >/dev/null; done
CAPTURE_S=$(elapsed "$T0" 3)
# after the capture the server only delivers: its CPU time per webhook sent from here on is the delivery's cost
CPU0=$(server_cpu_ms)
GOT0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$STATS")
log "captured in $CAPTURE_S s; waiting for the deliveries (at most 120 s)"
DEADLINE=$(( $(date +%s) + 120 ))
while (( $(date +%s) < DEADLINE )); do
    GOT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$STATS")
    (( GOT >= SENT )) && break
    sleep 0.2
done
DRAIN_S=$(elapsed "$T0" 3)
CPU1=$(server_cpu_ms)
sleep 1
GOT1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$STATS")
CPU_PER=$(awk -v c=$(( CPU1 - CPU0 )) -v n=$(( GOT1 - GOT0 )) 'BEGIN { printf "%.3f", (n > 0 ? c / n : 0) }')

REPORT=$(python3 - "$STATS" "$SENT" "$CAPTURE_S" "$DRAIN_S" "$DB_LABEL" "$BATCH" "$CPU_PER" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); sent = int(sys.argv[2]); capture = float(sys.argv[3]); drain = float(sys.argv[4])
span = (s["last"] - s["first"]) if s["first"] and s["last"] else 0
rate = s["requests"] / span if span > 0 else 0
ok = s["requests"] == sent and s["distinct_ids"] == sent and s["bad_signatures"] == 0
print(f"| {sys.argv[5]} | {sent} | {sys.argv[6]} | {sent / capture:,.0f}/s | {rate:,.0f}/s | {drain - capture:.2f} s | "
      f"{s['requests']} ({s['distinct_ids']} distinct) | {s['checked']} checked, {s['bad_signatures']} bad | {'yes' if ok else 'NO'} | {sys.argv[7]} |")
PY
)
mkdir -p "$REPO_ROOT/bench/out"
OUTFILE=$REPO_ROOT/bench/out/webhooks-$(date +%Y%m%d-%H%M%S).md
{
    echo "# Outgoing webhooks: delivery rate to a local receiver"
    echo
    machine_facts
    echo
    echo "| database | events | batch | capture | delivery | last delivery after last capture | received | signatures | all once | server CPU ms/webhook after capture |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    echo "$REPORT"
} >"$OUTFILE"
cat "$OUTFILE"
log "written to $OUTFILE"
