//! The host's results as JSON values. Repairs, rotations and stats take the
//! model's one definition that the `auditlog` CLI prints with `--format json`
//! too (`Recovery::to_json`, `Rotation::to_json`, `Stats`' serde form); the
//! rest are in shapes of their own (and, where the CLI prints text only —
//! `verify`, `adopt` — in the shapes of the wasmtime-py loader, so that code
//! moves between the two packages unchanged).

use auditlog::{
    Adoption, LegacyEntries, LogEnd, Problem, Recovery, SkillReceipt, Stats, ToolReceipt,
    VerifyReport,
};
use auditlog_model::seed::Answer;
use serde_json::{Value, json};

/// `{"entry", "path", "total_entries", "recovered", "warnings"}`.
pub fn skill_receipt(receipt: &SkillReceipt) -> Value {
    json!({
        "entry": receipt.entry.value(),
        "path": receipt.path.display().to_string(),
        "total_entries": receipt.total_entries,
        "recovered": receipt.recovered.iter().map(Recovery::to_json).collect::<Vec<_>>(),
        "warnings": receipt.warnings,
    })
}

/// `{"entry", "path", "recovered", "warnings"}`.
pub fn tool_receipt(receipt: &ToolReceipt) -> Value {
    json!({
        "entry": receipt.entry.value(),
        "path": receipt.path.display().to_string(),
        "recovered": receipt.recovered.iter().map(Recovery::to_json).collect::<Vec<_>>(),
        "warnings": receipt.warnings,
    })
}

/// The totals, as `auditlog stats --format json` prints them.
pub fn stats(stats: &Stats) -> Value {
    serde_json::to_value(stats).expect("stats always serialise")
}

/// An adoption: `{"log", "entries", "first_time", "last_time", "sealed_as",
/// "adopted_at"}`.
pub fn adoption(adoption: &Adoption) -> Value {
    json!({
        "log": adoption.log,
        "entries": adoption.entries,
        "first_time": adoption.first_time,
        "last_time": adoption.last_time,
        "sealed_as": adoption.sealed_as,
        "adopted_at": adoption.adopted_at,
    })
}

/// A verify report: `{"ok", "entries", "ends", "legacy", "unsealed",
/// "unsealed_total", "problem"}`.
pub fn verify_report(report: &VerifyReport) -> Value {
    json!({
        "ok": report.problem.is_none(),
        "entries": report.entries,
        "ends": report.ends.iter().map(log_end).collect::<Vec<_>>(),
        "legacy": report.legacy.iter().map(legacy).collect::<Vec<_>>(),
        "unsealed": report
            .unsealed
            .iter()
            .map(|u| json!({"file": u.file, "line": u.line}))
            .collect::<Vec<_>>(),
        "unsealed_total": report.unsealed_total,
        "problem": report.problem.as_ref().map(problem),
    })
}

/// Where a log's chain ends: `{"log", "seq", "link"}`.
pub fn log_end(end: &LogEnd) -> Value {
    json!({"log": end.log, "seq": end.seq, "link": end.link})
}

fn legacy(entries: &LegacyEntries) -> Value {
    json!({
        "log": entries.log,
        "before_chain": entries.before_chain,
        "total": entries.total,
        "adopted_seq": entries.adopted_seq,
        "adopted_entries": entries.adopted_entries,
        "first_time": entries.first_time,
        "last_time": entries.last_time,
    })
}

fn problem(problem: &Problem) -> Value {
    json!({
        "file": problem.file,
        "line": problem.line,
        "seq": problem.seq,
        "reason": problem.reason,
    })
}

/// The seed script's answer: `{"exit_code", "response", "report"}`.
pub fn seed_answer(answer: &Answer) -> Value {
    json!({
        "exit_code": answer.exit_code,
        "response": answer.response,
        "report": answer.report,
    })
}
