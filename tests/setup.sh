#!/usr/bin/env bash
# Machine setup the tests need, done by the project itself (idempotent; quiet when already done).
set -uo pipefail
# Slurm job-array test (tests/slurm/run-array.sh): Debian's single-node Slurm. Optional: when it cannot be installed the
# test reports skipped with the reason; it never fails the setup.
if ! command -v slurmctld >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge) >/dev/null 2>&1 \
    || echo "setup: could not install slurmctld slurmd slurm-client munge; the Slurm test will be skipped" >&2
fi
# Plots need no system font (Analysis/HvSim.Analysis/Fonts is bundled and registered with ScottPlot by PlotFonts).
# The report check screenshots report.html in headless Chromium, which renders HTML text with system fonts only, so
# it gets DejaVu Sans (the report's font-family) with it. On its own so a failure here never blocks the steps above
# (tests that need it report skipped).
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
    || echo "setup: could not install ${need[*]} (report screenshot tests will be skipped)" >&2
fi
# The real-kernel validation (validation/, tests/HvSim.Cli.Tests/RealKernelValidationTests.cs) builds its workload
# with gcc. Optional: without it that test reports skipped with the reason.
if ! command -v gcc >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev) >/dev/null 2>&1 \
    || echo "setup: could not install gcc libc6-dev (the real-kernel validation test will be skipped)" >&2
fi
exit 0
