//! `errdex completions SHELL`: a completion script generated from the command line's own definition, so it
//! never drifts from it. In bash, zsh and fish, `errdex show <Tab>` also completes record ids, asked of
//! `errdex ids` at the Tab (a list in the script would go stale after `errdex sync`).

use super::exit;
use std::io::Write;

pub fn run(shell: clap_complete::Shell, out: &mut impl Write) -> std::io::Result<u8> {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    if shell == clap_complete::Shell::Zsh {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command, "errdex", &mut script);
        out.write_all(zsh_with_ids(&String::from_utf8_lossy(&script)).as_bytes())?;
        return Ok(exit::OK);
    }
    clap_complete::generate(shell, &mut command, "errdex", out);
    match shell {
        clap_complete::Shell::Bash => out.write_all(BASH_IDS.as_bytes())?,
        clap_complete::Shell::Fish => out.write_all(FISH_IDS.as_bytes())?,
        _ => {}
    }
    Ok(exit::OK)
}

/// clap's zsh script with `show`'s id argument completed by `_errdex_ids` (defined before the script's
/// closing `compdef`); unchanged if clap ever writes that argument differently.
fn zsh_with_ids(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + ZSH_IDS.len());
    for line in script.split_inclusive('\n') {
        if line.starts_with(r#"if [ "$funcstack[1]" = "_errdex" ]"#) {
            out.push_str(ZSH_IDS);
        }
        if line.starts_with("':id -- ") && line.trim_end().ends_with(":_default' \\") {
            out.push_str(&line.replacen(":_default' \\", ":_errdex_ids' \\", 1));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Wraps clap's bash function: after `show`, a word that is no option completes from the record ids.
const BASH_IDS: &str = r#"
# Record ids for `errdex show`, from the catalogues errdex loads.
_errdex_with_ids() {
    local cur=${COMP_WORDS[COMP_CWORD]} i
    if [[ $cur != -* ]]; then
        for ((i = 1; i < COMP_CWORD; i++)); do
            if [[ ${COMP_WORDS[i]} == show ]]; then
                COMPREPLY=($(compgen -W "$(command errdex ids 2>/dev/null)" -- "$cur"))
                return 0
            fi
        done
    fi
    _errdex "$@"
}
complete -F _errdex_with_ids -o bashdefault -o default errdex
"#;

const ZSH_IDS: &str = r#"# Record ids for `errdex show`, from the catalogues errdex loads.
(( $+functions[_errdex_ids] )) ||
_errdex_ids() {
    local -a ids
    ids=(${(f)"$(command errdex ids 2>/dev/null)"})
    compadd -a ids
}

"#;

const FISH_IDS: &str = r#"
# Record ids for `errdex show`, from the catalogues errdex loads.
complete -c errdex -n "__fish_errdex_using_subcommand show" -f -a "(command errdex ids 2>/dev/null)"
"#;

/// `errdex ids`: every record id, one a line (sanitized: ids come from catalogue files).
pub fn ids(catalog: &crate::catalog::Catalog, out: &mut impl Write) -> std::io::Result<u8> {
    // Through views: a record left in an index is not built for its id (a gigabyte at 1,000,000 records).
    for v in catalog.views() {
        writeln!(out, "{}", crate::text::sanitize_line(v.id()))?;
    }
    Ok(exit::OK)
}
