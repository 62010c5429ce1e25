// The transpiled component (../dist, made by build.mjs): loaded once, and
// instantiated with WASI imports of its own for each log directory.

import { readFileSync } from "node:fs";
import { cli, clocks, io, random } from "@bytecodealliance/preview2-shim";
import { confinedFilesystem, noFilesystem } from "./confined_filesystem.mjs";

// Loaded once, at import; a missing build is reported by `loaded()`, from openAuditLog.
let transpiled = null;
let loadError = null;
try {
  transpiled = await import("../dist/auditlog.js");
} catch (e) {
  loadError = e;
}
const coreModules = new Map();

/** The transpiled component's module; throws, saying how to build it, when dist/ is missing or broken. */
export function loaded() {
  if (!transpiled) {
    throw new Error(
      "auditlog: dist/auditlog.js is missing or broken; in the repository, run `npm run build` " +
        "in js/ (it builds the component, or takes AUDITLOG_COMPONENT), or install the package " +
        "from the tarball of `npm pack` (see js/README.md)",
      { cause: loadError },
    );
  }
  return transpiled;
}

function getCoreModule(path) {
  let module = coreModules.get(path);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(new URL(`../dist/${path}`, import.meta.url)));
    coreModules.set(path, module);
  }
  return module;
}

/** The component's `wasi:cli/exit` must not end the host process. */
class ComponentExit extends Error {}

/**
 * A fresh instance of the component that sees `dir` as `/`, and nothing of
 * the host's environment or arguments; returns its `audit:log/log` export.
 * With `dir` null it sees no directory at all (for `settings-schema` and
 * checking settings, which touch no file).
 * @param {string | null} dir an existing directory, or null
 */
export function instantiateComponent(dir) {
  const fs = dir === null ? noFilesystem() : confinedFilesystem(dir);
  const imports = {
    "audit:log/types": {},
    "wasi:cli/environment": {
      // Nothing of the host's environment or arguments.
      getEnvironment: () => [],
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    "wasi:cli/exit": {
      exit(status) {
        throw new ComponentExit(`the component exited (${status.tag})`);
      },
    },
    "wasi:cli/stdin": cli.stdin,
    "wasi:cli/stdout": cli.stdout,
    "wasi:cli/stderr": cli.stderr,
    "wasi:cli/terminal-input": cli.terminalInput,
    "wasi:cli/terminal-output": cli.terminalOutput,
    "wasi:cli/terminal-stdin": cli.terminalStdin,
    "wasi:cli/terminal-stdout": cli.terminalStdout,
    "wasi:cli/terminal-stderr": cli.terminalStderr,
    "wasi:clocks/monotonic-clock": clocks.monotonicClock,
    "wasi:clocks/wall-clock": clocks.wallClock,
    "wasi:filesystem/preopens": fs.preopens,
    "wasi:filesystem/types": fs.types,
    "wasi:io/error": io.error,
    "wasi:io/poll": io.poll,
    "wasi:io/streams": io.streams,
    "wasi:random/insecure-seed": random.insecureSeed,
  };
  return loaded().instantiate(getCoreModule, imports).log;
}
