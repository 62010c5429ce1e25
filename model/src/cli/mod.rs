//! The clap definitions both command lines share: the host's `auditlog` and
//! the portable component's `wasi:cli/run`.

pub mod settings;
