// Run by tests/npm-pack.sh from a folder where the tarball of `npm pack` in js/
// was installed, never from here: `auditlog` must resolve to that installed
// package, which then records and reads back with nothing else around it.
// (Not a `*.test.mjs`: `node --test tests/js/` leaves it alone.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditLogError, openAuditLog } from "auditlog";

const here = dirname(fileURLToPath(import.meta.url));
const HASH = /^[0-9a-f]{64}$/;

test("the installed package is the packed one, without the build tools", () => {
  const main = createRequire(import.meta.url).resolve("auditlog");
  assert.equal(main, join(here, "node_modules", "auditlog", "auditlog.mjs"), "`auditlog` resolves to the installed package");
  assert.ok(existsSync(join(here, "node_modules", "auditlog", "dist", "auditlog.js")), "the tarball carries dist/");
  assert.ok(existsSync(join(here, "node_modules", "@bytecodealliance", "preview2-shim")), "preview2-shim is installed");
  assert.ok(!existsSync(join(here, "node_modules", "@bytecodealliance", "jco")), "jco is a build tool, not installed");
});

test("the installed package records a tool call and a skill run and reads them back", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "auditlog-installed-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = openAuditLog(dir);

  const run = log.record("pack.check", "success", { durationMs: 42, metadata: { from: "npm pack" } });
  assert.equal(run.entry.seq, 1);
  const call = log.tool({ user: "alice", tool: "file_read", status: "ok", args: { path: "a.txt" }, result: "hello" });
  assert.equal(call.path, `alice/tool_audit/${call.entry.ts.slice(0, 10)}.jsonl`);

  const skills = log.recent({ skills: true, limit: 5 });
  assert.equal(skills.entries.length, 1, "one skill run read back");
  const [skill] = skills.entries;
  assert.equal(skill.skill, "pack.check");
  assert.equal(skill.status, "success");
  assert.equal(skill.duration_ms, 42);
  assert.deepEqual(skill.metadata, { from: "npm pack" });
  assert.match(skill.hash, HASH);

  const tools = log.recent({ user: "alice", limit: 5 });
  assert.equal(tools.entries.length, 1, "one tool call read back");
  const [tool] = tools.entries;
  assert.deepEqual(tool, call.entry, "the tool call as stored");
  assert.equal(tool.tool, "file_read");
  assert.deepEqual(tool.args, { path: "a.txt" });
  assert.equal(tool.result_chars, 5);
  assert.equal(tool.result_snippet, "hello");

  assert.equal(log.verify().ok, true, "the chains verify");
  assert.throws(
    () => log.tool({ user: "alice", tool: "shell", status: "maybe" }),
    (e) => e instanceof AuditLogError && e.kind === "invalid" && e.field === "status",
  );
});

test("the installed package refuses a key that is not an option, and a refused open creates nothing", (t) => {
  const base = mkdtempSync(join(tmpdir(), "auditlog-installed-"));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const log = openAuditLog(join(base, "audit"));
  assert.throws(
    () => log.record("pack.check", "success", { duration_ms: 5 }),
    (e) => e instanceof AuditLogError && e.kind === "invalid" && e.field === "duration_ms" && /did you mean durationMs\?$/.test(e.reason),
  );
  assert.throws(() => log.recent({ skills: true, limt: 5 }), (e) => e instanceof AuditLogError && e.field === "limt");
  assert.equal(log.recent({ skills: true }).entries.length, 0, "nothing was written");
  assert.throws(() => openAuditLog(join(base, "audit5"), { maxEntries: 0 }), (e) => e instanceof AuditLogError && e.field === "max_entries");
  assert.throws(() => openAuditLog(join(base, "audit6"), { maxEntrys: 5 }), (e) => e instanceof AuditLogError && e.field === "maxEntrys");
  assert.ok(!existsSync(join(base, "audit5")) && !existsSync(join(base, "audit6")), "a refused open created its directory");
});
