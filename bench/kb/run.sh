#!/usr/bin/env bash
# Knowledge-base search (issue 25 target: p99 < 25 ms over 100,000 articles).
#
#   bench/kb/run.sh [--skip-build] [--articles N] [--duration S] [--connections C] [--postgres]
#
# A fresh database and server on 127.0.0.1; N articles written through the API (bench/kb/articles.py:
# a tea seller's help desk in three languages, 90 % published, 80 % public); then wrk searches with
# what people type (one Chinese character, two-character words, longer words, English, two terms, a
# word found nowhere), one scenario each for the staff API (`GET /api/v1/kb/articles?q=`, every article)
# and the portal's public search page (`GET /portal/kb?q=`, published public ones, HTML). Reported:
# req/s, p50/p90/p99 and the server's CPU per request, in bench/out/kb-*.md. Bounded: at most
# 200,000 articles and 60 s per scenario; loopback only.
set -euo pipefail
source "$(dirname "$0")/../api/lib.sh"
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)

ARTICLES=100000; DURATION=10; CONNECTIONS=8; POSTGRES=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --skip-build) export BENCH_SKIP_BUILD=1 ;;
        --articles) ARTICLES=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --connections) CONNECTIONS=$2; shift ;;
        --postgres) POSTGRES=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
(( ARTICLES >= 1 && ARTICLES <= 200000 )) || die "--articles is 1 to 200,000"
(( DURATION >= 1 && DURATION <= 60 )) || die "--duration is 1 to 60 s"
if [[ $POSTGRES == 1 ]]; then reexec_with_postgres "$0" "$@" ${BENCH_SKIP_BUILD:+--skip-build} --articles "$ARTICLES" --duration "$DURATION" --connections "$CONNECTIONS"; fi

fresh_bench_database kb
serve_bench
LOAD_START=$(now_s)
timeout 3600 python3 "$BENCH_DIR/articles.py" --base "$BASE" --token "$TOKEN" --articles "$ARTICLES" --queries "$WORK/queries.txt" 2> "$WORK/load.txt"
LOAD_S=$(elapsed "$LOAD_START")
log "$(cat "$WORK/load.txt")"
# what the search service still has to index after the writes, and how long until it has
search_queue() { curl -sf --max-time 10 "$BASE/metrics" | sed -n 's/^guanxi_queue_depth{queue="search_index"} \([0-9]*\).*/\1/p'; }
for _ in $(seq 600); do [[ $(search_queue) == 0 || -z $(search_queue) ]] && break; sleep 0.1; done

RESULTS=()
scenario() {   # NAME PREFIX [token]: every query of the file behind PREFIX
    local name=$1 prefix=$2 auth=()
    [[ ${3:-} == token ]] && auth=(-H "Authorization: Bearer $TOKEN")
    [[ $(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$BASE$prefix$(head -1 "$WORK/queries.txt")") == 200 ]] || die "$name: the first query did not answer 200"
    wrk_scenario "$name" "${auth[@]}" -s "$BENCH_DIR/../api/paths.lua" "$BASE" -- "$WORK/queries.txt" "$prefix"
}
scenario "staff API search (/api/v1/kb/articles?q=)" "/api/v1/kb/articles?q=" token
scenario "portal search page (/portal/kb?q=, HTML)" "/portal/kb?q="
# one line per query: how many the staff search finds (at most its first page, 50 as every list) and one request's time
PER_QUERY=$(while read -r q; do
    curl -s -o "$WORK/one.json" -w "%{time_total}" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/kb/articles?q=$q" > "$WORK/t.txt"
    printf '| %s | %s | %.1f |\n' "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "$q")" \
        "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$WORK/one.json")" "$(awk '{ print $1 * 1000 }' "$WORK/t.txt")"
done < "$WORK/queries.txt")
stop_server

mkdir -p "$REPO_ROOT/bench/out"
REPORT=$REPO_ROOT/bench/out/kb-$DB_LABEL-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# Knowledge-base search — $(date -u +%Y-%m-%dT%H:%M:%SZ), $DB_LABEL, git $(cd "$REPO_ROOT" && git rev-parse --short HEAD)"
    echo
    machine_facts
    echo
    echo "Data: $(cat "$WORK/load.txt") Load and indexing ${LOAD_S} s."
    echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s per scenario, after 2 s of warm-up, each request a random one of the $(wc -l < "$WORK/queries.txt") queries below."
    echo
    results_table
    echo
    echo "| query | found (staff, first page of 50) | one request, ms |"
    echo "|---|---:|---:|"
    echo "$PER_QUERY"
} > "$REPORT"
log "report: $REPORT"
cat "$REPORT"
