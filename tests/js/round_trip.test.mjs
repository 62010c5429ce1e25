// Appends and reads back through the transpiled component: the entries are the
// ones the Rust host writes (same fields, order, chain and truncation).
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openAuditLog } from "../../js/auditlog.mjs";
import { lines, tempDir } from "./helpers.mjs";

const HASH = /^[0-9a-f]{64}$/;

test("record appends skill runs to audit_log.json as the Rust host writes them", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);

  const first = log.record("workflow.validate", "success", { durationMs: 150 });
  assert.equal(first.path, "audit_log.json");
  assert.equal(first.totalEntries, 1);
  assert.deepEqual(first.recovered, []);
  assert.deepEqual(first.warnings, []);
  assert.deepEqual(Object.keys(first.entry), ["timestamp", "skill", "status", "duration_ms", "seq", "hash"]);
  assert.match(first.entry.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(first.entry.skill, "workflow.validate");
  assert.equal(first.entry.status, "success");
  assert.equal(first.entry.duration_ms, 150);
  assert.equal(first.entry.seq, 1);
  assert.match(first.entry.hash, HASH);

  const second = log.record("workflow.compose", "failed", {
    errors: ["Step 3 failed"],
    metadata: { run: 7, db: { host: "db1", password: "hunter2" } },
  });
  assert.equal(second.totalEntries, 2);
  assert.equal(second.entry.seq, 2);
  assert.match(second.entry.hash, HASH);
  assert.notEqual(second.entry.hash, first.entry.hash);
  assert.deepEqual(second.entry.errors, ["Step 3 failed"]);
  assert.deepEqual(second.entry.metadata, { run: 7, db: { host: "db1", password: "[REDACTED]" } });
  assert.deepEqual(second.entry.redacted, ["metadata.db.password"]);

  // metadata may also be given as JSON text.
  const third = log.record("workflow.compose", "success", { metadata: '{"b":1,"a":2}' });
  assert.deepEqual(Object.keys(third.entry.metadata), ["b", "a"], "key order kept");

  // One entry per line, the file a JSON array, the receipts' entries as stored.
  const file = join(dir, "audit_log.json");
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), [first.entry, second.entry, third.entry]);
  assert.deepEqual(lines(file), [
    "[",
    `  ${JSON.stringify(first.entry)},`,
    `  ${JSON.stringify(second.entry)},`,
    `  ${JSON.stringify(third.entry)}`,
    "]",
  ]);
});

test("tool appends one line per call to <user>/tool_audit/<UTC day>.jsonl, cutting long args", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  const args = {
    path: "notes.txt",
    exact: "y".repeat(500),
    long: "x".repeat(600),
    nested: { list: ["z".repeat(501), 42] },
    emoji: "😀".repeat(501), // characters, not UTF-16 units or bytes
  };
  const r = log.tool({ user: "alice", tool: "file_read", status: "ok", args, result: "r".repeat(1000) });
  const e = r.entry;
  assert.deepEqual(Object.keys(e), ["ts", "user", "tool", "args", "status", "result_chars", "result_snippet", "seq", "hash"]);
  assert.match(e.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(r.path, `alice/tool_audit/${e.ts.slice(0, 10)}.jsonl`);
  assert.equal(e.user, "alice");
  assert.equal(e.tool, "file_read");
  assert.equal(e.status, "ok");
  assert.equal(e.args.path, "notes.txt");
  assert.equal(e.args.exact, "y".repeat(500), "500 characters are kept whole");
  assert.equal(e.args.long, `${"x".repeat(500)} …[600 chars total]`);
  assert.deepEqual(e.args.nested, { list: [`${"z".repeat(500)} …[501 chars total]`, 42] });
  assert.equal(e.args.emoji, `${"😀".repeat(500)} …[501 chars total]`);
  assert.equal(e.result_chars, 1000);
  assert.equal(e.result_snippet, "r".repeat(300));
  assert.equal(e.seq, 1);
  assert.match(e.hash, HASH);

  const r2 = log.tool({ user: "alice", tool: "shell", status: "denied", args: '{"cmd":"rm -rf /"}' });
  assert.equal(r2.entry.seq, 2);
  assert.equal(r2.entry.result_chars, 0);
  assert.deepEqual(lines(join(dir, r.path)), [JSON.stringify(r.entry), JSON.stringify(r2.entry)]);

  // The limits are options of openAuditLog.
  const small = openAuditLog(join(dir, "small"), { argMaxChars: 10, snippetChars: 4 });
  const s = small.tool({ user: "bob", tool: "t", status: "error", args: { q: "abcdefghijklm" }, result: "hello world" });
  assert.equal(s.entry.args.q, "abcdefghij …[13 chars total]");
  assert.equal(s.entry.result_snippet, "hell");
});

test("recent returns the newest entries first, a page at a time", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  for (let i = 0; i < 5; i++) log.record(`s${i}`, i % 2 ? "failed" : "success", { durationMs: i });

  const names = (page) => page.entries.map((e) => e.skill);
  const p1 = log.recent({ skills: true, limit: 2 });
  assert.deepEqual(names(p1), ["s4", "s3"]);
  assert.equal(typeof p1.nextCursor, "string");
  const p2 = log.recent({ skills: true, limit: 2, cursor: p1.nextCursor });
  assert.deepEqual(names(p2), ["s2", "s1"]);
  const p3 = log.recent({ skills: true, limit: 2, cursor: p2.nextCursor });
  assert.deepEqual(names(p3), ["s0"]);
  assert.equal(p3.nextCursor, null);

  assert.deepEqual(names(log.recent({ skills: true })), ["s4", "s3", "s2", "s1", "s0"]);
  assert.deepEqual(names(log.recent({ skills: true, status: "failed" })), ["s3", "s1"]);
  assert.deepEqual(names(log.recent({ skills: true, skill: "s2" })), ["s2"]);
  assert.deepEqual(names(log.recent({ skills: true, since: new Date(Date.now() + 3_600_000) })), []);
  assert.deepEqual(names(log.recent({ source: "skills", limit: 1 })), ["s4"]);

  // Tool logs: one user's, or every user's merged.
  log.tool({ user: "alice", tool: "a1", status: "ok" });
  log.tool({ user: "bob", tool: "b1", status: "error" });
  log.tool({ user: "alice", tool: "a2", status: "ok" });
  assert.deepEqual(log.recent({ user: "alice" }).entries.map((e) => [e.tool, e.seq]), [["a2", 2], ["a1", 1]]);
  const all = log.recent({ allUsers: true });
  assert.equal(all.entries.length, 3);
  assert.deepEqual(all.entries.map((e) => e.tool).sort(), ["a1", "a2", "b1"]);
  assert.deepEqual(log.recent({ allUsers: true, tool: "b1" }).entries.map((e) => e.user), ["bob"]);
  const allPage = log.recent({ allUsers: true, limit: 2 });
  assert.equal(allPage.entries.length, 2);
  assert.equal(log.recent({ allUsers: true, limit: 2, cursor: allPage.nextCursor }).entries.length, 1);
});

test("maxEntries keeps the newest skill runs and the chain verifiable", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir, { maxEntries: 3 });
  let last;
  for (let i = 0; i < 5; i++) last = log.record(`s${i}`, "success");
  assert.equal(last.totalEntries, 3);
  assert.deepEqual(log.recent({ skills: true }).entries.map((e) => e.skill), ["s4", "s3", "s2"]);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, "audit_log.json"), "utf8")).map((e) => e.seq), [3, 4, 5]);
  assert.equal(log.verify().ok, true);
});

test("stats totals every selected entry", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  log.record("build", "success", { durationMs: 100 });
  log.record("build", "failed", { durationMs: 200 });
  log.record("build", "success", { durationMs: 1000 });
  log.record("deploy", "timeout");
  const day = log.record("build", "success", { durationMs: 400 }).entry.timestamp.slice(0, 10);

  assert.deepEqual(log.stats({ skills: true }), {
    total: 5,
    errors: 2,
    errorRate: 0.4,
    other: 0,
    byStatus: { failed: 1, success: 3, timeout: 1 },
    byName: {
      // nearest rank over 100, 200, 400, 1000: p50 is rank 2, p95 rank 4
      build: { count: 4, errors: 1, avgMs: 425, p50Ms: 200, p95Ms: 1000, maxMs: 1000 },
      deploy: { count: 1, errors: 1, avgMs: null, p50Ms: null, p95Ms: null, maxMs: null },
    },
    byUser: {},
    byDay: { [day]: 5 },
  });
  assert.equal(log.stats({ skills: true, skill: "deploy" }).total, 1);

  log.tool({ user: "alice", tool: "read", status: "ok" });
  log.tool({ user: "alice", tool: "read", status: "error" });
  log.tool({ user: "bob", tool: "write", status: "denied" });
  const s = log.stats({ allUsers: true });
  assert.equal(s.total, 3);
  assert.equal(s.errors, 2);
  assert.deepEqual(s.byUser, { alice: 2, bob: 1 });
  assert.deepEqual(s.byStatus, { denied: 1, error: 1, ok: 1 });
  assert.deepEqual(Object.keys(s.byName), ["read", "write"]);
  assert.equal(log.stats({ user: "bob" }).total, 1);
});

test("stats count an entry of another schema as other, not as an error", (t) => {
  const dir = tempDir(t);
  const entries = [
    { timestamp: "2025-10-20T08:00:00.000001+00:00", skill: "api.a", status: "failed" },
    { timestamp: "2025-10-20T08:01:00Z", audit_id: "a-1", agent: "registry", action: "skill.register" },
    { timestamp: "2025-10-20T08:02:00+00:00", skill: "api.a", status: "success" },
  ];
  writeFileSync(join(dir, "audit_log.json"), JSON.stringify(entries, null, 2));
  const log = openAuditLog(dir);
  const s = log.stats({ skills: true });
  assert.deepEqual([s.total, s.errors, s.errorRate, s.other], [2, 1, 0.5, 1]);
  assert.deepEqual(s.byStatus, { failed: 1, success: 1 });
  assert.equal(log.stats({ skills: true, status: "failed" }).other, 0);
});

test("verify checks every chain, and names a modified entry", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  log.record("a", "success");
  log.record("b", "success");
  log.tool({ user: "alice", tool: "t", status: "ok", result: "one" });
  const path = log.tool({ user: "alice", tool: "t", status: "ok", result: "two" }).path;

  const report = log.verify();
  assert.equal(report.ok, true);
  assert.equal(report.problem, null);
  assert.equal(report.entries, 4);
  assert.deepEqual(report.ends.map((e) => [e.log, e.seq]), [["audit_log.json", 2], ["alice", 2]]);
  assert.equal(log.verify({ checkpoint: report.ends }).ok, true);
  assert.equal(log.verify({ user: "alice" }).entries, 2);
  assert.equal(log.verify({ skills: true }).entries, 2);

  const file = join(dir, path);
  writeFileSync(file, readFileSync(file, "utf8").replace('"result_snippet":"one"', '"result_snippet":"ONE"'));
  const bad = log.verify({ user: "alice" });
  assert.equal(bad.ok, false);
  assert.equal(bad.problem.file, path);
  assert.equal(bad.problem.line, 1);
  assert.equal(bad.problem.seq, 1);
  assert.match(bad.problem.reason, /modified/);
});

test("repair moves unreadable bytes aside and keeps every intact entry", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  const path = log.tool({ user: "alice", tool: "t", status: "ok" }).path;
  appendFileSync(join(dir, path), "garbage\n");
  log.tool({ user: "alice", tool: "t", status: "ok" });
  assert.equal(log.verify().ok, false);

  const [fixed, ...more] = log.repair({ user: "alice" });
  assert.deepEqual(more, []);
  assert.equal(fixed.file, path);
  // Hidden and without the .jsonl of the day file, out of the logs' globs.
  assert.equal(fixed.movedTo, path.replace(/([^/]*)\.jsonl$/, ".damaged.$1.1"));
  assert.match(fixed.movedTo, /^alice\/tool_audit\/\.damaged\.\d{4}-\d\d-\d\d\.1$/);
  assert.equal(fixed.bytes, "garbage\n".length);
  assert.equal(fixed.kept, 2);
  assert.equal(readFileSync(join(dir, fixed.movedTo), "utf8"), "garbage\n");
  assert.equal(log.verify().ok, true);
  assert.deepEqual(log.repair(), []);
});

test("options: a chain key seals entries with mac, redactKeys and syncData apply", (t) => {
  const dir = tempDir(t);
  const key = "0123456789abcdef-key";
  const log = openAuditLog(dir, { chainKey: key, redactKeys: ["pin"], syncData: true });
  const r = log.record("login", "success", { metadata: { pin: "1234", user: "alice" } });
  assert.match(r.entry.mac, HASH);
  assert.equal(r.entry.hash, undefined);
  assert.deepEqual(r.entry.metadata, { pin: "[REDACTED]", user: "alice" });
  log.tool({ user: "alice", tool: "t", status: "ok" });
  assert.equal(log.verify().ok, true);
  assert.equal(openAuditLog(dir, { chainKey: Buffer.from(key) }).verify().ok, true);
  const unkeyed = openAuditLog(dir).verify();
  assert.equal(unkeyed.ok, false);
  assert.match(unkeyed.problem.reason, /mac/);
});

test("two handles on one directory in one process interleave safely", (t) => {
  const dir = tempDir(t);
  const a = openAuditLog(dir);
  const b = openAuditLog(dir);
  for (let i = 0; i < 10; i++) {
    (i % 2 ? a : b).record("s", "success");
    (i % 2 ? b : a).tool({ user: "alice", tool: "t", status: "ok" });
  }
  assert.deepEqual(a.recent({ skills: true }).entries.map((e) => e.seq), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(b.verify().entries, 20);
  assert.equal(b.verify().ok, true);
});

test("maxFileBytes rolls a day file over into segments; rotate compresses the closed ones", (t) => {
  const dir = tempDir(t);
  const today = new Date().toISOString().slice(0, 10);
  const plain = openAuditLog(dir, { maxFileBytes: 1024 });
  for (let i = 0; i < 12; i++) plain.tool({ user: "alice", tool: "t", status: "ok", args: { i }, result: "r".repeat(300) });
  const toolDir = join(dir, "alice", "tool_audit");
  const segments = readdirSync(toolDir).filter((n) => n.endsWith(".jsonl"));
  assert.ok(segments.includes(`${today}.jsonl`) && segments.includes(`${today}.1.jsonl`), `${segments}`);
  const before = plain.recent({ user: "alice", limit: 100 }).entries;
  assert.deepEqual(before.map((e) => e.args.i), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  assert.deepEqual(plain.rotate(), [], "compress is off: nothing to do");

  const log = openAuditLog(dir, { maxFileBytes: 1024, compress: true });
  const rotated = log.rotate({ user: "alice" });
  assert.ok(rotated.length > 0);
  for (const r of rotated) {
    assert.equal(r.action, "compressed");
    assert.ok(r.file.startsWith("alice/tool_audit/") && r.bytes >= 1024, JSON.stringify(r));
    assert.ok(existsSync(join(dir, `${r.file}.gz`)) && !existsSync(join(dir, r.file)), r.file);
  }
  assert.deepEqual(log.recent({ user: "alice", limit: 100 }).entries, before);
  assert.equal(log.verify().ok, true);
  assert.deepEqual(log.rotate(), []);
});

test("verify counts the seed's legacy entries; adopt seals them once, and an edit is then caught", (t) => {
  const dir = tempDir(t);
  // tool_audit.py's lines: json.dumps separators, a naive local time.
  const day = join(dir, "alice", "tool_audit", "2025-10-20.jsonl");
  const seed = (m) =>
    `{"ts": "2025-10-20T09:0${m}:00", "user": "alice", "tool": "file_read", "args": {"path": "a${m}"}, "status": "ok", "result_chars": 5, "result_snippet": "hello"}\n`;
  mkdirSync(join(dir, "alice", "tool_audit"), { recursive: true });
  writeFileSync(day, seed(0) + seed(1));
  const log = openAuditLog(dir);
  const report = log.verify({ user: "alice" });
  assert.equal(report.ok, true);
  assert.equal(report.entries, 0);
  assert.deepEqual(report.legacy, [
    {
      log: "alice",
      beforeChain: 2,
      total: 2,
      adoptedSeq: null,
      adoptedEntries: 0,
      firstTime: "2025-10-20T09:00:00",
      lastTime: "2025-10-20T09:01:00",
    },
  ]);
  assert.deepEqual([report.unsealed, report.unsealedTotal], [[], 0]);

  const [adopted] = log.adopt({ user: "alice" });
  assert.deepEqual(adopted, {
    log: "alice",
    entries: 2,
    firstTime: "2025-10-20T09:00:00",
    lastTime: "2025-10-20T09:01:00",
    sealedAs: 1,
    adoptedAt: 1,
  });
  const files = readdirSync(join(dir, "alice", "tool_audit")).filter((f) => f.endsWith(".jsonl"));
  const before = files.map((f) => readFileSync(join(dir, "alice", "tool_audit", f), "utf8"));
  assert.equal(log.adopt({ user: "alice" })[0].sealedAs, null);
  assert.deepEqual(
    files.map((f) => readFileSync(join(dir, "alice", "tool_audit", f), "utf8")),
    before,
  );
  assert.equal(log.verify({ user: "alice" }).legacy[0].adoptedSeq, 1);

  writeFileSync(day, readFileSync(day, "utf8").replace('"a1"', '"a2"'));
  const edited = log.verify({ user: "alice" });
  assert.equal(edited.ok, false);
  assert.match(edited.problem.reason, /legacy/);
});
