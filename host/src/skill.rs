//! Running sandboxed skills (world `skill` in `wit/auditlog.wit`): the seed's
//! "every dispatch is recorded" hook, with the skill in a sandbox.
//!
//! A skill is a component that exports `skill-entry.run` and imports only
//! `skill-audit.event` (and WASI, granted empty: no preopened directories, no
//! network, no environment, closed stdin, output discarded). It runs under
//! the log's time and memory limits. Its events become tool-log entries of
//! the user it runs for, with the skill's name as the tool — identity the
//! host knows and the skill cannot name, so it cannot write as another skill
//! or user. Whatever the skill does, its run is recorded afterwards as one
//! tool entry: `args` = `{"input": ..., "duration_ms": ...}`, status `ok` or
//! `error`, and the start of its result or error as `result_snippet`.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use wasmtime::Store;
use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::ToolCall;
use crate::entry::Entry;
use crate::error::{Error, Result};
use crate::log::AuditLog;
use crate::runtime::{Limited, MemoryLimiter};

#[allow(missing_docs)]
mod bindings {
    wasmtime::component::bindgen!({
        world: "skill",
        path: "../wit",
    });
}

/// What a skill run came to.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillOutcome {
    /// The skill's result, or why it failed (a refusal of its own, or a trap
    /// such as a time or memory limit), as the skill gave it: it may hold
    /// secrets the log redacted. Show [`SkillOutcome::stored_output`] instead.
    pub result: std::result::Result<String, String>,
    /// The tool entry recording the run.
    pub entry: Entry,
    /// How many of the skill's own events were recorded.
    pub events: u32,
}

impl SkillOutcome {
    /// The result or error as the log stored it (the entry's
    /// `result_snippet`): redacted by the component, and cut to the
    /// snippet's length. What to print or send on, rather than
    /// [`SkillOutcome::result`].
    pub fn stored_output(&self) -> &str {
        self.entry
            .get("result_snippet")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }
}

/// A running skill's store: an empty WASI context, its limiter, and where
/// its events go.
struct SkillState {
    wasi: WasiCtx,
    table: ResourceTable,
    limiter: MemoryLimiter,
    log: Arc<AuditLog>,
    user: String,
    skill: String,
    events: u32,
}

impl WasiView for SkillState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl Limited for SkillState {
    fn limiter(&mut self) -> &mut MemoryLimiter {
        &mut self.limiter
    }
}

/// `skill-audit.event`: one of the skill's own events, as a tool entry
/// stamped with the user and skill the host knows.
impl bindings::audit::log::skill_audit::Host for SkillState {
    fn event(
        &mut self,
        name: String,
        status: String,
        detail: String,
    ) -> std::result::Result<(), String> {
        auditlog_model::validate::name("name", &name).map_err(|e| e.to_string())?;
        // Read as strictly as every other JSON the log is given: a repeated
        // key or an inexact number is refused, not silently changed.
        let detail = Value::Object(
            auditlog_model::validate::json_object("detail", &detail).map_err(|e| e.to_string())?,
        );
        let call = ToolCall::new(self.user.clone(), self.skill.clone(), status)
            .args(&json!({"event": name, "detail": detail}));
        self.log.append_tool(&call).map_err(|e| e.to_string())?;
        self.events += 1;
        Ok(())
    }
}

impl AuditLog {
    /// Runs the skill component `component` (bytes) as `skill` for `user` on
    /// `input`, links its audit events to this log, and records the run.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a `user` or `skill` that could not be stamped on
    /// an entry (checked before the skill runs); [`Error::Component`] when
    /// `component` is not a skill component; storage errors when the run
    /// cannot be recorded. A skill that fails or traps is not an error: see
    /// [`SkillOutcome::result`].
    pub fn run_skill(
        self: &Arc<Self>,
        user: &str,
        skill: &str,
        component: &[u8],
        input: &str,
    ) -> Result<SkillOutcome> {
        auditlog_model::validate::user(user)?;
        auditlog_model::validate::name("skill", skill)?;
        auditlog_model::reserved::refuse_reserved("skill", skill)?;

        let engine = self.runtime().engine();
        let compiled = crate::cache::load_or_compile(engine, component)
            .map_err(|e| Error::Component(format!("{e:#}")))?;
        let mut linker = Linker::<SkillState>::new(engine);
        let component_error = |e: wasmtime::Error| Error::Component(format!("{e:#}"));
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(component_error)?;
        bindings::Skill::add_to_linker::<SkillState, HasSelf<SkillState>>(&mut linker, |s| s)
            .map_err(component_error)?;

        let limits = self.limits();
        let state = SkillState {
            wasi: crate::runtime::empty_wasi().build(),
            table: ResourceTable::new(),
            limiter: MemoryLimiter::new(limits.memory),
            log: Arc::clone(self),
            user: user.to_owned(),
            skill: skill.to_owned(),
            events: 0,
        };
        let mut store = Store::new(engine, state);
        store.limiter(|state| &mut state.limiter);
        limits.arm(&mut store);

        let started = Instant::now();
        let result = match bindings::Skill::instantiate(&mut store, &compiled, &linker) {
            Err(e) => Err(format!(
                "cannot start the skill: {}",
                limits.trap_error(&mut store, &e)
            )),
            Ok(instance) => match instance.audit_log_skill_entry().call_run(&mut store, input) {
                Ok(result) => result,
                Err(trap) => Err(format!(
                    "the skill failed: {}",
                    limits.trap_error(&mut store, &trap)
                )),
            },
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (status, output) = match &result {
            Ok(text) => ("ok", text.as_str()),
            Err(reason) => ("error", reason.as_str()),
        };
        let call = ToolCall::new(user, skill, status)
            .args(&json!({"input": input, "duration_ms": duration_ms}))
            .output(output);
        let receipt = self.append_tool(&call)?;
        Ok(SkillOutcome {
            result,
            entry: receipt.entry,
            events: store.data().events,
        })
    }
}
