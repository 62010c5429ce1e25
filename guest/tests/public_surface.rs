//! The guest crate's public face is the facade and the model (issue 17):
//! natively, callers (the host, the benchmarks, the tests) use
//! `auditlog_guest::Engine` over an `FsStorage`, the model's types it takes and
//! returns, and the few items `guest/src/lib.rs` re-exports by name. Every
//! module is private, so the mechanism behind the facade can change without
//! breaking anyone. This test fails, naming the module, when `lib.rs` makes a
//! module public (`pub mod x;`, or `pub use x;` of a whole module).

use std::path::Path;

/// Modules `guest/src/lib.rs` may make public. None: items are re-exported
/// by name instead (`pub use engine::Engine;`).
const ALLOWED_PUBLIC_MODULES: &[&str] = &[];

/// The modules `lib_rs` makes public; `is_module` says whether a name is one
/// of the crate's top-level modules (for `pub use x;`).
fn public_modules(lib_rs: &str, is_module: impl Fn(&str) -> bool) -> Vec<String> {
    let mut public = Vec::new();
    for line in lib_rs.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("pub mod ") {
            let name = rest.trim_end_matches(';').trim_end_matches('{').trim();
            public.push(name.to_owned());
        } else if let Some(rest) = line.strip_prefix("pub use ") {
            let path = rest.trim_end_matches(';').trim();
            let path = path.strip_prefix("crate::").unwrap_or(path);
            let path = path.split(" as ").next().unwrap_or(path).trim();
            if !path.contains("::") && is_module(path) {
                public.push(path.to_owned());
            }
        }
    }
    public.retain(|name| !ALLOWED_PUBLIC_MODULES.contains(&name.as_str()));
    public
}

#[test]
fn only_the_facade_and_the_model_are_public() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib_rs = std::fs::read_to_string(src.join("lib.rs")).expect("guest/src/lib.rs");
    let is_module =
        |name: &str| src.join(format!("{name}.rs")).is_file() || src.join(name).is_dir();
    let public = public_modules(&lib_rs, is_module);
    assert!(
        public.is_empty(),
        "guest/src/lib.rs makes these modules public: {}. Only the facade (Engine, FsStorage) \
         and the model are the guest's public face: declare the module with `mod`, and \
         re-export the items callers need by name (or move a pure rule to auditlog-model)",
        public.join(", ")
    );
}

#[test]
fn the_check_names_a_public_module() {
    let lib_rs = "mod engine;\npub mod verify;\npub use engine::Engine;\npub use tail;\n";
    let public = public_modules(lib_rs, |name| name == "tail");
    assert_eq!(public, ["verify", "tail"]);
}
