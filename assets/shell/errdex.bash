# errdex shell integration for bash: add `eval "$(errdex init bash)"` to ~/.bashrc.
# __KEY_LABEL__ runs the last command again with its output (stdout and stderr) in errdex's browser.
# The newest history entry: inside a key binding that is the last command run (`fc -ln -1` would skip it,
# taking itself for the newest).
__errdex_last_command() {
  local last
  last=$(HISTTIMEFORMAT='' builtin history 1) || return 1
  [[ $last =~ ^[[:space:]]*[0-9]+\*?[[:space:]]*(.*)$ ]] || return 1
  last=${BASH_REMATCH[1]}
  [[ -n $last ]] || return 1
  printf '%s\n' "$last"
}

__errdex_rerun() {
  # Never again from inside a rerun (a history whose newest entry is this very call).
  [[ -z ${__errdex_rerunning-} ]] || return 0
  local __errdex_rerunning=1 last
  last=$(__errdex_last_command) || return 0
  [[ $last != __errdex_rerun* ]] || return 0
  eval "$last" 2>&1 | command errdex
}

if [[ $- == *i* ]]; then
  bind -x '"__KEY__": __errdex_rerun'
fi
