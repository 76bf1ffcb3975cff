#!/usr/bin/env bash
# Whole-process time from starting the browser to the first frame that shows the list, in a real terminal
# (tmux): `scripts/first-frame.sh RUNS TEXT ERRDEX [ARGS...]` prints each run's seconds and the median. TEXT is
# what the first frame with the list shows (e.g. "/1000000" for the count of a million records). Polls the
# screen every 5 ms, so a figure includes up to 5 ms of polling and tmux's own start (about 10 ms: measure a
# tiny catalogue to see it). tmux does not pass the caller's environment on: give variables with `env VAR=...`.
set -euo pipefail
runs=$1 text=$2
shift 2
cmd=$(printf '%q ' "$@")
times=()
for _ in $(seq "$runs"); do
    tmux kill-session -t errdex-ff 2>/dev/null || true
    start=$(date +%s%N)
    tmux new-session -d -s errdex-ff -x 160 -y 45 "$cmd"
    until tmux capture-pane -p -t errdex-ff 2>/dev/null | grep -qF -- "$text"; do sleep 0.005; done
    end=$(date +%s%N)
    tmux kill-session -t errdex-ff
    times+=("$(( (end - start) / 1000000 ))")
    sleep 0.2
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "runs (ms): ${times[*]}"
echo "median: $(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p") ms"
