//! errdex: a terminal browser for error catalogues.
//!
//! `catalog` holds the data and its formats, `report` prints records for the CLI, `text` keeps untrusted text
//! safe for a terminal, `mcp` serves the catalogue to coding agents. The binary (`main.rs`) wires them to the
//! command line.

pub mod allocator;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod i18n;
#[cfg(feature = "mcp")]
pub mod mcp;
pub mod outcomes;
pub mod report;
pub mod search;
pub mod stdin;
pub mod sync;
pub mod synth;
pub mod tester;
pub mod text;
pub mod tui;
