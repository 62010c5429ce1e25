//! `auditlog bench`: one run reports every figure its help lists, each with
//! its baseline and the ratio to it, and leaves nothing behind.

use serde_json::Value;

use crate::support::Cli;

/// The figure names `auditlog bench --help` lists (`recent_200_at_N` as written).
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

#[test]
fn a_quick_run_reports_every_documented_figure_against_its_baseline() {
    let cli = Cli::new();
    let scratch = cli.outside().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let run = cli
        .run_with(
            &["bench", "--quick", "--format", "json"],
            &[("TMPDIR", scratch.to_str().unwrap())],
            None,
        )
        .success();
    let figures = run.json();
    let figures = figures.as_object().expect("one JSON object");

    let help = cli.run(&["bench", "--help"]).success().stdout;
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
    assert!(cli.snapshot().is_empty(), "the log directory is untouched");
}
