// The typings, js/auditlog.d.ts, name what the code really has: the options
// are the component's settings, the methods are a log's, and every field of
// every result the calls return is in its type (read from the typings with
// the TypeScript compiler's API; typescript is a dev dependency of js/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuditLogError, openAuditLog } from "../../js/auditlog.mjs";
import { OPTIONS, TYPED } from "../../js/lib/options.mjs";
import { tempDir, thrown } from "./helpers.mjs";

const typings = fileURLToPath(new URL("../../js/auditlog.d.ts", import.meta.url));
const ts = createRequire(typings)("typescript");

/** The property names of each type the typings export, by the type's name. */
function exportedTypes() {
  const options = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const program = ts.createProgram([typings], options);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  assert.deepEqual(problems, [], "the typings compile");
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(typings));
  const types = new Map();
  for (let symbol of checker.getExportsOfModule(module)) {
    const name = symbol.name;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    types.set(name, checker.getPropertiesOfType(type).map((p) => p.name).sort());
  }
  return types;
}

const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const keys = (value) => Object.keys(value).sort();

test("the typings name every option, method and result field the code has", (t) => {
  const types = exportedTypes();
  const fields = (name) => {
    assert.ok(types.has(name), `the typings export ${name}`);
    return types.get(name);
  };
  /** `value`'s fields are exactly those of type `name` (or, with `subset`, some of them). */
  const shaped = (name, value, { subset = false } = {}) => {
    if (subset) {
      const unknown = keys(value).filter((k) => !fields(name).includes(k));
      assert.deepEqual(unknown, [], `${name}: fields the typings do not have`);
    } else {
      assert.deepEqual(keys(value), fields(name), `${name}: the fields of a real one`);
    }
  };

  const dir = tempDir(t);
  const log = openAuditLog(dir, { maxFileBytes: 1024 });
  const schema = log.settingsSchema();
  assert.deepEqual(fields("AuditLogOptions"), schema.map((s) => camelCase(s.name)).sort(), "options = the component's settings");
  shaped("SettingSpec", schema[0]);
  assert.deepEqual(fields("AuditLog"), keys(log), "the methods of a log");
  // The keys each call accepts at run time (any other is refused) are its type's properties.
  for (const method of keys(log).filter((k) => typeof log[k] === "function" && k !== "settingsSchema")) {
    assert.ok(Object.hasOwn(TYPED, `${method}()`), `${method}: its options' keys are in lib/options.mjs, with their type`);
  }
  for (const [call, type] of Object.entries(TYPED)) {
    assert.deepEqual([...OPTIONS[call]].sort(), fields(type), `${call}: the keys accepted are the properties of ${type}`);
  }

  const run = log.record("build", "failed", { durationMs: 5, errors: ["boom"], metadata: { password: "x" } });
  shaped("SkillReceipt", run);
  shaped("SkillRunEntry", run.entry, { subset: true });
  for (let i = 0; i < 6; i++) log.tool({ user: "alice", tool: "t", status: "ok", args: { i }, result: "r".repeat(300) });
  const call = log.tool({ user: "alice", tool: "t", status: "error", args: { token: "x" } });
  shaped("ToolReceipt", call);
  shaped("ToolCallEntry", call.entry, { subset: true });
  shaped("Page", log.recent({ skills: true }));
  const stats = log.stats({ skills: true });
  shaped("Stats", stats);
  shaped("NameStats", stats.byName.build);
  // Closed segments, compressed by a handle with `compress` on.
  shaped("Rotation", openAuditLog(dir, { maxFileBytes: 1024, compress: true }).rotate()[0]);

  // A legacy day file, and garbage after an entry: legacy, unsealed, a problem, a repair.
  mkdirSync(join(dir, "bob", "tool_audit"), { recursive: true });
  const legacy = '{"ts": "2025-10-20T09:00:00", "user": "bob", "tool": "t", "args": {}, "status": "ok", "result_chars": 0, "result_snippet": ""}\n';
  writeFileSync(join(dir, "bob", "tool_audit", "2025-10-20.jsonl"), legacy);
  const report = log.verify();
  shaped("VerifyReport", report);
  shaped("LogEnd", report.ends[0]);
  shaped("LegacyEntries", report.legacy[0]);
  shaped("Adoption", log.adopt({ user: "bob" })[0]);
  const sealed = log.tool({ user: "carol", tool: "t", status: "ok" });
  const { seq: _seq, hash: _hash, ...bare } = sealed.entry;
  appendFileSync(join(dir, sealed.path), `${JSON.stringify(bare)}\n`);
  shaped("UnsealedEntry", log.verify({ user: "carol" }).unsealed[0]);
  appendFileSync(join(dir, run.path), "garbage\n");
  const broken = log.verify({ skills: true });
  shaped("VerifyProblem", broken.problem);
  shaped("Recovery", log.repair({ skills: true })[0]);

  const e = thrown(() => log.tool({ user: "alice", tool: "t", status: "maybe" }));
  assert.ok(e instanceof AuditLogError);
  shaped("AuditLogError", e, { subset: true });
});
