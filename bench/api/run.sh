#!/usr/bin/env bash
# API load benchmark for Guanxi.
#
#   bench/api/run.sh [--postgres] [--customers N] [--duration S] [--connections C] [--skip-build]
#                    [--data-cache DIR] [--pages]
#
# Builds the release binary, loads N demo customers (guanxi demo --seed 42) into
# a throwaway SQLite data directory (or, with --postgres, a throwaway
# PostgreSQL 15 cluster via scripts/with-postgres), starts `guanxi serve` on
# 127.0.0.1, and runs wrk scenarios against it (each -t2 -cC for S seconds):
#   a. GET /api/v1/customers/{id}, random id from a sample of ~5,000
#   b. GET /api/v1/customers?stage=customer&tier=A&limit=50 (first page)
#   c. GET /api/v1/customers?stage=customer&limit=50&cursor=… (page 50)
#   d. GET /api/v1/search?q=… with Latin queries
#   e. GET /api/v1/search?q=… with Chinese queries
# and samples the server's RSS during (a). With --pages it measures the web pages instead
# (signed in with a session cookie):
#   f. GET /customers (the list page, first page)
#   g. GET /customers/{id} (the customer 360 page) of a customer given 1,000 timeline notes first
#   h. GET /api/v1/search?limit=8&q=… as search-as-you-type sends it (prefixes: 王, 王小, 张, wa, 138 …)
#
# Prints a Markdown report to stdout (progress goes to stderr) and writes it
# to bench/out/api-<sqlite|postgres>-<date>.md.
#
# --data-cache DIR (SQLite only): reuse a loaded data directory from DIR (copied,
# so runs never change it), or fill DIR after loading when it is empty. Delete DIR
# when the demo generator changes.
# Environment: GUANXI_BIN=/path/to/guanxi skips the build and uses that binary.
# All traffic goes to 127.0.0.1; every wrk run is bounded by --duration.
set -euo pipefail

# shellcheck source=bench/api/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}

ORIG_ARGS=("$@")
USE_PG=0
CUSTOMERS=1000000
DURATION=10
THREADS=2
CONNECTIONS=32
DATA_CACHE=""
PAGES=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --postgres) USE_PG=1 ;;
        --customers) CUSTOMERS=${2:?--customers needs a number}; shift ;;
        --duration) DURATION=${2:?--duration needs seconds}; shift ;;
        --connections) CONNECTIONS=${2:?--connections needs a number}; shift ;;
        --skip-build) BENCH_SKIP_BUILD=1 ;;
        --data-cache) DATA_CACHE=${2:?--data-cache needs a directory}; shift ;;
        --pages) PAGES=1 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown argument: $1" >&2; usage ;;
    esac
    shift
done
[[ $CUSTOMERS =~ ^[0-9]+$ && $CUSTOMERS -gt 0 ]] || die "--customers must be a positive integer"
[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 && $DURATION -le 600 ]] || die "--duration must be 1..600 seconds"
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge $THREADS ]] || die "--connections must be >= $THREADS"

# ------------------------------------------------------------ tools/build ---
command -v python3 >/dev/null || die "python3 is required"
ensure_debian_package wrk wrk
ensure_debian_package curl curl

if [[ -n ${GUANXI_BIN:-} ]]; then
    [[ -x $GUANXI_BIN ]] || die "GUANXI_BIN=$GUANXI_BIN is not executable"
else
    build_release
fi
export GUANXI_BIN BENCH_SKIP_BUILD=1
log "binary: $GUANXI_BIN"

# With --postgres, run the rest of this script inside a fresh throwaway cluster.
[[ $USE_PG -eq 1 ]] && reexec_with_postgres "${BASH_SOURCE[0]}" "${ORIG_ARGS[@]}"

# --------------------------------------------------------------- cleanup ---
WORK=$(mktemp -d "${TMPDIR:-/tmp}/guanxi-bench.XXXXXX")
DATA=$WORK/data
SERVER_PID=""
SAMPLER_PID=""
FG_PID=""

# shellcheck disable=SC2317 # invoked via trap
cleanup() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM HUP
    [[ -n $FG_PID ]] && stop_pid "$FG_PID" "child"
    stop_rss_sampler
    stop_server
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
    DB_DESC="PostgreSQL $(psql -XAtc 'show server_version' "$GUANXI_TEST_POSTGRES_URL" 2>/dev/null | awk '{print $1}') (throwaway local cluster from scripts/with-postgres: fsync, synchronous_commit, full_page_writes off; shared_buffers 256MB)"
else
    unset GUANXI_DATABASE_URL
    DB_LABEL=sqlite
    DB_DESC="SQLite (data directory in ${TMPDIR:-/tmp})"
fi

guanxi() { "$GUANXI_BIN" "$@" --data "$DATA"; }

# ------------------------------------------------------------------ data ---
BENCH_EMAIL=bench@example.com
log "database: $DB_LABEL; work dir $WORK"
if [[ -n $DATA_CACHE && $USE_PG -eq 0 && -f $DATA_CACHE/guanxi.sqlite && -f $DATA_CACHE/customers-$CUSTOMERS ]]; then
    log "copying the cached data directory $DATA_CACHE ($CUSTOMERS customers)"
    mkdir -p "$DATA" && cp -a "$DATA_CACHE"/. "$DATA"/
    LOAD_S="$(cat "$DATA_CACHE/customers-$CUSTOMERS") (cached)"
    guanxi migrate >&2
else
    guanxi migrate >&2
    # The user exists before the demo load so that demo customers get an owner.
    guanxi user create --email "$BENCH_EMAIL" --password 'bench-Passw0rd' --role owner >&2
    log "loading $CUSTOMERS demo customers (guanxi demo --seed 42)"
    t0=$(now_s)
    run_step "$GUANXI_BIN" demo --no-scores --customers "$CUSTOMERS" --seed 42 --data "$DATA" >"$WORK/demo.log" 2>&1 ||
        { cat "$WORK/demo.log" >&2; die "guanxi demo failed"; }
    LOAD_S=$(elapsed "$t0")
    log "loaded in ${LOAD_S}s: $(tail -n1 "$WORK/demo.log")"
    if [[ -n $DATA_CACHE && $USE_PG -eq 0 ]]; then
        log "saving the data directory to $DATA_CACHE"
        rm -rf -- "$DATA_CACHE" && mkdir -p "$DATA_CACHE" && cp -a "$DATA"/. "$DATA_CACHE"/
        echo "$LOAD_S" >"$DATA_CACHE/customers-$CUSTOMERS"
    fi
fi
TOKEN=$(guanxi token create --email "$BENCH_EMAIL" --name bench | tail -n1)
[[ -n $TOKEN ]] || die "guanxi token create printed no token"
DATA_SIZE=""
if [[ $USE_PG -eq 0 ]]; then DATA_SIZE=$(du -sh "$DATA" | awk '{print $1}'); fi

# ---------------------------------------------------------------- server ---
PORT=$("$REPO_ROOT/scripts/free-port")
BASE=http://127.0.0.1:$PORT
start_server "$PORT" "$WORK/server.log" --data "$DATA"
wait_for_health "$BASE" 120 || { tail -n 30 "$WORK/server.log" >&2; exit 1; }
log "server healthy at $BASE"

log "sampling ids and the page-50 cursor"
python3 "$BENCH_API_DIR/sample.py" --base "$BASE" --token "$TOKEN" --out "$WORK"
ID_COUNT=$(wc -l <"$WORK/ids.txt")
DEEP_PAGE=$(cat "$WORK/deep_page.txt")

# Path files for paths.lua (URL-encoded).
python3 - "$WORK" <<'EOF'
import sys, urllib.parse
work = sys.argv[1]
def q(s):
    return urllib.parse.quote(s, safe="")
cursor = open(f"{work}/deep_cursor.txt").read().strip()
files = {
    "b": ["/api/v1/customers?stage=customer&tier=A&limit=50"],
    "c": [f"/api/v1/customers?stage=customer&limit=50&cursor={q(cursor)}"],
    "d": [f"/api/v1/search?q={q(s)}" for s in ["wang", "gmail", "1381", "acme", "tech"]],
    "e": [f"/api/v1/search?q={q(s)}" for s in ["小明", "王芳", "上海", "科技", "张伟", "华信贸易"]],
}
for name, paths in files.items():
    with open(f"{work}/paths-{name}.txt", "w") as f:
        f.write("\n".join(paths) + "\n")
EOF

# Every path answers 200 once before we measure (a typo would otherwise be a
# fast stream of 4xx).
for f in "$WORK"/paths-[bcde].txt; do
    while IFS= read -r p; do
        code=$(http_status "$BASE$p" -H "Authorization: Bearer $TOKEN")
        [[ $code == 200 ]] || log "WARNING: GET $p answered $code"
    done <"$f"
done
code=$(http_status "$BASE/api/v1/customers/$(head -n1 "$WORK/ids.txt")" -H "Authorization: Bearer $TOKEN")
[[ $code == 200 ]] || log "WARNING: GET /api/v1/customers/{id} answered $code"

# ------------------------------------------------------------- scenarios ---
ROWS=()
fmt_ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }

# scenario LABEL PATHS_FILE [PREFIX]
scenario() {
    local label=$1 file=$2 prefix=${3:-} out result rps p50 p99 sock non2xx
    out=$WORK/wrk-$(( ${#ROWS[@]} + 1 )).txt
    log "wrk: $label"
    run_step timeout $(( DURATION + 60 )) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
        -H "Authorization: Bearer $TOKEN" ${COOKIE:+-H "Cookie: $COOKIE"} -s "$BENCH_API_DIR/paths.lua" "$BASE" -- "$file" "$prefix" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed"; }
    cat "$out" >&2
    result=$(grep '^BENCH_RESULT' "$out") || die "no BENCH_RESULT line from wrk"
    field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$result"; }
    rps=$(awk -v r="$(field rps)" 'BEGIN { printf "%.0f", r }')
    p50=$(fmt_ms "$(field p50_us)")
    p99=$(fmt_ms "$(field p99_us)")
    sock=$(( $(field connect) + $(field read) + $(field write) + $(field timeout) ))
    non2xx=$(field non2xx)
    ROWS+=("| $label | $rps | $p50 | $p99 | $sock / $non2xx |")
}

RSS_IDLE_KB=$(proc_kb "$SERVER_PID" VmRSS)
if [[ $PAGES -eq 1 ]]; then
    log "signing in for a session cookie; giving one customer 1,000 timeline notes"
    COOKIE=$(curl -s -o /dev/null -D - -d "email=$BENCH_EMAIL&password=bench-Passw0rd" "$BASE/sign-in" |
             sed -n 's/^[Ss]et-[Cc]ookie: \(gx_session=[^;]*\).*/\1/p')
    [[ -n $COOKIE ]] || die "sign-in gave no session cookie"
    BUSY_ID=$(head -n1 "$WORK/ids.txt")
    python3 - "$BASE" "$TOKEN" "$BUSY_ID" <<'PYEOF'
import http.client, json, sys, urllib.parse
base, token, cid = sys.argv[1:4]
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
for i in range(1000):
    body = json.dumps({"body": f"第{i}次跟进：客户询问新品价格和交期，已发送报价单。"})
    c.request("POST", f"/api/v1/customers/{cid}/notes", body, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"note {i}: {r.status}")
PYEOF
    log "opening 10,000 deals over random customers (the kanban target is 10,000 open deals)"
    python3 - "$BASE" "$TOKEN" "$WORK/ids.txt" <<'PYEOF'
import http.client, json, random, sys, urllib.parse
base, token, ids_file = sys.argv[1:4]
ids = [l.strip() for l in open(ids_file) if l.strip()]
rng = random.Random(7)
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
h = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
c.request("GET", "/api/v1/pipelines", headers=h); r = c.getresponse(); stages = json.loads(r.read())["items"][0]["stages"]
open_stages = [s["id"] for s in stages if s["kind"] == "open"]
for i in range(10000):
    body = {"name": f"商机{i}：年度采购", "customer_id": rng.choice(ids), "stage_id": rng.choice(open_stages),
            "amount": {"minor": rng.randrange(100_00, 5_000_000_00), "currency": "CNY" if i % 10 else "USD"},
            "expected_close": f"2027-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"}
    c.request("POST", "/api/v1/deals", json.dumps(body), h)
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"deal {i}: {r.status}")
PYEOF
    printf '/deals\n' >"$WORK/paths-i.txt"
    printf '/customers\n' >"$WORK/paths-f.txt"
    printf '/customers/%s\n' "$BUSY_ID" >"$WORK/paths-g.txt"
    python3 -c 'import urllib.parse; print("\n".join("/api/v1/search?limit=8&q=" + urllib.parse.quote(s, safe="") for s in ["王", "王小", "小明", "张", "张伟", "wa", "wan", "wang", "138", "1381"]))' >"$WORK/paths-h.txt"
    for f in "$WORK"/paths-[fghi].txt; do
        while IFS= read -r p; do
            code=$(http_status "$BASE$p" -H "Authorization: Bearer $TOKEN" -H "Cookie: $COOKIE")
            [[ $code == 200 ]] || die "GET $p answered $code"
        done <"$f"
    done
    start_rss_sampler "$SERVER_PID" "$WORK/rss.txt"
    scenario "f. page \`GET /customers\` (list, first 50)" "$WORK/paths-f.txt"
    stop_rss_sampler
    RSS_MAX_MB=$(max_mb "$WORK/rss.txt")
    HWM_A_MB=$(kb_to_mb "$(proc_kb "$SERVER_PID" VmHWM)")
    scenario "g. page \`GET /customers/{id}\` (360, 1,000 timeline entries, first 50 shown)" "$WORK/paths-g.txt"
    scenario "i. page \`GET /deals\` (kanban, 10,000 open deals, first 20 cards per stage)" "$WORK/paths-i.txt"
    scenario "h. search as you type \`GET /api/v1/search?limit=8&q=…\` (王, 王小, 小明, 张, 张伟, wa, wan, wang, 138, 1381)" "$WORK/paths-h.txt"
else
start_rss_sampler "$SERVER_PID" "$WORK/rss.txt"
scenario "a. \`GET /api/v1/customers/{id}\`, random of $ID_COUNT ids" "$WORK/ids.txt" "/api/v1/customers/"
stop_rss_sampler
RSS_MAX_MB=$(max_mb "$WORK/rss.txt")
HWM_A_MB=$(kb_to_mb "$(proc_kb "$SERVER_PID" VmHWM)")

scenario "b. \`GET /api/v1/customers?stage=customer&tier=A&limit=50\`" "$WORK/paths-b.txt"
scenario "c. \`GET /api/v1/customers?stage=customer&limit=50&cursor=…\` (page $DEEP_PAGE)" "$WORK/paths-c.txt"
scenario "d. \`GET /api/v1/search?q=…\` Latin: wang, gmail, 1381, acme, tech" "$WORK/paths-d.txt"
scenario "e. \`GET /api/v1/search?q=…\` Chinese: 小明, 王芳, 上海, 科技, 张伟, 华信贸易" "$WORK/paths-e.txt"
fi
HWM_END_MB=$(kb_to_mb "$(proc_kb "$SERVER_PID" VmHWM)")
kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the benchmark"
stop_server

# ---------------------------------------------------------------- report ---
STAMP=$(date +%Y%m%d-%H%M%S)
OUT_DIR=$REPO_ROOT/bench/out
OUT_FILE=$OUT_DIR/$([[ $PAGES -eq 1 ]] && echo pages || echo api)-$DB_LABEL-$STAMP.md
WRK_VERSION=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $2 }')
CUSTOMERS_FMT=$(printf "%'d" "$CUSTOMERS" 2>/dev/null || echo "$CUSTOMERS")
mkdir -p "$OUT_DIR"
{
    echo "### $([[ $PAGES -eq 1 ]] && echo "Web pages" || echo API), $DB_LABEL, $CUSTOMERS_FMT customers"
    echo
    echo "| scenario | req/s | p50 | p99 | socket errors / non-2xx |"
    echo "|---|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "- Data: \`guanxi demo --customers $CUSTOMERS --seed 42\` loaded in ${LOAD_S} s${DATA_SIZE:+ (data directory $DATA_SIZE)}"
    echo "- Database: $DB_DESC"
    echo "- Binary: \`${GUANXI_BIN#"$REPO_ROOT"/}\`"
    echo "- Server RSS: ${RSS_IDLE_KB:+$(kb_to_mb "$RSS_IDLE_KB") MB before (a), }max $RSS_MAX_MB MB sampled during the first scenario (VmHWM $HWM_A_MB MB); VmHWM $HWM_END_MB MB at the end"
    echo "- Load: wrk $WRK_VERSION, -t$THREADS -c$CONNECTIONS, ${DURATION} s per scenario, no warm-up, on the same machine as the server"
    machine_facts
} | tee "$OUT_FILE"
log "report written to ${OUT_FILE#"$REPO_ROOT"/}"
