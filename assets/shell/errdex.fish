# errdex shell integration for fish: add `errdex init fish | source` to ~/.config/fish/config.fish.
# __KEY_LABEL__ runs the last command again with its output (stdout and stderr) in errdex's browser.
function __errdex_last_command
    set -l last $history[1]
    test -n "$last"; or return 1
    printf '%s\n' $last
end

function __errdex_rerun
    set -l last (__errdex_last_command); or return 0
    eval $last 2>&1 | command errdex
    commandline -f repaint
end

if status is-interactive
    bind __KEY__ __errdex_rerun
end
