//! The wasm components the end-to-end tests load and the shipped `auditlog`
//! does not contain, as paths to the files `build.rs` built for wasm32-wasip2
//! (wasmtime's `test-programs-artifacts` pattern). A dev-dependency only:
//! building the CLI never builds these.

/// The misbehaving component (`tests/components/misbehave`, world `auditlog`):
/// calls that loop, allocate without end, and try every way out of the log
/// directory through the storage interface. `tests/limits.rs` loads it.
pub const MISBEHAVE: &str = env!("AUDITLOG_MISBEHAVE_WASM");

/// The sample skill (`skills/sample`, world `skill`), for `auditlog run-skill`:
/// counts words, and tries to read a file, open a connection and claim another
/// identity. Its file name makes its default skill name, `auditlog_sample_skill`.
pub const SAMPLE_SKILL: &str = env!("AUDITLOG_SAMPLE_SKILL_WASM");
