//! Appends from many threads through one [`AuditLog`]: what group commit
//! gains. One thread appending one entry per call is the baseline; then 8
//! threads at once, each on a user of its own, and all on one user. Beside
//! them, what handing a message to another thread costs, sleeping or
//! yielding: on virtual machines, waking a thread that sleeps can cost more
//! than an append.

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};
use std::time::Instant;

use auditlog::{AuditLog, SyncMode};

use crate::Plan;
use crate::error::Error;
use crate::figures::{Figure, Figures};
use crate::record::{fresh, median, remove, tool_call_by};

/// Threads of the concurrent figures.
const THREADS: usize = 8;

/// Flushed appends take a flush each (hundreds of microseconds to
/// milliseconds) where the others take microseconds: they are this share of
/// [`Plan::appends`], and at least [`MIN_SYNCED_APPENDS`].
const SYNCED_SHARE: usize = 25;

/// Enough flushed appends for 8 threads to run at once for a while.
const MIN_SYNCED_APPENDS: usize = 160;

/// One concurrent figure: how many threads, on how many users, flushed how.
struct Shape {
    name: &'static str,
    threads: usize,
    /// All threads on one user, or a user each.
    one_user: bool,
    sync: SyncMode,
}

impl Shape {
    fn new(name: &'static str, threads: usize, one_user: bool, sync: SyncMode) -> Self {
        Self {
            name,
            threads,
            one_user,
            sync,
        }
    }
}

/// `record_tool_threads_1`, `record_tool_threads_8_users` and
/// `record_tool_threads_8_one_user`, then the same three with `--sync batch`
/// (`*_batch_sync`), where concurrent callers share flushes; rounds
/// interleaved so each sees the same moments of a noisy machine.
pub fn measure(plan: &Plan, root: &Path, figures: &mut Figures) -> Result<(), Error> {
    let synced_appends = (plan.appends / SYNCED_SHARE).max(MIN_SYNCED_APPENDS);
    eprintln!(
        "auditlog-bench: {} tool appends through one log from 1 and {THREADS} threads, \
         {synced_appends} with --sync batch",
        plan.appends
    );
    let shapes: [Shape; 6] = [
        Shape::new("record_tool_threads_1", 1, false, SyncMode::Never),
        Shape::new(
            "record_tool_threads_8_users",
            THREADS,
            false,
            SyncMode::Never,
        ),
        Shape::new(
            "record_tool_threads_8_one_user",
            THREADS,
            true,
            SyncMode::Never,
        ),
        Shape::new(
            "record_tool_threads_1_batch_sync",
            1,
            false,
            SyncMode::Batch,
        ),
        Shape::new(
            "record_tool_threads_8_users_batch_sync",
            THREADS,
            false,
            SyncMode::Batch,
        ),
        Shape::new(
            "record_tool_threads_8_one_user_batch_sync",
            THREADS,
            true,
            SyncMode::Batch,
        ),
    ];
    let mut rates: [Vec<f64>; 6] = Default::default();
    for round in 0..plan.rounds {
        for (k, shape) in shapes.iter().enumerate() {
            let appends = match shape.sync {
                SyncMode::Never => plan.appends,
                _ => synced_appends,
            };
            let dir = fresh(root, shape.name, round)?;
            rates[k].push(rate(appends, &dir, shape)?);
            remove(&dir)?;
        }
    }
    for (shape, mut rate) in shapes.iter().zip(rates) {
        let mut figure = Figure::rate(median(&mut rate));
        if shape.threads > 1 {
            let one = shapes
                .iter()
                .find(|one| one.threads == 1 && one.sync == shape.sync)
                .expect("every mode has a one-thread shape");
            figure = figure.against(figures, one.name);
        }
        figures.push(shape.name, figure);
    }
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

/// Appends/s of `shape.threads` threads sharing one log in `dir`,
/// `appends` in all.
fn rate(appends: usize, dir: &Path, shape: &Shape) -> Result<f64, Error> {
    let Shape {
        threads, one_user, ..
    } = *shape;
    let log = AuditLog::builder(dir).sync(shape.sync).open()?;
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
