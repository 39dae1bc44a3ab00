#!/usr/bin/env bash
# Insights benchmark: import synthetic order history (CUSTOMERS customers, about ORDERS orders) into a
# fresh SQLite data directory, then time a full scoring run (read, fit, score, write) and an incremental
# run after CHANGED customers got a new order. Release build. Unmeasured on the shared machine so far.
# Not run by the tests; take /work/QUIET-style care on a shared machine (see BENCHMARKS.md).
#
#   CUSTOMERS=1000000 ORDERS=10000000 bash bench/insights/run.sh
#
# Environment: GUANXI_BIN (default: release build), BENCH_DATA (default: bench/out/insights),
# GUANXI_DATABASE_URL to run against PostgreSQL instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DATA=${BENCH_DATA:-$ROOT/bench/out/insights}
CUSTOMERS=${CUSTOMERS:-100000}
ORDERS=${ORDERS:-1000000}
mkdir -p "$DATA"
if [ -z "${GUANXI_BIN:-}" ]; then
  swift build -c release --product guanxi >&2
  GUANXI_BIN="$(swift build -c release --show-bin-path)/guanxi"
fi
CSV="$DATA/orders-$CUSTOMERS-$ORDERS.csv"
if [ ! -f "$CSV" ]; then
  # buy-till-you-die-like history: each customer buys at a personal rate until a personal drop-out day
  python3 - "$CUSTOMERS" "$ORDERS" "$CSV" <<'PY'
import random, sys, datetime
n, m, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
random.seed(22)
start = datetime.date(2024, 1, 1)
products = ["绿茶", "红茶", "乌龙茶", "普洱", "茶杯", "茶壶", "礼盒", "茶点"]
per = m / n
with open(path, "w", encoding="utf-8") as f:
    f.write("customer_external_id,placed_at,amount,product,quantity\n")
    for c in range(n):
        first = random.randrange(0, 600)
        life = random.expovariate(1 / 300)
        k = max(1, int(random.expovariate(1 / per)))
        day = first
        for _ in range(k):
            if day - first > life or day > 700: break
            d = start + datetime.timedelta(days=day)
            f.write(f"c{c},{d.isoformat()},{random.randrange(500, 50000) / 100:.2f},{random.choice(products)},{random.randint(1, 3)}\n")
            day += max(1, int(random.expovariate(per / 700)))
PY
fi
DIR="$DATA/db-$CUSTOMERS-$ORDERS"
rm -rf "$DIR"
/usr/bin/time -v "$GUANXI_BIN" import orders "$CSV" --data "$DIR" 2> "$DATA/import.time"
grep -E "Elapsed|Maximum resident" "$DATA/import.time"
GUANXI_TIMINGS=1 /usr/bin/time -v "$GUANXI_BIN" analyze score --period week --format json --data "$DIR" > "$DATA/score.json" 2> "$DATA/score.time"
grep -E "Elapsed|Maximum resident" "$DATA/score.time"
head -c 600 "$DATA/score.json"; echo
# Incremental run: CHANGED customers (default 10,000) each get one more order, then a run rescoring
# only them through the full run's model (the issue's "< 2 s for 10,000 changed customers").
CHANGED=${CHANGED:-10000}
MORE="$DATA/more-$CUSTOMERS-$CHANGED.csv"
python3 - "$CUSTOMERS" "$CHANGED" "$MORE" <<'PY'
import sys
n, k, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(path, "w", encoding="utf-8") as f:
    f.write("customer_external_id,placed_at,amount,product,quantity,external_id\n")
    for c in range(min(n, k)):
        f.write(f"c{c},2025-12-01,88.00,礼盒,1,more-{c}\n")
PY
"$GUANXI_BIN" import orders "$MORE" --data "$DIR" > /dev/null
/usr/bin/time -v "$GUANXI_BIN" analyze score --period week --format json --data "$DIR" > "$DATA/incremental.json" 2> "$DATA/incremental.time"
grep -E "Elapsed|Maximum resident" "$DATA/incremental.time"
head -c 400 "$DATA/incremental.json"; echo
