# shellcheck shell=bash
# Shared helpers for bench/api/*.sh (source it; it does not set shell options).
#
# Everything here talks to 127.0.0.1 only.

BENCH_API_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_API_DIR/../.." && pwd)

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

# Run a command as root (directly, or via `sudo -n`), or fail clearly.
as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "need root (or password-less sudo) to run: $*"
    fi
}

# ensure_debian_package COMMAND PACKAGE: install PACKAGE if COMMAND is missing.
ensure_debian_package() {
    local cmd=$1 pkg=$2
    command -v "$cmd" >/dev/null 2>&1 && return 0
    log "installing Debian package $pkg"
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >&2; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >&2
    fi
    command -v "$cmd" >/dev/null 2>&1 || die "$pkg installed but $cmd is still missing"
}

# build_release: builds the release binary (in .build-release, apart from the
# debug build) and sets GUANXI_BIN. With BENCH_SKIP_BUILD=1 only locates it.
build_release() {
    local bin_dir
    if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
        log "building release (swift build -c release --scratch-path .build-release)"
        (cd "$REPO_ROOT" && swift build -c release --scratch-path .build-release >&2) || die "release build failed"
    fi
    bin_dir=$(cd "$REPO_ROOT" && swift build -c release --scratch-path .build-release --show-bin-path)
    GUANXI_BIN=$bin_dir/guanxi
    [[ -x $GUANXI_BIN ]] || die "no release binary at $GUANXI_BIN (build it, or drop --skip-build)"
}

# reexec_with_postgres SCRIPT ARGS...: unless already inside, re-runs SCRIPT
# under scripts/with-postgres (a fresh throwaway cluster) and never returns.
reexec_with_postgres() {
    if [[ ${BENCH_INSIDE_WITH_POSTGRES:-0} != 1 ]]; then
        export BENCH_INSIDE_WITH_POSTGRES=1
        exec "$REPO_ROOT/scripts/with-postgres" "$@"
    fi
}

# run_step CMD...: runs CMD in the background and waits for it, recording its
# PID in FG_PID so that a signal trap can stop it (stop_pid "$FG_PID").
run_step() {
    "$@" &
    FG_PID=$!
    local rc=0
    wait "$FG_PID" || rc=$?
    FG_PID=""
    return "$rc"
}

# now_s: wall clock in seconds with sub-second precision.
now_s() { date +%s.%N; }

# elapsed START [DECIMALS]: seconds since START (from now_s), 1 decimal by default.
elapsed() { awk -v a="$1" -v b="$(now_s)" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, b - a }'; }

# http_status URL [CURL ARGS...]: prints the HTTP status code (000 when nothing answered).
http_status() {
    local url=$1; shift
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" 2>/dev/null || true
}

# start_server PORT LOGFILE ARGS...: starts `guanxi serve` in the background on
# 127.0.0.1:PORT and sets SERVER_PID. Pass the database arguments (--data DIR).
start_server() {
    local port=$1 logfile=$2; shift 2
    "$GUANXI_BIN" serve --host 127.0.0.1 --port "$port" --log-level warning "$@" >"$logfile" 2>&1 &
    SERVER_PID=$!
    log "guanxi serve started (pid $SERVER_PID, port $port, log $logfile)"
}

# server_cpu_ms: CPU time (user + system, ms) the server process has used so far. Per request, it is
# a figure a busy machine disturbs far less than throughput or latency.
server_cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$SERVER_PID/stat"
}

# wait_for_health URL [TIMEOUT_S]: waits for GET URL/health to answer 200
# while SERVER_PID is alive.
wait_for_health() {
    local base=$1 timeout=${2:-60} deadline code
    deadline=$(( $(date +%s) + timeout ))
    while (( $(date +%s) < deadline )); do
        if [[ -n ${SERVER_PID:-} ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
            die "the server exited before answering /health"
        fi
        code=$(http_status "$base/health")
        [[ $code == 200 ]] && return 0
        sleep 0.2
    done
    die "no 200 from $base/health within ${timeout}s (last status $code)"
}

# stop_pid PID [NAME]: SIGTERM, wait up to 10 s, then SIGKILL. Only this PID.
stop_pid() {
    local pid=$1 name=${2:-process}
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "$name (pid $pid) ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# stop_server: stops SERVER_PID if set.
stop_server() {
    if [[ -n ${SERVER_PID:-} ]]; then
        stop_pid "$SERVER_PID" "guanxi serve"
        SERVER_PID=""
    fi
}

# proc_kb PID FIELD: a /proc/PID/status field in kB (VmRSS, VmHWM), or empty.
proc_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

# start_rss_sampler PID OUTFILE: appends VmRSS (kB) every 0.2 s; sets SAMPLER_PID.
start_rss_sampler() {
    local pid=$1 out=$2
    (
        while kill -0 "$pid" 2>/dev/null; do
            proc_kb "$pid" VmRSS >>"$out"
            sleep 0.2
        done
    ) &
    SAMPLER_PID=$!
}

stop_rss_sampler() {
    if [[ -n ${SAMPLER_PID:-} ]]; then
        kill -TERM "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
}

# max_mb FILE: the largest kB value in FILE, as MB with 1 decimal.
max_mb() { awk 'BEGIN { m = 0 } $1 + 0 > m { m = $1 + 0 } END { printf "%.1f", m / 1024 }' "$1"; }

kb_to_mb() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }

# machine_facts: Markdown bullet lines about this machine and checkout.
machine_facts() {
    local model rev dirty=""
    model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
    rev=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo "none")
    if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then dirty=" (with uncommitted changes)"; fi
    echo "- Machine: $(nproc) CPUs, ${model:-unknown CPU}, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Git revision: ${rev}${dirty}"
}

# fresh_bench_database NAME: the set-up the write benchmarks share (leads.sh, orders.sh): wrk and curl,
# the release binary, a temporary directory WORK (removed on exit, with the server), the database
# (SQLite in WORK, or the throwaway PostgreSQL when GUANXI_TEST_POSTGRES_URL is set: DB_ARGS,
# DB_LABEL) migrated, with owner@bench.example and an API token in TOKEN.
fresh_bench_database() {
    ensure_debian_package wrk wrk
    ensure_debian_package curl curl
    [[ -n ${GUANXI_BIN:-} ]] || build_release
    WORK=$(mktemp -d "/tmp/guanxi-bench-$1.XXXXXX")
    SERVER_PID=""
    trap 'stop_server; rm -rf "$WORK"' EXIT INT TERM
    DB_ARGS=(--data "$WORK/data")
    DB_LABEL=sqlite
    if [[ -n ${GUANXI_TEST_POSTGRES_URL:-} ]]; then export GUANXI_DATABASE_URL=$GUANXI_TEST_POSTGRES_URL; DB_ARGS=(); DB_LABEL=postgres; fi
    "$GUANXI_BIN" migrate "${DB_ARGS[@]}" >/dev/null
    "$GUANXI_BIN" user create "${DB_ARGS[@]}" --email owner@bench.example --password bench-Passw0rd --role owner >/dev/null
    TOKEN=$("$GUANXI_BIN" token create "${DB_ARGS[@]}" --email owner@bench.example --name bench | tail -1)
}

# serve_bench: starts the server on a free loopback port (PORT, BASE, SERVER_PID) and waits for /health.
serve_bench() {
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    BASE=http://127.0.0.1:$PORT
    start_server "$PORT" "$WORK/server.log" "${DB_ARGS[@]}"
    wait_for_health "$BASE"
}

# subscribe_receiver EVENT_TYPE [FILTERS_JSON]: bench/webhooks/receiver.py on a free loopback port, subscribed
# through the API (TOKEN, BASE) to EVENT_TYPE with those filters; its counters go to STATS (RECEIVER_PID, stopped on exit).
subscribe_receiver() {
    local rport secret filters=${2:-'{}'}
    rport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    STATS=$WORK/receiver.json
    secret=$(curl -sf --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -X POST "$BASE/api/v1/webhooks" \
        -d "{\"url\":\"http://127.0.0.1:$rport/hook\",\"events\":[\"$1\"],\"filters\":$filters}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
    python3 "$REPO_ROOT/bench/webhooks/receiver.py" --port "$rport" --stats "$STATS" --secret "$secret" &
    RECEIVER_PID=$!
    trap 'stop_pid "$RECEIVER_PID" receiver; stop_server; rm -rf "$WORK"' EXIT INT TERM
    for _ in $(seq 1 50); do [[ -s $STATS ]] && break; sleep 0.1; done
}

# received_summary: what the receiver counted (STATS).
received_summary() {
    python3 -c 'import json,sys; s = json.load(open(sys.argv[1])); print(s["requests"], "requests,", s["distinct_ids"], "distinct events,", s["bad_signatures"], "bad signatures")' "$STATS"
}

# wrk_scenario NAME WRK_ARGS...: runs wrk with WRK_ARGS (headers, -s SCRIPT, the URL, -- the script's
# arguments) at CONNECTIONS connections: 2 s of warm-up, then DURATION s with --latency. Appends
# "NAME|BENCH_RESULT … cpu_ms_per_req=…" to RESULTS: the script's line and the server's CPU time per
# request (SERVER_PID), a figure a busy machine disturbs far less than throughput and latency.
wrk_scenario() {
    local name=$1 out cpu0 cpu1 n; shift
    wrk -t2 -c"$CONNECTIONS" -d2s "$@" >/dev/null
    cpu0=$(server_cpu_ms)
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | grep '^BENCH_RESULT')
    cpu1=$(server_cpu_ms); n=$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$out")
    out+=" cpu_ms_per_req=$(awk -v c=$((cpu1 - cpu0)) -v n="${n:-0}" 'BEGIN { printf "%.2f", (n > 0 ? c / n : 0) }')"
    log "$name: $out"
    RESULTS+=("$name|$out")
}

# results_table: the RESULTS of wrk_scenario as a Markdown table.
results_table() {
    local r name line
    echo "| scenario | req/s | p50 ms | p90 ms | p99 ms | non-2xx | server CPU ms/request |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for r in "${RESULTS[@]}"; do
        name=${r%%|*}; line=${r#*|}
        printf '| %s | %s | %.1f | %.1f | %.1f | %s | %s |\n' "$name" "$(result_field rps "$line")" \
            "$(awk -v x="$(result_field p50_us "$line")" 'BEGIN{print x/1000}')" "$(awk -v x="$(result_field p90_us "$line")" 'BEGIN{print x/1000}')" \
            "$(awk -v x="$(result_field p99_us "$line")" 'BEGIN{print x/1000}')" "$(result_field non2xx "$line")" "$(result_field cpu_ms_per_req "$line")"
    done
}

# result_field NAME LINE: one figure of a BENCH_RESULT line.
result_field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
