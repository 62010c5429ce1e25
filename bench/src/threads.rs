//! Appends from many threads through one [`AuditLog`]: what group commit
//! gains. One thread appending one entry per call is the baseline; then 8
//! threads at once, each on a user of its own, and all on one user.

use std::path::Path;
use std::time::Instant;

use auditlog::AuditLog;

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures};
use crate::record::{fresh, median, remove, tool_call_by};

/// Threads of the concurrent figures.
const THREADS: usize = 8;

/// `record_tool_threads_1`, `record_tool_threads_8_users` and
/// `record_tool_threads_8_one_user`, rounds interleaved so each sees the
/// same moments of a noisy machine.
pub fn measure(plan: &Plan, root: &Path, figures: &mut Figures) -> Result<(), Error> {
    eprintln!(
        "auditlog-bench: {} tool appends through one log from 1 and {THREADS} threads",
        plan.appends
    );
    let shapes: [(&'static str, usize, bool); 3] = [
        ("record_tool_threads_1", 1, false),
        ("record_tool_threads_8_users", THREADS, false),
        ("record_tool_threads_8_one_user", THREADS, true),
    ];
    let mut rates: [Vec<f64>; 3] = Default::default();
    for round in 0..plan.rounds {
        for (k, (name, threads, one_user)) in shapes.into_iter().enumerate() {
            let dir = fresh(root, name, round)?;
            rates[k].push(rate(plan.appends, &dir, threads, one_user)?);
            remove(&dir)?;
        }
    }
    let [one, users, one_user] = rates.map(|mut r| median(&mut r));
    figures.push(shapes[0].0, Figure::rate(one));
    figures.push(
        shapes[1].0,
        Figure::rate(users).against(figures, shapes[0].0),
    );
    figures.push(
        shapes[2].0,
        Figure::rate(one_user).against(figures, shapes[0].0),
    );
    Ok(())
}

/// Appends/s of `threads` threads sharing one log in `dir`, `appends` in all,
/// each thread on a user of its own or all on one.
fn rate(appends: usize, dir: &Path, threads: usize, one_user: bool) -> Result<f64, Error> {
    let log = AuditLog::open(dir)?;
    let user = |t: usize| {
        if one_user {
            "bench".to_owned()
        } else {
            format!("bench{t}")
        }
    };
    // Each user's day file exists before the clock starts.
    for t in 0..threads {
        log.append_tool(&tool_call_by(&user(t), 0))?;
    }
    let each = appends / threads;
    let start = Instant::now();
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (log, user) = (&log, user(t));
                s.spawn(move || -> Result<(), Error> {
                    for i in 0..each {
                        log.append_tool(&tool_call_by(&user, i))?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().expect("an appending thread panicked"))
    })?;
    Ok((each * threads) as f64 / start.elapsed().as_secs_f64())
}
