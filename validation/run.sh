#!/usr/bin/env bash
# The real-kernel experiment of docs/validation.md: one swap file, one fresh memory cgroup per point (limit = ratio x
# footprint + headroom), the workload (and, with --kvm, the same stream in a KVM guest) in it, one CSV row per run.
# Everything it makes (swap file, cgroups, processes) is removed on exit, failure or interrupt included.
#   validation/run.sh --out real.csv [--mib 64] [--ratios 1,0.75,0.5,0.375,0.25]
#       [--patterns uniform,zipf:0.9,hotcold:0.25:0.9] [--turnovers 0,4] [--accesses 65536] [--seed 1] [--store 0.3]
#       [--swap-dir /var/tmp] [--headroom-kib 1024] [--attempts 6] [--kvm]
# A pattern is uniform, zipf:ALPHA or hotcold:HOT_PAGE_FRACTION:HOT_ACCESS_FRACTION. A warm-up of T turnovers runs
# until T x (limit pages) faults were taken (at most 64 x the footprint's pages in accesses); 0 = measure right after
# the first write of every page (the start-up transient).
# Exit codes: 0 ok, 1 a run failed, 2 bad usage, 3 this machine cannot run it (the reason on stderr).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="" mib=64 ratios="1,0.75,0.5,0.375,0.25" patterns="uniform,zipf:0.9,hotcold:0.25:0.9" turnovers="0,4"
accesses=65536 seed=1 store=0.3 swapdir=/var/tmp kvm=0 headroom=1024 attempts=6
usage() { echo "validation/run.sh: $1" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --mib) mib="$2"; shift 2 ;;
    --ratios) ratios="$2"; shift 2 ;;
    --patterns) patterns="$2"; shift 2 ;;
    --turnovers) turnovers="$2"; shift 2 ;;
    --accesses) accesses="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --store) store="$2"; shift 2 ;;
    --swap-dir) swapdir="$2"; shift 2 ;;
    --headroom-kib) headroom="$2"; shift 2 ;;
    --attempts) attempts="$2"; shift 2 ;;
    --kvm) kvm=1; shift ;;
    *) usage "unknown option '$1' (allowed: --out --mib --ratios --patterns --turnovers --accesses --seed --store --swap-dir --headroom-kib --attempts --kvm)" ;;
  esac
done
[ -n "$out" ] || usage "--out FILE.csv is required"
[[ "$mib" =~ ^[0-9]+$ && "$mib" -ge 4 && "$mib" -le 1024 ]] || usage "--mib must be an integer from 4 to 1024, got '$mib'"
[[ "$attempts" =~ ^[0-9]+$ && "$attempts" -ge 1 && "$attempts" -le 20 ]] || usage "--attempts must be an integer from 1 to 20, got '$attempts'"
unusable() { echo "validation/run.sh: cannot run here: $1" >&2; exit 3; }

# What the machine must offer. `--check` callers (the tests) use the same reasons.
[ "$(id -u)" = 0 ] || unusable "needs root (swapon, memory cgroups)"
if [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then cgv=1 cgroot=/sys/fs/cgroup/memory
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then cgv=2 cgroot=/sys/fs/cgroup
elif grep -qw memory /sys/fs/cgroup/unified/cgroup.subtree_control 2>/dev/null; then cgv=2 cgroot=/sys/fs/cgroup/unified
else unusable "no memory cgroup (v1 /sys/fs/cgroup/memory, or v2 with the memory controller enabled)"; fi
command -v swapon >/dev/null && command -v mkswap >/dev/null || unusable "swapon/mkswap missing (util-linux)"
"$here/build.sh" || unusable "validation/build.sh could not build the workload"

tag="hvsim-validation-$$"
swapfile="$swapdir/$tag.swap"
cgroups=() child=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e # every step is attempted, whatever the previous one returned
  [ -n "$child" ] && kill -9 "$child" 2>/dev/null && wait "$child" 2>/dev/null
  for cg in "${cgroups[@]}"; do [ -d "$cg" ] && { rmdir "$cg" 2>/dev/null || { sleep 1; rmdir "$cg" 2>/dev/null; } || echo "run.sh: could not remove $cg" >&2; }; done
  if [ -f "$swapfile" ]; then swapoff "$swapfile" 2>/dev/null || true; rm -f "$swapfile"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The swap file: the footprint plus room, highest priority so pages go to it rather than to any other swap.
swap_mib=$((mib + 64))
fallocate -l "${swap_mib}M" "$swapfile" 2>/dev/null || dd if=/dev/zero of="$swapfile" bs=1M count="$swap_mib" status=none
chmod 600 "$swapfile"
mkswap -q "$swapfile" >/dev/null
swapon --priority 32767 "$swapfile" || unusable "swapon $swapfile failed (file system without swap file support?)"

kernel="$(uname -r)" page_cluster="$(cat /proc/sys/vm/page-cluster)" swappiness="$(cat /proc/sys/vm/swappiness)"
swap_dev="$(df --output=source "$swapdir" | tail -n 1)"
# queue/rotational of the disk under the swap file (a partition's flag is its disk's): 6.x swaps in with the VMA
# readahead only while no swap device is rotational, else with the slot-cluster readahead (swap_use_vma_readahead).
swap_rotational=""
if [ -e "/sys/class/block/$(basename "$swap_dev")" ]; then
  sysdev="$(readlink -f "/sys/class/block/$(basename "$swap_dev")")"
  for f in "$sysdev/queue/rotational" "$sysdev/../queue/rotational"; do [ -f "$f" ] && { swap_rotational="$(cat "$f")"; break; }; done
fi
columns=(runner pattern alpha hot_pages hot_accesses mib pages ratio limit_bytes headroom_bytes turnovers warmup_accesses accesses seed store
  maj_faults min_faults stall_ns wall_ns stime_ns utime_ns resident_start resident_end memcg_base_bytes
  write_ns write_maj_faults write_min_faults write_stime_ns warmup_ns warmup_maj_faults warmup_min_faults
  vmstat_pswpin vmstat_pswpout vmstat_pgmajfault vmstat_workingset_refault_anon vmstat_workingset_activate_anon
  vmstat_workingset_restore_anon vmstat_swap_ra vmstat_swap_ra_hit vmstat_pgscan_direct vmstat_pgscan_kswapd
  vmstat_pgsteal_direct vmstat_pgsteal_kswapd vmstat_pgscan_anon vmstat_pgsteal_anon vmstat_pgactivate vmstat_pgdeactivate
  vmstat_pgrefill vmstat_pgrotated
  memcg_pgmajfault memcg_pgfault memcg_pgpgin memcg_pgpgout memcg_workingset_refault_anon memcg_rss memcg_swap
  memcg_swapcached memcg_active_anon memcg_inactive_anon memcg_anon memcg_pswpin memcg_pswpout
  hist_major hist_minor kernel page_cluster swappiness swap_device swap_rotational exit_code attempt)
mkdir -p "$(dirname "$out")"
(IFS=,; echo "${columns[*]}") > "$out"

point=0 failed=0
run_once() { # runner pattern-spec ratio turnovers attempt
  local runner="$1" spec="$2" ratio="$3" turns="$4" attempt="$5"
  local kind alpha="" hotp="" hota="" args=()
  IFS=: read -r kind a b <<<"$spec"
  case "$kind" in
    uniform) args=(--pattern uniform) ;;
    zipf) alpha="${a:?zipf needs :ALPHA}"; args=(--pattern zipf --alpha "$alpha") ;;
    hotcold) hotp="${a:?hotcold needs :HOT_PAGES:HOT_ACCESSES}"; hota="${b:?hotcold needs :HOT_PAGES:HOT_ACCESSES}"; args=(--pattern hotcold --hot-pages "$hotp" --hot-accesses "$hota") ;;
    *) usage "pattern '$spec' (allowed: uniform, zipf:ALPHA, hotcold:HOT_PAGES:HOT_ACCESSES)" ;;
  esac
  local pages=$((mib * 256))
  # The limit: ratio x the region, plus the headroom for the process's own pages (binary, stack, stream tables,
  # page tables; memcg_base_bytes in the CSV is what the cgroup held before the region was mapped), so that
  # ratio 1 means that everything fits.
  local limit; limit=$(awk -v r="$ratio" -v m="$mib" -v h="$headroom" 'BEGIN { printf "%d", int(r * m * 256) * 4096 + h * 1024 }')
  local wfaults=$(awk -v t="$turns" -v l="$limit" 'BEGIN { printf "%d", t * l / 4096 }')
  local cg="$cgroot/$tag-$point"; point=$((point + 1))
  mkdir "$cg"; cgroups+=("$cg")
  if [ "$cgv" = 1 ]; then echo "$limit" > "$cg/memory.limit_in_bytes"; else echo "$limit" > "$cg/memory.max"; fi
  local prog="$here/bin/workload"; [ "$runner" = kvm ] && prog="$here/bin/kvm-guest"
  local tmp; tmp="$(mktemp)"
  local rc=0
  # The KVM guest warms up for exactly as many accesses as the plain process of the same point did.
  local warm=(--warmup $((turns == 0 ? 0 : 64 * pages)) --warmup-faults "$wfaults")
  [ "$runner" = kvm ] && warm=(--warmup "${last_warmup:-0}" --warmup-faults 0)
  bash -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' _ "$cg" "$prog" --mib "$mib" "${args[@]}" \
    "${warm[@]}" --accesses "$accesses" --seed "$seed" --store "$store" > "$tmp" & child=$!
  wait "$child" || rc=$?
  child=""
  declare -A v=([runner]="$runner" [pattern]="$kind" [alpha]="$alpha" [hot_pages]="$hotp" [hot_accesses]="$hota" [mib]="$mib"
    [ratio]="$ratio" [limit_bytes]="$limit" [headroom_bytes]=$((headroom * 1024)) [turnovers]="$turns" [seed]="$seed" [store]="$store" [kernel]="$kernel"
    [page_cluster]="$page_cluster" [swappiness]="$swappiness" [swap_device]="$swap_dev" [swap_rotational]="$swap_rotational" [exit_code]="$rc" [attempt]="$attempt")
  while IFS='=' read -r k val; do [ -n "$k" ] && [ -z "${v[$k]+x}" ] && v[$k]="$val"; done < "$tmp"
  rm -f "$tmp"
  [ "$runner" = process ] && last_warmup="${v[warmup_accesses]:-0}"
  local row=() c
  for c in "${columns[@]}"; do row+=("${v[$c]:-}"); done
  (IFS=,; echo "${row[*]}") >> "$out"
  rmdir "$cg" 2>/dev/null || { sleep 1; rmdir "$cg"; }
  echo "run.sh: $runner $spec ratio=$ratio turnovers=$turns: maj=${v[maj_faults]:-?} min=${v[min_faults]:-?} of ${v[accesses]:-?} accesses (exit $rc)" >&2
  return "$rc"
}

# A point the memory cgroup's OOM killer ended (SIGKILL, 137) is run again in a fresh cgroup, up to --attempts times in
# all; every row stays in the CSV (column attempt), the comparison uses completed ones. At small limits 6.x memcg
# reclaim gives up after MAX_RECLAIM_RETRIES (mm/memcontrol.c try_charge_memcg) while the cgroup is full of swap-cache
# folios charged by swap-in readahead: on this machine kind a 16 MiB limit is OOM-killed in about half its runs, with
# runs of failures in a row, so one retry is not enough. The pause lets the killed run's swap I/O drain first.
run_point() { # runner pattern-spec ratio turnovers
  local rc=0 attempt=1
  run_once "$@" "$attempt" || rc=$?
  while [ "$rc" = 137 ] && [ "$attempt" -lt "$attempts" ]; do
    attempt=$((attempt + 1)); rc=0; sleep 1
    run_once "$@" "$attempt" || rc=$?
  done
  [ "$rc" = 0 ] || { failed=1; echo "run.sh: $1 $2 ratio $3 turnovers $4 failed after $attempt attempts (exit $rc)" >&2; }
}

runners=(process)
if [ "$kvm" = 1 ]; then
  if reason="$("$here/bin/kvm-guest" --check 2>&1)"; then runners+=(kvm); else echo "run.sh: KVM guest skipped: $reason" >&2; fi
fi
IFS=, read -ra pattern_list <<<"$patterns"
IFS=, read -ra ratio_list <<<"$ratios"
IFS=, read -ra turn_list <<<"$turnovers"
for spec in "${pattern_list[@]}"; do
  for turns in "${turn_list[@]}"; do
    for ratio in "${ratio_list[@]}"; do
      for runner in "${runners[@]}"; do run_point "$runner" "$spec" "$ratio" "$turns"; done
    done
  done
done
exit "$failed"
