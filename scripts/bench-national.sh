#!/usr/bin/env bash
# The issue-15 CLI doors end to end at national size, each with its wall time
# and peak memory (/usr/bin/time -v): validate a policy of 700,000 village
# units, report --format json and payouts --format csv over its 12 months x 3
# metrics of progress, and recommend a 1,000,000-row roster to CSV. Inputs are
# made by scripts/make_national.py and scripts/make_roster.py in a temporary
# directory (removed at the end). docs/performance.md says how to read it.
#
#   scripts/bench-national.sh [--small] [--cli PATH] [--keep DIR]
#     --small   7,000 villages and 10,000 roster rows (seconds; the quick test)
#     --cli     the canbao executable (default build/canbao)
#     --keep    make the inputs in DIR and keep them (reused when present)
#
# Full size needs several GB of RAM and minutes: run one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
villages=700000
rows=1000000
cli=build/canbao
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --small) villages=7000; rows=10000 ;;
    --cli) cli="$2"; shift ;;
    --keep) keep="$2"; shift ;;
    *) echo "bench-national.sh: unknown option $1 (expected --small, --cli PATH, --keep DIR)" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$cli" ] || { echo "bench-national.sh: --cli: $cli is not an executable (build the canbao_cli target)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-national.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

if [ -n "$keep" ]; then
  dir="$keep"
  mkdir -p "$dir"
else
  dir="$(mktemp -d)"
  trap 'rm -rf "$dir"' EXIT
fi
if [ ! -f "$dir/policy.json" ]; then
  /usr/bin/python3 scripts/make_national.py --villages "$villages" --out "$dir" >/dev/null
fi
if [ ! -f "$dir/roster.csv" ]; then
  /usr/bin/python3 scripts/make_roster.py --rows "$rows" --as-of 2023-06-30 >"$dir/roster.csv"
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $villages villages, $rows roster rows"
printf '%-34s %10s %12s %s\n' "door" "wall s" "peak MB" "exit"
# One door: its wall time and peak resident memory from /usr/bin/time -v.
door() {  # name command...
  local name="$1" log="$dir/time.log" status=0
  shift
  /usr/bin/time -v "$@" >"$dir/out.tmp" 2>"$log" || status=$?
  local wall peak
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; ++i) s = s * 60 + $i; printf "%.2f", s }')
  peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log" | awk '{ printf "%.0f", $1 / 1024 }')
  printf '%-34s %10s %12s %s\n' "$name" "$wall" "$peak" "$status"
  if [ "$status" != 0 ]; then
    grep -v '^\s' "$log" | head -5 >&2
    failed=1
  fi
}
failed=0
door "validate" "$cli" validate "$dir/policy.json"
door "report --format json" "$cli" report "$dir/policy.json" --progress "$dir/progress.csv" \
  --as-of 2021-12-31 --format json --out "$dir/report.json"
door "payouts --format csv" "$cli" payouts "$dir/policy.json" --progress "$dir/progress.csv" \
  --as-of 2021-12-31 --format csv --out "$dir/payouts.csv"
door "recommend roster -> csv" "$cli" recommend examples/policies/004-shiyan-2023.json \
  --roster "$dir/roster.csv" --as-of 2023-06-30 --quiet --out "$dir/recommend.csv"
echo "output bytes: report $(stat -c %s "$dir/report.json" 2>/dev/null || echo -), payouts $(stat -c %s "$dir/payouts.csv" 2>/dev/null || echo -), recommend $(stat -c %s "$dir/recommend.csv" 2>/dev/null || echo -)"
exit "$failed"
