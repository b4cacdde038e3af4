#!/usr/bin/env bash
# The main job on the bundled example: XX town's 2021 campaign (seed 000) —
# phases, reporting deadline, milestones, completion dates, work-fund payouts,
# scores and ranking, as of 2021-12-31.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh >/dev/null
build_dir="${CANBAO_BUILD_DIR:-build}"
"$build_dir/canbao" report examples/policies/000-xx-town-2021.json \
  --progress examples/progress/000-xx-town-2021.csv --as-of 2021-12-31 "$@"
