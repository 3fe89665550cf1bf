#!/bin/bash
# Single-node SLURM test of `ppl campaign`: starts munge and a private SLURM cluster (controller + one node, its own
# ports, config and state under a temporary folder), submits the generated job array and its dependent merge job for a
# small model, waits for them, and checks that the merged archive equals the single-process run byte for byte.
# Needs root and Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge). Stops the daemons it started.
#
#   bench/Slurm/run.sh [SIMS] [SHARDS]        (default 20000 simulations of gaussian_linear in 8 shards)
#
# Prints timings; exit 0 when the archives are identical.
set -euo pipefail
SIMS=${1:-20000}
SHARDS=${2:-8}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/ppl-slurm.XXXXXX)
HOST=$(hostname -s)
CPUS=$(nproc)
PIDS=()

for tool in slurmctld slurmd sbatch munged; do
    command -v $tool >/dev/null || { echo "missing $tool: apt-get install -y slurm-wlm munge" >&2; exit 2; }
done

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

echo "== build"
dotnet build "$REPO/src/Cli" -c Release 2>&1 | tail -1
PPL_DLL="$REPO/src/Cli/bin/Release/net10.0/ppl.dll"
export PPL="dotnet $PPL_DLL --threads 1"

echo "== munge and SLURM in $WORK"
mkdir -p "$WORK/munge" "$WORK/state" "$WORK/spool" "$WORK/campaign"
cp /etc/munge/munge.key "$WORK/munge/munge.key"
chmod 600 "$WORK/munge/munge.key"
munged --force --key-file="$WORK/munge/munge.key" --socket="$WORK/munge/munge.socket" \
    --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed"
sleep 1
PIDS+=("$(cat "$WORK/munge/munged.pid")")

cat > "$WORK/slurm.conf" <<CONF
ClusterName=ppltest
SlurmctldHost=$HOST
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$WORK/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmdSpoolDir=$WORK/spool
StateSaveLocation=$WORK/state
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -i
slurmd
sleep 2
PIDS+=("$(cat "$WORK/slurmctld.pid")" "$(cat "$WORK/slurmd.pid")")
for i in $(seq 1 30); do
    sinfo -h -o "%T" 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo

MODEL="$REPO/examples/gaussian_linear.ppl"
echo "== campaign: $SIMS simulations in $SHARDS shards"
$PPL campaign "$MODEL" --sims "$SIMS" --shards "$SHARDS" --seed 7 --score --slurm --partition debug --time 00:20:00 \
    --cpus-per-task 1 -o "$WORK/campaign"
start=$(date +%s.%N)
read -r ARRAY MERGE < <("$WORK/campaign/submit.sh")
echo "submitted array $ARRAY, merge $MERGE"
while squeue -h -j "$ARRAY,$MERGE" 2>/dev/null | grep -q .; do sleep 1; done
end=$(date +%s.%N)
state=$(scontrol show job "$MERGE" 2>/dev/null | grep -o "JobState=[A-Z]*" || echo "JobState=unknown (job purged)")
echo "array and merge finished in $(echo "$end - $start" | bc) s; merge $state"
for log in "$WORK"/campaign/logs/*.out; do echo "$(basename "$log"): $(grep -h -E "^(wrote|merged|shard)" "$log")"; done

echo "== single process"
s0=$(date +%s.%N)
(cd "$WORK/campaign" && $PPL simulate model.ppl -n "$SIMS" --seed 7 --chunk "$(grep -o -- '--chunk [0-9]*' simulate.sbatch | head -1 | cut -d' ' -f2)" --score -o "$WORK/single.npz")
s1=$(date +%s.%N)
echo "single process: $(echo "$s1 - $s0" | bc) s"
sha256sum "$WORK/campaign/sims.npz" "$WORK/single.npz"
if cmp "$WORK/campaign/sims.npz" "$WORK/single.npz"; then
    echo "IDENTICAL: the merged SLURM campaign equals the single-process run byte for byte"
    rm -rf "$WORK"
else
    echo "DIFFERENT (kept $WORK)" >&2
    exit 1
fi
