//! The component's face: WIT bindings, and the `audit:log/log` export
//! delegating to one [`Engine`] per instance — over the host's storage
//! (world `auditlog`), or, with the `portable` feature, over WASI's
//! filesystem with the command line as `wasi:cli/run` (world `portable`).

#[cfg(feature = "portable")]
mod command;
#[cfg(not(feature = "portable"))]
mod host_storage;
mod seed;

use std::cell::RefCell;

use auditlog_model::settings::{self, SettingKind, SettingSpec};

use crate::bindings::audit::log::types;
use crate::bindings::exports::audit::log::log::{Guest, SeedAnswer};

use crate::adopt::Adoption;
use crate::engine::Engine;
use crate::error::AuditError;
use crate::query::{Filter, Query, Source};
use crate::recovery::Recovery;
use crate::rotation::RotationAction;
use crate::settings::SettingsUpdate;
use crate::skill_log::SkillRun;
use crate::tool_log::ToolCall;
use crate::verify::{Legacy, LogEnd};
use auditlog_model::Selection;

/// Where the files are: the host's handles to the directory it granted.
#[cfg(not(feature = "portable"))]
type Files = host_storage::HostStorage;
/// Where the files are: the directory the runtime preopened as `/`.
#[cfg(feature = "portable")]
type Files = crate::storage::fs::FsStorage;

#[cfg(not(feature = "portable"))]
fn files() -> Files {
    host_storage::HostStorage
}

#[cfg(feature = "portable")]
fn files() -> Files {
    crate::storage::fs::FsStorage::new("/")
}

/// The export's entry points (generated code).
#[allow(unsafe_code, clippy::all)]
mod export {
    use super::Component;
    crate::bindings::export!(Component with_types_in crate::bindings);
}

thread_local! {
    static LOGS: RefCell<Engine<Files>> = RefCell::new(Engine::new(files()));
}

struct Component;

impl Guest for Component {
    fn configure(settings: types::Settings) -> Result<(), types::AuditError> {
        let update = auditlog_model::convert_settings!(settings => SettingsUpdate);
        LOGS.with_borrow_mut(|logs| logs.configure(&update))
            .map_err(into_wit)
    }

    fn settings_schema() -> Vec<types::SettingSpec> {
        settings::SETTINGS.iter().map(setting_spec).collect()
    }

    fn append_skill(run: types::SkillRun) -> Result<types::SkillReceipt, types::AuditError> {
        let receipt = LOGS
            .with_borrow(|logs| logs.append_skill(&skill_run(run)))
            .map_err(into_wit)?;
        Ok(skill_receipt(receipt))
    }

    fn append_skills(
        runs: Vec<types::SkillRun>,
    ) -> Result<Vec<types::SkillReceipt>, types::AuditError> {
        let runs: Vec<SkillRun> = runs.into_iter().map(skill_run).collect();
        let receipts = LOGS
            .with_borrow(|logs| logs.append_skills(&runs))
            .map_err(into_wit)?;
        Ok(receipts.into_iter().map(skill_receipt).collect())
    }

    fn append_tool(call: types::ToolCall) -> Result<types::ToolReceipt, types::AuditError> {
        let receipt = LOGS
            .with_borrow(|logs| logs.append_tool(&tool_call(call)))
            .map_err(into_wit)?;
        Ok(tool_receipt(receipt))
    }

    fn append_tools(
        calls: Vec<types::ToolCall>,
    ) -> Result<Vec<types::ToolReceipt>, types::AuditError> {
        let calls: Vec<ToolCall> = calls.into_iter().map(tool_call).collect();
        let receipts = LOGS
            .with_borrow(|logs| logs.append_tools(&calls))
            .map_err(into_wit)?;
        Ok(receipts.into_iter().map(tool_receipt).collect())
    }

    fn recent(query: types::Query) -> Result<types::Page, types::AuditError> {
        let query = Query {
            filter: filter(query.filter),
            limit: query.limit,
            cursor: query.cursor,
        };
        let page = LOGS
            .with_borrow(|logs| logs.recent(&query))
            .map_err(into_wit)?;
        Ok(types::Page {
            entries: page.entries,
            next_cursor: page.next_cursor,
        })
    }

    fn repair(source_in: Option<types::Source>) -> Result<Vec<types::Recovery>, types::AuditError> {
        let source = source_in.map(source);
        LOGS.with_borrow(|logs| logs.repair(source.as_ref()))
            .map(recoveries)
            .map_err(into_wit)
    }

    fn rotate(source_in: Option<types::Source>) -> Result<Vec<types::Rotation>, types::AuditError> {
        let source = source_in.map(source);
        let done = LOGS
            .with_borrow(|logs| logs.rotate(source.as_ref()))
            .map_err(into_wit)?;
        Ok(done
            .into_iter()
            .map(|r| types::Rotation {
                file: r.file,
                action: match r.action {
                    RotationAction::Compressed => types::RotationAction::Compressed,
                    RotationAction::Deleted => types::RotationAction::Deleted,
                },
                bytes: r.bytes,
            })
            .collect())
    }

    fn verify(
        source: Option<types::Source>,
        checkpoint: Vec<types::LogEnd>,
    ) -> Result<types::VerifyReport, types::AuditError> {
        Component::verify_logs(source, checkpoint)
    }

    fn adopt(source_in: Option<types::Source>) -> Result<Vec<types::Adoption>, types::AuditError> {
        let source = source_in.map(source);
        let adopted = LOGS
            .with_borrow_mut(|logs| logs.adopt(source.as_ref()))
            .map_err(into_wit)?;
        Ok(adopted.into_iter().map(adoption).collect())
    }

    fn select(selection: types::Selection) -> Result<types::Filter, types::AuditError> {
        let chosen = Selection {
            skills: selection.skills,
            user: selection.user,
            all_users: selection.all_users,
            skill: selection.skill,
            tool: selection.tool,
            status: selection.status,
            since: selection.since,
            until: selection.until,
            days: selection.days,
        }
        .filter()
        .map_err(into_wit)?;
        Ok(types::Filter {
            source: match chosen.source {
                Source::Skills => types::Source::Skills,
                Source::User(user) => types::Source::User(user),
                Source::AllUsers => types::Source::AllUsers,
            },
            name: chosen.name,
            status: chosen.status,
            since: chosen.since,
            until: chosen.until,
            days: chosen.days,
        })
    }

    fn stats(filter_in: types::Filter) -> Result<types::Summary, types::AuditError> {
        let stats = LOGS
            .with_borrow(|logs| logs.stats(&filter(filter_in)))
            .map_err(into_wit)?;
        let counts = |map: std::collections::BTreeMap<String, u64>| {
            map.into_iter()
                .map(|(key, count)| types::KeyCount { key, count })
                .collect()
        };
        Ok(types::Summary {
            total: stats.total,
            errors: stats.errors,
            error_rate: stats.error_rate,
            other: stats.other,
            by_status: counts(stats.by_status),
            by_name: stats
                .by_name
                .into_iter()
                .map(|(name, s)| types::NameStats {
                    name,
                    count: s.count,
                    errors: s.errors,
                    avg_ms: s.avg_ms,
                    p50_ms: s.p50_ms,
                    p95_ms: s.p95_ms,
                    max_ms: s.max_ms,
                })
                .collect(),
            by_user: counts(stats.by_user),
            by_day: counts(stats.by_day),
        })
    }

    fn record_seed(args: Vec<String>, log_path: String) -> SeedAnswer {
        let answer = seed::record(&args, &log_path);
        SeedAnswer {
            exit_code: answer.exit_code,
            response: answer.response,
            report: answer.report,
        }
    }
}

/// One entry of the model's settings table, as the WIT record.
fn setting_spec(spec: &SettingSpec) -> types::SettingSpec {
    types::SettingSpec {
        name: spec.name.to_owned(),
        kind: match spec.kind {
            SettingKind::U32 => types::SettingKind::Uint32,
            SettingKind::U64 => types::SettingKind::Uint64,
            SettingKind::Bool => types::SettingKind::Boolean,
            SettingKind::Bytes => types::SettingKind::Bytes,
            SettingKind::Words => types::SettingKind::Words,
        },
        default: spec.default.json(),
        min: spec.min(),
        max: spec.max(),
        zero_is_off: spec.zero_is_off(),
        value_name: spec.value_name.to_owned(),
        doc: spec.doc.to_owned(),
        file_key: spec.file_key.map(str::to_owned),
    }
}

fn skill_run(run: types::SkillRun) -> SkillRun {
    SkillRun {
        skill: run.skill,
        status: run.status,
        duration_ms: run.duration_ms,
        errors: run.errors,
        metadata: run.metadata,
    }
}

fn skill_receipt(receipt: crate::skill_log::SkillReceipt) -> types::SkillReceipt {
    types::SkillReceipt {
        entry: receipt.entry,
        path: receipt.path,
        total_entries: receipt.total_entries,
        recovered: recoveries(receipt.recovered),
        warnings: receipt.warnings,
    }
}

fn tool_call(call: types::ToolCall) -> ToolCall {
    ToolCall {
        user: call.user,
        tool: call.tool,
        args: call.args,
        status: call.status,
        output: call.output,
    }
}

fn tool_receipt(receipt: crate::tool_log::ToolReceipt) -> types::ToolReceipt {
    types::ToolReceipt {
        entry: receipt.entry,
        path: receipt.path,
        recovered: recoveries(receipt.recovered),
        warnings: receipt.warnings,
    }
}

fn adoption(a: Adoption) -> types::Adoption {
    types::Adoption {
        log: a.log,
        entries: a.entries,
        first_time: a.first_time,
        last_time: a.last_time,
        sealed_as: a.sealed_as,
        adopted_at: a.adopted_at,
    }
}

fn legacy_entries(legacy: Legacy) -> types::LegacyEntries {
    let counts = legacy.summary();
    types::LegacyEntries {
        log: counts.log,
        before_chain: counts.before_chain,
        total: counts.total,
        adopted_seq: counts.adopted_seq,
        adopted_entries: counts.adopted_entries,
        first_time: counts.first_time,
        last_time: counts.last_time,
    }
}

fn recoveries(recovered: Vec<Recovery>) -> Vec<types::Recovery> {
    recovered
        .into_iter()
        .map(|r| types::Recovery {
            notice: r.notice(),
            file: r.file,
            reason: r.reason,
            moved_to: r.moved_to,
            bytes: r.bytes,
            kept: r.kept,
        })
        .collect()
}

#[cfg(feature = "portable")]
impl crate::bindings::exports::wasi::cli::run::Guest for Component {
    fn run() -> Result<(), ()> {
        command::run()
    }
}

fn source(source: types::Source) -> Source {
    match source {
        types::Source::Skills => Source::Skills,
        types::Source::User(user) => Source::User(user),
        types::Source::AllUsers => Source::AllUsers,
    }
}

fn filter(filter: types::Filter) -> Filter {
    Filter {
        source: source(filter.source),
        name: filter.name,
        status: filter.status,
        since: filter.since,
        until: filter.until,
        days: filter.days,
    }
}

impl Component {
    fn verify_logs(
        source_in: Option<types::Source>,
        checkpoint: Vec<types::LogEnd>,
    ) -> Result<types::VerifyReport, types::AuditError> {
        let checkpoint: Vec<LogEnd> = checkpoint
            .into_iter()
            .map(|end| LogEnd {
                log: end.log,
                seq: end.seq,
                link: end.link,
            })
            .collect();
        let source = source_in.map(source);
        let report = LOGS
            .with_borrow(|logs| logs.verify(source.as_ref(), &checkpoint))
            .map_err(into_wit)?;
        Ok(types::VerifyReport {
            entries: report.entries,
            ends: report
                .ends
                .into_iter()
                .map(|end| types::LogEnd {
                    log: end.log,
                    seq: end.seq,
                    link: end.link,
                })
                .collect(),
            legacy: report.legacy.into_iter().map(legacy_entries).collect(),
            unsealed: report
                .unsealed
                .into_iter()
                .map(|u| types::UnsealedEntry {
                    file: u.file,
                    line: u.line,
                })
                .collect(),
            unsealed_total: report.unsealed_total,
            problem: report.problem.map(|p| types::Problem {
                file: p.file,
                line: p.line,
                seq: p.seq,
                reason: p.reason,
            }),
        })
    }
}

fn into_wit(error: AuditError) -> types::AuditError {
    match refusal(error) {
        AuditError::Invalid { field, reason } => {
            types::AuditError::Invalid(types::FieldError { field, reason })
        }
        AuditError::Storage(message) => types::AuditError::Storage(message),
        AuditError::Corrupt(message) => types::AuditError::Corrupt(message),
    }
}

/// `error` with the secrets in its reason redacted: a refusal quotes the
/// value it refused (`tool: must not contain '/', got "…"`), and the
/// message goes where logs are not kept from secrets — a caller's stderr,
/// its application log, an HTTP response. Every error leaving the
/// component passes here; the default rules apply (a message has no keys).
fn refusal(error: AuditError) -> AuditError {
    match error {
        AuditError::Invalid { field, reason } => AuditError::Invalid {
            field,
            reason: crate::redact_message(&reason),
        },
        other => other,
    }
}
