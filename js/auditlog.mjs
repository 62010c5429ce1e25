// auditlog for Node.js: the portable auditlog component (world `portable` in
// ../wit/auditlog.wit), transpiled by jco into ./dist (`npm run build`, and
// `npm pack` before it packs) and run on @bytecodealliance/preview2-shim, with
// WASI's filesystem confined to one log directory. See README.md beside this
// file; the typings are in auditlog.d.ts.
//
//   import { openAuditLog } from "auditlog";
//   const log = openAuditLog("./audit", { maxEntries: 10000 });
//   log.record("workflow.validate", "success", { durationMs: 150 });
//   log.tool({ user: "alice", tool: "file_read", status: "ok", args: { path: "a.txt" }, result: "hello" });
//   log.recent({ user: "alice", limit: 50 });  // { entries: [...], nextCursor }
//
// The modules behind it, in lib/:
//   audit_log.mjs            openAuditLog and the calls on a log directory
//   arguments.mjs            the caller's arguments as the component's WIT types
//   results.mjs              the component's results as the wrapper returns them
//   settings.mjs             openAuditLog's options as the component's settings
//   options.mjs              each call's option keys; any other key is refused
//   errors.mjs               AuditLogError, from `audit-error` and the wrapper's checks
//   component.mjs            loading dist/ and instantiating the component
//   confined_filesystem.mjs  the WASI filesystem confined to the log directory

export { openAuditLog } from "./lib/audit_log.mjs";
export { AuditLogError } from "./lib/errors.mjs";
export { ConfinedDescriptor, confinedFilesystem } from "./lib/confined_filesystem.mjs";
