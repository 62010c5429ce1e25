// Builds dist/: the portable auditlog component (world `portable` in
// ../wit/auditlog.wit) transpiled to JavaScript by jco. Run by `npm run build`
// and, through `prepack`, by `npm pack`, so that the tarball carries dist/ and
// an installed package needs neither Rust nor jco.
//
// The component: the file named by AUDITLOG_COMPONENT when it is set (a path,
// relative to where npm was run), else the one the `auditlog` CLI of this
// repository writes, built with the recipe of docs/runtimes.md:
//   cargo run --locked -q -p auditlog -- component --portable --out FILE
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repository = resolve(here, "..");
const out = join(here, "dist");

/** A reason to stop, with the exit status: 2 for a missing input, 1 for a failed step. */
class BuildError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

function fail(message, status = 2) {
  throw new BuildError(message, status);
}

/** The component named by the environment, or null. */
function namedComponent() {
  let name = "AUDITLOG_COMPONENT";
  let value = process.env[name];
  if (!value && process.env.AUDITLOG_PORTABLE_COMPONENT) {
    name = "AUDITLOG_PORTABLE_COMPONENT";
    value = process.env[name];
    console.error("build: AUDITLOG_PORTABLE_COMPONENT is deprecated; set AUDITLOG_COMPONENT instead");
  }
  if (!value) return null;
  // Relative to where npm was run (npm runs scripts in js/).
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), value);
  if (!existsSync(path)) fail(`${path}: no such file (${name})`);
  return path;
}

/** Writes the portable component into `dir` with this repository's CLI; returns its path. */
function builtComponent(dir) {
  if (!existsSync(join(repository, "Cargo.toml")) || !existsSync(join(repository, "wit", "auditlog.wit"))) {
    fail(`${repository} is not the auditlog repository: set AUDITLOG_COMPONENT to the portable component`);
  }
  const path = join(dir, "auditlog-portable.wasm");
  const args = ["run", "--locked", "-q", "-p", "auditlog", "--", "component", "--portable", "--out", path];
  console.error(`build: cargo ${args.join(" ")}`);
  const result = spawnSync("cargo", args, { cwd: repository, stdio: "inherit" });
  if (result.error?.code === "ENOENT") {
    fail("cargo not found: install Rust (docs/runtimes.md) or set AUDITLOG_COMPONENT to the portable component");
  }
  if (result.status !== 0) fail(`building the component failed (${result.error ?? `exit status ${result.status}`})`, 1);
  return path;
}

/** `jco transpile` of `component` into dist/. */
function transpile(component) {
  const jcoDir = join(here, "node_modules", "@bytecodealliance", "jco");
  if (!existsSync(jcoDir)) fail("jco is not installed; run `npm ci` (or `npm install`) in js/ first");
  const { bin } = JSON.parse(readFileSync(join(jcoDir, "package.json"), "utf8"));
  const jco = join(jcoDir, typeof bin === "string" ? bin : bin.jco);
  rmSync(out, { recursive: true, force: true });
  // --instantiation sync: dist/auditlog.js exports `instantiate(getCoreModule,
  // imports)` instead of importing preview2-shim itself, so that auditlog.mjs
  // can give every log directory its own confined filesystem imports
  // (lib/component.mjs).
  const result = spawnSync(
    process.execPath,
    [jco, "transpile", component, "--name", "auditlog", "--instantiation", "sync", "--quiet", "-o", out],
    { stdio: "inherit" },
  );
  if (result.status !== 0) fail(`jco transpile failed (${result.error ?? `exit status ${result.status}`})`, 1);
}

const scratch = mkdtempSync(join(tmpdir(), "auditlog-build-"));
try {
  const component = namedComponent() ?? builtComponent(scratch);
  transpile(component);
  // On stderr: `npm pack` prints the tarball's name on stdout.
  console.error(`build: ${component} -> ${out}/auditlog.js`);
} catch (e) {
  if (!(e instanceof BuildError)) throw e;
  console.error(`build: ${e.message}`);
  process.exitCode = e.status;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
