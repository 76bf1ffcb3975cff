# errdex shell integration for bash: add `eval "$(errdex init bash)"` to ~/.bashrc.
# __KEY_LABEL__ runs the last command again with its output (stdout and stderr) in errdex's browser.
__errdex_last_command() {
  local last
  last=$(HISTTIMEFORMAT='' builtin fc -ln -1 2>/dev/null) || return 1
  last="${last#"${last%%[![:space:]]*}"}"
  [[ -n $last ]] || return 1
  printf '%s\n' "$last"
}

__errdex_rerun() {
  local last
  last=$(__errdex_last_command) || return 0
  eval "$last" 2>&1 | command errdex
}

if [[ $- == *i* ]]; then
  bind -x '"__KEY__": __errdex_rerun'
fi
