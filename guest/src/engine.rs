//! [`Engine`]: one log directory, its limits and its clock — what the
//! component's exports call.

use crate::adopt::{self, Adoption};
use crate::clock::{self, Clock};
use crate::day_files;
use crate::error::AuditError;
use crate::open_files::OpenFiles;
use crate::query::Source;
use crate::query::{self, Filter, Page, Query};
use crate::recovery::Recovery;
use crate::rotation::Rotation;
use crate::settings::{Settings, SettingsUpdate};
use crate::skill_log::{self, SkillReceipt, SkillRun};
use crate::stats::{self, Stats};
use crate::storage::Storage;
use crate::tool_log::{self, ToolCall, ToolReceipt};
use crate::verify::{self, LogEnd, Report};

/// The audit logs in one directory.
pub struct Engine<S: Storage> {
    storage: S,
    settings: Settings,
    clock: Clock,
    /// The tool-log files appends last wrote, kept open for the next.
    active: OpenFiles<S::File>,
}

impl<S: Storage> Engine<S> {
    /// The logs in `storage`, with default settings and the system clock.
    pub fn new(storage: S) -> Self {
        Self::with_clock(storage, clock::system())
    }

    /// The logs in `storage`, stamping entries with `clock`.
    pub fn with_clock(storage: S, clock: Clock) -> Self {
        Self {
            storage,
            settings: Settings::default(),
            clock,
            active: OpenFiles::default(),
        }
    }

    /// The limits in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Changes the limits for later calls.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming a value out of range; nothing changes.
    pub fn configure(&mut self, update: &SettingsUpdate) -> Result<(), AuditError> {
        self.settings = self.settings.updated(update)?;
        self.active.clear();
        Ok(())
    }

    /// Seals the legacy entries of the logs `source` names; see
    /// [`adopt::adopt`].
    ///
    /// # Errors
    /// As [`adopt::adopt`].
    pub fn adopt(&mut self, source: Option<&Source>) -> Result<Vec<Adoption>, AuditError> {
        self.active.clear();
        let now = (self.clock)();
        adopt::adopt(&self.storage, &self.settings, now, source)
    }

    /// Appends a skill run to the skill log; see [`skill_log::append`].
    ///
    /// # Errors
    /// As [`skill_log::append`].
    pub fn append_skill(&self, run: &SkillRun) -> Result<SkillReceipt, AuditError> {
        skill_log::append(&self.storage, &self.settings, (self.clock)(), run)
    }

    /// Appends many skill runs in one call; see [`skill_log::append_many`].
    ///
    /// # Errors
    /// As [`skill_log::append_many`].
    pub fn append_skills(&self, runs: &[SkillRun]) -> Result<Vec<SkillReceipt>, AuditError> {
        skill_log::append_many(&self.storage, &self.settings, (self.clock)(), runs)
    }

    /// Appends a tool call to its user's tool log; see [`tool_log::append`].
    ///
    /// # Errors
    /// As [`tool_log::append`].
    pub fn append_tool(&self, call: &ToolCall) -> Result<ToolReceipt, AuditError> {
        tool_log::append(
            &self.storage,
            &self.settings,
            (self.clock)(),
            call,
            &self.active,
        )
    }

    /// Appends many tool calls in one call; see [`tool_log::append_many`].
    ///
    /// # Errors
    /// As [`tool_log::append_many`].
    pub fn append_tools(&self, calls: &[ToolCall]) -> Result<Vec<ToolReceipt>, AuditError> {
        tool_log::append_many(
            &self.storage,
            &self.settings,
            (self.clock)(),
            calls,
            &self.active,
        )
    }

    /// A page of the newest entries matching `query`; see [`query::recent`].
    ///
    /// # Errors
    /// As [`query::recent`].
    pub fn recent(&self, query: &Query) -> Result<Page, AuditError> {
        query::recent(&self.storage, (self.clock)(), query)
    }

    /// Totals over the entries matching `filter`; see [`stats::stats`].
    ///
    /// # Errors
    /// As [`stats::stats`].
    pub fn stats(&self, filter: &Filter) -> Result<Stats, AuditError> {
        stats::stats(&self.storage, &self.settings.chain, (self.clock)(), filter)
    }

    /// Reads the logs `source` names (`None`: the skill log and every
    /// user's) in full and repairs every damaged file; see
    /// [`crate::recovery`].
    ///
    /// # Errors
    /// [`AuditError::Invalid`] for a bad user name; [`AuditError::Storage`]
    /// when a file cannot be read or rewritten.
    pub fn repair(&self, source: Option<&Source>) -> Result<Vec<Recovery>, AuditError> {
        let now = (self.clock)();
        let users = self.tool_log_users(source)?;
        let mut recovered = Vec::new();
        if matches!(source, None | Some(Source::Skills)) {
            recovered.extend(skill_log::repair(&self.storage, &self.settings, now)?);
        }
        for user in users {
            recovered.extend(tool_log::repair(&self.storage, &self.settings, now, &user)?);
        }
        Ok(recovered)
    }

    /// Applies the rotation policy now to the tool logs `source` names
    /// (`None` or all users: every user's; the skill log has none); see
    /// [`tool_log::rotate`]. Returns what changed, user by user, oldest file
    /// first.
    ///
    /// Every user's files are read first ([`tool_log::check_rotation`]), so
    /// that a file that cannot be read stops the call before any changes.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] for a bad user name; storage errors.
    pub fn rotate(&self, source: Option<&Source>) -> Result<Vec<Rotation>, AuditError> {
        let now = (self.clock)();
        let users = self.tool_log_users(source)?;
        if users.len() > 1 {
            for user in &users {
                tool_log::check_rotation(&self.storage, &self.settings, now, user)?;
            }
        }
        let mut done = Vec::new();
        for user in users {
            tool_log::rotate(&self.storage, &self.settings, now, &user, &mut done)
                .map_err(|e| e.after_changes(&Rotation::report_lines(&done, false)))?;
        }
        Ok(done)
    }

    /// The users whose tool logs `source` names: every user directory for
    /// `None` and all users (whatever rule of names a directory predates),
    /// none for the skill log, or the one user asked for by name.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] for a bad user name; storage errors listing
    /// the users.
    fn tool_log_users(&self, source: Option<&Source>) -> Result<Vec<String>, AuditError> {
        match source {
            None | Some(Source::AllUsers) => day_files::users(&self.storage),
            Some(Source::Skills) => Ok(Vec::new()),
            Some(Source::User(user)) => {
                crate::entry::read_user(user)?;
                Ok(vec![user.clone()])
            }
        }
    }

    /// Checks the chains; see [`verify::verify`].
    ///
    /// # Errors
    /// As [`verify::verify`].
    pub fn verify(
        &self,
        source: Option<&Source>,
        checkpoint: &[LogEnd],
    ) -> Result<Report, AuditError> {
        let now = (self.clock)();
        verify::verify(&self.storage, &self.settings.chain, now, source, checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::faulty::{Fault, FaultyStorage};
    use crate::storage::fs::FsStorage;
    use chrono::{TimeZone, Utc};

    /// A rotation of every user that fails part-way names, in its error,
    /// every file it had deleted: the files stay deleted, and the caller
    /// is told which.
    #[test]
    fn a_rotation_that_fails_part_way_names_what_it_changed() {
        let mut failures_after_changes = 0;
        for n in 1..=40 {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            for day in 1..=4 {
                let now = Utc.with_ymd_and_hms(2025, 10, day, 10, 0, 0).unwrap();
                let logs = Engine::with_clock(&storage, Box::new(move || now));
                for user in ["amy", "bob", "cy"] {
                    let call = ToolCall {
                        user: user.into(),
                        tool: "t".into(),
                        args: "{}".into(),
                        status: "ok".into(),
                        output: String::new(),
                    };
                    logs.append_tool(&call).unwrap();
                }
            }
            let listing = || -> Vec<String> {
                ["amy", "bob", "cy"]
                    .iter()
                    .flat_map(|user| {
                        day_files::every_file(&storage, user)
                            .unwrap()
                            .into_iter()
                            .map(|file| file.path(user))
                    })
                    .collect()
            };
            let before = listing();
            let now = Utc.with_ymd_and_hms(2025, 10, 4, 12, 0, 0).unwrap();
            let mut logs = Engine::with_clock(
                FaultyStorage::new(&storage, Fault::Io, n),
                Box::new(move || now),
            );
            logs.configure(&SettingsUpdate {
                max_days: Some(1),
                ..SettingsUpdate::default()
            })
            .unwrap();
            let Err(error) = logs.rotate(None) else {
                continue;
            };
            let after = listing();
            let gone: Vec<&String> = before.iter().filter(|f| !after.contains(f)).collect();
            let message = error.to_string();
            for file in &gone {
                assert!(message.contains(file.as_str()), "{file}: {message}");
            }
            // Named once, in the order made: one note, not one a user.
            assert!(message.matches("before this").count() <= 1, "{message}");
            let named: Vec<usize> = gone
                .iter()
                .filter_map(|f| message.find(f.as_str()))
                .collect();
            assert!(named.is_sorted(), "{message}");
            failures_after_changes += usize::from(!gone.is_empty());
        }
        assert!(failures_after_changes > 0);
    }
}
