#!/usr/bin/env bash
# Service desk under load (issue 20 targets on SQLite: queue views p99 < 30 ms, ticket reads p99 < 40 ms,
# reply or status change p99 < 25 ms, ticket creation ≥ 3,000/s, the breach scan < 1 s).
#
#   bench/api/tickets.sh [--skip-build] [--tickets N] [--messages M] [--customers N] [--duration S] [--data-cache DIR] [--only WORD] [--postgres]
#
# A fresh database with demo customers and N demo tickets of a year (M messages each, statuses and
# SLA clocks as the standard policy on the Shanghai calendar plans them), served on 127.0.0.1. wrk
# then runs, one after another: queue views (the owner's open and waiting queues, an agent's own
# tickets), ticket reads (a ticket and its conversation), searches, the ticket page and the queue page as a
# signed-in browser gets them, replies and status changes on open tickets, and ticket creation. Then the SLA monitor's pass is timed over every open ticket (`guanxi sla scan`
# from the start of time: the first raises every alarm, the second finds them raised). Results go
# to bench/out/tickets-*.md. With --data-cache (SQLite), the loaded data directory is kept in DIR
# after the first run and copied from it by the next ones of the same size (the load takes minutes;
# an A/B of two builds then runs on the same data). --only WORD runs only the scenarios whose name holds
# WORD (e.g. `--only page`), for a quick A/B of one change. Each scenario also reports the server's CPU
# time per request, which a busy machine disturbs far less than its throughput and latency.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

TICKETS=1000000; MESSAGES=10; CUSTOMERS=100000; DURATION=10; POSTGRES=0; CONNECTIONS=8; DATA_CACHE=""; ONLY=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --tickets) TICKETS=$2; shift ;;
        --messages) MESSAGES=$2; shift ;;
        --customers) CUSTOMERS=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --data-cache) DATA_CACHE=$2; shift ;;
        --only) ONLY=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( DURATION <= 60 )) || die "--duration is capped at 60 s"
(( TICKETS <= 2000000 )) || die "--tickets is capped at 2,000,000"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --tickets "$TICKETS" --messages "$MESSAGES" --customers "$CUSTOMERS" --duration "$DURATION" --connections "$CONNECTIONS" ${ONLY:+--only "$ONLY"}; fi

fresh_bench_database tickets
CACHE_MARK=${DATA_CACHE:+$DATA_CACHE/tickets-$TICKETS-$MESSAGES-$CUSTOMERS}
LOAD_START=$(now_s)
if [[ $DB_LABEL == sqlite && -n $DATA_CACHE && -f $CACHE_MARK ]]; then
    log "copying the cached data directory $DATA_CACHE/data"
    rm -rf "$WORK/data" && cp -a "$DATA_CACHE/data" "$WORK/data"
    "$GUANXI_BIN" migrate "${DB_ARGS[@]}" >/dev/null
    TOKEN=$("$GUANXI_BIN" token create "${DB_ARGS[@]}" --email owner@bench.example --name bench | tail -1)
    cp "$CACHE_MARK" "$WORK/demo.log"
else
    log "loading $CUSTOMERS demo customers and $TICKETS tickets with $MESSAGES messages each"
    run_step "$GUANXI_BIN" demo "${DB_ARGS[@]}" --no-scores --customers "$CUSTOMERS" --tickets "$TICKETS" --ticket-messages "$MESSAGES" > "$WORK/demo.log"
    if [[ $DB_LABEL == sqlite && -n $DATA_CACHE ]]; then
        rm -rf "$DATA_CACHE/data" && mkdir -p "$DATA_CACHE" && cp -a "$WORK/data" "$DATA_CACHE/data" && cp "$WORK/demo.log" "$CACHE_MARK"
    fi
fi
LOAD_S=$(elapsed "$LOAD_START")
log "$(tail -1 "$WORK/demo.log") (whole load ${LOAD_S} s)"
AGENT_TOKEN=$("$GUANXI_BIN" token create "${DB_ARGS[@]}" --email agent1@demo.guanxi.local --name bench | tail -1)

serve_bench
api() { curl -sf --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

# the requests: open tickets to read and work on, customers to open tickets for
python3 - "$BASE" "$TOKEN" "$WORK" <<'PY'
import json, sys, urllib.request, random
base, token, work = sys.argv[1], sys.argv[2], sys.argv[3]
def get(path):
    r = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(r, timeout=60))
open_ids, cursor = [], None
for status in ["open", "waiting_customer", "waiting_third_party"]:
    cursor = None
    while len(open_ids) < 3000:
        page = get(f"/api/v1/tickets?status={status}&limit=200" + (f"&cursor={cursor}" if cursor else ""))
        open_ids += [t["id"] for t in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor: break
customers = [c["id"] for c in get("/api/v1/customers?limit=200")["items"]]
random.seed(7)
with open(f"{work}/queues.txt", "w") as f:
    for s in ["open", "waiting_customer", "new", "waiting_third_party"]:
        f.write(f"GET\t/api/v1/tickets?status={s}&limit=50\n")
with open(f"{work}/reads.txt", "w") as f:
    for t in open_ids:
        f.write(f"GET\t/api/v1/tickets/{t}\nGET\t/api/v1/tickets/{t}/messages\n")
with open(f"{work}/writes.txt", "w") as f:
    for t in open_ids:
        f.write(f'POST\t/api/v1/tickets/{t}/messages\t{{"kind":"reply","body":"您好，已为您处理，请查收。"}}\n')
        f.write(f'POST\t/api/v1/tickets/{t}/status\t{{"status":"{random.choice(["open", "waiting_customer"])}"}}\n')
from urllib.parse import quote
with open(f"{work}/searches.txt", "w") as f:
    # a word of a twelfth of the subjects, two words of one message, two of different messages, Latin, one character
    for q in ["漏气", "补发 龙井", "龙井 照片", "replacement", "茶"]:
        f.write(f"GET\t/api/v1/tickets?q={quote(q)}&limit=50\n")
with open(f"{work}/creates.txt", "w") as f:
    for c in customers:
        f.write(f'POST\t/api/v1/tickets\t{{"customer_id":"{c}","subject":"压测工单","body":"收到的货物有破损 📦","type":"complaint","priority":"high","channel":"web"}}\n')
print(len(open_ids), "open tickets sampled", file=sys.stderr)
PY

RESULTS=()
scenario() {   # NAME TOKEN FILE [COOKIE]: with a cookie, the pages as a signed-in browser gets them
    local name=$1 auth=(-H "Authorization: Bearer $2")
    [[ -z $ONLY || $name == *"$ONLY"* ]] || return 0
    [[ -n ${4:-} ]] && auth=(-H "Cookie: $4")
    wrk_scenario "$name" "${auth[@]}" -s "$BENCH_API_DIR/requests.lua" "$BASE" -- "$3"
}
scenario "queue views (owner: open, waiting, new)" "$TOKEN" "$WORK/queues.txt"
echo -e "GET\t/api/v1/tickets?assignee_id=$(api "$BASE/api/v1/users" | python3 -c 'import json,sys; print([u["id"] for u in json.load(sys.stdin)["items"] if u["email"]=="agent1@demo.guanxi.local"][0])')&limit=50" > "$WORK/mine.txt"
scenario "queue view (an agent's own tickets)" "$AGENT_TOKEN" "$WORK/mine.txt"
scenario "ticket read (ticket, conversation)" "$TOKEN" "$WORK/reads.txt"
scenario "ticket search (API, five queries)" "$TOKEN" "$WORK/searches.txt"
COOKIE=$(curl -s -o /dev/null -D - -d "email=owner@bench.example&password=bench-Passw0rd" "$BASE/sign-in" |
         sed -n 's/^[Ss]et-[Cc]ookie: \(gx_session=[^;]*\).*/\1/p')
[[ -n $COOKIE ]] || die "sign-in gave no session cookie"
grep '/messages$' "$WORK/reads.txt" | sed 's|/api/v1/tickets/\([^/]*\)/messages|/tickets/\1|' >"$WORK/pages.txt"
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$(head -1 "$WORK/pages.txt" | cut -f2)") == 200 ]] || die "the ticket page did not answer 200"
scenario "ticket page (HTML, signed in)" "" "$WORK/pages.txt" "$COOKIE"
printf 'GET\t/tickets?queue=all\nGET\t/tickets?status=open\nGET\t/tickets?queue=waiting\n' >"$WORK/queue-pages.txt"
scenario "queue page (HTML, signed in)" "" "$WORK/queue-pages.txt" "$COOKIE"
scenario "reply or status change" "$TOKEN" "$WORK/writes.txt"
scenario "ticket creation" "$TOKEN" "$WORK/creates.txt"
# what the writes left for the search service (builds that index after the commit): tickets queued
# when the last scenario ended, and how long until every one of them is searchable
search_queue() { curl -sf --max-time 10 "$BASE/metrics" | sed -n 's/^guanxi_queue_depth{queue="search_index"} \([0-9]*\).*/\1/p'; }
SEARCH_BACKLOG=$(search_queue); SEARCH_CATCHUP=""
if [[ -n $SEARCH_BACKLOG ]]; then
    CATCHUP_START=$(now_s)
    for _ in $(seq 600); do [[ $(search_queue) == 0 ]] && break; sleep 0.1; done
    SEARCH_CATCHUP=$(elapsed "$CATCHUP_START")
    log "search index: $SEARCH_BACKLOG tickets queued at the end of the writes, all indexed ${SEARCH_CATCHUP} s later"
fi
stop_server

SCAN1=$("$GUANXI_BIN" sla scan "${DB_ARGS[@]}" --since 2000-01-01T00:00:00Z)
SCAN2=$("$GUANXI_BIN" sla scan "${DB_ARGS[@]}" --since 2000-01-01T00:00:00Z)
SCAN3=$("$GUANXI_BIN" sla scan "${DB_ARGS[@]}")
log "breach scan from the start of time: $SCAN1; again: $SCAN2; the server's first pass (a day back): $SCAN3"

mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/tickets-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Service desk — $(date -u +%Y-%m-%dT%H:%M:%SZ), $DB_LABEL, git $(cd "$REPO_ROOT" && git rev-parse --short HEAD)"
    echo
    machine_facts
    echo
    echo "Data: $(tail -1 "$WORK/demo.log") Whole demo load ${LOAD_S} s."
    echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s per scenario, after 2 s of warm-up."
    echo
    results_table
    echo
    [[ -n $SEARCH_BACKLOG ]] && echo "Search index: $SEARCH_BACKLOG tickets queued when the writes ended, every one indexed ${SEARCH_CATCHUP} s later." && echo
    echo "Breach scan (\`guanxi sla scan --since 2000-01-01T00:00:00Z\`, every open ticket): first $SCAN1; second $SCAN2."
    echo "The server's first pass (a day of due times): $SCAN3."
} > "$REPORT"
log "report: $REPORT"
cat "$REPORT"
