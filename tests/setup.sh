#!/usr/bin/env bash
# Machine setup the tests need, done by the project itself (idempotent; quiet when already done).
set -uo pipefail
# Slurm job-array test (tests/slurm/run-array.sh): Debian's single-node Slurm. Optional: when it cannot be installed the
# test reports skipped with the reason; it never fails the setup.
if ! command -v slurmctld >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge) >/dev/null 2>&1 \
    || echo "setup: could not install slurmctld slurmd slurm-client munge; the Slurm test will be skipped" >&2
fi
need=()
# Plots need a real font in the system font folder (ScottPlot/SkiaSharp find fonts only there).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
    || { echo "setup: could not install ${need[*]}" >&2; exit 1; }
fi
# The report check screenshots report.html in headless Chromium; on its own so a failure here never blocks the
# steps above (tests that need it report skipped).
if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 \
    || echo "setup: could not install chromium (report screenshot tests will be skipped)" >&2
fi
exit 0
