//! A misbehaving build of the auditlog component, used only by the host's
//! tests (`tests/limits.rs`). It targets the same `auditlog` world as the real
//! guest, so the host loads it with `Runtime::new`, and `append-tool` picks a
//! behaviour by the call's `tool`:
//!
//! - `loop`: spins forever (the host's time limit must stop it);
//! - `allocate`: allocates without bound (the host's memory limit must stop it);
//! - `escape`: tries to reach outside the log directory through every storage
//!   function, and through WASI (files, environment, arguments), and returns,
//!   as the receipt's `entry`, a JSON object mapping each attempt to what the
//!   host answered (`"refused: invalid-path …"`, `"refused: io …"`, … or
//!   `"ALLOWED …"`; for the environment and arguments, how many there were);
//! - anything else: behaves, appending one line to `USER/tool_audit/ok.jsonl`
//!   in the log directory and returning `{"user": …, "tool": …}`.
//!
//! The other exports answer trivially: `configure` accepts anything, `recent`
//! returns an empty page, `stats` zeros, `select` a refusal, `verify` an empty
//! report, `repair`, `rotate` and `adopt` nothing, and `record-seed` a failure.

#[allow(missing_docs, unsafe_code, clippy::all)]
mod bindings {
    wit_bindgen::generate!({
        world: "auditlog",
        path: "../../../wit",
    });

    // Only on wasm: natively (where the workspace lints and tests build this
    // crate) the exports' names are not valid linker symbols.
    #[cfg(target_arch = "wasm32")]
    use super::Component;
    #[cfg(target_arch = "wasm32")]
    export!(Component with_types_in self);
}

use bindings::audit::log::storage::{self, OpenFlags, StorageError};
use bindings::audit::log::types::{
    Adoption, AuditError, FieldError, Filter, LogEnd, Page, Query, Recovery, Rotation, Selection,
    Settings, SkillReceipt, SkillRun, Source, Summary, ToolCall, ToolReceipt, VerifyReport,
};
use bindings::exports::audit::log::log::{Guest, SeedAnswer};

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
struct Component;

impl Guest for Component {
    fn configure(_settings: Settings) -> Result<(), AuditError> {
        Ok(())
    }

    fn settings_schema() -> Vec<bindings::audit::log::types::SettingSpec> {
        Vec::new()
    }

    fn append_skill(run: SkillRun) -> Result<SkillReceipt, AuditError> {
        Ok(SkillReceipt {
            entry: object(&[("skill", run.skill)]),
            path: String::new(),
            total_entries: 0,
            recovered: Vec::new(),
            warnings: Vec::new(),
        })
    }

    fn append_tool(call: ToolCall) -> Result<ToolReceipt, AuditError> {
        match call.tool.as_str() {
            "loop" => spin(),
            "allocate" => allocate(),
            "escape" => Ok(ToolReceipt {
                entry: escape(),
                path: String::new(),
                recovered: Vec::new(),
                warnings: Vec::new(),
            }),
            _ => behave(call),
        }
    }

    fn recent(_query: Query) -> Result<Page, AuditError> {
        Ok(Page {
            entries: Vec::new(),
            next_cursor: None,
        })
    }

    fn stats(_filter: Filter) -> Result<Summary, AuditError> {
        Ok(Summary {
            total: 0,
            errors: 0,
            error_rate: 0.0,
            other: 0,
            by_status: Vec::new(),
            by_name: Vec::new(),
            by_user: Vec::new(),
            by_day: Vec::new(),
        })
    }

    fn select(_selection: Selection) -> Result<Filter, AuditError> {
        Err(AuditError::Invalid(FieldError {
            field: "source".into(),
            reason: "not in this component".into(),
        }))
    }

    fn append_skills(runs: Vec<SkillRun>) -> Result<Vec<SkillReceipt>, AuditError> {
        runs.into_iter().map(Self::append_skill).collect()
    }

    fn append_tools(calls: Vec<ToolCall>) -> Result<Vec<ToolReceipt>, AuditError> {
        calls.into_iter().map(Self::append_tool).collect()
    }

    fn repair(_source: Option<Source>) -> Result<Vec<Recovery>, AuditError> {
        Ok(Vec::new())
    }

    fn rotate(_source: Option<Source>) -> Result<Vec<Rotation>, AuditError> {
        Ok(Vec::new())
    }

    fn verify(
        _source: Option<Source>,
        _checkpoint: Vec<LogEnd>,
    ) -> Result<VerifyReport, AuditError> {
        Ok(VerifyReport {
            entries: 0,
            ends: Vec::new(),
            legacy: Vec::new(),
            unsealed: Vec::new(),
            unsealed_total: 0,
            problem: None,
        })
    }

    fn adopt(_source: Option<Source>) -> Result<Vec<Adoption>, AuditError> {
        Ok(Vec::new())
    }

    fn record_seed(_args: Vec<String>, _log_path: String) -> SeedAnswer {
        SeedAnswer {
            exit_code: 1,
            response: "{}".to_owned(),
            report: vec!["the misbehaving component records no seed calls".to_owned()],
        }
    }
}

/// Never returns: a loop the optimiser cannot remove.
fn spin() -> ! {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}

/// Never returns: keeps every mebibyte it allocates (and touches it).
fn allocate() -> ! {
    let mut held: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = vec![0u8; 1 << 20];
        chunk[held.len() % (1 << 20)] = 1;
        held.push(std::hint::black_box(chunk));
    }
}

/// The well-behaved path: one line appended inside the log directory.
fn behave(call: ToolCall) -> Result<ToolReceipt, AuditError> {
    let storage_error = |e: StorageError| AuditError::Storage(describe(&e));
    let dir = format!("{}/tool_audit", call.user);
    storage::create_dir_all(&dir).map_err(storage_error)?;
    let path = format!("{dir}/ok.jsonl");
    let file =
        storage::open(&path, OpenFlags::CREATE | OpenFlags::APPEND).map_err(storage_error)?;
    file.append(format!("{} {}\n", call.user, call.tool).as_bytes())
        .map_err(storage_error)?;
    Ok(ToolReceipt {
        entry: object(&[("user", call.user), ("tool", call.tool)]),
        path,
        recovered: Vec::new(),
        warnings: Vec::new(),
    })
}

/// Every way out of the log directory this component can think of, each with
/// the host's answer. `link` is a symlink the test plants in the log directory,
/// pointing outside it, at a directory holding `tool_audit/secret.jsonl`: the
/// paths through it are names of the log layout, so what refuses them is the
/// host's resolution beneath the directory, not the name check.
/// The component's own file, inside the log directory.
const INSIDE: &str = "u/tool_audit/inside.jsonl";
/// A file outside the log directory, reached through the planted `link`.
const SECRET: &str = "link/tool_audit/secret.jsonl";

fn escape() -> String {
    let write = OpenFlags::CREATE | OpenFlags::WRITE;
    // A file of its own inside, to try to move out.
    let setup = storage::create_dir_all("u/tool_audit")
        .and_then(|()| storage::open(INSIDE, write))
        .and_then(|f| f.append(b"inside\n"));

    let attempts: Vec<(&str, Result<String, StorageError>)> = vec![
        ("setup inside.txt", setup.map(|()| "created".into())),
        ("open ../outside", opened("../outside", write)),
        (
            "open /etc/passwd",
            opened("/etc/passwd", OpenFlags::empty()),
        ),
        (
            "open notes.txt (not in the log layout)",
            opened("notes.txt", write),
        ),
        ("open link/x", opened("link/tool_audit/x.jsonl", write)),
        ("open link/secret.txt", opened(SECRET, OpenFlags::empty())),
        (
            "open link/secret.txt for writing",
            opened(SECRET, OpenFlags::WRITE),
        ),
        ("list-dir ..", storage::list_dir("..").map(|n| n.join(","))),
        ("list-dir /", storage::list_dir("/").map(|n| n.join(","))),
        (
            "list-dir link",
            storage::list_dir("link").map(|n| n.join(",")),
        ),
        (
            "create-dir-all ../made",
            storage::create_dir_all("../made").map(|()| String::new()),
        ),
        (
            "create-dir-all link/made",
            storage::create_dir_all("link/tool_audit").map(|()| String::new()),
        ),
        (
            "rename inside.txt ../x",
            storage::rename(INSIDE, "../x").map(|()| String::new()),
        ),
        (
            "rename inside.txt link/x",
            storage::rename(INSIDE, "link/tool_audit/x.jsonl").map(|()| String::new()),
        ),
        (
            "rename link/secret.txt stolen.txt",
            storage::rename(SECRET, "u/tool_audit/stolen.jsonl").map(|()| String::new()),
        ),
        (
            "remove-file link/secret.txt",
            storage::remove_file(SECRET).map(|()| String::new()),
        ),
        ("lock ../x", storage::lock("../x").map(|_| String::new())),
        (
            "lock link/x",
            storage::lock("link/tool_audit/.lock").map(|_| String::new()),
        ),
    ];
    let mut answers: Vec<(&str, String)> = attempts
        .into_iter()
        .map(|(attempt, result)| {
            let answer = match result {
                Ok(detail) => format!("ALLOWED {detail}"),
                Err(e) => format!("refused: {}", describe(&e)),
            };
            (attempt, answer)
        })
        .collect();

    // WASI: no preopened directory, so no path at all; no environment, no
    // arguments.
    let wasi = |result: std::io::Result<String>| match result {
        Ok(detail) => format!("ALLOWED {detail}"),
        Err(e) => format!("refused: {e}"),
    };
    answers.push((
        "wasi read /etc/passwd",
        wasi(std::fs::read_to_string("/etc/passwd")),
    ));
    answers.push((
        "wasi write escaped.txt",
        wasi(std::fs::write("escaped.txt", "escaped\n").map(|()| String::new())),
    ));
    answers.push((
        "wasi list /",
        wasi(std::fs::read_dir("/").map(|d| d.count().to_string())),
    ));
    answers.push((
        "wasi environment",
        format!("{} variables", std::env::vars_os().count()),
    ));
    answers.push((
        "wasi arguments",
        format!("{} arguments", std::env::args_os().count()),
    ));
    object(&answers)
}

/// Opens `path` and, if the host allows it, reads what it can and tries to
/// write.
fn opened(path: &str, mode: OpenFlags) -> Result<String, StorageError> {
    let file = storage::open(path, mode)?;
    let read = file.read_at(0, 4096).unwrap_or_default();
    let wrote = file.append(b"escaped\n").is_ok();
    Ok(format!(
        "read {:?}, wrote: {wrote}",
        String::from_utf8_lossy(&read)
    ))
}

fn describe(error: &StorageError) -> String {
    match error {
        StorageError::InvalidPath(path) => format!("invalid-path {path}"),
        StorageError::NotFound => "not-found".into(),
        StorageError::NoSpace => "no-space".into(),
        StorageError::Io(message) => format!("io {message}"),
    }
}

/// A JSON object of string values, in order.
fn object<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    let fields: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{}", string(k.as_ref()), string(v.as_ref())))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// `s` as a JSON string.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
