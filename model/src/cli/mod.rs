//! The clap definitions that the host's `auditlog` CLI and the portable
//! component's command line share, so that each flag is defined once
//! (feature `cli`). Each command line flattens them into its own commands
//! and adds what is its own: the host's `--format table|csv`, `--key-file`,
//! `--checkpoint`, `--result-file`, its environment variables and its help
//! after the flags.

pub mod message;
pub mod read;
pub mod selection;
pub mod settings;
pub mod upkeep;
mod utf8;
mod whole;
pub mod write;

pub use utf8::Utf8Text;
pub use whole::WholeNumber;
