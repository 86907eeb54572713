#!/usr/bin/env bash
# The whole validation of docs/validation.md in one command, as root on the host to validate:
#   validation/validate.sh [--out DIR] [validation/run.sh options, e.g. --mib 128]
# 1. the real experiment (validation/run.sh, with the KVM guest where /dev/kvm works) -> DIR/real.csv
# 2. the swap device calibrated where run.sh puts its swap file (hvsim calibrate swap, 4 KiB pages) -> DIR/swap.yaml
# 3. HvSim over the same access windows: the linux-6.18 mode with the calibrated device (DIR/linux-6.18/), and the
#    linux-3.4 mode with the ssd preset (DIR/ssd-preset/) and with the calibrated device (DIR/calibrated/):
#    comparison.csv, comparison.md, plots, the generated scenarios. Every mode takes the real host's fault and reclaim
#    costs measured by real.csv itself (hvsim validation --costs measured).
# Extra arguments go to run.sh (--mib, --ratios, --patterns, --turnovers, --accesses, --swap-dir ...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/results/validation" swapdir=/var/tmp pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --swap-dir) swapdir="$2"; pass+=("$1" "$2"); shift 2 ;;
    *) pass+=("$1"); shift ;;
  esac
done
mkdir -p "$out"
"$root/validation/run.sh" --out "$out/real.csv" --kvm "${pass[@]}"
calibration="$swapdir/hvsim-calibrate-$$.bin"
trap 'rm -f "$calibration"' EXIT
"$root/hvsim" calibrate swap "$calibration" --size 256MiB --page-size 4KiB --out "$out/swap.yaml"
"$root/hvsim" validation "$out/real.csv" --out "$out/linux-6.18" --template "$root/validation/scenario-template.yaml" --swap "$out/swap.yaml" --kernel linux-6.18
"$root/hvsim" validation "$out/real.csv" --out "$out/ssd-preset" --template "$root/validation/scenario-template.yaml"
"$root/hvsim" validation "$out/real.csv" --out "$out/calibrated" --template "$root/validation/scenario-template.yaml" --swap "$out/swap.yaml"
echo "validation/validate.sh: results in $out (real.csv, swap.yaml, linux-6.18/, ssd-preset/, calibrated/)"
