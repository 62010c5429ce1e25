//! [`Group`]: calls that arrive while another is running join the next run,
//! the way databases commit their log — one leader does the work for every
//! caller queued meanwhile, and each caller gets its own outcome back.
//!
//! Used for appends: one component call, one write per user and, with
//! `--sync batch`, one flush per file for the whole group (see
//! [`AuditLog`](crate::AuditLog)).
//!
//! A caller that finds no run under way runs its item at once, alone: no
//! queue, no channel. Each caller that finds one under way waits on a
//! channel of its own and is woken once: with its outcome, or to lead the
//! next run. Waking every waiter after each run (one condition variable)
//! cost more context switches than the shared write saved. A waiter checks
//! its channel, yielding its core in between, for about one run before it
//! sleeps ([`SPIN`]): on virtual machines, waking a sleeping thread on
//! another core costs more than an append.
//!
//! When every run ends in a flush ([`Group::gathering`]), a leader waits a
//! little before each run for the callers it expects to queue
//! ([`Group::gather`]), as PostgreSQL's `commit_delay` does: a run then
//! costs about the same for one item as for many, and without the wait the
//! first caller back after a run flushes alone while the rest queue.

use std::sync::mpsc::{Receiver, RecvError, SyncSender, TryRecvError, sync_channel};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How many more runs a leader leads, after the one with its own item, while
/// items keep arriving: the callers it just answered need a moment to come
/// back with their next item, and a run started at once would take only the
/// few queued so far. Bounded, so a leader's own call returns soon.
const LEAD_AGAIN: usize = 3;

/// How long a queued caller keeps checking for its wake-up, yielding its
/// core between checks, before it sleeps: about one run of a group. On
/// virtual machines a sleeping thread woken from another core costs tens of
/// microseconds (the host has to wake the idle virtual CPU), more than an
/// append; a caller that yields is found at once.
const SPIN: Duration = Duration::from_micros(200);

/// A queue of items waiting for the next run, and whether one is under way.
pub(crate) struct Group<C, R> {
    state: Mutex<State<C, R>>,
    /// The most items one run takes; the rest wait for the next.
    max: usize,
    /// Whether a leader waits for company before each run.
    gathering: bool,
}

struct State<C, R> {
    /// Whether a caller leads runs now (or was just told to lead the next).
    running: bool,
    /// Items waiting for a run, oldest first; only ever non-empty while a
    /// caller leads.
    queued: Vec<Queued<C, R>>,
    /// Kept by gathering groups only.
    company: Company,
}

/// What a gathering group knows of its callers, for [`Group::gather`].
#[derive(Default)]
struct Company {
    /// Callers inside [`Group::submit`] now.
    inside: usize,
    /// The most callers inside at once since the last run started: each
    /// will have an item in the next run.
    expected: usize,
    /// How long the last run took: the longest the next waits for company.
    last_run: Duration,
}

struct Queued<C, R> {
    item: C,
    wake: SyncSender<Wake<R>>,
}

/// Why a waiting caller is woken.
enum Wake<R> {
    /// Its item was in a run: here is its outcome.
    Done(R),
    /// It leads the next run, whose first item is its own.
    Lead,
}

impl<C, R> Group<C, R> {
    /// A group whose runs take at most `max` items (at least one).
    pub(crate) fn new(max: usize) -> Self {
        Self {
            state: Mutex::new(State {
                running: false,
                queued: Vec::new(),
                company: Company::default(),
            }),
            max: max.max(1),
            gathering: false,
        }
    }

    /// This group, for runs that each end in a flush: a run then takes
    /// about as long for one item as for many, so a leader waits for the
    /// callers it expects, for up to one run's time ([`Group::gather`]).
    pub(crate) fn gathering(self) -> Self {
        Self {
            gathering: true,
            ..self
        }
    }

    /// Runs `item` and returns its outcome: when no run is under way this
    /// caller leads one at once, calling `run` with its item alone, and then
    /// a few with the items queued meanwhile (oldest first, at most `max` a
    /// run); otherwise it queues its item and sleeps until the item's run
    /// ends, or until it is its turn to lead. `run` must return one outcome
    /// per item, in the same order.
    ///
    /// If `run` panics, the panic goes on in the leader, every other item
    /// of that run gets `on_panic()`, and the group stays usable.
    pub(crate) fn submit(
        &self,
        item: C,
        mut run: impl FnMut(Vec<C>) -> Vec<R>,
        on_panic: impl Fn() -> R,
    ) -> R {
        let mut state = self.lock();
        let _inside = Inside::enter(self, &mut state);
        if !state.running {
            // Nobody leads, so nobody is queued: the usual case of one
            // caller appending in a loop needs neither a queue entry nor a
            // channel.
            state.running = true;
            drop(state);
            let _leading = Leading(self);
            if !self.gather(false) {
                let Ok([mine]) = <[R; 1]>::try_from(self.timed(vec![item], &mut run)) else {
                    panic!("a group's run returns one outcome per item");
                };
                self.lead_again(&mut run, &on_panic);
                return mine;
            }
            // Company came: this item runs first, with theirs.
            let (wake, woken) = sync_channel(1);
            self.lock().queued.insert(0, Queued { item, wake });
            return self.lead(&woken, &mut run, &on_panic);
        }
        let (wake, woken) = sync_channel(1);
        state.queued.push(Queued { item, wake });
        drop(state);
        match wait(&woken) {
            Ok(Wake::Done(outcome)) => outcome,
            Ok(Wake::Lead) => {
                let _leading = Leading(self);
                self.gather(true);
                self.lead(&woken, &mut run, &on_panic)
            }
            Err(_) => unreachable!("a queued caller's sender is kept until it is woken"),
        }
    }

    /// Leads the run of the queued items, the first of which is the
    /// leader's own (answered on `woken`), then a few more.
    fn lead(
        &self,
        woken: &Receiver<Wake<R>>,
        run: &mut impl FnMut(Vec<C>) -> Vec<R>,
        on_panic: &impl Fn() -> R,
    ) -> R {
        self.run_queued(run, on_panic);
        let Ok(Wake::Done(mine)) = woken.try_recv() else {
            unreachable!("a leader's item is the oldest queued");
        };
        self.lead_again(run, on_panic);
        mine
    }

    /// After the run with its own item, a leader leads up to [`LEAD_AGAIN`]
    /// more while items keep arriving — but not in a gathering group, where
    /// it hands the lead on at once: its caller's next item would miss every
    /// run it leads, and the next leader waits for company anyway.
    fn lead_again(&self, run: &mut impl FnMut(Vec<C>) -> Vec<R>, on_panic: &impl Fn() -> R) {
        let again = if self.gathering { 0 } else { LEAD_AGAIN };
        for _ in 0..again {
            if !self.run_queued(run, on_panic) {
                break;
            }
        }
    }

    /// In a gathering group, waits (yielding the core) until every caller
    /// the next run expects but the leader has an item queued, or for as
    /// long as the last run took; whether any other caller's item is
    /// queued. `own_queued`: the leader's item is among the queued. Waiting
    /// up to one run for company costs less than the run of its own each
    /// late caller would otherwise lead: they are the last run's callers,
    /// on their way back with their next item.
    fn gather(&self, own_queued: bool) -> bool {
        if !self.gathering {
            return false;
        }
        let start = Instant::now();
        loop {
            let state = self.lock();
            let others = state.queued.len() - usize::from(own_queued);
            let wanted = state.company.expected.min(self.max).saturating_sub(1);
            if others >= wanted || start.elapsed() >= state.company.last_run {
                return others > 0;
            }
            drop(state);
            std::thread::yield_now();
        }
    }

    /// `run(items)`; a gathering group notes who will be in the next run
    /// and how long this one took.
    fn timed(&self, items: Vec<C>, run: &mut impl FnMut(Vec<C>) -> Vec<R>) -> Vec<R> {
        if !self.gathering {
            return run(items);
        }
        {
            let company = &mut self.lock().company;
            company.expected = company.inside;
        }
        let started = Instant::now();
        let outcomes = run(items);
        self.lock().company.last_run = started.elapsed();
        outcomes
    }

    /// Runs the oldest queued items (at most `max`) and sends each its
    /// outcome; false when none was queued.
    fn run_queued(
        &self,
        run: &mut impl FnMut(Vec<C>) -> Vec<R>,
        on_panic: &impl Fn() -> R,
    ) -> bool {
        let batch: Vec<Queued<C, R>> = {
            let mut state = self.lock();
            let take = state.queued.len().min(self.max);
            state.queued.drain(..take).collect()
        };
        if batch.is_empty() {
            return false;
        }
        let (items, wakes): (Vec<C>, Vec<_>) = batch.into_iter().map(|q| (q.item, q.wake)).unzip();
        let mut waiting = Waiting { wakes, on_panic };
        let outcomes = self.timed(items, run);
        assert_eq!(
            outcomes.len(),
            waiting.wakes.len(),
            "a group's run returns one outcome per item"
        );
        for (wake, outcome) in waiting.wakes.drain(..).zip(outcomes) {
            // The caller sleeps on its receiver until this arrives (a
            // leader reads its own right after the run).
            let _ = wake.send(Wake::Done(outcome));
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, State<C, R>> {
        // Nothing panics while the state is locked; a poisoned lock only
        // means a leader's `run` panicked, which the guards already handled.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The next message on `woken`: checked for, yielding the core in between,
/// for up to [`SPIN`], then slept for.
fn wait<T>(woken: &Receiver<T>) -> Result<T, RecvError> {
    let start = Instant::now();
    loop {
        match woken.try_recv() {
            Ok(message) => return Ok(message),
            Err(TryRecvError::Disconnected) => return Err(RecvError),
            Err(TryRecvError::Empty) if start.elapsed() < SPIN => std::thread::yield_now(),
            Err(TryRecvError::Empty) => return woken.recv(),
        }
    }
}

/// A caller inside [`Group::submit`], counted while it is (by gathering
/// groups only).
struct Inside<'a, C, R>(&'a Group<C, R>);

impl<'a, C, R> Inside<'a, C, R> {
    fn enter(group: &'a Group<C, R>, state: &mut State<C, R>) -> Self {
        if group.gathering {
            let company = &mut state.company;
            company.inside += 1;
            company.expected = company.expected.max(company.inside);
        }
        Self(group)
    }
}

impl<C, R> Drop for Inside<'_, C, R> {
    fn drop(&mut self) {
        if self.0.gathering {
            self.0.lock().company.inside -= 1;
        }
    }
}

/// A caller leading runs: when it stops (done, or `run` panicked), the lead
/// passes to the oldest waiting caller, or the group falls idle.
struct Leading<'a, C, R>(&'a Group<C, R>);

impl<C, R> Drop for Leading<'_, C, R> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        match state.queued.first() {
            Some(next) => {
                let _ = next.wake.send(Wake::Lead);
            }
            None => state.running = false,
        }
    }
}

/// The callers of a run in progress: if the run panics, each of them gets
/// `on_panic()` (the leader too, if its item was in the run; it is
/// unwinding and never reads it).
struct Waiting<'a, R, P: Fn() -> R> {
    wakes: Vec<SyncSender<Wake<R>>>,
    on_panic: &'a P,
}

impl<R, P: Fn() -> R> Drop for Waiting<'_, R, P> {
    fn drop(&mut self) {
        for wake in self.wakes.drain(..) {
            let _ = wake.send(Wake::Done((self.on_panic)()));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn every_caller_gets_its_own_outcome_and_runs_are_shared() {
        let group: Group<usize, usize> = Group::new(64);
        let (runs, items) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for i in 0..16 {
                let (group, runs, items) = (&group, &runs, &items);
                s.spawn(move || {
                    for j in 0..200 {
                        let item = i * 1000 + j;
                        let out = group.submit(
                            item,
                            |batch| {
                                runs.fetch_add(1, Ordering::Relaxed);
                                items.fetch_add(batch.len(), Ordering::Relaxed);
                                std::thread::sleep(std::time::Duration::from_micros(50));
                                batch.into_iter().map(|x| x * 2).collect()
                            },
                            || usize::MAX,
                        );
                        assert_eq!(out, item * 2);
                    }
                });
            }
        });
        assert_eq!(items.load(Ordering::Relaxed), 16 * 200);
        assert!(
            runs.load(Ordering::Relaxed) < 16 * 200,
            "callers arriving during a run shared the next one"
        );
        let state = group.lock();
        assert!(state.queued.is_empty() && !state.running);
    }

    #[test]
    fn a_run_takes_at_most_max_items() {
        let group: Group<usize, usize> = Group::new(3);
        let sizes = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for i in 0..12 {
                let (group, sizes) = (&group, &sizes);
                s.spawn(move || {
                    group.submit(
                        i,
                        |batch| {
                            sizes.lock().unwrap().push(batch.len());
                            std::thread::sleep(std::time::Duration::from_millis(5));
                            batch
                        },
                        || usize::MAX,
                    )
                });
            }
        });
        let sizes = sizes.into_inner().unwrap();
        assert_eq!(sizes.iter().sum::<usize>(), 12);
        assert!(sizes.iter().all(|&n| (1..=3).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn callers_queued_during_a_lone_run_are_answered_by_its_leader() {
        let group: Group<u8, u8> = Group::new(8);
        let started = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            // Nobody else leads: this caller runs its item at once, alone.
            let leader = s.spawn(|| {
                group.submit(
                    1,
                    |batch| {
                        if batch == [1] {
                            started.wait();
                            std::thread::sleep(std::time::Duration::from_millis(50));
                        }
                        batch.into_iter().map(|x| x * 10).collect()
                    },
                    || 0,
                )
            });
            started.wait();
            // Queued while that run is under way: the leader runs it next,
            // with its own `run`.
            let follower = group.submit(2, |batch| batch, || 0);
            assert_eq!(follower, 20);
            assert_eq!(leader.join().unwrap(), 10);
        });
        let state = group.lock();
        assert!(state.queued.is_empty() && !state.running);
    }

    /// The sizes of the runs 4 callers' 30 items each take when every run
    /// takes 2 ms whatever its size, as a flush does.
    fn run_sizes(group: Group<usize, usize>) -> Vec<usize> {
        let sizes = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for i in 0..4 {
                let (group, sizes) = (&group, &sizes);
                s.spawn(move || {
                    for j in 0..30 {
                        let out = group.submit(
                            i * 100 + j,
                            |batch| {
                                sizes.lock().unwrap().push(batch.len());
                                std::thread::sleep(std::time::Duration::from_millis(2));
                                batch
                            },
                            || usize::MAX,
                        );
                        assert_eq!(out, i * 100 + j);
                    }
                });
            }
        });
        let state = group.lock();
        assert!(state.queued.is_empty() && !state.running && state.company.inside == 0);
        sizes.into_inner().unwrap()
    }

    #[test]
    fn a_gathering_group_waits_for_its_callers_to_share_each_run() {
        let plain = run_sizes(Group::new(64));
        let gathering = run_sizes(Group::new(64).gathering());
        assert_eq!(gathering.iter().sum::<usize>(), 4 * 30);
        // Without waiting, the first caller back after a run leads the next
        // alone while the other three queue for the one after.
        let alone = |sizes: &[usize]| sizes.iter().filter(|&&n| n == 1).count();
        assert!(alone(&plain) > 10, "{plain:?}");
        assert!(alone(&gathering) <= 2, "{gathering:?}");
        assert!(
            gathering.len() < plain.len() * 3 / 4,
            "{gathering:?} {plain:?}"
        );
    }

    #[test]
    fn a_panicking_run_fails_the_others_items_and_frees_the_group() {
        let group: Group<u8, Result<u8, &str>> = Group::new(8);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            group.submit(1, |_| panic!("boom"), || Err("panicked"))
        }));
        assert!(panicked.is_err());
        assert!(!group.lock().running);
        let out = group.submit(2, |batch| batch.into_iter().map(Ok).collect(), || Err("no"));
        assert_eq!(out, Ok(2));
    }

    #[test]
    fn callers_waiting_on_a_panicking_run_get_the_panic_outcome() {
        let group: Group<u8, Result<u8, &'static str>> = Group::new(8);
        let started = std::sync::Barrier::new(2);
        std::thread::scope(|s| {
            let leader = s.spawn(|| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    group.submit(
                        1,
                        |_| {
                            started.wait();
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            panic!("boom")
                        },
                        || Err("panicked"),
                    )
                }))
            });
            started.wait();
            // Queued while the leader's run is under way: joins the next run.
            let follower = group.submit(
                2,
                |batch| batch.into_iter().map(Ok).collect(),
                || Err("panicked"),
            );
            assert_eq!(follower, Ok(2));
            assert!(leader.join().unwrap().is_err());
        });
        assert!(!group.lock().running);
    }
}
