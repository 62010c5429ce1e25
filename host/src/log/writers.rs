//! Group commit for [`AuditLog`]'s appends: how a group of concurrent
//! appends is written, and the instances tool appends are spread over.
//!
//! A group is written in one call into the component. When that call is
//! refused (one entry is bad) or fails on storage, the component wrote
//! nothing, so the group is written again one entry at a time and each
//! caller gets exactly its own outcome; any other failure (a trap, a
//! limit, a failed flush) reaches every caller of the group. That rule is
//! [`write_group`], for the tool log and the skill log alike.

use std::collections::HashMap;

use super::*;

/// The most appends one group writes: bounded so that a group's call into
/// the component stays far inside its time limit.
pub(super) const MAX_GROUP: usize = 64;

/// The most instances tool appends are spread over.
const MAX_TOOL_WRITERS: usize = 4;

/// The instances tool appends are spread over, and which user goes to which.
pub(super) struct ToolWriters {
    writers: Vec<ToolWriter>,
    /// Each user seen so far and their writer: users are dealt out in turn
    /// as they first append, so a few busy users spread evenly.
    users: Mutex<HashMap<String, usize>>,
}

/// One instance of the component for tool appends, and the group of the
/// appends waiting for it.
pub(super) struct ToolWriter {
    pub(super) instance: Slot,
    pub(super) group: Group<wit::ToolCall, Result<ToolReceipt>>,
}

/// The most users [`ToolWriters`] remembers; past it, it starts dealing
/// anew (a user moved to another writer costs that writer one read of the
/// user's file end, nothing else).
const MAX_REMEMBERED_USERS: usize = 100_000;

impl ToolWriters {
    /// One writer per core the machine offers, up to [`MAX_TOOL_WRITERS`]:
    /// more would only queue for the same cores. Each instance is created on
    /// its first append. `flushing`: each call into a writer's instance
    /// ends in a flush, so its groups gather ([`Group::gathering`]).
    pub(super) fn per_core(flushing: bool) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            writers: (0..cores.clamp(1, MAX_TOOL_WRITERS))
                .map(|_| ToolWriter {
                    instance: Mutex::new(None),
                    group: group(flushing),
                })
                .collect(),
            users: Mutex::new(HashMap::new()),
        }
    }

    /// The writer `user`'s appends go to: always the same one, so that its
    /// instance knows where the user's file ends and a user's concurrent
    /// appends are grouped together.
    pub(super) fn of(&self, user: &str) -> &ToolWriter {
        // Only a map of small integers is behind the lock: it cannot be left
        // inconsistent by a panic.
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        let k = match users.get(user) {
            Some(&k) => k,
            None => {
                if users.len() >= MAX_REMEMBERED_USERS {
                    users.clear();
                }
                let k = users.len() % self.writers.len();
                users.insert(user.to_owned(), k);
                k
            }
        };
        &self.writers[k]
    }
}

impl AuditLog {
    /// Writes `calls`, a group of [`append_tool`](Self::append_tool) calls,
    /// on `writer`'s instance, as [`write_group`] says.
    pub(super) fn write_tool_group(
        &self,
        writer: &ToolWriter,
        calls: Vec<wit::ToolCall>,
    ) -> Vec<Result<ToolReceipt>> {
        write_group(
            &calls,
            |call| {
                let receipt = self.call_on(&writer.instance, |i| {
                    i.bindings
                        .audit_log_log()
                        .call_append_tool(&mut i.store, call)
                })?;
                self.tool_receipt(receipt)
            },
            |calls| {
                let receipts = self.call_on(&writer.instance, |i| {
                    i.bindings
                        .audit_log_log()
                        .call_append_tools(&mut i.store, calls)
                })?;
                Ok(receipts.into_iter().map(|r| self.tool_receipt(r)).collect())
            },
        )
    }

    /// Writes `runs`, a group of [`append_skill`](Self::append_skill) calls,
    /// as [`write_group`] says.
    pub(super) fn write_skill_group(&self, runs: Vec<wit::SkillRun>) -> Vec<Result<SkillReceipt>> {
        write_group(
            &runs,
            |run| {
                let receipt = self.call(|i| {
                    i.bindings
                        .audit_log_log()
                        .call_append_skill(&mut i.store, run)
                })?;
                self.skill_receipt(receipt)
            },
            |runs| {
                let receipts = self.call(|i| {
                    i.bindings
                        .audit_log_log()
                        .call_append_skills(&mut i.store, runs)
                })?;
                Ok(receipts
                    .into_iter()
                    .map(|r| self.skill_receipt(r))
                    .collect())
            },
        )
    }
}

/// Writes `items`, one group of appends, and returns one outcome per item,
/// in order: a lone item with `alone`; several with `together`, in one call,
/// and when that call wrote nothing (it refused an item, or failed on
/// storage) with `alone` again for each, so that each item gets exactly its
/// own outcome. Any other failure of `together` is every item's outcome.
fn write_group<T, R>(
    items: &[T],
    alone: impl Fn(&T) -> Result<R>,
    together: impl FnOnce(&[T]) -> Result<Vec<Result<R>>>,
) -> Vec<Result<R>> {
    if let [item] = items {
        return vec![alone(item)];
    }
    match together(items) {
        Ok(outcomes) => outcomes,
        Err(error) if error.wrote_nothing() => items.iter().map(alone).collect(),
        Err(error) => items.iter().map(|_| Err(error.replicate())).collect(),
    }
}

/// A group for appends: gathering when each call into the component ends
/// in a flush, where a run costs about the same for one entry as for many.
pub(super) fn group<C, R>(flushing: bool) -> Group<C, R> {
    let group = Group::new(MAX_GROUP);
    if flushing { group.gathering() } else { group }
}

/// What the callers of a group get when writing it panicked.
pub(super) fn group_panicked<T>() -> Result<T> {
    Err(Error::Trap(
        "another call's write of this group panicked".to_owned(),
    ))
}
