//! Command-line arguments (clap). The contract later features extend: global catalogue and language options,
//! one subcommand per job, and the browser when no subcommand is given.

use crate::catalog::Lang;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "errdex",
    version,
    about = "Browse error catalogues: root causes, dead ends, workarounds, in English and 中文",
    long_about = "Browse error catalogues: root causes, the fixes that don't work (dead ends), the ones that do \
                  (workarounds), related errors and docs, in English and Chinese.\n\nWithout a subcommand, opens \
                  the full-screen browser on the embedded catalogue plus any --catalog paths."
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

    /// Language of record text and labels [default: from LC_ALL, LC_MESSAGES or LANG]
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,

    /// When to colour output; NO_COLOR in the environment means never, unless `always`.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
    /// The cache directory for the persistent index, unless `--no-cache` (or no such directory exists).
    pub fn cache_dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        crate::catalog::index::default_dir()
    }

    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
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
