//! Append figures: entries per second through the host (the component) and
//! through the same Rust code compiled natively, on the tool log and the
//! skill log; and a skill-log append at 100 entries against one at 10,000.

use std::path::Path;
use std::time::Instant;

use auditlog::{AuditLog, SkillRun, ToolCall};
use auditlog_guest::AuditLogs;
use auditlog_guest::skill_log::SkillRun as NativeSkillRun;
use auditlog_guest::storage::fs::FsStorage;
use auditlog_guest::tool_log::ToolCall as NativeToolCall;
use serde_json::json;

use super::{Figure, Figures, Plan};
use crate::cli::Failure;

/// A tool call as the benchmark records it: arguments with a secret to
/// redact and a result to cut to its snippet, so every step of the work runs.
fn tool_call(i: usize) -> (String, String) {
    let args =
        json!({"path": format!("/srv/data/file-{i}.txt"), "mode": "read", "api_key": "sk-1234"});
    (args.to_string(), format!("result line {i} ").repeat(20))
}

/// `record_{tool,skill}_{host,native}` and `skill_append_at_{100,10k}`.
pub fn measure(plan: &Plan, root: &Path, figures: &mut Figures) -> Result<(), Failure> {
    eprintln!(
        "auditlog bench: {} appends to each log, through the host and natively",
        plan.appends
    );
    let native_tool = median_rate(plan.slow_runs, |run| {
        let logs = AuditLogs::new(FsStorage::new(fresh(root, "native-tool", run)?));
        timed_rate(plan.appends, |i| {
            let (args, result) = tool_call(i);
            let call = NativeToolCall {
                user: "bench".into(),
                tool: "file_read".into(),
                args,
                status: "ok".into(),
                result,
            };
            logs.append_tool(&call)
                .map(drop)
                .map_err(|e| Failure::other(e.to_string()))
        })
    })?;
    figures.push("record_tool_native", Figure::rate(native_tool));
    let host_tool = median_rate(plan.slow_runs, |run| {
        let log = AuditLog::open(fresh(root, "host-tool", run)?)?;
        timed_rate(plan.appends, |i| {
            let (args, result) = tool_call(i);
            let call = ToolCall {
                user: "bench".into(),
                tool: "file_read".into(),
                args,
                status: "ok".into(),
                output: result,
            };
            Ok(log.append_tool(&call).map(drop)?)
        })
    })?;
    figures.push(
        "record_tool_host",
        Figure::rate(host_tool).against(figures, "record_tool_native"),
    );

    let native_batched = median_rate(plan.slow_runs, |run| {
        let logs = AuditLogs::new(FsStorage::new(fresh(root, "native-batched", run)?));
        timed_batches(plan.appends, |from| {
            let calls: Vec<NativeToolCall> = (from..from + BATCH)
                .map(|i| {
                    let (args, result) = tool_call(i);
                    NativeToolCall {
                        user: "bench".into(),
                        tool: "file_read".into(),
                        args,
                        status: "ok".into(),
                        result,
                    }
                })
                .collect();
            logs.append_tools(&calls)
                .map(drop)
                .map_err(|e| Failure::other(e.to_string()))
        })
    })?;
    figures.push("record_tool_native_batched", Figure::rate(native_batched));
    let host_batched = median_rate(plan.slow_runs, |run| {
        let log = AuditLog::open(fresh(root, "host-batched", run)?)?;
        timed_batches(plan.appends, |from| {
            let calls: Vec<ToolCall> = (from..from + BATCH)
                .map(|i| {
                    let (args, result) = tool_call(i);
                    ToolCall {
                        user: "bench".into(),
                        tool: "file_read".into(),
                        args,
                        status: "ok".into(),
                        output: result,
                    }
                })
                .collect();
            Ok(log.append_tools(&calls).map(drop)?)
        })
    })?;
    figures.push(
        "record_tool_host_batched",
        Figure::rate(host_batched).against(figures, "record_tool_native_batched"),
    );

    let native_skill = median_rate(plan.slow_runs, |run| {
        let logs = AuditLogs::new(FsStorage::new(fresh(root, "native-skill", run)?));
        timed_rate(plan.appends, |i| {
            let run = NativeSkillRun {
                skill: "workflow.compose".into(),
                status: "success".into(),
                duration_ms: Some(i as u64),
                errors: None,
                metadata: Some(json!({"step": i, "token": "t"}).to_string()),
            };
            logs.append_skill(&run)
                .map(drop)
                .map_err(|e| Failure::other(e.to_string()))
        })
    })?;
    figures.push("record_skill_native", Figure::rate(native_skill));
    let host_skill = median_rate(plan.slow_runs, |run| {
        let log = AuditLog::open(fresh(root, "host-skill", run)?)?;
        timed_rate(plan.appends, |i| {
            let run = SkillRun::new("workflow.compose", "success")
                .duration_ms(i as u64)
                .metadata(&json!({"step": i, "token": "t"}));
            Ok(log.append_skill(&run).map(drop)?)
        })
    })?;
    figures.push(
        "record_skill_host",
        Figure::rate(host_skill).against(figures, "record_skill_native"),
    );

    for (name, entries) in [
        ("skill_append_at_100", 100_u32),
        ("skill_append_at_10k", 10_000),
    ] {
        eprintln!("auditlog bench: skill-log appends at {entries} entries");
        let log = AuditLog::builder(fresh(root, name, 0)?)
            .max_entries(entries)
            .open()?;
        let run = SkillRun::new("workflow.compose", "success").duration_ms(5);
        for _ in 0..entries {
            log.append_skill(&run)?;
        }
        let per_second = timed_rate(plan.appends.min(2_000), |_| {
            Ok(log.append_skill(&run).map(drop)?)
        })?;
        figures.push(
            name,
            Figure::ms(1000.0 / per_second).against(figures, "skill_append_at_100"),
        );
    }
    Ok(())
}

/// A new empty directory under `root` for one run.
fn fresh(root: &Path, name: &str, run: usize) -> Result<std::path::PathBuf, Failure> {
    let dir = root.join(format!("{name}-{run}"));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// Calls `append(0..n)` and returns calls per second.
fn timed_rate(
    n: usize,
    mut append: impl FnMut(usize) -> Result<(), Failure>,
) -> Result<f64, Failure> {
    let start = Instant::now();
    for i in 0..n {
        append(i)?;
    }
    Ok(n as f64 / start.elapsed().as_secs_f64())
}

/// Entries per batched call.
const BATCH: usize = 100;

/// Calls `append(first index)` for batches of [`BATCH`] covering `0..n` and
/// returns entries per second.
fn timed_batches(
    n: usize,
    mut append: impl FnMut(usize) -> Result<(), Failure>,
) -> Result<f64, Failure> {
    let batches = n.div_ceil(BATCH);
    let start = Instant::now();
    for b in 0..batches {
        append(b * BATCH)?;
    }
    Ok((batches * BATCH) as f64 / start.elapsed().as_secs_f64())
}

/// The median of `runs` rates.
fn median_rate(
    runs: usize,
    mut rate: impl FnMut(usize) -> Result<f64, Failure>,
) -> Result<f64, Failure> {
    let mut rates = (0..runs).map(&mut rate).collect::<Result<Vec<f64>, _>>()?;
    rates.sort_by(f64::total_cmp);
    Ok(rates[rates.len() / 2])
}
