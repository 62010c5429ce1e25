//! The one place where the library's plain types (the model's [`Filter`],
//! [`Query`], [`Source`], [`Stats`], [`Rotation`], [`AuditError`]) meet the component's
//! generated WIT records, so that a change to the WIT touches this module
//! and not the public API.

use auditlog_model::{
    AuditError, Filter, NameStats, Query, Rotation, RotationAction, Source, Stats,
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
