//! Query figures: the newest 200 entries of day files of growing size, and
//! stats over a million entries.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::SystemTime;

use auditlog::{AuditLog, Filter, Query, Source};

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures, median_ms};

/// The day the generated entries are stamped with.
const DAY: &str = "2025-10-23";

/// `recent_200_at_{1k,100k,1m}` and `stats_1m`.
pub fn measure(plan: &Plan, root: &Path, figures: &mut Figures) -> Result<(), Error> {
    let now: SystemTime = chrono::DateTime::parse_from_rfc3339(&format!("{DAY}T23:00:00Z"))
        .expect("a valid time")
        .into();
    let sizes: [(&'static str, usize); 3] = [
        ("recent_200_at_1k", 1_000),
        ("recent_200_at_100k", 100_000),
        ("recent_200_at_1m", 1_000_000),
    ];
    let mut biggest = None;
    for (name, lines) in sizes {
        let dir = root.join(name);
        eprintln!("auditlog-bench: writing a {lines}-line day file");
        write_day_file(&dir, lines).map_err(|source| Error::Data {
            action: "write",
            path: dir.clone(),
            source,
        })?;
        let log = AuditLog::builder(&dir).clock(move || now).open()?;
        let query = Query::new(Filter::new(Source::User("bench".into()))).limit(200);
        let page = log.recent_json(&query)?;
        if page.entries.len() != 200 {
            return Err(Error::Count {
                figure: name,
                expected: 200,
                got: page.entries.len() as u64,
            });
        }
        let ms = median_ms(plan.runs, || log.recent_json(&query).map(drop))?;
        figures.push(name, Figure::ms(ms).against(figures, "recent_200_at_1k"));
        biggest = Some(log);
    }

    eprintln!("auditlog-bench: stats over 1,000,000 entries");
    let big = biggest.expect("three logs");
    let filter = Filter::new(Source::User("bench".into()));
    let total = big.stats(&filter)?.total;
    if total != 1_000_000 {
        return Err(Error::Count {
            figure: "stats_1m",
            expected: 1_000_000,
            got: total,
        });
    }
    let ms = median_ms(plan.slow_runs, || big.stats(&filter).map(drop))?;
    figures.push("stats_1m", Figure::ms(ms));
    Ok(())
}

/// Writes `lines` tool-log entries for user `bench` into one day file, in the
/// format the component writes (the data is the same either way; writing it
/// directly keeps the set-up short), and flushes it to the disk.
fn write_day_file(dir: &Path, lines: usize) -> std::io::Result<()> {
    let day_dir = dir.join("bench").join("tool_audit");
    std::fs::create_dir_all(&day_dir)?;
    let mut out = BufWriter::new(std::fs::File::create(day_dir.join(format!("{DAY}.jsonl")))?);
    for i in 0..lines {
        let seconds = i * 80_000 / lines;
        let status = if i % 10 == 0 { "error" } else { "ok" };
        writeln!(
            out,
            r#"{{"ts":"{DAY}T{:02}:{:02}:{:02}Z","user":"bench","tool":"tool_{}","args":{{"path":"/srv/data/file-{i}.txt","mode":"read"}},"status":"{status}","result_chars":{},"result_snippet":"line one of the result for call {i}"}}"#,
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            i % 7,
            100 + i % 900,
        )?;
    }
    // On disk before anything is timed: otherwise the kernel writes the
    // file back (hundreds of MB) while the queries on it are measured.
    out.into_inner()?.sync_all()
}
