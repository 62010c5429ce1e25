// The component sees the log directory as `/` and nothing outside it: not a
// sibling file, not a directory or file that a symlink inside points out to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuditLogError, confinedFilesystem, openAuditLog } from "../../js/auditlog.mjs";
import { snapshot, tempDir, thrown } from "./helpers.mjs";

const today = () => new Date().toISOString().slice(0, 10);

/** parent/{logs/, secret.txt, outside/tool_audit/<today>.jsonl, outside/fake.json}, with symlinks in logs/ pointing out. */
function layout(t) {
  const parent = tempDir(t);
  const logs = join(parent, "logs");
  const outside = join(parent, "outside");
  mkdirSync(logs);
  mkdirSync(join(outside, "tool_audit"), { recursive: true });
  writeFileSync(join(parent, "secret.txt"), "top secret\n");
  const planted = {
    ts: `${today()}T00:00:01Z`,
    user: "mallory",
    tool: "planted",
    args: {},
    status: "ok",
    result_chars: 0,
    result_snippet: "",
    seq: 1,
    hash: "0".repeat(64),
  };
  writeFileSync(join(outside, "tool_audit", `${today()}.jsonl`), `${JSON.stringify(planted)}\n`);
  writeFileSync(join(outside, "fake.json"), "[\n]\n");
  symlinkSync("../outside", join(logs, "mallory")); // relative, leads out
  symlinkSync(outside, join(logs, "eve")); // absolute
  return { parent, logs, outside };
}

/** Everything in `parent` except the log directory itself. */
function around(parent) {
  const all = snapshot(parent);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k !== "logs" && !k.startsWith("logs/")));
}

test("the component cannot read or write through symlinks that lead out of the log directory", (t) => {
  const { parent, logs } = layout(t);
  const log = openAuditLog(logs);
  const before = around(parent);

  for (const user of ["mallory", "eve"]) {
    for (const call of [
      () => log.recent({ user }),
      () => log.stats({ user }),
      () => log.tool({ user, tool: "t", status: "ok", args: { x: 1 } }),
    ]) {
      const e = thrown(call);
      assert.ok(e instanceof AuditLogError, String(e));
      assert.equal(e.kind, "storage");
      assert.match(e.message, /not permitted/i);
    }
  }
  assert.deepEqual(log.recent({ allUsers: true }).entries, []);
  assert.equal(log.stats({ allUsers: true }).total, 0);
  assert.equal(log.verify().entries, 0);

  // The skill log itself a symlink to a file outside.
  symlinkSync("../outside/fake.json", join(logs, "audit_log.json"));
  const e = thrown(() => log.record("build", "success"));
  assert.equal(e.kind, "storage");
  assert.match(e.message, /not permitted/i);

  assert.deepEqual(around(parent), before, "nothing outside the log directory changed");
  assert.equal(readFileSync(join(parent, "secret.txt"), "utf8"), "top secret\n");
});

test("the adapter's filesystem preopens only the log directory, as /", (t) => {
  const { logs } = layout(t);
  writeFileSync(join(logs, "inside.txt"), "inside\n");
  const fs = confinedFilesystem(logs);
  const dirs = fs.preopens.getDirectories();
  assert.equal(dirs.length, 1);
  const [[root, name]] = dirs;
  assert.equal(name, "/");
  assert.ok(root instanceof fs.types.Descriptor);

  const follow = { symlinkFollow: true };
  const open = { create: false, directory: false, exclusive: false, truncate: false };
  const read = { read: true };
  for (const path of [
    "../secret.txt",
    "/etc/passwd",
    "/secret.txt",
    "a/../../secret.txt",
    "..",
    "mallory/tool_audit",
    `mallory/tool_audit/${today()}.jsonl`,
    `eve/tool_audit/${today()}.jsonl`,
  ]) {
    assert.throws(() => root.openAt(follow, path, open, read), (e) => e === "not-permitted", `open ${path}`);
    assert.throws(() => root.statAt(follow, path), (e) => e === "not-permitted", `stat ${path}`);
  }

  // Inside, the flags Rust std passes (read, write, mutate-directory, create) work.
  const writeFlags = { read: true, write: true, mutateDirectory: true };
  const created = root.openAt(follow, "new.txt", { ...open, create: true }, writeFlags);
  created.write(new TextEncoder().encode("hello"), 0n);
  assert.deepEqual(created.getFlags(), writeFlags);
  assert.equal(readFileSync(join(logs, "new.txt"), "utf8"), "hello");
  const existing = root.openAt(follow, "inside.txt", open, read);
  assert.equal(existing.stat().size, 7n);

  // Listing the root shows only what is inside it.
  const dot = root.openAt(follow, ".", { ...open, directory: true }, read);
  const stream = dot.readDirectory();
  const names = [];
  for (let entry; (entry = stream.readDirectoryEntry()); ) names.push(entry.name);
  assert.deepEqual(names.sort(), ["eve", "inside.txt", "mallory", "new.txt"]);
});
