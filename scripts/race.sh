#!/usr/bin/env bash
# errdex against the tools people would otherwise use, in one run, printing ratios.
#
#   scripts/race.sh                 # 100,000 and 1,000,000 records
#   SIZES="100000" scripts/race.sh  # just one size
#   DEADENDS_DIR=/path/to/deadends.dev scripts/race.sh   # also race deadends.dev's Python lookup
#   BASE=/path/to/older/errdex scripts/race.sh           # also time another build side by side (A/B)
#
# Races: `errdex search` (through the persistent index, and scanning the files with --no-cache) against
# `fzf --filter` at each size, in shards and (from 1,000,000) in one JSONL file; `errdex lookup` on the deadends corpus (../shared/corpus/deadends) with a cold index (cleared before
# every run) and a warm one, and without one (--no-cache); `errdex lookup` on the embedded catalogue alone;
# `errdex lookup` at each size through the warm index (one file from 1,000,000), three messages; the
# browser's first frame with the list at each size (with tmux).
# The persistent index lives in a temporary XDG_CACHE_HOME, never in your home.
#
# Needs: fzf and hyperfine (Debian packages: apt-get install fzf hyperfine), tmux for the browser's row, a
# release build of errdex (built here). The deadends.dev checkout is never part of this repository; point DEADENDS_DIR at one.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in fzf hyperfine; do
  command -v "$tool" >/dev/null || { echo "race.sh: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done
cargo build --release --quiet
errdex=target/release/errdex
work=${WORK:-$(mktemp -d)}
export XDG_CACHE_HOME="$work/cache"
base=${BASE:-}
sizes=${SIZES:-"100000 1000000"}
queries=("connection" "module named" "conection refused" "zzqxv")   # one word, two words, a typo, no hit
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mean() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); fzf $(fzf --version | cut -d' ' -f1)"
for n in $sizes; do
  dir="$work/synth-$n"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    # Records with only id, signature, regex and domain, in shards of 200,000 lines.
    $errdex synth "$n" --minimal | split -l 200000 --additional-suffix=.jsonl - "$dir/shard-"
  fi
  one="$work/one-$n.jsonl"   # the same records in one file
  [ -f "$one" ] || cat "$dir"/*.jsonl > "$one"
  sigs="$work/signatures-$n.txt"
  [ -f "$sigs" ] || cat "$dir"/*.jsonl | python3 -c 'import json,sys
for line in sys.stdin: print(json.loads(line)["signature"])' > "$sigs"
  # The persistent index, built once by a command that loads the catalogue (a search reads an index but
  # never writes one). It leaves out files changed within 2 s of its writing, so fresh ones wait that long.
  sleep 3
  $errdex --no-default -c "$dir" lookup "warm the index" > /dev/null 2>&1 || true
  [ "$n" -ge 1000000 ] && { $errdex --no-default -c "$one" lookup "warm the index" > /dev/null 2>&1 || true; }
  for q in "${queries[@]}"; do
    hyperfine --warmup 2 --runs 10 --export-json "$work/f.json" \
      "fzf --filter '$q' < $sigs | head -20 > /dev/null" >/dev/null 2>&1 || true
    f=$(mean "$work/f.json")
    targets=("$dir")
    [ "$n" -ge 1000000 ] && targets+=("$one")
    for target in "${targets[@]}"; do
      where=$([ "$target" = "$one" ] && echo "one file" || echo "shards")
      for cache in "" "--no-cache"; do
        hyperfine -i --warmup 1 --runs 10 --export-json "$work/e.json" \
          "$errdex search $cache --no-default -c $target --limit 20 '$q' > /dev/null" >/dev/null 2>&1 || true
        e=$(mean "$work/e.json")
        printf '%8d records  %-22s %-8s %-11s errdex %7.1f ms   fzf %7.1f ms   errdex/fzf %sx\n' \
          "$n" "\"$q\"" "$where" "${cache:-index}" "$(awk -v x="$e" 'BEGIN{print x*1000}')" \
          "$(awk -v x="$f" 'BEGIN{print x*1000}')" "$(ratio "$e" "$f")"
      done
    done
  done
  # Lookups at this size, through the warm index (one file from 1,000,000, else the shards): a message with
  # a regex hit, one of common words, one nothing matches. Each message is read from a file (standard input).
  target=$([ "$n" -ge 1000000 ] && echo "$one" || echo "$dir")
  printf '%s\n' "ModuleNotFoundError: No module named 'flask'" > "$work/m1.txt"
  printf '%s\n' "error: pathspec 'hibernate/loader' did not match any file(s) known to git" > "$work/m2.txt"
  printf '%s\n' "zzqxv" > "$work/m3.txt"
  for m in m1 m2 m3; do
    hyperfine -i --warmup 1 --runs 10 --export-json "$work/e.json" \
      "$errdex --no-default -c $target lookup - < $work/$m.txt > /dev/null" >/dev/null 2>&1 || true
    printf '%8d records  lookup %-76s errdex %7.1f ms\n' "$n" "\"$(cat "$work/$m.txt")\"" \
      "$(awk -v x="$(mean "$work/e.json")" 'BEGIN{print x*1000}')"
  done
  # The browser's first frame with the list, whole process in tmux (scripts/first-frame.sh: the median of 5,
  # tmux's own start included), through the warm index; with BASE, that build on an index of its own.
  if command -v tmux >/dev/null; then
    ours=$(scripts/first-frame.sh 5 "/$n" env XDG_CACHE_HOME="$XDG_CACHE_HOME" "$errdex" --no-default -c "$target" \
      | sed -n 's/^median: //p')
    if [ -n "$base" ]; then
      XDG_CACHE_HOME="$work/base-cache" "$base" --no-default -c "$target" lookup "warm the index" > /dev/null 2>&1 || true
      theirs=$(scripts/first-frame.sh 5 "/$n" env XDG_CACHE_HOME="$work/base-cache" "$base" --no-default -c "$target" \
        | sed -n 's/^median: //p')
      printf '%8d records  browser, first frame with the list     errdex %s   base %s\n' "$n" "$ours" "$theirs"
    else
      printf '%8d records  browser, first frame with the list     errdex %s\n' "$n" "$ours"
    fi
  fi
done

ms() { awk -v x="$(mean "$1")" 'BEGIN{printf "%.1f", x*1000}'; }
msg="ModuleNotFoundError: No module named 'flask'"
corpus=../shared/corpus/deadends
# One lookup race: `label` then the arguments before `lookup`; with BASE, the other build side by side.
lookup_race() {
  local label=$1 prepare=$2; shift 2
  hyperfine --warmup 2 --runs 20 --prepare "$prepare" --export-json "$work/l.json" \
    "$errdex $* lookup \"$msg\" > /dev/null" >/dev/null 2>&1 || true
  local ours; ours=$(mean "$work/l.json")
  if [ -n "$base" ]; then
    # The other build keeps its index apart (its format may differ), and is prepared the same way.
    XDG_CACHE_HOME="$work/base-cache" hyperfine --warmup 2 --runs 20 --prepare "${prepare//$errdex/$base}" \
      --export-json "$work/b.json" "$base $* lookup \"$msg\" > /dev/null" >/dev/null 2>&1 || true
    local theirs; theirs=$(mean "$work/b.json")
    printf '%-40s errdex %7.1f ms   base %7.1f ms   base/errdex %sx\n' "$label" \
      "$(awk -v x="$ours" 'BEGIN{print x*1000}')" "$(awk -v x="$theirs" 'BEGIN{print x*1000}')" "$(ratio "$theirs" "$ours")"
  else
    printf '%-40s errdex %7.1f ms\n' "$label" "$(awk -v x="$ours" 'BEGIN{print x*1000}')"
  fi
}
lookup_race "lookup, embedded catalogue" "true"
if [ -d "$corpus" ]; then
  lookup_race "lookup, embedded + corpus, warm index" "true" -c "$corpus"
  lookup_race "lookup, deadends corpus, no index" "true" --no-cache --no-default -c "$corpus"
  lookup_race "lookup, deadends corpus, cold index" "$errdex cache clear" --no-default -c "$corpus"
  lookup_race "lookup, deadends corpus, warm index" "true" --no-default -c "$corpus"
fi

if [ -n "${DEADENDS_DIR:-}" ]; then
  echo "deadends.dev lookup (Python) against errdex lookup, same corpus and messages:"
  corpus=../shared/corpus/deadends
  python3 - "$DEADENDS_DIR" "$corpus" "$errdex" <<'PY'
import json, subprocess, sys, time, importlib.util, pathlib
dd, corpus, errdex = sys.argv[1:4]
scen = json.load(open(pathlib.Path(corpus).parent.parent / "scenarios" / "deadends-public-20.json"))
msgs = [s["error_message"] for s in scen]
sys.path.insert(0, dd)
try:
    from generator.lookup import lookup  # deadends.dev's own entry point, if the checkout has it
except Exception as e:
    print(f"  could not import deadends.dev's lookup from {dd}: {e}"); sys.exit(0)
t = time.perf_counter()
for _ in range(10):
    for m in msgs: lookup(m)
py = (time.perf_counter() - t) / (10 * len(msgs))
out = subprocess.run([errdex, "--no-default", "-c", corpus, "bench-lookup"], input="\n".join(msgs), capture_output=True, text=True)
print(f"  deadends.dev per message: {py*1e3:.3f} ms;", out.stdout.strip() or out.stderr.strip())
try:
    ours = float(out.stdout.split(":")[1].split("ms")[0])
    print(f"  ratio: errdex is {py*1e3/ours:.0f}x faster")
except Exception:
    pass
PY
fi
