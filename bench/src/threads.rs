//! Appends from many threads through one [`AuditLog`]: what group commit
//! gains. One thread appending one entry per call is the baseline; then 8
//! threads at once, each on a user of its own, and all on one user. Beside
//! them, what handing a message to another thread costs, sleeping or
//! yielding: on virtual machines, waking a thread that sleeps can cost more
//! than an append.

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};
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
    let trips = plan.appends;
    let mut wakes: [Vec<f64>; 2] = Default::default();
    for _ in 0..plan.slow_runs {
        wakes[0].push(round_trip_ms(trips, false));
        wakes[1].push(round_trip_ms(trips, true));
    }
    let [sleeping, yielding] = wakes.map(|mut w| median(&mut w));
    figures.push("thread_wake_sleeping", Figure::ms(sleeping));
    figures.push(
        "thread_wake_yielding",
        Figure::ms(yielding).against(figures, "thread_wake_sleeping"),
    );
    Ok(())
}

/// Milliseconds per round trip of a message between this thread and
/// another, `trips` of them, each side waiting for the next message asleep
/// on its channel or `yielding` between checks.
fn round_trip_ms(trips: usize, yielding: bool) -> f64 {
    let (to_echo, echo_gets) = sync_channel::<usize>(1);
    let (to_back, back_gets) = sync_channel::<usize>(1);
    let next = move |from: &Receiver<usize>| {
        if !yielding {
            return from.recv().ok();
        }
        loop {
            match from.try_recv() {
                Ok(message) => return Some(message),
                Err(TryRecvError::Empty) => std::thread::yield_now(),
                Err(TryRecvError::Disconnected) => return None,
            }
        }
    };
    let echo = std::thread::spawn(move || {
        while let Some(message) = next(&echo_gets) {
            if to_back.send(message).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    for trip in 0..trips {
        let sent = to_echo.send(trip).is_ok();
        assert!(
            sent && next(&back_gets) == Some(trip),
            "the echoing thread stopped"
        );
    }
    let elapsed = start.elapsed();
    drop(to_echo);
    echo.join().expect("the echoing thread panicked");
    elapsed.as_secs_f64() * 1e3 / trips as f64
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
