//! [`Group`]: calls that arrive while another is running join the next run,
//! the way databases commit their log — one leader does the work for every
//! caller queued meanwhile, and each caller gets its own outcome back.
//!
//! Used for appends (one component call and one write per group, see
//! [`AuditLog`](crate::AuditLog)) and for flushes (one `fdatasync` round per
//! group, see [`GroupFlush`](crate::durability::GroupFlush)).
//!
//! Each waiting caller sleeps on a channel of its own and is woken exactly
//! once: with its outcome, or to lead the next run. Waking every waiter
//! after each run (one condition variable) cost more context switches than
//! the shared write saved.

use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Mutex, MutexGuard};

/// How many more runs a leader leads, after the one with its own item, while
/// items keep arriving: the callers it just answered need a moment to come
/// back with their next item, and a run started at once would take only the
/// few queued so far. Bounded, so a leader's own call returns soon.
const LEAD_AGAIN: usize = 3;

/// A queue of items waiting for the next run, and whether one is under way.
pub(crate) struct Group<C, R> {
    state: Mutex<State<C, R>>,
    /// The most items one run takes; the rest wait for the next.
    max: usize,
}

struct State<C, R> {
    /// Whether a caller leads runs now (or was just told to lead the next).
    running: bool,
    next_ticket: u64,
    queued: Vec<Queued<C, R>>,
}

struct Queued<C, R> {
    ticket: u64,
    item: C,
    wake: SyncSender<Wake<R>>,
}

/// Why a waiting caller is woken.
enum Wake<R> {
    /// Its item was in a run: here is its outcome.
    Done(R),
    /// It leads the next run (its item is still queued).
    Lead,
}

impl<C, R> Group<C, R> {
    /// A group whose runs take at most `max` items (at least one).
    pub(crate) fn new(max: usize) -> Self {
        Self {
            state: Mutex::new(State {
                running: false,
                next_ticket: 0,
                queued: Vec::new(),
            }),
            max: max.max(1),
        }
    }

    /// Queues `item` and returns its outcome: when no run is under way this
    /// caller leads one, calling `run` with the items queued so far (its own
    /// included, oldest first, at most `max`), which must return one outcome
    /// per item in the same order; otherwise it sleeps until its item's run
    /// ends, or until it is its turn to lead.
    ///
    /// If `run` panics, the panic goes on in the leader, every other item
    /// of that run gets `on_panic()`, and the group stays usable.
    pub(crate) fn submit(
        &self,
        item: C,
        mut run: impl FnMut(Vec<C>) -> Vec<R>,
        on_panic: impl Fn() -> R,
    ) -> R {
        let (wake, woken) = sync_channel(1);
        let mut state = self.lock();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.queued.push(Queued { ticket, item, wake });
        if state.running {
            drop(state);
            match woken.recv() {
                Ok(Wake::Done(outcome)) => return outcome,
                Ok(Wake::Lead) => state = self.lock(),
                Err(_) => unreachable!("a queued caller's sender is kept until it is woken"),
            }
        } else {
            state.running = true;
        }
        self.lead(state, ticket, &mut run, &on_panic)
    }

    /// Runs groups until the leader's own item (`own`) is done, and a few
    /// more while others keep arriving; then hands the lead to the oldest
    /// waiting caller, if any.
    fn lead<'g>(
        &'g self,
        mut state: MutexGuard<'g, State<C, R>>,
        own: u64,
        run: &mut impl FnMut(Vec<C>) -> Vec<R>,
        on_panic: &impl Fn() -> R,
    ) -> R {
        let _leading = Leading(self);
        let mut mine = None;
        let mut led = 0;
        while mine.is_none() || (!state.queued.is_empty() && led <= LEAD_AGAIN) {
            let take = state.queued.len().min(self.max);
            let batch: Vec<Queued<C, R>> = state.queued.drain(..take).collect();
            drop(state);
            let mut waiting = Waiting {
                wakes: Vec::with_capacity(batch.len()),
                own,
                on_panic,
            };
            let items = batch
                .into_iter()
                .map(|queued| {
                    waiting.wakes.push((queued.ticket, queued.wake));
                    queued.item
                })
                .collect();
            let outcomes = run(items);
            assert_eq!(
                outcomes.len(),
                waiting.wakes.len(),
                "a group's run returns one outcome per item"
            );
            for ((ticket, wake), outcome) in waiting.wakes.drain(..).zip(outcomes) {
                if ticket == own {
                    mine = Some(outcome);
                } else {
                    // The caller sleeps on its receiver until this arrives.
                    let _ = wake.send(Wake::Done(outcome));
                }
            }
            led += 1;
            state = self.lock();
        }
        drop(state);
        mine.expect("the loop ends once the leader's own item is done")
    }

    fn lock(&self) -> MutexGuard<'_, State<C, R>> {
        // Nothing panics while the state is locked; a poisoned lock only
        // means a leader's `run` panicked, which the guards already handled.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
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

/// The callers of a run in progress: if the run panics, each of them but the
/// leader gets `on_panic()`.
struct Waiting<'a, R, P: Fn() -> R> {
    wakes: Vec<(u64, SyncSender<Wake<R>>)>,
    own: u64,
    on_panic: &'a P,
}

impl<R, P: Fn() -> R> Drop for Waiting<'_, R, P> {
    fn drop(&mut self) {
        for (ticket, wake) in self.wakes.drain(..) {
            if ticket != self.own {
                let _ = wake.send(Wake::Done((self.on_panic)()));
            }
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
