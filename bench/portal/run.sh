#!/usr/bin/env bash
# The customer portal under load (issue 25 target on SQLite: order list and request pages p99 < 30 ms
# with 1,000,000 customers and 10,000,000 orders).
#
#   bench/portal/run.sh [--skip-build] [--from DIR] [--orders N] [--customers K] [--duration S] [--connections C] [--data-cache DIR]
#
# Data: the insights benchmark's SQLite data directory (--from; by default bench/out/insights/
# db-1000000-10000000, made by `CUSTOMERS=1000000 ORDERS=10000000 bench/insights/run.sh`: customers and
# their order history through `guanxi import orders`), copied, its history grown to --orders by
# bench/portal/grow.py (copies placed years earlier, same customers), then `guanxi maintain`. With
# --data-cache, the grown copy is kept in DIR and reused by the next runs of the same size.
# On it: a server on 127.0.0.1 with an SMTP sink (scripts/with-mail); K customers (the longest
# histories and a random sample) get an email address and service requests and sign in to the portal
# by mailed code (bench/portal/sessions.py); then wrk, one scenario at a time, as those customers:
# the order list (page and API), an order (page and API), the request list (page and API) and a
# request (page and API). Reported: req/s, p50/p90/p99 and the server's CPU per request, in
# bench/out/portal-*.md. Bounded: 60 s per scenario, 2,000 customers; loopback only.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

FROM=$REPO_ROOT/bench/out/insights/db-1000000-10000000; ORDERS=10000000; CUSTOMERS=200; DURATION=10; CONNECTIONS=8; DATA_CACHE=""
ARGS=("$@")
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --from) FROM=$2; shift ;;
        --orders) ORDERS=$2; shift ;;
        --customers) CUSTOMERS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --data-cache) DATA_CACHE=$2; shift ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( DURATION >= 1 && DURATION <= 60 )) || die "--duration is 1 to 60 s"
(( CUSTOMERS >= 1 && CUSTOMERS <= 2000 )) || die "--customers is 1 to 2,000"
[[ -f $FROM/guanxi.sqlite ]] || die "no SQLite data directory at $FROM (run CUSTOMERS=1000000 ORDERS=10000000 bench/insights/run.sh first, or give --from)"
# the SMTP sink the sign-in codes go to
if [[ -z ${GUANXI_TEST_SMTP_MAILDIR:-} ]]; then exec "$REPO_ROOT/scripts/with-mail" "$0" "${ARGS[@]}"; fi

ensure_debian_package wrk wrk
ensure_debian_package curl curl
[[ -n ${GUANXI_BIN:-} ]] || build_release
WORK=$(mktemp -d "/tmp/guanxi-bench-portal.XXXXXX")
SERVER_PID=""
trap 'stop_server; rm -rf "$WORK"' EXIT INT TERM
DB_ARGS=(--data "$WORK/data")
CACHED=${DATA_CACHE:+$DATA_CACHE/portal-$ORDERS}
LOAD_START=$(now_s)
if [[ -n $CACHED && -f $CACHED/guanxi.sqlite ]]; then
    log "copying the grown data directory $CACHED"
    cp -a "$CACHED" "$WORK/data"
else
    log "copying $FROM and growing its order history to $ORDERS"
    mkdir -p "$WORK/data" && cp -a "$FROM/guanxi.sqlite" "$WORK/data/"
    "$GUANXI_BIN" migrate "${DB_ARGS[@]}" >/dev/null
    python3 "$BENCH_DIR/grow.py" "$WORK/data" --orders "$ORDERS"
    "$GUANXI_BIN" maintain "${DB_ARGS[@]}" >&2
    if [[ -n $CACHED ]]; then rm -rf "$CACHED" && mkdir -p "$DATA_CACHE" && cp -a "$WORK/data" "$CACHED"; fi
fi
"$GUANXI_BIN" migrate "${DB_ARGS[@]}" >/dev/null
LOAD_S=$(elapsed "$LOAD_START")
COUNTS=$(python3 - "$WORK/data/guanxi.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = lambda t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
print(f"{n('customers'):,} customers, {n('orders'):,} orders")
PY
)
log "$COUNTS (copy and growth ${LOAD_S} s)"
"$GUANXI_BIN" user create "${DB_ARGS[@]}" --email owner@bench.example --password bench-Passw0rd --role owner >/dev/null 2>&1 || true
TOKEN=$("$GUANXI_BIN" token create "${DB_ARGS[@]}" --email owner@bench.example --name bench | tail -1)
export GUANXI_SMTP_URL=$GUANXI_TEST_SMTP_URL GUANXI_MAIL_FROM=portal@bench.example
serve_bench
python3 "$BENCH_DIR/sessions.py" --base "$BASE" --token "$TOKEN" --db "$WORK/data/guanxi.sqlite" --maildir "$GUANXI_TEST_SMTP_MAILDIR" \
    --out "$WORK" --customers "$CUSTOMERS" 2> "$WORK/sessions.txt" || { cat "$WORK/sessions.txt" >&2; die "signing the customers in failed"; }
log "$(tail -1 "$WORK/sessions.txt")"

RESULTS=()
scenario() { wrk_scenario "$1" -s "$BENCH_DIR/../api/requests.lua" "$BASE" -- "$2"; }   # NAME VISITS_FILE
scenario "order list (/portal/orders and /portal/api/orders)" "$WORK/order-list.txt"
scenario "an order (page and API)" "$WORK/order-page.txt"
scenario "request list (/portal/requests and /portal/api/requests)" "$WORK/request-list.txt"
scenario "a request (page and API)" "$WORK/request-page.txt"
stop_server

mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/portal-sqlite-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Customer portal — $(date -u +%Y-%m-%dT%H:%M:%SZ), sqlite, git $(cd "$REPO_ROOT" && git rev-parse --short HEAD)"
    echo
    machine_facts
    echo
    echo "Data: $COUNTS (copied from $(basename "$FROM") and grown; ${LOAD_S} s). $(tail -1 "$WORK/sessions.txt")."
    echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s per scenario, after 2 s of warm-up; each request a random customer's page or API call."
    echo
    results_table
} > "$REPORT"
log "report: $REPORT"
cat "$REPORT"
