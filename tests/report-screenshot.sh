#!/usr/bin/env bash
# Screenshot a report.html in headless Chromium: tests/report-screenshot.sh REPORT.html OUT.png
# Exit 3 when no Chromium is installed (tests report that as skipped), 1 when the screenshot fails.
set -uo pipefail
if [ $# -ne 2 ]; then echo "usage: $0 REPORT.html OUT.png" >&2; exit 2; fi
report="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
[ -f "$report" ] || { echo "$0: $1: no such file" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "$0: chromium not installed (tests/setup.sh installs it as root)" >&2; exit 3; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$out"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
  --hide-scrollbars --screenshot="$out" --window-size=1280,2000 "file://$report" >/dev/null 2>&1
[ -s "$out" ] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "$out"
