//! Compiling the component once and instantiating it cheaply: the engine,
//! the linker and an `InstancePre`, shared by every [`AuditLog`](crate::AuditLog)
//! that uses the same component.

use std::sync::{Arc, OnceLock};

use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::{Auditlog, AuditlogPre};
use crate::error::{Error, Result};
use crate::storage::DirStorage;

/// The component built from `guest/` with this crate (`cargo build` builds it).
pub static EMBEDDED_COMPONENT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/auditlog.wasm"));

/// What one instance of the component owns.
pub struct State {
    wasi: WasiCtx,
    wasi_table: ResourceTable,
    pub(crate) storage: DirStorage,
}

impl State {
    pub(crate) fn new(wasi: WasiCtx, storage: DirStorage) -> Self {
        Self {
            wasi,
            wasi_table: ResourceTable::new(),
            storage,
        }
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

/// A compiled component, ready to instantiate.
pub struct Runtime {
    engine: Engine,
    pre: AuditlogPre<State>,
}

impl Runtime {
    /// Compiles `bytes` (a component) and links it against WASI and the storage
    /// interface.
    ///
    /// # Errors
    /// [`Error::Component`] when the bytes are not a component this host can run.
    pub fn new(bytes: &[u8]) -> Result<Self> {
        let engine = Engine::new(&Config::new()).map_err(component_error)?;
        let component = Component::new(&engine, bytes).map_err(component_error)?;
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
        Ok(Self { engine, pre })
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

    /// A fresh instance with `state`.
    pub(crate) fn instantiate(&self, state: State) -> Result<(Store<State>, Auditlog)> {
        let mut store = Store::new(&self.engine, state);
        let bindings = self.pre.instantiate(&mut store).map_err(component_error)?;
        Ok((store, bindings))
    }
}

fn component_error(error: wasmtime::Error) -> Error {
    Error::Component(format!("{error:#}"))
}
