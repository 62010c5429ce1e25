// Runs the parity test's calls (a JSON array, argv[3]) through the Node
// wrapper on the log directory argv[2]. Used by tests/python/test_parity.py.
import { openAuditLog } from "../../js/auditlog.mjs";

const [dir, script] = process.argv.slice(2);
const log = openAuditLog(dir);
for (const call of JSON.parse(script)) {
  if (call.op === "record") {
    log.record(call.skill, call.status, {
      durationMs: call.duration_ms ?? undefined,
      errors: call.errors ?? undefined,
      metadata: call.metadata ?? undefined,
    });
  } else {
    log.tool({ user: call.user, tool: call.tool, status: call.status, args: call.args, result: call.result });
  }
}
