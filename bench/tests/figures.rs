//! `auditlog-bench`: one run reports every figure its help lists, each with
//! its baseline and the ratio to it, and leaves nothing behind.
//!
//! The `cli_tool_*` figures run the `auditlog` executable beside the
//! benchmark's: `cargo test --workspace` builds both; alone, build it first
//! (`cargo build -p auditlog && cargo test -p auditlog-bench`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The figure names `auditlog-bench --help` lists (`recent_200_at_N` as written).
fn documented(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| !line.starts_with("Figures"))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Runs `auditlog-bench ARGS…` in `cwd` with the environment `env` and the
/// `auditlog` settings of the caller's environment removed; asserts it
/// succeeded and returns its standard output.
#[track_caller]
fn bench(args: &[&str], cwd: &Path, env: &[(&str, &Path)]) -> String {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_auditlog-bench"))
        .args(args)
        .current_dir(cwd)
        .env_remove("AUDITLOG_DIR")
        .env_remove("AUDITLOG_NOW")
        .env_remove("AUDITLOG_MAX_FILE_BYTES")
        .env_remove("AUDITLOG_MAX_DAYS")
        .env_remove("AUDITLOG_MAX_USER_BYTES")
        .env_remove("AUDITLOG_COMPRESS")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("auditlog-bench runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "expected success: {stderr}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Every file under `dir` (none if `dir` does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn a_quick_run_reports_every_documented_figure_against_its_baseline() {
    let root = tempfile::tempdir().expect("a temporary directory");
    let scratch = root.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    // Where `auditlog` would write by default: the benchmark must not.
    let work = root.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let logs = root.path().join("logs");
    let stdout = bench(
        &["--quick", "--format", "json"],
        &work,
        &[("TMPDIR", &scratch), ("AUDITLOG_DIR", &logs)],
    );
    let figures: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {stdout:?}"));
    let figures = figures.as_object().expect("one JSON object");

    let help = bench(&["--help"], &work, &[]);
    let mut listed: Vec<String> = documented(&help)
        .into_iter()
        .flat_map(|name| match name.strip_suffix("_N") {
            Some(prefix) => ["1k", "100k", "1m"]
                .map(|n| format!("{prefix}_{n}"))
                .to_vec(),
            None => vec![name],
        })
        .collect();
    listed.sort();
    let mut measured: Vec<String> = figures.keys().cloned().collect();
    measured.sort();
    assert_eq!(
        measured, listed,
        "the help lists exactly the figures measured"
    );

    for (name, figure) in figures {
        let value = figure["value"].as_f64().unwrap();
        assert!(value.is_finite() && value > 0.0, "{name}: {figure}");
        assert!(
            ["ms", "entries/s"].contains(&figure["unit"].as_str().unwrap()),
            "{name}: {figure}"
        );
        if let Value::String(baseline) = &figure["baseline"] {
            let base = figures[baseline]["value"].as_f64().unwrap();
            let ratio = figure["ratio"].as_f64().unwrap();
            assert!(
                (ratio - value / base).abs() <= 1e-9 * ratio,
                "{name}: {figure}"
            );
        } else {
            assert_eq!(figure["ratio"], Value::Null, "{name}");
        }
    }
    // The baselines issue 7 sets its targets against.
    for (name, baseline) in [
        ("record_tool_host", "record_tool_native"),
        ("record_tool_host_batched", "record_tool_native"),
        (
            "record_tool_host_batched_vs_batched",
            "record_tool_native_batched",
        ),
        ("record_skill_host", "record_skill_native"),
        ("record_skill_host_batched", "record_skill_native"),
        (
            "record_skill_host_batched_vs_batched",
            "record_skill_native_batched",
        ),
        ("skill_append_at_10k", "skill_append_at_100"),
        ("recent_200_at_1m", "recent_200_at_1k"),
        ("cli_tool_one_shot", "process_true"),
        ("load_cached", "load_compiled"),
    ] {
        assert_eq!(figures[name]["baseline"], baseline, "{name}");
    }

    assert_eq!(
        std::fs::read_dir(&scratch).unwrap().count(),
        0,
        "the benchmark's data is removed"
    );
    assert!(
        files_under(&logs).is_empty(),
        "the log directory is untouched"
    );
    assert!(
        files_under(&work).is_empty(),
        "the working directory is untouched"
    );
}
