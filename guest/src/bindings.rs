//! The component's WIT bindings, generated from `wit/` by wit-bindgen: the
//! imports (the host's storage and digest) and the export's types. The
//! lowest layer of the wasm build: the digest calls the host through it, and
//! `component` implements the export on top of everything else.

#[cfg(not(feature = "portable"))]
wit_bindgen::generate!({
    world: "auditlog",
    path: "../wit",
    pub_export_macro: true,
    default_bindings_module: "crate::bindings",
});
#[cfg(feature = "portable")]
wit_bindgen::generate!({
    world: "portable",
    path: "../wit",
    pub_export_macro: true,
    default_bindings_module: "crate::bindings",
});
