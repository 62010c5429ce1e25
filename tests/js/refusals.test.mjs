// Refused input throws AuditLogError naming the field, and writes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditLogError, openAuditLog } from "../../js/auditlog.mjs";
import { snapshot, tempDir, thrown } from "./helpers.mjs";

/** [description, call, field, reason pattern] */
const refusals = [
  ["tool status", (log) => log.tool({ user: "alice", tool: "t", status: "maybe" }), "status", /^must be one of ok, error, denied, got "maybe"$/],
  ["tool user with ..", (log) => log.tool({ user: "../etc", tool: "t", status: "ok" }), "user", /\.\./],
  ["tool user with /", (log) => log.tool({ user: "a/b", tool: "t", status: "ok" }), "user", /./],
  ["tool user starting with .", (log) => log.tool({ user: ".hidden", tool: "t", status: "ok" }), "user", /./],
  ["tool name with a space", (log) => log.tool({ user: "alice", tool: "rm -rf", status: "ok" }), "tool", /./],
  ["tool args not an object", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: "[1, 2]" }), "args", /./],
  ["tool args not JSON", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: "{nope" }), "args", /./],
  ["tool args a JS array", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: [1] }), "args", /object/],
  // JSON.stringify would store NaN and Infinity as null, and a Map or Set as {}: data lost without a word.
  ["tool args with NaN", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { n: NaN } }), "args", /NaN under "n" is not a JSON number/],
  ["tool args with Infinity deep", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { a: [{ x: -Infinity }] } }), "args", /-Infinity under "x"/],
  ["tool args with a Map", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { m: new Map([[1, 2]]) } }), "args", /a Map under "m"/],
  ["record metadata with a Set", (log) => log.record("build", "success", { metadata: { s: new Set([1]) } }), "metadata", /a Set under "s"/],
  ["record metadata with NaN", (log) => log.record("build", "success", { metadata: { n: NaN } }), "metadata", /NaN/],
  // Bytes, a RegExp, an Error or a Promise would be stored as {} or as an object of indexes.
  ["tool args with bytes", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { b: new Uint8Array([1, 2]) } }), "args", /a Uint8Array under "b" has no JSON form/],
  ["tool args with an ArrayBuffer", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { b: new ArrayBuffer(2) } }), "args", /an ArrayBuffer under "b"/],
  ["tool args with a Buffer deep", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { a: [{ b: Buffer.from("x") }] } }), "args", /a Buffer under "b"/],
  ["record metadata with an Error", (log) => log.record("build", "failed", { metadata: { e: new Error("boom") } }), "metadata", /an Error under "e"/],
  ["record metadata with a RegExp", (log) => log.record("build", "success", { metadata: { r: /x/ } }), "metadata", /a RegExp under "r"/],
  ["tool args with a Promise", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { p: Promise.resolve(1) } }), "args", /a Promise under "p"/],
  // A lone surrogate has no UTF-8 form: the result would be stored with U+FFFD, as Python refuses it.
  ["tool result with a lone surrogate", (log) => log.tool({ user: "alice", tool: "t", status: "ok", result: "a\ud800b" }), "result", /lone surrogate/],
  ["tool args with a lone surrogate", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { s: "\udc00" } }), "args", /^the value under "s" holds a lone surrogate/],
  ["tool args key with a lone surrogate", (log) => log.tool({ user: "alice", tool: "t", status: "ok", args: { "\ud800": 1 } }), "args", /^a key holds a lone surrogate/],
  ["record errors with a lone surrogate", (log) => log.record("build", "failed", { errors: ["ok", "\ud800"] }), "errors[1]", /lone surrogate/],
  ["tool result not a string", (log) => log.tool({ user: "alice", tool: "t", status: "ok", result: 5 }), "result", /string/],
  ["record skill with a space", (log) => log.record("has space", "success"), "skill", /./],
  ["record reserved skill", (log) => log.record("auditlog.recovery", "success"), "skill", /./],
  ["record status", (log) => log.record("build", "Success"), "status", /./],
  ["record metadata not an object", (log) => log.record("build", "success", { metadata: "[1]" }), "metadata", /./],
  ["record negative duration", (log) => log.record("build", "success", { durationMs: -1 }), "duration_ms", /non-negative integer/],
  ["record fractional duration", (log) => log.record("build", "success", { durationMs: 1.5 }), "duration_ms", /integer/],
  ["record errors not a list", (log) => log.record("build", "failed", { errors: "boom" }), "errors", /array/],
  ["recent limit 0", (log) => log.recent({ skills: true, limit: 0 }), "limit", /^must be between 1 and 10000, got 0$/],
  ["recent since", (log) => log.recent({ skills: true, since: "yesterday" }), "since", /ISO 8601/],
  ["recent days 0", (log) => log.recent({ user: "alice", days: 0 }), "days", /./],
  ["recent cursor", (log) => log.recent({ skills: true, cursor: "bogus" }), "cursor", /./],
  ["recent without a source", (log) => log.recent({ limit: 5 }), "source", /./],
  ["stats two sources", (log) => log.stats({ skills: true, user: "alice" }), "source", /./],
  ["open maxEntries 0", (_log, dir) => openAuditLog(dir, { maxEntries: 0 }), "max_entries", /^must be between 1 and/],
  ["open short chainKey", (_log, dir) => openAuditLog(dir, { chainKey: "short" }), "chain_key", /at least 16 bytes/],
  ["open small maxFileBytes", (_log, dir) => openAuditLog(dir, { maxFileBytes: 10 }), "max_file_bytes", /at least 1024/],
  ["open negative maxDays", (_log, dir) => openAuditLog(dir, { maxDays: -1 }), "max_days", /integer/],
  ["open compress not a boolean", (_log, dir) => openAuditLog(dir, { compress: "yes" }), "compress", /true or false/],
  // A key that is not an option is refused, naming it, never ignored (lib/options.mjs): as the
  // audit found them, a run stored without its duration, an empty result, the default page, a
  // misspelled setting accepted, a rotation of logs that were not asked for.
  ["record duration_ms (the CLI's spelling)", (log) => log.record("s", "success", { duration_ms: 5 }), "duration_ms", /^not an option of record\(\); did you mean durationMs\?$/],
  ["record duration", (log) => log.record("s", "success", { duration: 5 }), "duration", /did you mean durationMs\?$/],
  ["record errror", (log) => log.record("s", "failed", { error: ["boom"] }), "error", /did you mean errors\?$/],
  ["record options not an object", (log) => log.record("s", "success", 5), "details", /^must be an object of options \(durationMs, errors, metadata\), got 5$/],
  ["tool reslt", (log) => log.tool({ user: "alice", tool: "t", status: "ok", reslt: "x" }), "reslt", /^not an option of tool\(\); did you mean result\?$/],
  ["tool output (the WIT's name)", (log) => log.tool({ user: "alice", tool: "t", status: "ok", output: "x" }), "output", /did you mean result\?$/],
  ["tool unknown key, no likely meaning", (log) => log.tool({ user: "alice", tool: "t", status: "ok", when: 1 }), "when", /^not an option of tool\(\), which takes user, tool, status, args, result$/],
  ["tool unknown key set to undefined", (log) => log.tool({ user: "alice", tool: "t", status: "ok", reslt: undefined }), "reslt", /did you mean result/],
  ["recent limt", (log) => log.recent({ skills: true, limt: 5 }), "limt", /^not an option of recent\(\); did you mean limit\?$/],
  ["recent all_users", (log) => log.recent({ all_users: true }), "all_users", /did you mean allUsers\?$/],
  ["recent source.usr", (log) => log.recent({ source: { usr: "alice" } }), "source.usr", /^not a field of source; did you mean user\?$/],
  ["recent query not an object", (log) => log.recent("skills"), "query", /^must be an object of options/],
  ["stats limit (no paging)", (log) => log.stats({ skills: true, limit: 5 }), "limit", /^not an option of stats\(\), which takes skills, user, /],
  ["stats skil", (log) => log.stats({ skills: true, skil: "build" }), "skil", /did you mean skill\?$/],
  ["verify checkpoints", (log) => log.verify({ checkpoints: [] }), "checkpoints", /did you mean checkpoint\?$/],
  ["verify checkpoint end lnk", (log) => log.verify({ checkpoint: [{ log: "audit_log.json", seq: 1, lnk: "ab" }] }), "checkpoint[0].lnk", /^not a field of checkpoint\[0\]; did you mean link\?$/],
  ["adopt users", (log) => log.adopt({ users: "alice" }), "users", /^not an option of adopt\(\); did you mean user\?$/],
  ["adopt source as a string", (log) => log.adopt("skills"), "source", /^must be an object of options/],
  ["repair skill", (log) => log.repair({ skill: true }), "skill", /^not an option of repair\(\); did you mean skills\?$/],
  ["rotate skills", (log) => log.rotate({ skills: true }), "skills", /^not an option of rotate\(\) \(the skill log is not rotated\), which takes user, allUsers, source$/],
  ["rotate source skills", (log) => log.rotate({ source: "skills" }), "source", /the skill log is not rotated/],
  ["rotate all_users", (log) => log.rotate({ all_users: true }), "all_users", /did you mean allUsers\?$/],
  ["open maxEntrys", (_log, dir) => openAuditLog(dir, { maxEntrys: 5 }), "maxEntrys", /^not an option of openAuditLog\(\); did you mean maxEntries\?$/],
  ["open max_entries", (_log, dir) => openAuditLog(dir, { max_entries: 5 }), "max_entries", /^not an option of openAuditLog\(\); did you mean maxEntries\?$/],
  ["open unknown key", (_log, dir) => openAuditLog(dir, { logDir: "x" }), "logDir", /^not an option of openAuditLog\(\), which takes maxEntries, /],
  ["open options not an object", (_log, dir) => openAuditLog(dir, null), "options", /^must be an object of options \(maxEntries, /],
  ["new AuditLogError feild", () => new AuditLogError("invalid", "x", { feild: "status" }), "feild", /^not an option of new AuditLogError\(\); did you mean field\?$/],
];

for (const seeded of [false, true]) {
  test(`refused input throws AuditLogError naming the field and leaves ${seeded ? "existing logs" : "an empty directory"} byte-identical`, (t) => {
    const dir = tempDir(t);
    const log = openAuditLog(dir);
    if (seeded) {
      log.record("build", "success", { durationMs: 5 });
      log.tool({ user: "alice", tool: "t", status: "ok" });
    }
    const before = snapshot(dir);
    if (!seeded) assert.deepEqual(before, {}, "opening writes nothing");
    for (const [what, call, field, reason] of refusals) {
      const e = thrown(() => call(log, dir));
      assert.ok(e instanceof AuditLogError, `${what}: ${e}`);
      assert.equal(e.kind, "invalid", what);
      assert.equal(e.field, field, what);
      assert.match(e.reason, reason, what);
      assert.equal(e.message, `${field}: ${e.reason}`, what);
      assert.deepEqual(snapshot(dir), before, `${what}: the directory changed`);
    }
    // The handle still works afterwards.
    assert.equal(log.record("build", "success").entry.seq, seeded ? 2 : 1);
  });
}

test("a refused open creates nothing: no log directory, no parent", (t) => {
  const base = tempDir(t);
  const opens = [
    { maxEntries: 0 },
    { maxEntrys: 5 },
    { max_entries: 5 },
    { chainKey: "short" },
    { compress: "yes" },
    { maxFileBytes: 10, maxDays: 3 },
    null,
  ];
  for (const options of opens) {
    for (const where of [join(base, "audit5"), join(base, "a", "b", "audit5")]) {
      const e = thrown(() => openAuditLog(where, options));
      assert.ok(e instanceof AuditLogError, `${JSON.stringify(options)}: ${e}`);
      assert.equal(e.kind, "invalid");
      assert.deepEqual(snapshot(base), {}, `${JSON.stringify(options)} created something`);
    }
  }
  // The same open with good options makes the directory.
  assert.equal(openAuditLog(join(base, "audit5"), { maxEntries: 5 }).record("s", "success").entry.seq, 1);
  const made = snapshot(base);
  assert.equal(made.audit5, "dir");
  assert.ok("audit5/audit_log.json" in made);
  assert.ok(!("a" in made), "the refused nested opens made no parent");
});

test("the options each call does take are accepted, whichever way the log is named", (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir, { maxEntries: 5, syncData: false, redactKeys: ["pin"] });
  log.record("s", "success", { durationMs: 5, errors: [], metadata: {} });
  log.tool({ user: "alice", tool: "t", status: "ok", args: {}, result: "r" });
  const page = log.recent({ source: { user: "alice" }, tool: "t", name: "t", status: "ok", since: "2000-01-01", until: new Date(Date.now() + 86_400_000), days: 2, limit: 1, cursor: null });
  assert.equal(page.entries.length, 1);
  assert.equal(log.stats({ skills: true, skill: "s" }).total, 1);
  const report = log.verify({ allUsers: true });
  assert.equal(log.verify({ checkpoint: log.verify().ends }).ok, true, "a report's ends are a checkpoint");
  assert.equal(report.ok, true);
  assert.deepEqual(log.adopt({ source: "skills" }).length, 1);
  assert.deepEqual(log.repair({ skills: true }), []);
  assert.deepEqual(log.rotate({ source: { user: "alice" } }), []);
  assert.deepEqual(log.rotate({ source: "all-users" }), []);
  assert.deepEqual(log.rotate({ user: "alice", allUsers: undefined }), []);
  assert.deepEqual(log.rotate(), []);
  assert.equal(new AuditLogError("invalid", "x: y", { field: "x", reason: "y", cause: 1 }).field, "x");
});

test("a damaged skill log is refused by reads as corrupt, untouched, and mended by the next append", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "audit_log.json"), "not json at all");
  const log = openAuditLog(dir);
  const before = snapshot(dir);
  for (const read of [() => log.recent({ skills: true }), () => log.stats({ skills: true })]) {
    const e = thrown(read);
    assert.ok(e instanceof AuditLogError);
    assert.equal(e.kind, "corrupt");
    assert.equal(e.field, undefined);
    assert.match(e.message, /^log file is damaged: audit_log\.json is not a JSON array/);
  }
  // Reads leave the directory exactly as it is: not even a lock file.
  assert.deepEqual(snapshot(dir), before);

  const r = log.record("build", "success");
  assert.equal(r.recovered.length, 1);
  assert.equal(r.recovered[0].movedTo, ".damaged.audit_log.1");
  assert.equal(r.recovered[0].bytes, 15);
  assert.deepEqual(log.recent({ skills: true }).entries.map((e) => e.skill), ["build", "auditlog.recovery"]);
  assert.equal(log.verify().ok, true);
});
