//! Append figures: entries per second through the host (the component) and
//! through the same Rust code compiled natively, on the tool log and the
//! skill log; and a skill-log append at 100 entries against one at 10,000.

use std::path::Path;
use std::time::Instant;

use auditlog::{AuditLog, SkillRun, ToolCall};
use auditlog_guest::{Engine, FsStorage};
use serde_json::json;

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures};

/// Tool call `i` as the benchmark records it: arguments with a secret to
/// redact and a result to cut to its snippet, so every step of the work runs.
/// Natively and through the host alike (one type, the model's).
fn tool_call(i: usize) -> ToolCall {
    tool_call_by("bench", i)
}

/// [`tool_call`] `i` of `user`.
pub(crate) fn tool_call_by(user: &str, i: usize) -> ToolCall {
    let args =
        json!({"path": format!("/srv/data/file-{i}.txt"), "mode": "read", "api_key": "sk-1234"});
    ToolCall::new(user, "file_read", "ok")
        .args(&args)
        .output(format!("result line {i} ").repeat(20))
}

/// Skill run `i` as the benchmark records it, with a token to redact.
fn skill_run(i: usize) -> SkillRun {
    SkillRun::new("workflow.compose", "success")
        .duration_ms(i as u64)
        .metadata(&json!({"step": i, "token": "t"}))
}

/// One log directory the benchmark appends to: natively, or through the
/// host and the component. Each builds call `i` the same way.
trait Appender {
    /// Appends tool call `i`.
    fn tool(&self, i: usize) -> Result<(), Error>;
    /// Appends tool calls `from..from + BATCH` in one call.
    fn tools(&self, from: usize) -> Result<(), Error>;
    /// Appends skill run `i`.
    fn skill(&self, i: usize) -> Result<(), Error>;
    /// Appends skill runs `from..from + BATCH` in one call.
    fn skills(&self, from: usize) -> Result<(), Error>;
}

impl Appender for Engine<FsStorage> {
    fn tool(&self, i: usize) -> Result<(), Error> {
        Ok(self.append_tool(&tool_call(i)).map(drop)?)
    }

    fn tools(&self, from: usize) -> Result<(), Error> {
        let calls: Vec<ToolCall> = (from..from + BATCH).map(tool_call).collect();
        Ok(self.append_tools(&calls).map(drop)?)
    }

    fn skill(&self, i: usize) -> Result<(), Error> {
        Ok(self.append_skill(&skill_run(i)).map(drop)?)
    }

    fn skills(&self, from: usize) -> Result<(), Error> {
        let runs: Vec<SkillRun> = (from..from + BATCH).map(skill_run).collect();
        Ok(self.append_skills(&runs).map(drop)?)
    }
}

impl Appender for AuditLog {
    fn tool(&self, i: usize) -> Result<(), Error> {
        Ok(self.append_tool(&tool_call(i)).map(drop)?)
    }

    fn tools(&self, from: usize) -> Result<(), Error> {
        let calls: Vec<ToolCall> = (from..from + BATCH).map(tool_call).collect();
        Ok(self.append_tools(&calls).map(drop)?)
    }

    fn skill(&self, i: usize) -> Result<(), Error> {
        Ok(self.append_skill(&skill_run(i)).map(drop)?)
    }

    fn skills(&self, from: usize) -> Result<(), Error> {
        let runs: Vec<SkillRun> = (from..from + BATCH).map(skill_run).collect();
        Ok(self.append_skills(&runs).map(drop)?)
    }
}

/// `record_{tool,skill}_{native,host}[_batched]`, the batched figures against
/// native batched calls, and `skill_append_at_{100,10k}`.
pub fn measure(plan: &Plan, root: &Path, figures: &mut Figures) -> Result<(), Error> {
    eprintln!(
        "auditlog-bench: {} appends to each log, through the host and natively",
        plan.appends
    );
    let [tool, tools, skill, skills] = side_by_side(plan, root)?;
    // Native Rust doing the same work with one write per entry is the
    // baseline of every append figure (as issue 7 defines it); batched calls
    // are also set against native code making the same batched calls.
    for (one, batched, [native, host, native_batched, host_batched, like_for_like]) in [
        (
            tool,
            tools,
            [
                "record_tool_native",
                "record_tool_host",
                "record_tool_native_batched",
                "record_tool_host_batched",
                "record_tool_host_batched_vs_batched",
            ],
        ),
        (
            skill,
            skills,
            [
                "record_skill_native",
                "record_skill_host",
                "record_skill_native_batched",
                "record_skill_host_batched",
                "record_skill_host_batched_vs_batched",
            ],
        ),
    ] {
        figures.push(native, Figure::rate(one.native));
        figures.push(host, Figure::rate(one.host).against(figures, native));
        figures.push(
            native_batched,
            Figure::rate(batched.native).against(figures, native),
        );
        figures.push(
            host_batched,
            Figure::rate(batched.host).against(figures, native),
        );
        figures.push(
            like_for_like,
            Figure::rate(batched.host).against(figures, native_batched),
        );
    }

    for (name, entries) in [
        ("skill_append_at_100", 100_u32),
        ("skill_append_at_10k", 10_000),
    ] {
        eprintln!("auditlog-bench: skill-log appends at {entries} entries");
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

/// What a rate figure appends.
#[derive(Clone, Copy)]
enum Kind {
    /// Tool calls, one per call.
    Tool,
    /// Tool calls, [`BATCH`] per call.
    Batched,
    /// Skill runs, one per call.
    Skill,
    /// Skill runs, [`BATCH`] per call.
    SkillBatched,
}

impl Kind {
    /// The name its directories start with.
    fn name(self) -> &'static str {
        match self {
            Self::Tool => "tool",
            Self::Batched => "batched",
            Self::Skill => "skill",
            Self::SkillBatched => "skills",
        }
    }
}

/// Median rates of one kind of append, natively and through the host.
struct Rates {
    native: f64,
    host: f64,
}

/// The median rates of each [`Kind`], natively and through the host, over
/// `plan.rounds` rounds of `plan.appends` appends to a fresh log. Each
/// round measures every kind both ways in turn, so that a figure and its
/// baseline see the same moments of a noisy machine (a build's writeback,
/// a neighbour's burst) rather than one of them getting all of a bad spell.
fn side_by_side(plan: &Plan, root: &Path) -> Result<[Rates; 4], Error> {
    let kinds = [Kind::Tool, Kind::Batched, Kind::Skill, Kind::SkillBatched];
    let mut native: [Vec<f64>; 4] = Default::default();
    let mut host: [Vec<f64>; 4] = Default::default();
    for round in 0..plan.rounds {
        for (i, kind) in kinds.into_iter().enumerate() {
            let dir = fresh(root, &format!("native-{}", kind.name()), round)?;
            native[i].push(appends(
                plan,
                kind,
                &Engine::new(FsStorage::new(dir.clone())),
            )?);
            remove(&dir)?;
            let dir = fresh(root, &format!("host-{}", kind.name()), round)?;
            host[i].push(appends(plan, kind, &AuditLog::open(&dir)?)?);
            remove(&dir)?;
        }
    }
    Ok(std::array::from_fn(|i| Rates {
        native: median(&mut native[i]),
        host: median(&mut host[i]),
    }))
}

/// The rate of `plan.appends` appends of `kind` to `log`.
fn appends(plan: &Plan, kind: Kind, log: &impl Appender) -> Result<f64, Error> {
    match kind {
        Kind::Tool => timed_rate(plan.appends, |i| log.tool(i)),
        Kind::Batched => timed_batches(plan.appends, |from| log.tools(from)),
        Kind::Skill => timed_rate(plan.appends, |i| log.skill(i)),
        Kind::SkillBatched => timed_batches(plan.appends, |from| log.skills(from)),
    }
}

/// A new empty directory under `root` for one run.
pub(crate) fn fresh(root: &Path, name: &str, run: usize) -> Result<std::path::PathBuf, Error> {
    let dir = root.join(format!("{name}-{run}"));
    std::fs::create_dir_all(&dir).map_err(|source| Error::Data {
        action: "create",
        path: dir.clone(),
        source,
    })?;
    Ok(dir)
}

/// Removes a measured log, so that the rounds do not fill the disk.
pub(crate) fn remove(dir: &Path) -> Result<(), Error> {
    std::fs::remove_dir_all(dir).map_err(|source| Error::Data {
        action: "remove",
        path: dir.to_owned(),
        source,
    })
}

/// Calls `append(0..n)` and returns calls per second.
fn timed_rate(n: usize, mut append: impl FnMut(usize) -> Result<(), Error>) -> Result<f64, Error> {
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
    mut append: impl FnMut(usize) -> Result<(), Error>,
) -> Result<f64, Error> {
    let batches = n.div_ceil(BATCH);
    let start = Instant::now();
    for b in 0..batches {
        append(b * BATCH)?;
    }
    Ok((batches * BATCH) as f64 / start.elapsed().as_secs_f64())
}

/// The median of `rates`.
pub(crate) fn median(rates: &mut [f64]) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}
