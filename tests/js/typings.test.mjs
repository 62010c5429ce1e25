// The typings, js/auditlog.d.ts, match the code: tsc --strict compiles
// typings/usage.ts (every export, every method, every option) as a user's
// project that depends on the package, and refuses code that misnames a
// method, an option or a result's field. Needs typescript, a dev dependency
// of js/ (`npm ci` in js/, as tests/setup-runtimes.sh does).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./helpers.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsc = join(root, "js", "node_modules", "typescript", "bin", "tsc");

/** What a strict TypeScript user compiles with; lib .d.ts files are checked too (no skipLibCheck). */
const tsconfig = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    types: [],
    skipLibCheck: false,
  },
  include: ["*.ts"],
};

/** A project whose dependency `auditlog` is js/ (a symlink, as `npm link` makes), with these .ts files. */
function project(t, files) {
  const dir = tempDir(t, "auditlog-typings-");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(root, "js"), join(dir, "node_modules", "auditlog"), "dir");
  writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** tsc -p `dir`: its exit status and what it printed. */
function compile(dir) {
  assert.ok(existsSync(tsc), `${tsc} is missing: run \`npm ci\` in js/`);
  const r = spawnSync(process.execPath, [tsc, "-p", "."], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error ?? ""}` };
}

test("a TypeScript file making every call with every option compiles against the typings", (t) => {
  const dir = project(t, {});
  copyFileSync(fileURLToPath(new URL("typings/usage.ts", import.meta.url)), join(dir, "usage.ts"));
  const { status, output } = compile(dir);
  assert.equal(status, 0, `tsc refused typings/usage.ts:\n${output}`);
});

/** Each must fail to compile at its third line: a name the package does not have, or a value it refuses by type. */
const mistakes = {
  method: "log.recnet({ skills: true });",
  openOption: 'openAuditLog("audit", { maxEntry: 5 });',
  optionType: 'openAuditLog("audit", { compress: "yes" });',
  recordOption: 'log.record("build", "success", { duration: 5 });',
  toolField: 'log.tool({ user: "alice", tool: "t", status: "ok", arg: {} });',
  toolStatus: 'log.tool({ user: "alice", tool: "t", status: "maybe" });',
  toolMissingUser: 'log.tool({ tool: "t", status: "ok" });',
  recentOption: "log.recent({ skills: true, limt: 5 });",
  statsPaging: "log.stats({ skills: true, limit: 5 });",
  verifyOption: "log.verify({ checkpoints: [] });",
  rotateSource: 'log.rotate({ users: "alice" });',
  rotateSkills: "log.rotate({ skills: true });",
  recordSnakeCase: 'log.record("build", "success", { duration_ms: 5 });',
  checkpointField: 'log.verify({ checkpoint: [{ log: "audit_log.json", lnk: "ab" }] });',
  sourceField: 'log.recent({ source: { usr: "alice" } });',
  reportField: "log.verify().entry;",
  pageField: "log.recent({ skills: true }).next_cursor;",
  entryField: "log.recent({ skills: true }).entries[0]?.skil;",
  statsField: 'log.stats({ allUsers: true }).byName["t"]!.avg;',
  receiptField: 'log.tool({ user: "alice", tool: "t", status: "ok" }).entries;',
  errorField: 'try { log.repair(); } catch (e) { if (e instanceof AuditLogError) e.feild; }',
};

test("the typings refuse a misnamed method, option or field", (t) => {
  const files = Object.fromEntries(
    Object.entries(mistakes).map(([name, line]) => [
      `${name}.ts`,
      `import { AuditLogError, openAuditLog } from "auditlog";\nconst log = openAuditLog("audit");\n${line}\nexport { AuditLogError };\n`,
    ]),
  );
  const { status, output } = compile(project(t, files));
  assert.notEqual(status, 0, output);
  for (const name of Object.keys(mistakes)) {
    assert.match(output, new RegExp(`^${name}\\.ts\\(3,`, "m"), `${name}: no error at its line 3 in:\n${output}`);
    assert.doesNotMatch(output, new RegExp(`^${name}\\.ts\\((?!3,)`, "m"), `${name}: an error on another line:\n${output}`);
  }
});
