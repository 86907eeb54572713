#!/usr/bin/env bash
# Builds the validation's native programs (workload, kvm-guest) into validation/bin with the system gcc; as root with
# apt-get, installs gcc first when it is missing (quietly, after apt-get update). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v gcc >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev) >/dev/null 2>&1 \
      || { echo "validation/build.sh: could not install gcc with apt-get" >&2; exit 1; }
  else
    echo "validation/build.sh: gcc is missing (as root with apt-get this script installs it)" >&2; exit 1
  fi
fi
mkdir -p "$here/bin"
for prog in workload kvm-guest; do
  # Rebuilt when the program or a header it includes is newer than its binary.
  if [ ! -x "$here/bin/$prog" ] || [ -n "$(find "$here/$prog.c" "$here/host.h" "$here/stream.h" -newer "$here/bin/$prog" -print -quit)" ]; then
    gcc -O2 -Wall -Wextra -Werror -o "$here/bin/$prog" "$here/$prog.c" -lm
  fi
done
