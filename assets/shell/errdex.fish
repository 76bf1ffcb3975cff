# errdex shell integration for fish: add `errdex init fish | source` to ~/.config/fish/config.fish.
# __KEY_LABEL__ runs the last command again with its output (stdout and stderr) in errdex's browser.
function __errdex_last_command
    set -l last $history[1]
    test -n "$last"; or return 1
    printf '%s\n' $last
end

function __errdex_rerun
    # Never again from inside a rerun (a history whose newest entry is this very call).
    set -q __errdex_rerunning; and return 0
    set -l last (__errdex_last_command); or return 0
    string match -q '__errdex_rerun*' -- $last; and return 0
    set -g __errdex_rerunning 1
    eval $last 2>&1 | command errdex
    set -e __errdex_rerunning
    commandline -f repaint
end

if status is-interactive
    bind __KEY__ __errdex_rerun
end
