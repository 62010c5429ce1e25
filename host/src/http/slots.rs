//! The cap on open connections. A connection that has not yet sent its
//! request head is the cheapest to drop and the likeliest to be an attack
//! (slowloris), so when every slot is taken the oldest such connection makes
//! way for the new one; only when every slot is serving a request is the new
//! one refused.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::task::AbortHandle;

/// Up to `max` connections, and which of them still wait for their head.
pub struct Slots {
    max: usize,
    state: Mutex<State>,
    freed: Notify,
}

#[derive(Default)]
struct State {
    open: usize,
    next_id: u64,
    /// Connections still reading their request head, oldest first.
    waiting: VecDeque<(u64, AbortHandle)>,
}

/// One connection's slot, given back when dropped (also when its task is
/// aborted to make way).
pub struct Slot {
    slots: Arc<Slots>,
    id: u64,
}

impl Slots {
    /// Room for `max` connections.
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            max,
            state: Mutex::new(State::default()),
            freed: Notify::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `start(slot)` (which spawns the connection's task) if there is
    /// room, making room by aborting the oldest connection still waiting for
    /// its head if need be. `false` when every slot is serving a request.
    pub fn admit(
        self: &Arc<Self>,
        start: impl FnOnce(Slot) -> tokio::task::JoinHandle<()>,
    ) -> bool {
        let mut state = self.state();
        let evicted = if state.open < self.max {
            None
        } else {
            match state.waiting.pop_front() {
                Some((_, handle)) => Some(handle),
                None => return false,
            }
        };
        let id = state.next_id;
        state.next_id += 1;
        state.open += 1;
        let task = start(Slot {
            slots: Arc::clone(self),
            id,
        });
        state.waiting.push_back((id, task.abort_handle()));
        drop(state);
        // Outside the lock: the evicted task gives its slot back when dropped.
        if let Some(handle) = evicted {
            handle.abort();
        }
        true
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.state().open
    }

    /// Completes once no connection is open.
    pub async fn all_closed(&self) {
        loop {
            let freed = self.freed.notified();
            if self.open() == 0 {
                return;
            }
            freed.await;
        }
    }
}

impl Slot {
    /// Marks the connection's head as read: it is serving a request now and
    /// no longer makes way for new connections.
    pub fn head_read(&self) {
        let mut state = self.slots.state();
        state.waiting.retain(|(id, _)| *id != self.id);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut state = self.slots.state();
        state.open -= 1;
        state.waiting.retain(|(id, _)| *id != self.id);
        drop(state);
        self.slots.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A connection task that waits, holding its slot, until aborted or released.
    fn connection(
        slot: Slot,
        release: Arc<Notify>,
        read_head: bool,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if read_head {
                slot.head_read();
            }
            release.notified().await;
            drop(slot);
        })
    }

    #[tokio::test]
    async fn the_oldest_connection_without_a_head_makes_way() {
        let slots = Slots::new(2);
        let release = Arc::new(Notify::new());
        let mut tasks = Vec::new();
        for read_head in [false, false] {
            assert!(slots.admit(|slot| {
                let task = connection(slot, Arc::clone(&release), read_head);
                tasks.push(task.abort_handle());
                task
            }));
        }
        tokio::task::yield_now().await;
        // A third: the oldest silent one is aborted to make way.
        assert!(slots.admit(|slot| connection(slot, Arc::clone(&release), true)));
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(tasks[0].is_finished(), "the oldest was closed");
        assert!(!tasks[1].is_finished());
        assert_eq!(slots.open(), 2);
        // A fourth: the second silent one makes way. Then both slots serve
        // requests, and a fifth is refused.
        assert!(slots.admit(|slot| connection(slot, Arc::clone(&release), true)));
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(tasks[1].is_finished());
        assert!(!slots.admit(|_| unreachable!("no room")));
        release.notify_waiters();
        tokio::time::timeout(Duration::from_secs(1), slots.all_closed())
            .await
            .expect("every slot given back");
    }
}
