// Compiled, never run, by tests/js/typings.test.mjs (tsc --strict) against
// js/auditlog.d.ts, as a TypeScript user's code imports the package: every
// export, every method of a log and every option each takes, and the shapes
// of what they return. A name the typings do not have fails the compile.
import {
  AuditLogError,
  ConfinedDescriptor,
  confinedFilesystem,
  openAuditLog,
  type Adoption,
  type AuditLog,
  type AuditLogErrorKind,
  type AuditLogOptions,
  type ConfinedFilesystem,
  type JsonValue,
  type LogEnd,
  type Page,
  type Recovery,
  type Rotation,
  type SettingSpec,
  type SkillReceipt,
  type SkillRunEntry,
  type Stats,
  type StoredEntry,
  type ToolCallEntry,
  type ToolReceipt,
  type VerifyReport,
} from "auditlog";

/** `true` only when `T` is `any`: the results below must be typed, not `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;
function typed<T>(_value: T, _notAny: IsAny<T> extends true ? never : true): void {}

const options: AuditLogOptions = {
  maxEntries: 10_000,
  argMaxChars: 500,
  snippetChars: 300,
  maxEntryBytes: 102_400,
  chainKey: "0123456789abcdef-key",
  redactKeys: ["pin"],
  syncData: true,
  maxFileBytes: 1n << 20n,
  maxDays: 30,
  maxUserBytes: 1 << 20,
  compress: true,
  compressGrace: 600,
};
const log: AuditLog = openAuditLog("./audit", options);
openAuditLog("./audit", { chainKey: new Uint8Array(16), maxFileBytes: 2048 });
openAuditLog("./audit");
const dir: string = log.dir;

const schema: SettingSpec[] = log.settingsSchema();
for (const spec of schema) {
  const kind: "uint32" | "uint64" | "boolean" | "bytes" | "words" = spec.kind;
  const range: [number | null, number | null] = [spec.min, spec.max];
  const described: [string, boolean, string, string, string | null] = [spec.name, spec.zeroIsOff, spec.valueName, spec.doc, spec.fileKey];
  const byDefault: JsonValue = spec.default;
  typed({ kind, range, described, byDefault }, true);
}

// Appends.
const run: SkillReceipt = log.record("workflow.compose", "failed", {
  durationMs: 150,
  errors: ["Step 3 failed"],
  metadata: { step: 3 },
});
log.record("workflow.validate", "success", { durationMs: 5n, metadata: '{"a":1}' });
log.record("workflow.validate", "success");
const skillEntry: SkillRunEntry = run.entry;
const skillFields: [string, string, string, number | undefined, string[] | undefined, string | undefined] = [
  skillEntry.timestamp,
  skillEntry.skill,
  skillEntry.status,
  skillEntry.duration_ms,
  skillEntry.errors,
  skillEntry.hash ?? skillEntry.mac,
];
const receipt: [string, number, Recovery[], string[]] = [run.path, run.totalEntries, run.recovered, run.warnings];
typed({ skillFields, receipt }, true);

const call: ToolReceipt = log.tool({
  user: "alice",
  tool: "file_read",
  status: "ok",
  args: { path: "notes.txt" },
  result: "hello",
});
log.tool({ user: "alice", tool: "shell", status: "denied", args: '{"cmd":"ls"}' });
log.tool({ user: "alice", tool: "shell", status: "error" });
const toolEntry: ToolCallEntry = call.entry;
const toolFields: [string, string, string, { [key: string]: JsonValue }, string, number, string, number | undefined] = [
  toolEntry.ts,
  toolEntry.user,
  toolEntry.tool,
  toolEntry.args,
  toolEntry.status,
  toolEntry.result_chars,
  toolEntry.result_snippet,
  toolEntry.seq,
];
const toolReceipt: [string, Recovery[], string[]] = [call.path, call.recovered, call.warnings];
typed({ toolFields, toolReceipt }, true);

// Reads: each way to name a log, every filter, the pages.
const skills: Page<SkillRunEntry> = log.recent({
  skills: true,
  skill: "workflow.compose",
  status: "failed",
  since: "2025-10-20",
  until: new Date(),
  days: 7,
  limit: 50,
});
const next: Page<SkillRunEntry> = log.recent({ skills: true, limit: 50, cursor: skills.nextCursor });
const names: string[] = next.entries.map((e) => e.skill);
const alice: Page<ToolCallEntry> = log.recent({ user: "alice", tool: "file_read", limit: 10 });
const everyone: Page<ToolCallEntry> = log.recent({ allUsers: true, name: "file_read" });
const bySource: Page<SkillRunEntry> = log.recent({ source: "skills" });
const byUserSource: Page<ToolCallEntry> = log.recent({ source: { user: "alice" } });
log.recent({ source: "all-users" });
log.recent({ source: "allUsers", cursor: null });
const wide = { skills: Math.random() > 0.5, allUsers: false };
const either: Page<StoredEntry> = log.recent(wide);
typed({ names, alice, everyone, bySource, byUserSource, either }, true);

const stats: Stats = log.stats({ skills: true, skill: "workflow.compose", since: new Date(), until: "2026-01-01", days: 30 });
log.stats({ user: "alice", tool: "file_read", status: "ok" });
log.stats({ allUsers: true, name: "shell" });
log.stats({ source: { user: "bob" } });
const totals: [number, number, number, number] = [stats.total, stats.errors, stats.errorRate, stats.other];
const build = stats.byName["build"];
const durations: (number | null)[] = build ? [build.count, build.errors, build.avgMs, build.p50Ms, build.p95Ms, build.maxMs] : [];
const counted: number | undefined = stats.byStatus["ok"] ?? stats.byUser["alice"] ?? stats.byDay["2025-10-20"];
typed({ totals, durations, counted }, true);

// Integrity and upkeep.
const report: VerifyReport = log.verify();
if (report.ok) {
  const none: null = report.problem;
  typed(none, true);
} else {
  const where: [string, number, number | null, string] = [report.problem.file, report.problem.line, report.problem.seq, report.problem.reason];
  typed(where, true);
}
const ends: LogEnd[] = report.ends;
log.verify({ checkpoint: ends });
log.verify({ skills: true, checkpoint: [{ log: "audit_log.json", seq: 2n, link: "ab" }, { log: "alice", link: "cd" }] });
log.verify({ user: "alice" });
log.verify({ allUsers: true });
log.verify({ source: "skills" });
const legacy = report.legacy.map((l) => [l.log, l.beforeChain, l.total, l.adoptedSeq, l.adoptedEntries, l.firstTime, l.lastTime]);
const unsealed = report.unsealed.map((u) => `${u.file}:${u.line}`);
typed({ legacy, unsealed, entries: report.entries, unsealedTotal: report.unsealedTotal }, true);

const adopted: Adoption[] = log.adopt({ user: "alice" });
log.adopt();
log.adopt({ skills: true });
const sealed: (number | null)[] = adopted.map((a) => a.sealedAs ?? a.adoptedAt);
const adoptedSpan: (string | null)[] = adopted.flatMap((a) => [a.log, a.firstTime, a.lastTime, `${a.entries}`]);
const repaired: Recovery[] = log.repair({ allUsers: true });
log.repair();
log.repair({ source: "skills" });
const moved: (string | null)[] = repaired.map((r) => r.movedTo ?? `${r.file} ${r.reason} ${r.bytes} ${r.kept} ${r.notice}`);
const rotated: Rotation[] = log.rotate({ user: "alice" });
log.rotate();
log.rotate({ allUsers: true });
log.rotate({ source: "all-users" });
log.rotate({ source: { user: "alice" } });
const actions: ("compressed" | "deleted")[] = rotated.map((r) => r.action);
const rotatedFiles: string[] = rotated.map((r) => `${r.file} ${r.bytes}`);
typed({ sealed, adoptedSpan, moved, actions, rotatedFiles }, true);

// Errors.
try {
  log.tool({ user: "alice", tool: "shell", status: "ok" });
} catch (e) {
  if (e instanceof AuditLogError) {
    const kind: AuditLogErrorKind = e.kind;
    const detail: [string | undefined, string | undefined, string, string] = [e.field, e.reason, e.message, e.name];
    typed({ kind, detail }, true);
  }
}
const made = new AuditLogError("invalid", "status: bad", { field: "status", reason: "bad", cause: new Error("x") });
typed(made, true);

// The filesystem adapter.
const fs: ConfinedFilesystem = confinedFilesystem(dir);
const [[root, name]] = fs.preopens.getDirectories();
const isRoot: boolean = root instanceof fs.types.Descriptor && root instanceof ConfinedDescriptor && name === "/";
const file: ConfinedDescriptor = root.openAt(
  { symlinkFollow: true },
  "new.txt",
  { create: true, directory: false, exclusive: false, truncate: false },
  { read: true, write: true, mutateDirectory: true },
);
const written: bigint = file.write(new Uint8Array([104, 105]), 0n);
const size: bigint = file.stat().size;
const mutates: boolean | undefined = file.getFlags().mutateDirectory;
const listing = root.openAt({ symlinkFollow: false }, ".", { directory: true }, { read: true }).readDirectory();
const first: string | undefined = listing.readDirectoryEntry()?.name;
root.renameAt("new.txt", root, "old.txt");
typed({ isRoot, written, size, mutates, first, same: root.isSameObject(file) }, true);
