//! Tests across the crate's modules, run natively: property tests of the
//! entry pipeline and whole appends, and the tool log's rotation through the
//! facade with an injected clock, and `stats` from summaries against
//! `stats` from lines. (Unit tests sit beside their code.)

mod properties;
mod rotation;
mod summaries;
