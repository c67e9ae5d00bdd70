#!/usr/bin/env bash
# Single-layer schedule sweep of the direct convolution kernel (scripts/conv-sweep.c) on this
# host's best x86 target: AVX-512 VNNI flags where the CPU has them, else AVX2. One core.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lib="$root/targets/src/main/resources/dev/qtune/targets/native"
flags=(-mavx2 -mfma -mbmi2)
target=x86-avx2
if grep -q avx512_vnni /proc/cpuinfo && grep -q avx512bw /proc/cpuinfo && grep -q avx512vl /proc/cpuinfo; then
  flags+=(-mavx512f -mavx512bw -mavx512vl -mavx512vnni)
  target=x86-avx512-vnni
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -O3 -std=c11 -D_POSIX_C_SOURCE=199309L -ffp-contract=off -fopenmp "${flags[@]}" -I"$lib" \
  "$root/scripts/conv-sweep.c" -o "$out/conv-sweep" -lm
echo "# conv-sweep: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), flags of $target, one core"
echo "# shape  in(copy)->out  kernel stride  dot  oc_block x ow_tile  time  rate (real MACs)"
taskset -c 0 "$out/conv-sweep" 2>/dev/null || "$out/conv-sweep"
