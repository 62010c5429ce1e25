// The JS build and the Rust host read and verify each other's logs. Needs the
// `auditlog` CLI: AUDITLOG_BIN, or the newer of target/{debug,release}/auditlog
// (`cargo build`); skipped when there is none.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openAuditLog } from "../../js/auditlog.mjs";
import { tempDir } from "./helpers.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin =
  process.env.AUDITLOG_BIN ||
  ["debug", "release"]
    .map((profile) => join(root, "target", profile, "auditlog"))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
const skip = bin ? false : "no auditlog CLI (set AUDITLOG_BIN or run cargo build)";

// One compiled-component cache for this file's CLI calls, outside ~/.cache.
const cache = mkdtempSync(join(tmpdir(), "auditlog-js-cache-"));
after(() => rmSync(cache, { recursive: true, force: true }));

function cli(dir, ...args) {
  return execFileSync(bin, ["--dir", dir, ...args], {
    encoding: "utf8",
    env: { ...process.env, AUDITLOG_CACHE_DIR: cache },
  });
}

const longArgs = { path: "a.txt", long: "x".repeat(600) };

test("the Rust host verifies and reads what the JS build wrote", { skip }, (t) => {
  const dir = tempDir(t);
  const log = openAuditLog(dir);
  log.record("workflow.validate", "success", { durationMs: 150 });
  log.record("workflow.compose", "failed", { errors: ["Step 3 failed"] });
  const t1 = log.tool({ user: "alice", tool: "file_read", status: "ok", args: longArgs, result: "hello" }).entry;
  const t2 = log.tool({ user: "alice", tool: "shell", status: "denied" }).entry;

  assert.match(cli(dir, "verify"), /4 entries verified/);
  const rust = cli(dir, "recent", "--user", "alice", "--format", "jsonl").trim().split("\n");
  assert.deepEqual(rust, [JSON.stringify(t2), JSON.stringify(t1)]);
});

test("the JS build verifies and reads what the Rust host wrote, in the same format", { skip }, (t) => {
  const dir = tempDir(t);
  cli(dir, "record", "workflow.validate", "success", "150");
  const rust = JSON.parse(
    cli(dir, "tool", "--user", "alice", "--tool", "file_read", "--status", "ok", "--args", JSON.stringify(longArgs), "--result", "hello"),
  );
  const log = openAuditLog(dir);
  assert.equal(log.verify().entries, 2);
  assert.equal(log.verify().ok, true);
  assert.deepEqual(log.recent({ user: "alice" }).entries, [rust]);

  const js = log.tool({ user: "alice", tool: "file_read", status: "ok", args: longArgs, result: "hello" }).entry;
  const strip = ({ ts, seq, hash, ...rest }) => rest;
  assert.deepEqual(strip(js), strip(rust));
  assert.deepEqual(Object.keys(js), Object.keys(rust));
  assert.equal(js.seq, 2, "continues the Rust host's chain");
  assert.match(cli(dir, "verify"), /3 entries verified/);
});
