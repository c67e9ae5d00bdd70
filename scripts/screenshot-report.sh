#!/usr/bin/env bash
# Screenshot a run directory's report.html with headless Chromium.
# Usage: scripts/screenshot-report.sh RUN_DIR OUT.png [WIDTHxHEIGHT]   (default 1200x1600)
# Writes RUN_DIR/report.html first (./qtune report) when it does not exist yet.
# The browser is $CHROMIUM, else the first of chromium, chromium-browser, google-chrome on PATH.
# It runs with a throw-away profile and a time limit ($SCREENSHOT_TIMEOUT seconds, default 90).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 RUN_DIR OUT.png [WIDTHxHEIGHT]" >&2
  exit 2
fi
run_dir=$1
out=$2
size=${3:-1200x1600}
[[ $size =~ ^[0-9]+x[0-9]+$ ]] || { echo "$0: size must be WIDTHxHEIGHT, but was '$size'" >&2; exit 2; }
[ -d "$run_dir" ] || { echo "$0: run directory not found: $run_dir" >&2; exit 1; }

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
  done
fi
[ -n "$browser" ] || { echo "$0: chromium not found (install it, e.g. apt-get install chromium, or set CHROMIUM)" >&2; exit 3; }

run_dir=$(cd "$run_dir" && pwd)
report="$run_dir/report.html"
if [ ! -f "$report" ]; then
  "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/qtune" report "$run_dir" >/dev/null
fi
out_dir=$(cd "$(dirname "$out")" && pwd)
out="$out_dir/$(basename "$out")"
rm -f "$out"

# file:// URL: escape the characters that would end or change the path part.
url=${report//%/%25}; url=${url// /%20}; url=${url//#/%23}; url=${url//\?/%3F}

profile=$(mktemp -d "${TMPDIR:-/tmp}/qtune-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
log="$profile/chromium.log"
if ! timeout "${SCREENSHOT_TIMEOUT:-90}" "$browser" --headless --no-sandbox --disable-gpu \
    --disable-dev-shm-usage --hide-scrollbars --no-first-run --no-default-browser-check --disable-extensions \
    --user-data-dir="$profile" --screenshot="$out" --window-size="${size/x/,}" \
    "file://$url" >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "$0: $browser failed (or timed out) on $report" >&2
  exit 1
fi
[ -s "$out" ] || { tail -n 20 "$log" >&2; echo "$0: $browser wrote no screenshot to $out" >&2; exit 1; }
echo "$out"
