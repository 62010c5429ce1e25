//! Compiling the component once and instantiating it cheaply: the engine,
//! the linker and an `InstancePre`, shared by every [`AuditLog`](crate::AuditLog)
//! that uses the same component.
//!
//! Also the limits on the guest: every call runs under an epoch deadline (the
//! engine's epoch is advanced by one ticker thread per [`Runtime`]) and every
//! store under a memory cap ([`StoreLimits`] behind a small [`ResourceLimiter`]
//! that remembers a refusal, so the resulting trap can be named).

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::{
    Config, Engine, EngineWeak, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap,
};
use wasmtime_wasi::p2::pipe::ClosedInputStream;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use crate::bindings::{Auditlog, AuditlogPre};
use crate::error::{Error, Result};
use crate::storage::DirStorage;

/// The component built from `guest/` with this crate (`cargo build` builds it).
pub static EMBEDDED_COMPONENT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/auditlog.wasm"));

/// The same behaviour as a component for any runtime (world `portable`):
/// files through WASI's filesystem under the preopened `/`, and the command
/// line as `wasi:cli/run`. This crate does not run it; it hands it out
/// (`auditlog component --portable`) for the wasmtime CLI, Python and Node.
pub static PORTABLE_COMPONENT: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/auditlog-portable.wasm"));

/// How often the ticker thread advances the engine's epoch: the granularity
/// of [`Limits::call_timeout`].
const TICK: Duration = Duration::from_millis(10);

/// What one instance of the component owns.
pub struct State {
    wasi: WasiCtx,
    wasi_table: ResourceTable,
    pub(crate) storage: DirStorage,
    limiter: MemoryLimiter,
}

impl State {
    pub(crate) fn new(wasi: WasiCtx, storage: DirStorage) -> Self {
        Self {
            wasi,
            wasi_table: ResourceTable::new(),
            storage,
            limiter: MemoryLimiter::new(usize::MAX),
        }
    }
}

/// The limits one instance runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Longest wall-clock time of one call into the component (including
    /// instantiation and the host calls it makes, such as waiting for a lock).
    pub(crate) call_timeout: Duration,
    /// Largest size of each of the component's linear memories, in bytes.
    pub(crate) memory: usize,
}

impl Limits {
    /// Starts the clock for one call: the store traps once `call_timeout` has
    /// passed (at most one [`TICK`] later), and forgets an earlier refusal.
    pub(crate) fn arm<T: Limited>(&self, store: &mut Store<T>) {
        let tick = TICK.as_millis();
        // One tick more than the timeout, so the component always gets at
        // least `call_timeout`: the first tick may come at once.
        let ticks = self
            .call_timeout
            .as_millis()
            .div_ceil(tick)
            .saturating_add(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        store.data_mut().limiter().exceeded = false;
    }

    /// The named error for a trap caused by one of the limits, if it was.
    pub(crate) fn exceeded<T: Limited>(
        &self,
        store: &mut Store<T>,
        error: &wasmtime::Error,
    ) -> Option<Error> {
        if matches!(error.downcast_ref::<Trap>(), Some(Trap::Interrupt)) {
            Some(Error::Timeout {
                limit: self.call_timeout,
            })
        } else if store.data_mut().limiter().exceeded {
            Some(Error::OutOfMemory { limit: self.memory })
        } else {
            None
        }
    }

    /// The error for a failed call: a named limit, or else [`Error::Trap`].
    pub(crate) fn trap_error<T: Limited>(
        &self,
        store: &mut Store<T>,
        error: &wasmtime::Error,
    ) -> Error {
        self.exceeded(store, error)
            .unwrap_or_else(|| Error::Trap(format!("{error:#}")))
    }
}

/// A store's data that carries a [`MemoryLimiter`], so [`Limits`] applies to it.
pub(crate) trait Limited {
    /// The store's memory limiter.
    fn limiter(&mut self) -> &mut MemoryLimiter;
}

impl Limited for State {
    fn limiter(&mut self) -> &mut MemoryLimiter {
        &mut self.limiter
    }
}

/// [`StoreLimits`] with the memory cap, trapping on a refused growth (instead
/// of letting `memory.grow` return -1, which the guest's allocator would turn
/// into an anonymous abort), and remembering that it refused.
pub(crate) struct MemoryLimiter {
    limits: StoreLimits,
    exceeded: bool,
}

impl MemoryLimiter {
    pub(crate) fn new(memory: usize) -> Self {
        Self {
            limits: StoreLimitsBuilder::new()
                .memory_size(memory)
                .trap_on_grow_failure(true)
                .build(),
            exceeded: false,
        }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let growing = self.limits.memory_growing(current, desired, maximum);
        if !matches!(growing, Ok(true)) {
            self.exceeded = true;
        }
        growing
    }

    fn memory_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.memory_grow_failed(error)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn table_grow_failed(&mut self, error: wasmtime::Error) -> wasmtime::Result<()> {
        self.limits.table_grow_failed(error)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.wasi_table,
        }
    }
}

/// A WASI context that grants nothing of the host's: no environment
/// variables, arguments or preopened directories (none are added), closed
/// stdin, output discarded, and no network at all. Both the audit component
/// and sandboxed skills start from it.
pub(crate) fn empty_wasi() -> WasiCtxBuilder {
    let mut wasi = WasiCtx::builder();
    wasi.stdin(ClosedInputStream)
        .stdout(std::io::empty())
        .stderr(std::io::empty())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .socket_addr_check(|_, _| Box::pin(async { false }));
    wasi
}

/// A compiled component, ready to instantiate.
///
/// Each `Runtime` runs one background thread that advances its engine's
/// epoch every 10 ms (the clock of the per-call time limit); the thread ends
/// once the `Runtime` and every [`AuditLog`](crate::AuditLog) using it are
/// dropped.
pub struct Runtime {
    engine: Engine,
    pre: AuditlogPre<State>,
}

impl Runtime {
    /// Compiles `bytes` (a component) and links it against WASI and the storage
    /// interface.
    ///
    /// # Errors
    /// [`Error::Component`] when the bytes are not a component this host can
    /// run, or the ticker thread cannot be started.
    pub fn new(bytes: &[u8]) -> Result<Self> {
        Self::with_cache(bytes, crate::cache::cache_dir())
    }

    /// As [`Runtime::new`], with the compiled-component cache in `cache_dir`
    /// (`None`: always compile). For measuring both ways.
    ///
    /// # Errors
    /// As [`Runtime::new`].
    pub fn with_cache(bytes: &[u8], cache_dir: Option<std::path::PathBuf>) -> Result<Self> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(component_error)?;
        let component =
            crate::cache::load_or_compile_in(cache_dir, &engine, bytes).map_err(component_error)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(component_error)?;
        Auditlog::add_to_linker::<State, HasSelf<DirStorage>>(&mut linker, |state| {
            &mut state.storage
        })
        .map_err(component_error)?;
        let pre = AuditlogPre::new(
            linker
                .instantiate_pre(&component)
                .map_err(component_error)?,
        )
        .map_err(component_error)?;
        start_ticker(engine.weak())?;
        Ok(Self { engine, pre })
    }

    /// The engine the component runs on (its epoch ticks for every store on it).
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The embedded component, compiled once per process.
    ///
    /// # Errors
    /// [`Error::Component`] if it does not compile (a broken build).
    pub fn embedded() -> Result<Arc<Self>> {
        static EMBEDDED: OnceLock<std::result::Result<Arc<Runtime>, String>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                Runtime::new(EMBEDDED_COMPONENT)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(Error::Component)
    }

    /// A fresh instance with `state`, running under `limits` (its epoch
    /// deadline armed for the instantiation).
    pub(crate) fn instantiate(
        &self,
        mut state: State,
        limits: Limits,
    ) -> Result<(Store<State>, Auditlog)> {
        state.limiter = MemoryLimiter::new(limits.memory);
        let mut store = Store::new(&self.engine, state);
        store.limiter(|state| &mut state.limiter);
        limits.arm(&mut store);
        let bindings = self.pre.instantiate(&mut store).map_err(|e| {
            limits
                .exceeded(&mut store, &e)
                .unwrap_or_else(|| component_error(e))
        })?;
        Ok((store, bindings))
    }
}

/// Advances the engine's epoch every [`TICK`] until the engine is gone.
fn start_ticker(engine: EngineWeak) -> Result<()> {
    std::thread::Builder::new()
        .name("auditlog-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                match engine.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .map(drop)
        .map_err(|e| Error::Component(format!("cannot start the epoch ticker thread: {e}")))
}

fn component_error(error: wasmtime::Error) -> Error {
    Error::Component(format!("{error:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (That it ticks at all is shown by the time-limit tests in `tests/limits.rs`.)
    #[test]
    fn the_ticker_thread_lets_the_engine_go() {
        let runtime = Runtime::new(EMBEDDED_COMPONENT).unwrap();
        let engine = runtime.engine.weak();
        drop(runtime);
        let start = std::time::Instant::now();
        while engine.upgrade().is_some() && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(TICK);
        }
        assert!(
            engine.upgrade().is_none(),
            "something still holds the engine"
        );
    }
}
