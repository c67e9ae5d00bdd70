#!/usr/bin/env bash
# Throughput benchmark: the same experiment (experiments/configs/throughput.yaml: resnet8_fashion,
# random search, one seed, so every mode runs the same trials) with the local executor (2 threads),
# Spark local[2], and a two-worker standalone cluster (scripts/spark-cluster.sh, one core each).
# Each mode starts with an empty cache (QTUNE_CACHE), so each compiles and calibrates the same.
# Prints trials per minute and Spark's overhead per trial against the local executor.
# Usage: scripts/spark-throughput.sh [TRIALS (default 32)] [OUT (default runs/throughput)]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRIALS="${1:-32}"
OUT="$(mkdir -p "${2:-$ROOT/runs/throughput}" && cd "${2:-$ROOT/runs/throughput}" && pwd)"

[ -x /usr/bin/python3 ] || { echo "spark-throughput: needs /usr/bin/python3 for the summary (apt-get install python3)" >&2; exit 1; }
"$ROOT/qtune" --version >/dev/null   # build once, before any clock starts

rm -f "$OUT/walls.txt.new"
declare -A EXECUTOR=(
  [local]="{type: local, workers: 2}"
  [spark-local]="{type: spark, master: 'local[2]'}"
  [cluster]="{type: spark}"
)
for mode in local spark-local cluster; do
  exp="$OUT/$mode.yaml"
  sed -e "s/^executor: EXECUTOR/executor: ${EXECUTOR[$mode]}/" -e "s/^  trials: .*/  trials: $TRIALS/" \
    "$ROOT/experiments/configs/throughput.yaml" > "$exp"
  rm -rf "${OUT:?}/$mode" "$OUT/cache-$mode"
  export QTUNE_CACHE="$OUT/cache-$mode"
  echo "spark-throughput: $mode ($TRIALS trials)" >&2
  start=$(date +%s.%N)
  if [ "$mode" = cluster ]; then
    QTUNE_SKIP_BUILD=1 "$ROOT/scripts/spark-cluster.sh" run "$exp" --out "$OUT/$mode" > "$OUT/$mode.log" 2>&1
  else
    "$ROOT/qtune" search "$exp" --out "$OUT/$mode" > "$OUT/$mode.log" 2>&1
  fi
  end=$(date +%s.%N)
  echo "$mode $start $end" >> "$OUT/walls.txt.new"
done
mv "$OUT/walls.txt.new" "$OUT/walls.txt"

/usr/bin/python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
walls = {l.split()[0]: float(l.split()[2]) - float(l.split()[1]) for l in open(f"{out}/walls.txt")}
rows = {}
for mode in ["local", "spark-local", "cluster"]:
    p = json.load(open(f"{out}/{mode}/pareto.json"))
    recs = [json.loads(l) for l in open(f"{out}/{mode}/trials.jsonl") if '"kind":"search"' in l]
    busy = sum(r["times_s"]["total"] for r in recs)
    rows[mode] = (len(recs), p["elapsed_s"], busy, walls[mode], sum(r["status"] != "OK" for r in recs))
base = rows["local"][1] / rows["local"][0]
print("| executor | trials | failed | search s | trials / min | wall s (with start-up) | mean trial s (in the evaluator) | overhead / trial vs local |")
print("|---|---|---|---|---|---|---|---|")
for mode, (n, search, busy, wall, failed) in rows.items():
    over = search / n - base
    print(f"| {mode} | {n} | {failed} | {search:.1f} | {60 * n / search:.2f} | {wall:.1f} | {busy / n:.2f} | "
          + ("" if mode == "local" else f"{over:+.2f} s") + " |")
EOF
