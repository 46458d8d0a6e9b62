#!/usr/bin/env bash
# Submits a Chemins sweep to Slurm: N shard tasks (sweep.sbatch as a job array),
# then the merge and the site (merge.sbatch), which starts once every task has
# ended. Run it from anywhere. Options after N go to the shards' sbatch (a GPU
# partition, more memory); SBATCH_ACCOUNT, SBATCH_PARTITION and the like in the
# environment apply to both jobs.
#
#   scripts/slurm/submit.sh [N=4] [sbatch options for the shards…]   e.g. submit.sh 8 --partition=gpu --gres=gpu:1
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-4}
[ $# -gt 0 ] && shift
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "submit: the number of shards must be a whole number of at least 1 (got \"$n\")" >&2; exit 2; }
array=$(sbatch --parsable --array="1-$n" --export="ALL,CHEMINS_SHARDS=$n" "$@" scripts/slurm/sweep.sbatch)
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterany:$array" --export="ALL,CHEMINS_SHARDS=$n" scripts/slurm/merge.sbatch)
echo "submit: $n shards as job array $array, then the merge and the site as job ${merge%%;*} (squeue -u \"\$USER\" shows them)"
