# errdex shell integration for zsh: add `eval "$(errdex init zsh)"` to ~/.zshrc.
# __KEY_LABEL__ runs the last command again with its output (stdout and stderr) in errdex's browser.
__errdex_last_command() {
  local last
  last=$(builtin fc -ln -1 2>/dev/null) || return 1
  [[ -n $last ]] || return 1
  print -r -- "$last"
}

__errdex_rerun() {
  # Never again from inside a rerun (a history whose newest entry is this very call).
  [[ -z ${__errdex_rerunning-} ]] || return 0
  local __errdex_rerunning=1 last
  last=$(__errdex_last_command) || return 0
  [[ $last != __errdex_rerun* ]] || return 0
  zle -I
  eval "$last" 2>&1 | command errdex
  zle reset-prompt
}

if [[ -o interactive ]]; then
  zle -N __errdex_rerun
  bindkey '__KEY__' __errdex_rerun
fi
