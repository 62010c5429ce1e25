//! Start-up figures: one `auditlog tool` process from start to exit against
//! `true` and `python3 -c pass`; opening a log (one instantiation of the
//! component, its store and its settings); and loading the component
//! compiled afresh against loading it from the compiled-component cache.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use auditlog::{AuditLog, EMBEDDED_COMPONENT, Runtime};

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures, median_ms};

/// `cli_tool_one_shot` (running the executable `auditlog`), `process_true`,
/// `process_python`, `open_log` and `load_{compiled,cached}`.
pub fn measure(
    plan: &Plan,
    root: &Path,
    auditlog: &Path,
    figures: &mut Figures,
) -> Result<(), Error> {
    eprintln!("auditlog-bench: one-shot processes");
    let dir = root.join("one-shot");
    let cli = |_: ()| {
        let mut command = Command::new(auditlog);
        command.arg("--dir").arg(&dir).args([
            "tool",
            "--user",
            "bench",
            "--tool",
            "file_read",
            "--status",
            "ok",
            "--args",
            r#"{"path": "a.txt"}"#,
        ]);
        command
    };
    // The first call fills the compiled-component cache, as any first use does.
    spawn(cli(()))?;
    let cli_ms = median_ms(plan.runs, || spawn(cli(())))?;
    let true_ms = median_ms(plan.runs, || spawn(Command::new("true")))?;
    figures.push("process_true", Figure::ms(true_ms));
    let python = || {
        let mut command = Command::new("python3");
        command.args(["-c", "pass"]);
        command
    };
    let python_ms = match spawn(python()) {
        Ok(()) => Some(median_ms(plan.runs, || spawn(python()))?),
        Err(_) => None,
    };
    if let Some(ms) = python_ms {
        figures.push("process_python", Figure::ms(ms));
    }
    figures.push(
        "cli_tool_one_shot",
        Figure::ms(cli_ms).against(figures, "process_true"),
    );
    if let Some(python_ms) = python_ms {
        figures.push(
            "cli_tool_vs_python",
            Figure {
                value: cli_ms,
                unit: "ms",
                baseline: Some("process_python"),
                ratio: Some(cli_ms / python_ms),
            },
        );
    }

    eprintln!("auditlog-bench: opening logs and loading the component");
    let runtime = Runtime::embedded()?;
    let open_dir = root.join("open");
    let open_ms = median_ms(plan.runs, || {
        AuditLog::builder(&open_dir)
            .runtime(Arc::clone(&runtime))
            .open()
            .map(drop)
    })?;
    figures.push("open_log", Figure::ms(open_ms));

    let compiled_ms = median_ms(plan.slow_runs, || {
        Runtime::with_cache(EMBEDDED_COMPONENT, None).map(drop)
    })?;
    figures.push("load_compiled", Figure::ms(compiled_ms));
    let cache = root.join("cache");
    Runtime::with_cache(EMBEDDED_COMPONENT, Some(cache.clone()))?;
    let cached_ms = median_ms(plan.runs, || {
        Runtime::with_cache(EMBEDDED_COMPONENT, Some(cache.clone())).map(drop)
    })?;
    figures.push(
        "load_cached",
        Figure::ms(cached_ms).against(figures, "load_compiled"),
    );
    Ok(())
}

/// Runs `command` to its end, output discarded; an error if it fails.
fn spawn(mut command: Command) -> Result<(), Error> {
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(Error::Spawn)?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Process(status))
    }
}
