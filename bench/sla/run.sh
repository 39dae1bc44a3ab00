#!/usr/bin/env bash
# SLA deadlines: microseconds per deadline and per elapsed-time reading (the calculation behind
# `guanxi sla due`, release build) over the demo calendar — weekday hours with a lunch break, 2026's
# holiday stretches and make-up working days — for 100,000 tickets with 8-business-hour targets, a
# third of them paused; on Shanghai's clock, then on New York's and Berlin's (DST switches).
#
#   bash bench/sla/run.sh            # from the repository root
#
# Environment:
#   GUANXI_BIN   command that runs the CLI (default: build `guanxi` in release mode and use it)
#   COUNT        tickets per round (default 100000); ROUNDS: rounds (default 7; best and median printed)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${GUANXI_BIN:-}" ]; then
  swift build -c release --product guanxi >&2
  GUANXI_BIN="$(swift build -c release --show-bin-path)/guanxi"
fi
read -r -a CLI <<< "$GUANXI_BIN"
for zone in Asia/Shanghai America/New_York Europe/Berlin; do
  "${CLI[@]}" sla bench --zone "$zone" --count "${COUNT:-100000}" --rounds "${ROUNDS:-7}"
done
