//! `errdex init bash|zsh|fish`: the shell code to `eval` at start-up, which binds a key (Alt-E unless the
//! config's `shell_key` or `--key` says otherwise) to run the last command again into errdex's browser, the
//! way fzf and atuin bind theirs. The snippets live in `assets/shell/`, with the key filled in here.

use super::exit;
use crate::cli::Shell;
use crate::config::ShellKey;
use std::io::Write;

const BASH: &str = include_str!("../../assets/shell/errdex.bash");
const ZSH: &str = include_str!("../../assets/shell/errdex.zsh");
const FISH: &str = include_str!("../../assets/shell/errdex.fish");

/// The snippet for `shell`, binding `key`.
pub fn snippet(shell: Shell, key: ShellKey) -> String {
    let letter = key.letter;
    let (text, notation) = match (shell, key.ctrl) {
        (Shell::Bash, false) => (BASH, format!("\\e{letter}")),
        (Shell::Bash, true) => (BASH, format!("\\C-{letter}")),
        (Shell::Zsh, false) => (ZSH, format!("^[{letter}")),
        (Shell::Zsh, true) => (ZSH, format!("^{}", letter.to_ascii_uppercase())),
        (Shell::Fish, false) => (FISH, format!("\\e{letter}")),
        (Shell::Fish, true) => (FISH, format!("\\c{letter}")),
    };
    let label = if key.ctrl {
        format!("Ctrl-{}", letter.to_ascii_uppercase())
    } else {
        format!("Alt-{}", letter.to_ascii_uppercase())
    };
    text.replace("__KEY_LABEL__", &label)
        .replace("__KEY__", &notation)
}

pub fn run(
    shell: Shell,
    key: Option<&str>,
    configured: Option<ShellKey>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let key = match key {
        Some(k) => match ShellKey::parse(k) {
            Some(k) => k,
            None => {
                writeln!(
                    err,
                    "errdex: --key {}: expected alt-LETTER or ctrl-LETTER",
                    crate::text::sanitize_line(k)
                )?;
                return Ok(exit::USAGE);
            }
        },
        None => configured.unwrap_or_default(),
    };
    write!(out, "{}", snippet(shell, key))?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_in_each_shells_notation() {
        let alt_e = ShellKey::default();
        let ctrl_g = ShellKey::parse("ctrl-g").expect("key");
        assert!(snippet(Shell::Bash, alt_e).contains(r#"bind -x '"\ee": __errdex_rerun'"#));
        assert!(snippet(Shell::Bash, ctrl_g).contains(r#"bind -x '"\C-g": __errdex_rerun'"#));
        assert!(snippet(Shell::Zsh, alt_e).contains("bindkey '^[e' __errdex_rerun"));
        assert!(snippet(Shell::Zsh, ctrl_g).contains("bindkey '^G' __errdex_rerun"));
        assert!(snippet(Shell::Fish, alt_e).contains(r"bind \ee __errdex_rerun"));
        assert!(snippet(Shell::Fish, ctrl_g).contains(r"bind \cg __errdex_rerun"));
        assert!(snippet(Shell::Bash, alt_e).contains("# Alt-E runs the last command"));
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            assert!(!snippet(shell, alt_e).contains("__KEY"));
        }
    }
}
