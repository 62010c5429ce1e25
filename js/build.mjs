// Transpiles the portable auditlog component (world `portable` in
// ../wit/auditlog.wit) into dist/ with jco: `npm run build`, with the
// component's path in AUDITLOG_PORTABLE_COMPONENT.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const component = process.env.AUDITLOG_PORTABLE_COMPONENT;
if (!component) {
  console.error(
    "build: set AUDITLOG_PORTABLE_COMPONENT to the portable component, built with\n" +
      "  cargo build -p auditlog-guest --lib --target wasm32-wasip2 --profile guest " +
      "--features portable --target-dir target/guest-portable\n" +
      "(from the repository root; it is target/guest-portable/wasm32-wasip2/guest/auditlog_guest.wasm)",
  );
  process.exit(2);
}
// Relative to where npm was run (npm runs scripts in js/).
const input = resolve(process.env.INIT_CWD ?? process.cwd(), component);
if (!existsSync(input)) {
  console.error(`build: ${input}: no such file (AUDITLOG_PORTABLE_COMPONENT)`);
  process.exit(2);
}
const out = join(here, "dist");
rmSync(out, { recursive: true, force: true });
// --instantiation sync: dist/auditlog.js exports `instantiate(getCoreModule,
// imports)` instead of importing preview2-shim itself, so that auditlog.mjs
// can give every log directory its own confined filesystem imports.
const jcoDir = join(here, "node_modules", "@bytecodealliance", "jco");
if (!existsSync(jcoDir)) {
  console.error("build: jco is not installed; run `npm ci` (or `npm install`) in js/ first");
  process.exit(2);
}
const { bin } = JSON.parse(readFileSync(join(jcoDir, "package.json"), "utf8"));
const jco = join(jcoDir, typeof bin === "string" ? bin : bin.jco);
const result = spawnSync(
  process.execPath,
  [jco, "transpile", input, "--name", "auditlog", "--instantiation", "sync", "--quiet", "-o", out],
  { stdio: "inherit" },
);
if (result.status !== 0) {
  console.error(`build: jco transpile failed (${result.error ?? `exit status ${result.status}`})`);
  process.exit(1);
}
console.log(`build: ${input} -> ${out}/auditlog.js`);
