#!/usr/bin/env bash
# Lead capture throughput (issue 5 target: ≥ 5,000 leads/s sustained on SQLite, assignment included).
#
#   bench/api/leads.sh [--skip-build] [--duration S] [--connections N] [--batch N] [--postgres]
#
# A fresh database with an owner, a team of 7 reps and two rules (Guangdong leads from 抖音 to one
# rep, everything else round-robin over the team with a 30-minute first-response deadline); wrk
# then POSTs new leads to /api/v1/leads on 127.0.0.1 for the given seconds. Afterwards the script
# checks every lead got an owner and the round-robin spread is within one. Results go to
# bench/out/leads-*.md. With --batch N, wrk POSTs N leads per request to /api/v1/leads/batch instead
# (the delivery an ad platform or shop makes; use few connections, e.g. --connections 4).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION=10; CONNECTIONS=32; POSTGRES=0; BATCH=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --batch) BATCH=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( DURATION <= 60 )) || die "--duration is capped at 60 s"
(( BATCH <= 1000 )) || die "--batch is at most 1000 (the endpoint's limit)"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --duration "$DURATION" --connections "$CONNECTIONS" --batch "$BATCH"; fi

fresh_bench_database leads
for i in $(seq 1 7); do
    "$GUANXI_BIN" user create "${DB_ARGS[@]}" --email "rep$i@bench.example" --password bench-Passw0rd --role sales_rep >/dev/null
done

serve_bench

api() { curl -sf --max-time 10 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
REPS=$(api "$BASE/api/v1/users" | python3 -c 'import json,sys; print(json.dumps([m["id"] for m in json.load(sys.stdin)["items"] if m["email"].startswith("rep")]))')
TEAM=$(api -X POST "$BASE/api/v1/teams" -d "{\"name\":\"电销组\",\"member_ids\":$REPS}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
FIRST=$(python3 -c "import json; print(json.loads('$REPS')[0])")
api -X POST "$BASE/api/v1/assignment-rules" -d "{\"name\":\"抖音广东\",\"position\":1,\"method\":\"user\",\"user_id\":\"$FIRST\",\"conditions\":{\"sources\":[\"抖音\"],\"provinces\":[\"广东\"]}}" >/dev/null
api -X POST "$BASE/api/v1/assignment-rules" -d "{\"name\":\"轮流\",\"position\":2,\"method\":\"round_robin\",\"team_id\":\"$TEAM\",\"response_minutes\":30}" >/dev/null

SCRIPT=(-s "$BENCH_API_DIR/leads.lua" "$BASE")
[[ $BATCH -gt 0 ]] && SCRIPT+=(-- "$BATCH")
log "warm-up (2 s), then ${DURATION} s of lead capture with -c$CONNECTIONS (batch $BATCH; 0 = single leads)"
wrk -t2 -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $TOKEN" "${SCRIPT[@]}" >/dev/null
RSS_FILE=$WORK/rss; start_rss_sampler "$SERVER_PID" "$RSS_FILE"
OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "${SCRIPT[@]}")
stop_rss_sampler
RESULT=$(grep '^BENCH_RESULT' <<<"$OUT")
if [[ $BATCH -gt 0 ]]; then
    RESULT="$RESULT batch=$BATCH leads_per_s=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$RESULT" | awk -v b="$BATCH" '{ printf "%.1f", $1 * b }')"
fi
log "$RESULT"
# requests answered in each whole second of the run (the first and last are partial): the slowest
# second says whether the rate was sustained or an average over stalls
SERIES=$(grep '^SERIES' <<<"$OUT" | cut -d' ' -f2- | tr ' ' '\n' | cut -d: -f2 | sed '1d;$d' | tr '\n' ' ')
SLOWEST=$(tr ' ' '\n' <<<"$SERIES" | grep . | sort -n | head -1 || true); SLOWEST=${SLOWEST:-0}   # none in runs under 3 s
[[ $BATCH -gt 0 ]] && SLOWEST=$(( SLOWEST * BATCH ))
log "per second: $SERIES (slowest whole second: $SLOWEST leads)"

# every lead was placed; round-robin within one
CHECK=$(python3 - "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request, collections
base, token = sys.argv[1], sys.argv[2]
owners, cursor, n = collections.Counter(), None, 0
while True:
    url = base + "/api/v1/leads?limit=200" + ("&cursor=" + cursor if cursor else "")
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + token}), timeout=30) as r:
        page = json.load(r)
    for l in page["items"]:
        n += 1
        owners[(l["owner_id"], l["rule_id"])] += 1
    cursor = page.get("next_cursor")
    if not cursor: break
unowned = sum(c for (o, _), c in owners.items() if o is None)
by_rule = collections.defaultdict(list)
for (o, r), c in owners.items(): by_rule[r].append(c)
rr = max(by_rule.values(), key=len)
print(f"leads={n} unowned={unowned} round_robin_spread={max(rr) - min(rr)} owners={len(owners)}")
PY
)
log "$CHECK"
mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/leads-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Lead capture ($DB_LABEL)"
    machine_facts
    echo "- Command: bench/api/leads.sh --duration $DURATION --connections $CONNECTIONS --batch $BATCH"
    echo "- Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- $RESULT"
    echo "- Slowest whole second: $SLOWEST leads (requests per second: $SERIES)"
    echo "- $CHECK"
    echo "- Server peak RSS during the run: $(max_mb "$RSS_FILE") MB"
} >"$REPORT"
cat "$REPORT"
