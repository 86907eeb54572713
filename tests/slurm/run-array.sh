#!/usr/bin/env bash
# Runs a sweep as a Slurm job array on a throw-away single-node Slurm (munged, slurmctld, slurmd on localhost, all state
# in a temporary folder), merges the shards and checks that the result is byte-identical to a single-machine batch.
#
#   tests/slurm/run-array.sh [SCENARIO.yaml] [SHARDS]      (default: tests/slurm/overcommit-small.yaml, 3 shards)
#
# Needs Debian's packages: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge
# Exit 0 = passed, 1 = failed, 77 = skipped (packages missing; the reason is printed). The daemons are stopped by
# their saved PIDs on every exit path. See docs/cluster.md.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scenario="$(realpath "${1:-$root/tests/slurm/overcommit-small.yaml}")"
shards="${2:-3}"

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

for cmd in munged slurmctld slurmd sbatch squeue sinfo scontrol; do
  command -v "$cmd" >/dev/null || skip "$cmd is not installed (apt-get install slurmctld slurmd slurm-client munge)"
done

# Build the CLI once, then call the dll directly from the job script.
"$root/hvsim" --version >/dev/null || fail "hvsim does not build"
dll="$root/Cli/HvSim.Cli/bin/Release/net10.0/hvsim.dll"
dotnet_bin="$(command -v dotnet)"

D="$(mktemp -d /tmp/hvsim-slurm.XXXXXX)"
pids=()
cleanup() {
  # slurmd, then slurmctld, then munged; each by its own PID, and only if that PID is still the daemon we started.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    local name="${pids[$i]%%:*}" pid="${pids[$i]##*:}"
    if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ]; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
      [ -e "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null
    fi
  done
  rm -rf "$D"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

user="$(id -un)"
chmod 0755 "$D"   # munged refuses a socket below a folder that is not world-executable
mkdir -p "$D"/{etc,state,spool,log,run,munge,out}
chmod 0755 "$D/munge"
head -c 128 /dev/urandom > "$D/munge/munge.key"
chmod 0400 "$D/munge/munge.key"

munged -F --key-file="$D/munge/munge.key" --socket="$D/munge/munge.socket.2" \
  --pid-file="$D/munge/munged.pid" --seed-file="$D/munge/munge.seed" >"$D/log/munged.log" 2>&1 &
pids+=("munged:$!")
for _ in $(seq 100); do [ -S "$D/munge/munge.socket.2" ] && break; sleep 0.1; done
[ -S "$D/munge/munge.socket.2" ] || { cat "$D/log/munged.log"; fail "munged did not start"; }

# Ports of our own so that this test does not collide with another Slurm on the machine.
port=$((20000 + RANDOM % 20000))
export SLURM_CONF="$D/etc/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=hvsim-test
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket.2
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmdPidFile=$D/run/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmUser=$user
SlurmdUser=$user
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
ReturnToService=2
MailProg=/bin/true
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
NodeName=localhost NodeAddr=127.0.0.1 CPUs=4 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES State=UP
CONF

slurmctld -D -f "$SLURM_CONF" >"$D/log/slurmctld.out" 2>&1 &
pids+=("slurmctld:$!")
slurmd -D -N localhost -f "$SLURM_CONF" >"$D/log/slurmd.out" 2>&1 &
pids+=("slurmd:$!")

logs() { for f in "$D"/log/*; do echo "== $f"; tail -n 30 "$f"; done; }
ready=""
for _ in $(seq 300); do
  [ "$(sinfo -h -N -o %t 2>/dev/null)" = "idle" ] && { ready=1; break; }
  sleep 0.1
done
[ -n "$ready" ] || { logs; fail "Slurm did not become ready in 30 s"; }

# One array task per shard; each writes its own folder, as separate machines would.
cat > "$D/job.sh" <<JOB
#!/usr/bin/env bash
exec "$dotnet_bin" "$dll" batch "$scenario" --shard slurm --jobs 1 --out "$D/out/shard-\$SLURM_ARRAY_TASK_ID"
JOB
chmod +x "$D/job.sh"
job="$(sbatch --parsable --array=1-"$shards" -o "$D/log/task-%A_%a.out" "$D/job.sh")" || { logs; fail "sbatch failed"; }
echo "submitted job array $job ($shards tasks)"
for _ in $(seq 3000); do
  [ -z "$(squeue -h -j "$job" -t PD,R,CG,CF 2>/dev/null)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -j "$job" -t PD,R,CG,CF 2>/dev/null)" ] || { logs; fail "job array $job did not finish in 10 minutes"; }
states="$(scontrol -o show job "$job")"
done_ok="$(grep -c 'JobState=COMPLETED .*ExitCode=0:0' <<<"$states")"
if [ "$done_ok" -ne "$shards" ]; then
  echo "$states"; cat "$D"/log/task-*.out; fail "only $done_ok of $shards array tasks completed with exit code 0"
fi

dotnet "$dll" merge "$D"/out/shard-* --out "$D/out/merged" >"$D/log/merge.out" 2>&1 || { cat "$D/log/merge.out"; fail "hvsim merge failed"; }
dotnet "$dll" batch "$scenario" --jobs 2 --out "$D/out/single" >"$D/log/single.out" 2>&1 || { cat "$D/log/single.out"; fail "single-machine batch failed"; }

# Every results file but the wall-clock timings (timing.csv, runs/*/timing.json) and the plots must be byte-identical.
compared=0
for f in manifest.json runs.csv summary.csv host.csv timeseries.csv fault_latency.csv; do
  cmp -s "$D/out/single/$f" "$D/out/merged/$f" || fail "$f differs between the merged shards and the single-machine batch"
  compared=$((compared + 1))
done
diff -r -x timing.json "$D/out/single/runs" "$D/out/merged/runs" >/dev/null || fail "runs/ differs between the merged shards and the single-machine batch"
runs="$(($(wc -l <"$D/out/single/runs.csv") - 1))"
echo "PASS: $runs runs in a $shards-task Slurm job array, merged: byte-identical to the single-machine batch ($compared tables and $runs run folders)"
