#!/usr/bin/env bash
# Commands timed in alternation, so that a machine whose speed drifts (this one's does, by a third within an
# evening) weighs on each of them alike:
#
#   scripts/interleave.sh ROUNDS PREPARE NAME=COMMAND...
#   scripts/interleave.sh 40 'rm -rf /tmp/c/errdex' \
#     "before=XDG_CACHE_HOME=/tmp/c exec /tmp/errdex-before lookup --no-default -c ../shared/corpus/deadends 'exec format error'" \
#     "after=XDG_CACHE_HOME=/tmp/c exec target/release/errdex lookup --no-default -c ../shared/corpus/deadends 'exec format error'"
#
# Each round runs every command once (in reverse order every other round), PREPARE (a shell command; `true`
# for none) before each run; then prints each command's median and quartiles in milliseconds. A figure
# includes starting `bash -c` (about a millisecond), the same for every command.
set -euo pipefail
rounds=$1 prepare=$2
shift 2
names=() cmds=()
for arg in "$@"; do
    names+=("${arg%%=*}")
    cmds+=("${arg#*=}")
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=${#cmds[@]}
for round in $(seq "$rounds"); do
    for k in $(seq 0 $((n - 1))); do
        i=$(( round % 2 == 0 ? n - 1 - k : k ))
        bash -c "$prepare"
        start=$(date +%s%N)
        bash -c "${cmds[$i]}" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        echo $(( (end - start) / 1000 )) >>"$work/$i"
    done
done
for i in $(seq 0 $((n - 1))); do
    sort -n "$work/$i" | awk -v name="${names[$i]}" '{ t[NR] = $1 / 1000 }
        END { printf "%-12s median %7.1f ms   quartiles %7.1f %7.1f ms   (%d runs)\n", name,
              t[int((NR + 1) / 2)], t[int((NR + 3) / 4)], t[int((3 * NR + 3) / 4)], NR }'
done
