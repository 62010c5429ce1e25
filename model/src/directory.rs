//! The files a log directory holds at its root, beside the users'
//! directories: no user may be named like one of them.

/// The skill log, a JSON array of entries.
pub const SKILL_LOG_FILE: &str = "audit_log.json";

/// The rotation policy, read by the host.
pub const CONFIG_FILE: &str = "auditlog.toml";

/// Every file at a log directory's root whose name does not start with `.`
/// (names that do are refused as users' anyway).
pub const ROOT_FILES: [&str; 2] = [SKILL_LOG_FILE, CONFIG_FILE];
