//! The clap definitions that the host's `auditlog` CLI and the portable
//! component's command line share, so that each flag is defined once
//! (feature `cli`).

pub mod selection;
pub mod settings;
mod utf8;

pub use utf8::Utf8Text;
