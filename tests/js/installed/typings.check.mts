// Compiled (tsc --strict, never run) by tests/npm-pack.sh in the folder where
// the tarball of `npm pack` in js/ was installed: the typings ship in the
// package and TypeScript finds them through its "exports", as a user's
// project does. tests/js/typings.test.mjs checks them call by call.
import { AuditLogError, openAuditLog, type AuditLog, type VerifyReport } from "auditlog";

const log: AuditLog = openAuditLog("./audit", { maxEntries: 100, chainKey: new Uint8Array(16), compress: true });
const receipt = log.record("pack.check", "success", { durationMs: 42, metadata: { from: "npm pack" } });
const seq: number | undefined = receipt.entry.seq;
const call = log.tool({ user: "alice", tool: "file_read", status: "ok", args: { path: "a.txt" }, result: "hello" });
const chars: number = call.entry.result_chars;
const page = log.recent({ user: "alice", limit: 5 });
const tools: string[] = page.entries.map((e) => e.tool);
const next: string | null = page.nextCursor;
const report: VerifyReport = log.verify({ checkpoint: log.verify().ends });
const rotated: number = log.rotate({ user: "alice" }).length + log.rotate({ source: "all-users" }).length;
const reason: string | null = report.ok ? null : report.problem.reason;
try {
  log.tool({ user: "alice", tool: "shell", status: "denied" });
} catch (e) {
  if (e instanceof AuditLogError && e.kind === "invalid") console.log(e.field, e.reason);
}
console.log(seq, chars, tools, next, reason, rotated, log.stats({ skills: true }).errorRate);
