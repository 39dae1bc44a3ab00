#!/usr/bin/env bash
# Order import through the API (issue 5 target: ≥ 5,000 orders/s on SQLite).
#
#   bench/api/orders.sh [--skip-build] [--duration S] [--batch N] [--connections N] [--buyers N] [--webhooks] [--postgres]
#
# A fresh database with an owner, 20 products in the default price list; wrk then pushes orders
# as a shop integration would: --batch N orders per POST /api/v1/orders/batch (N=1: single POSTs to
# /api/v1/orders), each with a unique external id, a buyer known by the shop's id (new buyers become
# customers, found again by that id afterwards), a catalogue line priced from the list and a free
# line. Afterwards the script checks that every order sent exists once, and that pushing the first
# batch again writes nothing (idempotent by source + external id). Results go to bench/out/orders-*.md.
# --webhooks subscribes an endpoint (bench/webhooks/receiver.py on loopback) to order.placed first, so
# every order is also delivered while the import runs (issue 26: throughput within 10 % of without);
# the report then says how many deliveries had arrived 10 s after the load.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=10; CONNECTIONS=4; BATCH=200; BUYERS=5000; POSTGRES=0; WEBHOOKS=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --batch) BATCH=$2; shift ;;
        --buyers) BUYERS=$2; shift ;;
        --webhooks) WEBHOOKS=1 ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( DURATION <= 60 )) || die "--duration is capped at 60 s"
(( BATCH >= 1 && BATCH <= 1000 )) || die "--batch is 1 to 1000"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --duration "$DURATION" --connections "$CONNECTIONS" --batch "$BATCH" --buyers "$BUYERS" $( ((WEBHOOKS)) && echo --webhooks); fi

fresh_bench_database orders

serve_bench

api() { curl -sf --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
HOOKS="off"
if [[ $WEBHOOKS == 1 ]]; then subscribe_receiver order.placed; fi
LIST=$(api "$BASE/api/v1/price-lists" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
PRODUCTS=""
for i in $(seq 1 20); do
    id=$(api -X POST "$BASE/api/v1/products" -d "{\"sku\":\"SKU-$i\",\"name\":\"商品 $i 号\",\"unit\":\"件\",\"tax_rate\":13,\"prices\":[{\"price_list_id\":\"$LIST\",\"unit_price\":$((i * 1990))}]}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    PRODUCTS+="${PRODUCTS:+,}$id"
done
export PRODUCTS BATCH BUYERS

log "warm-up (2 s), then ${DURATION} s of order import: batch $BATCH, -c$CONNECTIONS, $BUYERS buyers"
RUN=warm wrk -t2 -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $TOKEN" -s "$BENCH_API_DIR/orders.lua" "$BASE" >/dev/null
sleep 3   # requests wrk left in flight finish before counting
BEFORE=$(api "$BASE/api/v1/orders/board" | python3 -c 'import json,sys; print(sum(s["count"] for s in json.load(sys.stdin)["items"]))')
RSS_FILE=$WORK/rss; start_rss_sampler "$SERVER_PID" "$RSS_FILE"
OUT=$(RUN=main wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" -s "$BENCH_API_DIR/orders.lua" "$BASE")
stop_rss_sampler
RESULT=$(grep '^BENCH_RESULT' <<<"$OUT")
log "$RESULT"
sleep 3

# every order sent exists exactly once; the same orders again change nothing
CHECK=$(python3 - "$BASE" "$TOKEN" "$RESULT" "$BEFORE" "$BATCH" "$PRODUCTS" <<'PY'
import json, sys, urllib.request, re
base, token, result, before, batch, products = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6].split(",")
def call(path, body=None):
    req = urllib.request.Request(base + path, data=body and json.dumps(body).encode(), method="POST" if body else "GET",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r: return json.load(r)
count = lambda: sum(s["count"] for s in call("/api/v1/orders/board")["items"])
sent = int(re.search(r"orders=(\d+)", result).group(1))
non2xx = int(re.search(r"non2xx=(\d+)", result).group(1))
stored = count() - before
# the latest stored orders again, as the shop would resend them (wrk builds some requests it never
# sends, so the ids it used are read back rather than guessed)
latest = call(f"/api/v1/orders?limit={min(batch, 200)}")["items"]
again = [{"source": o["source"], "external_id": o["external_id"], "customer_id": o["customer_id"],
          "lines": [{"product_id": products[0], "quantity": 1}]} for o in latest]
r = call("/api/v1/orders/batch", {"orders": again})
existing = sum(1 for x in r["items"] if x["result"] == "existing")
if existing != len(again): print("repush sample:", r["items"][:2], file=sys.stderr)
# wrk counts answered requests; the ones it left in flight at the end were still placed (they finish before counting)
print(f"sent={sent} stored={stored} non2xx={non2xx} repush_existing={existing}/{len(again)} after_repush={count() - before}")
PY
)
log "$CHECK"
if [[ $WEBHOOKS == 1 ]]; then
    sleep 10
    HOOKS="on: $(received_summary) of order.placed received 10 s after the load"
fi
mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/orders-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Order import ($DB_LABEL)"
    machine_facts
    echo "- Command: bench/api/orders.sh --duration $DURATION --connections $CONNECTIONS --batch $BATCH --buyers $BUYERS$( ((WEBHOOKS)) && echo " --webhooks")"
    echo "- Webhooks: $HOOKS"
    echo "- Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $RESULT"
    echo "- $CHECK"
    echo "- Server peak RSS during the run: $(max_mb "$RSS_FILE") MB"
} >"$REPORT"
cat "$REPORT"
