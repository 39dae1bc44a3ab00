#!/usr/bin/env bash
# Analytics benchmarks: Swift (`guanxi analyze …`, release build) side by side with the Python
# references (lifetimes, pandas, scikit-learn, mlxtend) installed into a throwaway venv.
#
#   bash bench/analytics/run.sh            # from the repository root
#
# Environment:
#   GUANXI_BIN       command that runs the CLI (default: build `guanxi` in release mode and use it)
#   ANALYTICS_VENV   venv location (default: bench/.venv-analytics)
#   BENCH_DATA       where synthetic data is written (default: bench/out/analytics)
#   CDNOW_CSV        CDNOW sample as customer_id,date,amount (default: converted from the test fixture)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${ANALYTICS_VENV:-$ROOT/bench/.venv-analytics}
DATA=${BENCH_DATA:-$ROOT/bench/out/analytics}
mkdir -p "$DATA"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  # lifetimes 0.11.3 works with this modern stack; mlxtend 0.25 needs numpy ≥ 2.3.5, pandas ≥ 2.3.3, scipy ≥ 1.16.3.
  "$VENV/bin/pip" install -q "numpy==2.3.5" "pandas==2.3.3" "scipy==1.16.3" "autograd==1.9.1" "dill" \
    "lifetimes==0.11.3" "scikit-learn==1.8.0" "mlxtend==0.25.0"
fi
PY="$VENV/bin/python"

if [ -z "${GUANXI_BIN:-}" ]; then
  swift build -c release --product guanxi >&2
  GUANXI_BIN="$(swift build -c release --show-bin-path)/guanxi"
fi
read -r -a CLI <<< "$GUANXI_BIN"

CDNOW=${CDNOW_CSV:-$DATA/cdnow.csv}
if [ ! -f "$CDNOW" ]; then
  awk 'BEGIN{print "customer_id,date,amount"} NF==5 {gsub("\r",""); print $2","$3","$5}' \
    Tests/GuanxiAnalyticsTests/Fixtures/CDNOW_sample.txt > "$CDNOW"
fi
"$PY" bench/analytics/gen_data.py "$DATA"

# swift_run NAME ARGS… : runs the CLI with timings, records wall time and peak RSS.
swift_run() {
  local name=$1; shift
  GUANXI_TIMINGS=1 /usr/bin/time -v "${CLI[@]}" analyze "$@" --format json > "$DATA/$name.json" 2> "$DATA/$name.err" || {
    cat "$DATA/$name.err" >&2; return 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$DATA/$name.err" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$DATA/$name.err" | awk '{print $NF}')
  echo "swift  $name: wall $wall, peak RSS $((rss / 1024)) MiB; $(grep '^timing' "$DATA/$name.err" | tr '\n' ' ')"
}
py_run() {
  local name=$1; shift
  /usr/bin/time -v "$PY" bench/analytics/references.py "$@" > "$DATA/$name.py.json" 2> "$DATA/$name.py.err" || {
    cat "$DATA/$name.py.err" >&2; return 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$DATA/$name.py.err" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$DATA/$name.py.err" | awk '{print $NF}')
  echo "python $name: wall $wall, peak RSS $((rss / 1024)) MiB; $(cat "$DATA/$name.py.json")"
}
jq_() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -srm)"
echo "== CLV on CDNOW (2,357 customers, weeks, calibration end 1997-09-30)"
swift_run clv_cdnow clv --transactions "$CDNOW" --calibration-end 1997-09-30 --unit weeks
jq_ "$DATA/clv_cdnow.json" "d['bgnbd'], d['pareto_nbd'], d['gamma_gamma']"
py_run clv_cdnow lifetimes "$CDNOW" weeks 1997-09-30

echo "== BG/NBD + Gamma-Gamma on 1,000,000 simulated customers (days)"
swift_run clv_1m clv --transactions "$DATA/bgnbd_1m.csv" --unit days --skip-pareto
jq_ "$DATA/clv_1m.json" "d['bgnbd'], d['gamma_gamma']"
py_run clv_1m lifetimes "$DATA/bgnbd_1m.csv" days 2022-12-31

echo "== RFM on 1,000,000 transactions (agreement check) and 10,000,000 transactions"
swift_run rfm_1m rfm --transactions "$DATA/rfm_1m.csv"
jq_ "$DATA/rfm_1m.json" "'swift score sums', [sum(c[k] for c in d['customers']) for k in 'rfm'], 'top20', d['value']['top20_revenue_share']"
py_run rfm_1m rfm "$DATA/rfm_1m.csv"
swift_run rfm_10m rfm --transactions "$DATA/rfm_10m.csv"
py_run rfm_10m rfm "$DATA/rfm_10m.csv"

echo "== k-means (k=8, 10 inits) on the 100,000 customers of rfm_1m"
swift_run kmeans_100k kmeans --transactions "$DATA/rfm_1m.csv" --k 8 --seed 0 --inits 10
jq_ "$DATA/kmeans_100k.json" "'swift inertia', d['inertia']"
py_run kmeans_100k kmeans "$DATA/rfm_1m.csv" 8 0 10

echo "== association rules (20,000 baskets, min support 0.01, min confidence 0.3)"
swift_run rules_20k rules --baskets "$DATA/baskets_20k.csv" --min-support 0.01 --min-confidence 0.3
jq_ "$DATA/rules_20k.json" "'swift itemsets', d['itemsets'], 'rules', len(d['rules'])"
py_run rules_20k rules "$DATA/baskets_20k.csv" 0.01 0.3
