//! Stats figures (issue 20): the console's default view — every user's last
//! seven days — over a fleet's log, answered from the summaries of closed
//! files, against the same query reading every line (the summaries moved
//! out of the way), and against the same query over a log a hundred times
//! smaller.
//!
//! The logs are 100 users' tool calls spread evenly from six days before
//! the benchmark's "now" (2025-10-23 00:10 UTC) to it: six closed day files
//! a user, and ten minutes of today in the open one. They are written by the
//! component's own code compiled natively, through batched appends with a
//! fake clock (so the files, their chains and their summaries are what
//! appends make), and kept under the target directory, keyed by
//! [`DATA_VERSION`] and size, for the next run: writing 10,000,000 entries
//! takes minutes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::SystemTime;

use auditlog::{AuditLog, Filter, Source, ToolCall};
use auditlog_guest::{Engine, FsStorage};
use chrono::{DateTime, Duration, Utc};

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures, median_ms};

/// Bump when the generated data or the summaries' format changes: the
/// cached logs are then written again.
const DATA_VERSION: u32 = 1;
/// Users in each log.
const USERS: usize = 100;
/// Calls of one user in one append: the clock moves on between appends.
const PER_APPEND: usize = 10;
/// Where the summaries go while the lines are timed.
const ASIDE: &str = "summaries-aside";

/// The benchmark's "now": ten minutes into the seventh day.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-10-23T00:10:00Z")
        .expect("a valid time")
        .with_timezone(&Utc)
}

/// `stats_week`, `stats_week_lines` for the big log of `entries` tool calls,
/// `stats_week_small`, `stats_week_small_lines` for the small one of
/// `entries / 100`, and `stats_week_vs_small`. The names do not carry the
/// sizes, which `--stats-entries` chooses: a size in a name would collide
/// with other figures' (`stats_1m`) and change from run to run.
pub fn measure(
    plan: &Plan,
    entries: u64,
    cache: &Path,
    figures: &mut Figures,
) -> Result<(), Error> {
    let entries = entries.div_ceil((USERS * PER_APPEND) as u64) * (USERS * PER_APPEND) as u64;
    let small = (entries / 100).max((USERS * PER_APPEND) as u64);
    let mut medians = Vec::new();
    for (size, summaries, lines) in [
        (small, "stats_week_small", "stats_week_small_lines"),
        (entries, "stats_week", "stats_week_lines"),
    ] {
        let dir = log_dir(cache, size)?;
        // Reading every line of 10,000,000 entries takes longer than the
        // default limit of a call (30 s) on a loaded machine: the baseline
        // gets all the time it needs.
        let log = AuditLog::builder(&dir)
            .clock(|| SystemTime::from(now()))
            .call_timeout(std::time::Duration::from_secs(1_800))
            .open()?;
        let filter = Filter::new(Source::AllUsers);
        eprintln!("auditlog-bench: stats over {size} entries, every line read");
        move_summaries(&dir, &dir.join(ASIDE), false)?;
        let timed = check_total(&log, &filter, size, lines)
            .and_then(|()| median_ms(plan.slow_runs, || log.stats(&filter).map(drop)));
        move_summaries(&dir.join(ASIDE), &dir, true)?;
        figures.push(lines, Figure::ms(timed?));
        eprintln!("auditlog-bench: stats over {size} entries, from summaries");
        check_total(&log, &filter, size, summaries)?;
        let ms = median_ms(plan.runs, || log.stats(&filter).map(drop))?;
        figures.push(summaries, Figure::ms(ms).against(figures, lines));
        medians.push((summaries, ms));
    }
    let (small_name, _) = medians[0];
    let (_, big_ms) = medians[1];
    figures.push(
        "stats_week_vs_small",
        Figure::ms(big_ms).against(figures, small_name),
    );
    Ok(())
}

/// Fails unless `log`'s stats count `expected` calls.
fn check_total(
    log: &AuditLog,
    filter: &Filter,
    expected: u64,
    figure: &'static str,
) -> Result<(), Error> {
    let got = log.stats(filter)?.total;
    if got == expected {
        Ok(())
    } else {
        Err(Error::Count {
            figure,
            expected,
            got,
        })
    }
}

/// The log of `entries` calls under `cache`, written first if it is not
/// there whole; with every closed file's summary in place (written again by
/// `rotate` if a run stopped while they were moved aside).
fn log_dir(cache: &Path, entries: u64) -> Result<PathBuf, Error> {
    let dir = cache.join(format!("stats-v{DATA_VERSION}-{entries}"));
    let done = dir.join(".complete");
    let clock = Arc::new(AtomicI64::new(0));
    let ticking = Arc::clone(&clock);
    let engine = Engine::with_clock(
        FsStorage::new(&dir),
        Box::new(move || {
            DateTime::from_timestamp_micros(ticking.load(Ordering::Relaxed)).expect("in range")
        }),
    );
    if !done.is_file() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(data("remove", &dir))?;
        }
        std::fs::create_dir_all(&dir).map_err(data("create", &dir))?;
        eprintln!(
            "auditlog-bench: writing {entries} tool calls of {USERS} users over 7 days into {}",
            dir.display()
        );
        write_log(&engine, &clock, entries)?;
        std::fs::write(&done, b"").map_err(data("write", &done))?;
    }
    let aside = dir.join(ASIDE);
    if aside.exists() {
        move_summaries(&aside, &dir, true)?;
    }
    clock.store(now().timestamp_micros(), Ordering::Relaxed);
    engine.rotate(None)?;
    Ok(dir)
}

/// Appends `entries` calls through `engine`, `PER_APPEND` per user in each
/// append, the clock stepping evenly from six days before [`now`] to it.
fn write_log(engine: &Engine<FsStorage>, clock: &AtomicI64, entries: u64) -> Result<(), Error> {
    let steps = entries / (USERS * PER_APPEND) as u64;
    let start = now() - Duration::days(6);
    let span = (now() - start).num_microseconds().expect("six days fit");
    let mut calls = Vec::with_capacity(USERS * PER_APPEND);
    for step in 0..steps {
        let at = start.timestamp_micros() + span * step as i64 / steps as i64;
        clock.store(at, Ordering::Relaxed);
        calls.clear();
        for user in 0..USERS {
            for i in 0..PER_APPEND {
                calls.push(call(user, step as usize * PER_APPEND + i));
            }
        }
        engine.append_tools(&calls)?;
    }
    Ok(())
}

/// Call `i` of user `user`: one of seven tools, one in ten an error.
fn call(user: usize, i: usize) -> ToolCall {
    let status = if i.is_multiple_of(10) { "error" } else { "ok" };
    ToolCall::new(format!("user{user:03}"), format!("tool_{}", i % 7), status)
        .args(&serde_json::json!({"path": format!("/srv/data/file-{i}.txt"), "mode": "read"}))
        .output(format!("line one of the result for call {i}"))
}

/// Moves every user's summaries from under `from` to the same place under
/// `to` (`into_log`: `to` is the log, `from` the place aside).
fn move_summaries(from: &Path, to: &Path, into_log: bool) -> Result<(), Error> {
    let log = if into_log { to } else { from };
    for user in std::fs::read_dir(log).map_err(data("read", log))? {
        let user = user.map_err(data("read", log))?.file_name();
        let tools = Path::new(&user).join("tool_audit");
        let Ok(names) = std::fs::read_dir(from.join(&tools)) else {
            continue;
        };
        std::fs::create_dir_all(to.join(&tools)).map_err(data("create", &to.join(&tools)))?;
        for name in names {
            let name = name.map_err(data("read", from))?.file_name();
            if name.to_string_lossy().starts_with(".summary.") {
                let target = to.join(&tools).join(&name);
                std::fs::rename(from.join(&tools).join(&name), &target)
                    .map_err(data("move", &target))?;
            }
        }
    }
    if into_log {
        let _ = std::fs::remove_dir_all(from);
    }
    Ok(())
}

fn data(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_owned();
    move |source| Error::Data {
        action,
        path,
        source,
    }
}
