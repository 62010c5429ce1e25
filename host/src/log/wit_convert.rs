//! The one place where the library's plain types (the model's [`Filter`],
//! [`Query`], [`Source`], [`Stats`], [`Rotation`], [`AuditError`], the records
//! it appends and the reports it returns) meet the component's
//! generated WIT records, so that a change to the WIT touches this module
//! and not the public API.

use auditlog_model::{
    Adoption, AuditError, Filter, LegacyEntries, LogEnd, NameStats, Problem, Query, Recovery,
    Rotation, RotationAction, SkillRun, Source, Stats, ToolCall, UnsealedEntry, VerifyReport,
};

use crate::bindings::audit::log::types as wit;
use crate::error::Error;

/// `source` as the component takes it.
pub(crate) fn source(source: &Source) -> wit::Source {
    match source {
        Source::Skills => wit::Source::Skills,
        Source::User(user) => wit::Source::User(user.clone()),
        Source::AllUsers => wit::Source::AllUsers,
    }
}

/// `filter` as the component takes it.
pub(crate) fn filter(filter: &Filter) -> wit::Filter {
    wit::Filter {
        source: source(&filter.source),
        name: filter.name.clone(),
        status: filter.status.clone(),
        since: filter.since.clone(),
        until: filter.until.clone(),
        days: filter.days,
    }
}

/// `query` as the component takes it.
pub(crate) fn query(query: &Query) -> wit::Query {
    wit::Query {
        filter: filter(&query.filter),
        limit: query.limit,
        cursor: query.cursor.clone(),
    }
}

/// The component's totals as the model's [`Stats`].
pub(crate) fn stats(summary: wit::Summary) -> Stats {
    let counts = |list: Vec<wit::KeyCount>| list.into_iter().map(|c| (c.key, c.count)).collect();
    Stats {
        total: summary.total,
        errors: summary.errors,
        error_rate: summary.error_rate,
        other: summary.other,
        by_status: counts(summary.by_status),
        by_name: summary
            .by_name
            .into_iter()
            .map(|n| {
                let stats = NameStats {
                    count: n.count,
                    errors: n.errors,
                    avg_ms: n.avg_ms,
                    p50_ms: n.p50_ms,
                    p95_ms: n.p95_ms,
                    max_ms: n.max_ms,
                };
                (n.name, stats)
            })
            .collect(),
        by_user: counts(summary.by_user),
        by_day: counts(summary.by_day),
    }
}

/// A file the component's rotation changed, as the model's [`Rotation`].
pub(crate) fn rotation(rotation: wit::Rotation) -> Rotation {
    Rotation {
        file: rotation.file,
        action: match rotation.action {
            wit::RotationAction::Compressed => RotationAction::Compressed,
            wit::RotationAction::Deleted => RotationAction::Deleted,
        },
        bytes: rotation.bytes,
    }
}

/// `run` as the component takes it.
pub(crate) fn skill_run(run: &SkillRun) -> wit::SkillRun {
    wit::SkillRun {
        skill: run.skill.clone(),
        status: run.status.clone(),
        duration_ms: run.duration_ms,
        errors: run.errors.clone(),
        metadata: run.metadata.clone(),
    }
}

/// `call` as the component takes it.
pub(crate) fn tool_call(call: &ToolCall) -> wit::ToolCall {
    wit::ToolCall {
        user: call.user.clone(),
        tool: call.tool.clone(),
        args: call.args.clone(),
        status: call.status.clone(),
        output: call.output.clone(),
    }
}

/// A repair the component reports, as the model's [`Recovery`] (whose
/// `notice()` words it the same way).
pub(crate) fn recovery(recovery: wit::Recovery) -> Recovery {
    Recovery {
        file: recovery.file,
        reason: recovery.reason,
        moved_to: recovery.moved_to,
        bytes: recovery.bytes,
        kept: recovery.kept,
    }
}

/// `end` (of a checkpoint) as the component takes it.
pub(crate) fn log_end(end: &LogEnd) -> wit::LogEnd {
    wit::LogEnd {
        log: end.log.clone(),
        seq: end.seq,
        link: end.link.clone(),
    }
}

/// The component's verification report as the model's [`VerifyReport`].
pub(crate) fn verify_report(report: wit::VerifyReport) -> VerifyReport {
    VerifyReport {
        entries: report.entries,
        ends: report
            .ends
            .into_iter()
            .map(|end| LogEnd {
                log: end.log,
                seq: end.seq,
                link: end.link,
            })
            .collect(),
        legacy: report
            .legacy
            .into_iter()
            .map(|l| LegacyEntries {
                log: l.log,
                before_chain: l.before_chain,
                total: l.total,
                adopted_seq: l.adopted_seq,
                adopted_entries: l.adopted_entries,
                first_time: l.first_time,
                last_time: l.last_time,
            })
            .collect(),
        unsealed: report
            .unsealed
            .into_iter()
            .map(|u| UnsealedEntry {
                file: u.file,
                line: u.line,
            })
            .collect(),
        unsealed_total: report.unsealed_total,
        problem: report.problem.map(|p| Problem {
            file: p.file,
            line: p.line,
            seq: p.seq,
            reason: p.reason,
        }),
    }
}

/// What the component's `adopt` did for one log, as the model's [`Adoption`].
pub(crate) fn adoption(adoption: wit::Adoption) -> Adoption {
    Adoption {
        log: adoption.log,
        entries: adoption.entries,
        first_time: adoption.first_time,
        last_time: adoption.last_time,
        sealed_as: adoption.sealed_as,
        adopted_at: adoption.adopted_at,
    }
}

impl From<wit::AuditError> for AuditError {
    fn from(error: wit::AuditError) -> Self {
        match error {
            wit::AuditError::Invalid(wit::FieldError { field, reason }) => {
                Self::Invalid { field, reason }
            }
            wit::AuditError::Storage(message) => Self::Storage(message),
            wit::AuditError::Corrupt(message) => Self::Corrupt(message),
        }
    }
}

impl From<wit::AuditError> for Error {
    fn from(error: wit::AuditError) -> Self {
        AuditError::from(error).into()
    }
}
