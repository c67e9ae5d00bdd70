#!/usr/bin/env bash
# Search-efficiency benchmark: nsga2, bayesian and random on resnet8_fashion, equal budgets, several
# seeds; then the hypervolumes of all runs against one reference point (qtune compare).
# Usage: scripts/search-efficiency.sh [TRIALS (default 200)] [SEEDS (default "1 2 3")] [OUT (default runs/efficiency)]
#        [RANDOM_TRIALS (default TRIALS)] [TEMPLATE (default experiments/configs/efficiency.yaml)]
# With a template that re-measures the fronts at the end (efficiency-holdout.yaml) it also compares
# the final re-measures (`qtune compare --final`): what each front holds on unseen images.
# With RANDOM_TRIALS above TRIALS it measures the seeded strategies (nsga2 and bayesian start from
# the base config, the uniform configs and the sensitivity model's front) at a small budget
# against random at a large one, e.g. `scripts/search-efficiency.sh 40 "1 2 3" runs/seeded 200`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRIALS="${1:-200}"
SEEDS="${2:-1 2 3}"
OUT="${3:-$ROOT/runs/efficiency}"
RANDOM_TRIALS="${4:-$TRIALS}"
TEMPLATE="${5:-$ROOT/experiments/configs/efficiency.yaml}"
mkdir -p "$OUT"
runs=()
for seed in $SEEDS; do
  for strategy in nsga2 bayesian random; do
    trials=$TRIALS
    [ "$strategy" = random ] && trials=$RANDOM_TRIALS
    exp="$OUT/$strategy-s$seed.yaml"
    sed -e "s/STRATEGY/$strategy/" -e "s/SEED/$seed/" -e "s/TRIALS/$trials/" \
      "$TEMPLATE" > "$exp"
    dir="$OUT/$strategy-s$seed"
    if [ -f "$dir/trials.jsonl" ]; then
      "$ROOT/qtune" search "$exp" --out "$dir" --resume
    else
      "$ROOT/qtune" search "$exp" --out "$dir"
    fi
    runs+=("$dir")
  done
done
at="$((TRIALS / 4)),$((TRIALS / 2)),$TRIALS"
[ "$RANDOM_TRIALS" != "$TRIALS" ] && at="$TRIALS,$RANDOM_TRIALS"
"$ROOT/qtune" compare "${runs[@]}" --at "$at"
if grep -q "final_max: [1-9]" "$TEMPLATE"; then
  "$ROOT/qtune" compare "${runs[@]}" --final
fi
