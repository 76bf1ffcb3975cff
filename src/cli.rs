//! Command-line arguments (clap). The contract later features extend: global catalogue and language options,
//! one subcommand per job, and the browser when no subcommand is given.

use crate::catalog::Lang;
use crate::search::environment::Environment;
use crate::search::lookup::LookupEnv;
use crate::tui::theme::ThemeName;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "errdex",
    version,
    about = "Browse error catalogues: root causes, dead ends, workarounds, in English and 中文",
    long_about = "Browse error catalogues: root causes, the fixes that don't work (dead ends), the ones that do \
                  (workarounds), related errors and docs, in English and Chinese.\n\nWithout a subcommand, opens \
                  the full-screen browser on the embedded catalogue, the synced ones (`errdex sync`), the \
                  config's `catalogs`, ERRDEX_CATALOG and any --catalog paths."
)]
pub struct Cli {
    /// Load records from this file or directory too (repeatable; .json, .jsonl, recursive).
    #[arg(short = 'c', long = "catalog", value_name = "PATH", global = true)]
    pub catalog: Vec<PathBuf>,

    /// Skip the catalogue embedded in the binary.
    #[arg(long, global = true)]
    pub no_default: bool,

    /// Neither read nor write the persistent index of catalogue files (see `errdex cache`).
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// Language of record text and labels [default: ERRDEX_LANG, `lang` in the config, else LC_ALL, LC_MESSAGES
    /// or LANG]
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,

    /// The environment lookup ranks for, over what errdex detects (see `errdex env`): os=linux|macos|windows|wsl,
    /// wsl=yes|no, container=yes|no, arch=..., distro=..., and runtime versions such as python=3.12, node=20.
    #[arg(long = "env", value_name = "KEY=VALUE,...", global = true, value_parser = parse_env)]
    pub env: Option<Environment>,

    /// When to colour output; NO_COLOR in the environment means never, unless `always`.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    /// The browser's colours: `auto` is `light` on a light terminal background, else `dark`; `mono` has none
    /// (NO_COLOR and --color never choose it too). Also ERRDEX_THEME and `theme` in the configuration.
    #[arg(long, value_enum, global = true)]
    pub theme: Option<ThemeName>,
    /// Read this configuration file instead of $XDG_CONFIG_HOME/errdex/config.toml (`errdex config path`).
    #[arg(long, value_name = "FILE", env = "ERRDEX_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    /// Skip the catalogues `errdex sync` fetched.
    #[arg(long, global = true)]
    pub no_synced: bool,

    /// Browser for scripts: draw on the terminal, print the chosen record's id (or `commands`: the selected
    /// workaround's commands) to stdout on Enter; Esc prints nothing and exits 130.
    #[arg(long, value_enum, value_name = "WHAT", num_args = 0..=1, require_equals = true,
          default_missing_value = "id")]
    pub print: Option<crate::tui::model::Pick>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// A shell `errdex init` and `errdex completions` know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate catalogues; exit 1 if any error.
    Check {
        /// Files or directories to check [default: the default catalogue]
        paths: Vec<PathBuf>,
        /// Print the diagnostics and summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print one record, all sections, in the chosen language.
    Show {
        /// The record's id, e.g. docker/exec-format-error-arm64
        id: String,
        /// Print the record's JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Find the records that explain an error message or a whole log; exit 1 if no regex matches.
    Lookup {
        /// The message; standard input when absent or `-` (at most 1 MiB is read).
        message: Option<String>,
        /// Print the hits as a JSON array, best first.
        #[arg(long)]
        json: bool,
        /// How many hits to print (1 or more).
        #[arg(long, default_value_t = 5, value_parser = at_least_one)]
        limit: usize,
    },
    /// Print the environment lookup ranks for: the platform detected (OS, distribution, WSL, container,
    /// architecture) with `--env` on top.
    Env {
        /// Print it as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The persistent index that makes loading catalogue files fast: where it is, or remove it.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Write a deterministic synthetic catalogue as JSONL (for benchmarks).
    #[command(hide = true)]
    Synth {
        /// How many records.
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only id, signature, regex and domain.
        #[arg(long)]
        minimal: bool,
    },
    /// Time lookups of the messages on standard input, one per line (for scripts/race.sh).
    #[command(hide = true)]
    BenchLookup {
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
    /// Serve the catalogue to coding agents: an MCP server on standard input and output (ends when input does).
    #[cfg(feature = "mcp")]
    Mcp,
    /// Your "worked for me" marks (w / x on a fix in the browser): export them, or show where they are kept.
    Outcomes {
        #[command(subcommand)]
        action: OutcomesAction,
    },
    /// Fuzzy-search records by signature, as the browser's search box does (`domain:docker` and the like work).
    Search {
        /// The query; several words are joined with spaces.
        #[arg(required = true)]
        query: Vec<String>,
        /// Print the hits as a JSON array, best first.
        #[arg(long)]
        json: bool,
        /// How many hits to print (1 or more).
        #[arg(long, default_value_t = 20, value_parser = at_least_one)]
        limit: usize,
    },
    /// The configuration file: where it is, and a commented default to start from.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Fetch remote catalogues (deadends.dev's, and [sources.NAME] in the config) so they load by default.
    Sync {
        /// Sources to sync [default: all]
        names: Vec<String>,
        /// Show the sources, the age of their copies and their record counts; fetch nothing.
        #[arg(long)]
        list: bool,
        /// Print a JSON summary (source, records, bytes, changed) instead of text.
        #[arg(long)]
        json: bool,
        /// Allow plain http to hosts other than localhost.
        #[arg(long)]
        allow_http: bool,
        /// Give up on a server that does not answer for this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// Refuse a catalogue larger than this many bytes (default 1 GiB).
        #[arg(long, hide = true, default_value_t = crate::sync::MAX_BYTES)]
        max_bytes: u64,
    },
    /// Print shell code that binds Alt-E to run the last command again into errdex's browser.
    ///
    /// Add `eval "$(errdex init bash)"` to ~/.bashrc (zsh: `eval "$(errdex init zsh)"` to ~/.zshrc; fish:
    /// `errdex init fish | source` to ~/.config/fish/config.fish).
    Init {
        #[arg(value_enum)]
        shell: Shell,
        /// The key to bind, `alt-LETTER` or `ctrl-LETTER` [default: shell_key in the config, else alt-e]
        #[arg(long, value_name = "KEY")]
        key: Option<String>,
    },
    /// Run a command; if it fails, print what the catalogue knows about its error.
    ///
    /// The command's output is shown as it comes; on a non-zero exit the best record's dead ends and
    /// workarounds follow on stderr (or, with -i, the browser opens on the output). Exits with the command's
    /// status.
    Run {
        /// Open the browser on the output instead of printing the top record.
        #[arg(short, long)]
        interactive: bool,
        /// The command and its arguments (after `--`).
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "CMD"
        )]
        command: Vec<std::ffi::OsString>,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print every record id of the catalogues errdex loads, one a line (for shell completion of `show`).
    #[command(hide = true)]
    Ids,
    /// Print the manual page (roff): `errdex man | man -l -`; `errdex man sync` for errdex-sync(1).
    Man {
        /// A subcommand's own page.
        command: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the configuration file's path (whether it exists or not).
    Path,
    /// Write a commented default configuration file there; refuses to overwrite one without --force.
    Init {
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutcomesAction {
    /// Print the marks in effect as JSON, for a catalogue's maintainers to merge.
    Export,
    /// Print the file the marks are kept in.
    Path,
}

fn parse_env(s: &str) -> Result<Environment, String> {
    Environment::parse_overrides(s).map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Print the directory the index files are kept in.
    Path,
    /// Remove every index file (they are rebuilt when next needed).
    Clear,
}

/// A limit of 0 would print nothing and look like "no match"; it is refused rather than read as "no limit".
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("0 would print nothing; give 1 or more".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

impl Cli {
    /// What the command line says about catalogues and language, for `config::resolve`.
    pub fn flags(&self) -> crate::config::resolve::Flags {
        crate::config::resolve::Flags {
            config: self.config.clone(),
            catalogs: self.catalog.clone(),
            no_default: self.no_default,
            no_synced: self.no_synced,
            no_cache: self.no_cache,
            lang: self.lang,
        }
    }

    /// The environment lookups rank for: the machine's, with `--env` on top.
    pub fn lookup_env(&self) -> LookupEnv {
        LookupEnv::detected(self.env.clone().unwrap_or_default())
    }

    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }

    /// Whether the browser may use colour at all (it draws on the terminal whatever stdout is).
    pub fn browser_color(&self) -> bool {
        match self.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// Whether to colour what goes to stdout.
    pub fn color(&self) -> bool {
        use std::io::IsTerminal;
        match self.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}
