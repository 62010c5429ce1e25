// auditlog for Node.js: the portable auditlog component (world `portable` in
// ../wit/auditlog.wit), transpiled by jco into ./dist (`npm run build`, and
// `npm pack` before it packs) and run on @bytecodealliance/preview2-shim, with
// WASI's filesystem confined to one log directory. See README.md beside this file.
//
//   import { openAuditLog } from "auditlog";
//   const log = openAuditLog("./audit", { maxEntries: 10000 });
//   log.record("workflow.validate", "success", { durationMs: 150 });
//   log.tool({ user: "alice", tool: "file_read", status: "ok", args: { path: "a.txt" }, result: "hello" });
//   log.recent({ user: "alice", limit: 50 });  // { entries: [...], nextCursor }

import { mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { cli, clocks, filesystem, io, random } from "@bytecodealliance/preview2-shim";

/** A refused input or a failed call, from the component's `audit-error`. */
export class AuditLogError extends Error {
  /**
   * @param {'invalid'|'storage'|'corrupt'} kind
   * @param {string} message
   * @param {{field?: string, reason?: string, cause?: unknown}} [details]
   */
  constructor(kind, message, { field, reason, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "AuditLogError";
    /** `invalid` (refused input; nothing written), `storage` or `corrupt`. */
    this.kind = kind;
    /** For `invalid`: the refused field as stored or on the command line (`status`, `duration_ms`, …). */
    this.field = field;
    /** For `invalid`: why, e.g. `must be one of ok, error, denied, got "maybe"`. */
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------
// The filesystem adapter.
//
// preview2-shim 0.26's `Descriptor.openAt` throws `unsupported` whenever the
// caller asks for `descriptor-flags.mutate-directory`. Rust std on
// wasm32-wasip2 opens files through wasi-libc, which asks for it on every
// open for writing, so every write fails with "Not supported". The shim has no
// read-only directories: every descriptor it hands out may already create,
// rename and delete (createDirectoryAt, renameAt, unlinkFileAt check no
// flag), so the flag asks for nothing the shim does not grant anyway.
// `ConfinedDescriptor` wraps the shim's descriptors and drops that one flag
// before delegating; every path is still resolved by the shim's own openAt,
// which refuses absolute paths, `..` above the descriptor's directory and
// symlinks that lead out of it. The only descriptor the component is given
// is the log directory, preopened as `/`: nothing outside it is reachable.
// Nothing is patched globally; other users of the shim are unaffected.
// ---------------------------------------------------------------------------

const inner = Symbol("auditlog.inner");
const dispose = Symbol.dispose ?? Symbol.for("dispose");

function unwrap(descriptor) {
  if (!(descriptor instanceof ConfinedDescriptor)) {
    throw "bad-descriptor";
  }
  return descriptor[inner];
}

/** `wasi:filesystem/types#descriptor` over the shim's, see above. */
export class ConfinedDescriptor {
  #flags;
  /** @param {object} shimDescriptor @param {object} [flags] the flags it was opened with */
  constructor(shimDescriptor, flags) {
    this[inner] = shimDescriptor;
    this.#flags = flags;
  }
  openAt(pathFlags, path, openFlags, descriptorFlags) {
    // The one change: `mutateDirectory` is granted by the shim anyway.
    const { mutateDirectory: _granted, ...rest } = descriptorFlags;
    return new ConfinedDescriptor(this[inner].openAt(pathFlags, path, openFlags, rest), descriptorFlags);
  }
  getFlags() {
    return this.#flags ?? this[inner].getFlags();
  }
  renameAt(oldPath, newDescriptor, newPath) {
    return this[inner].renameAt(oldPath, unwrap(newDescriptor), newPath);
  }
  linkAt(oldPathFlags, oldPath, newDescriptor, newPath) {
    return this[inner].linkAt(oldPathFlags, oldPath, unwrap(newDescriptor), newPath);
  }
  isSameObject(other) {
    return other instanceof ConfinedDescriptor && this[inner].isSameObject(other[inner]);
  }
  [dispose]() {
    this[inner][dispose]?.();
  }
}
for (const name of Object.getOwnPropertyNames(filesystem.types.Descriptor.prototype)) {
  if (name === "constructor" || Object.hasOwn(ConfinedDescriptor.prototype, name)) {
    continue;
  }
  // readViaStream, writeViaStream, appendViaStream, stat, statAt, setSize,
  // read, write, readDirectory, createDirectoryAt, unlinkFileAt, sync, ...
  ConfinedDescriptor.prototype[name] = function (...args) {
    return this[inner][name](...args);
  };
}

/**
 * WASI filesystem imports that show the component `dir` as `/` and nothing else.
 * @param {string} dir an existing directory
 */
export function confinedFilesystem(dir) {
  const shim = filesystem.createFilesystem({ preopens: { "/": dir } });
  const preopens = shim.preopens.getDirectories().map(([d, name]) => [new ConfinedDescriptor(d), name]);
  return {
    types: {
      Descriptor: ConfinedDescriptor,
      DirectoryEntryStream: shim.types.DirectoryEntryStream,
      filesystemErrorCode: (err) => shim.types.filesystemErrorCode(err),
    },
    preopens: { getDirectories: () => [...preopens] },
  };
}

// ---------------------------------------------------------------------------
// Instantiation.
// ---------------------------------------------------------------------------

// Loaded once, at import; a missing build is reported by openAuditLog.
let transpiled = null;
let loadError = null;
try {
  transpiled = await import("./dist/auditlog.js");
} catch (e) {
  loadError = e;
}
const coreModules = new Map();

function loaded() {
  if (!transpiled) {
    throw new Error(
      "auditlog: dist/auditlog.js is missing or broken; in the repository, run `npm run build` " +
        "in js/ (it builds the component, or takes AUDITLOG_COMPONENT), or install the package " +
        "from the tarball of `npm pack` (see js/README.md)",
      { cause: loadError },
    );
  }
  return transpiled;
}

function getCoreModule(path) {
  let module = coreModules.get(path);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(new URL(`./dist/${path}`, import.meta.url)));
    coreModules.set(path, module);
  }
  return module;
}

/** The component's `wasi:cli/exit` must not end the host process. */
class ComponentExit extends Error {}

function instantiateComponent(dir) {
  const fs = confinedFilesystem(dir);
  const imports = {
    "audit:log/types": {},
    "wasi:cli/environment": {
      // Nothing of the host's environment or arguments.
      getEnvironment: () => [],
      getArguments: () => [],
      initialCwd: () => undefined,
    },
    "wasi:cli/exit": {
      exit(status) {
        throw new ComponentExit(`the component exited (${status.tag})`);
      },
    },
    "wasi:cli/stdin": cli.stdin,
    "wasi:cli/stdout": cli.stdout,
    "wasi:cli/stderr": cli.stderr,
    "wasi:cli/terminal-input": cli.terminalInput,
    "wasi:cli/terminal-output": cli.terminalOutput,
    "wasi:cli/terminal-stdin": cli.terminalStdin,
    "wasi:cli/terminal-stdout": cli.terminalStdout,
    "wasi:cli/terminal-stderr": cli.terminalStderr,
    "wasi:clocks/monotonic-clock": clocks.monotonicClock,
    "wasi:clocks/wall-clock": clocks.wallClock,
    "wasi:filesystem/preopens": fs.preopens,
    "wasi:filesystem/types": fs.types,
    "wasi:io/error": io.error,
    "wasi:io/poll": io.poll,
    "wasi:io/streams": io.streams,
    "wasi:random/insecure-seed": random.insecureSeed,
  };
  return loaded().instantiate(getCoreModule, imports).log;
}

// ---------------------------------------------------------------------------
// Argument conversion.
// ---------------------------------------------------------------------------

const U32_MAX = 0xffff_ffff;

function refuse(field, reason) {
  return new AuditLogError("invalid", `${field}: ${reason}`, { field, reason });
}

function describe(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function optU32(field, value) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw refuse(field, `must be an integer from 0 to ${U32_MAX}, got ${describe(value)}`);
  }
  return value;
}

function optU64(field, value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "bigint") {
    if (value < 0n || value >= 1n << 64n) throw refuse(field, `must be a non-negative integer, got ${value}`);
    return value;
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw refuse(field, `must be a non-negative integer, got ${describe(value)}`);
  }
  return BigInt(value);
}

function str(field, value, { optional = false } = {}) {
  if ((value === undefined || value === null) && optional) return undefined;
  if (typeof value !== "string") throw refuse(field, `must be a string, got ${describe(value)}`);
  return value;
}

/** A JSON object given as an object or as its text. */
function jsonText(field, value, { optional = false } = {}) {
  if ((value === undefined || value === null) && optional) return undefined;
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    try {
      return JSON.stringify(value);
    } catch (e) {
      throw refuse(field, `must be JSON-serialisable: ${e.message}`);
    }
  }
  throw refuse(field, `must be an object or the text of a JSON object, got ${describe(value)}`);
}

function instantText(field, value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw refuse(field, "must be a valid Date");
    return value.toISOString();
  }
  return str(field, value);
}

/**
 * `{skills: true}` | `{user: "alice"}` | `{allUsers: true}`, or `source`:
 * `"skills"` | `"all-users"` | `{user: "alice"}`.
 */
function source(sel, { optional = false } = {}) {
  const given = [sel.skills ? "skills" : null, sel.user != null ? "user" : null, sel.allUsers ? "allUsers" : null].filter(
    Boolean,
  );
  let src = sel.source;
  if (src !== undefined && given.length) {
    throw refuse("source", "give either `source` or one of `skills`, `user`, `allUsers`");
  }
  if (src === undefined) {
    if (given.length > 1) throw refuse("source", `give one of skills, user, allUsers, got ${given.join(" and ")}`);
    if (given.length === 0) {
      if (optional) return undefined;
      throw refuse("source", "give one of skills: true, user: NAME, allUsers: true");
    }
    src = given[0] === "skills" ? "skills" : given[0] === "allUsers" ? "all-users" : { user: sel.user };
  }
  if (src === "skills") return { tag: "skills" };
  if (src === "all-users" || src === "allUsers") return { tag: "all-users" };
  if (src && typeof src === "object" && "user" in src) return { tag: "user", val: str("user", src.user) };
  throw refuse("source", `must be "skills", "all-users" or {user: NAME}, got ${describe(src)}`);
}

/**
 * A WIT `selection` from the caller's: the log as `{skills: true}` |
 * `{user: "alice"}` | `{allUsers: true}`, or `source`: `"skills"` |
 * `"all-users"` | `{user: "alice"}`; then `skill`, `tool`, `status`,
 * `since`, `until`, `days`. Only JavaScript types are checked here: which
 * log, and which filters go with it, is the component's rule (`select`).
 */
function selection(sel) {
  let { skills, user, allUsers } = sel;
  if (sel.source !== undefined) {
    if (skills || user != null || allUsers) {
      throw refuse("source", "give either `source` or one of `skills`, `user`, `allUsers`");
    }
    const src = sel.source;
    if (src === "skills") skills = true;
    else if (src === "all-users" || src === "allUsers") allUsers = true;
    else if (src && typeof src === "object" && "user" in src) user = str("user", src.user);
    else throw refuse("source", `must be "skills", "all-users" or {user: NAME}, got ${describe(src)}`);
  }
  return {
    skills: Boolean(skills),
    user: str("user", user, { optional: true }),
    allUsers: Boolean(allUsers),
    skill: str("skill", sel.skill, { optional: true }),
    tool: str("tool", sel.tool, { optional: true }),
    status: str("status", sel.status, { optional: true }),
    since: instantText("since", sel.since),
    until: instantText("until", sel.until),
    days: optU32("days", sel.days),
  };
}

// u64 values arrive as BigInt; entries here are far below 2^53.
const num = (v) => (typeof v === "bigint" ? Number(v) : v);
const opt = (v) => (v === undefined ? null : num(v));

function recovery(r) {
  return {
    file: r.file,
    reason: r.reason,
    movedTo: r.movedTo ?? null,
    bytes: num(r.bytes),
    kept: num(r.kept),
    notice: r.notice,
  };
}

function counts(list) {
  return Object.fromEntries(list.map(({ key, count }) => [key, num(count)]));
}

/** `max_user_bytes` -> `maxUserBytes`: a setting's name as an option and as jco's record field. */
const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The component's settings record from the caller's options: every setting
 * the component describes (`settingsSchema()`), each value checked only for
 * its JavaScript type by the setting's kind; the component checks the rest.
 */
function settings(schema, options) {
  return Object.fromEntries(schema.map(({ name, kind }) => [camelCase(name), setting(name, kind, options[camelCase(name)])]));
}

/** One setting's value as the WIT type `kind` takes it; `undefined` keeps the current value. */
function setting(name, kind, value) {
  switch (kind) {
    case "uint32":
      return optU32(name, value);
    case "uint64":
      return optU64(name, value);
    case "boolean":
      if (value !== undefined && typeof value !== "boolean") throw refuse(name, "must be true or false");
      return value;
    case "bytes":
      if (value === undefined || value === null) return undefined;
      if (typeof value === "string") return [...Buffer.from(value)];
      if (value instanceof Uint8Array) return [...value];
      throw refuse(name, "must be a Uint8Array, Buffer or string");
    case "words":
      if (value !== undefined && (!Array.isArray(value) || value.some((w) => typeof w !== "string"))) {
        throw refuse(name, "must be an array of strings");
      }
      return value;
    default:
      throw new Error(`auditlog: the component describes setting ${name} with an unknown kind ${kind}`);
  }
}

/** The settings the component accepts, asked once per process. */
let schemaCache = null;
function settingsSchemaOf(dir) {
  schemaCache ??= instantiateComponent(dir)
    .settingsSchema()
    .map((spec) => ({
      name: spec.name,
      kind: spec.kind,
      default: JSON.parse(spec.default),
      min: spec.min === undefined ? null : num(spec.min),
      max: spec.max === undefined ? null : num(spec.max),
      zeroIsOff: spec.zeroIsOff,
      valueName: spec.valueName,
      doc: spec.doc,
      fileKey: spec.fileKey ?? null,
    }));
  return schemaCache.map((spec) => ({ ...spec }));
}

// ---------------------------------------------------------------------------
// The log.
// ---------------------------------------------------------------------------

/**
 * Opens the audit logs in `logDir` (created if missing). Only one process at
 * a time may write to a log directory through this module (see README.md).
 *
 * The tool logs' rotation policy, each off by default: `maxFileBytes` (0 or at
 * least 1024: roll a day file over into `YYYY-MM-DD.1.jsonl`, … once it holds
 * that many bytes), `maxDays` (keep each user's last N UTC days, today
 * included), `maxUserBytes` (0 or at least 1024: keep at most that many bytes
 * of files per user, oldest deleted first), `compress` (gzip closed files).
 * They are given here: this module does not read `auditlog.toml`.
 *
 * The options are the component's settings, named in camelCase
 * (`max_user_bytes` is `maxUserBytes`); `log.settingsSchema()` lists them with
 * their types, defaults and ranges. Each value is checked here only for its
 * JavaScript type (an integer for `uint32`, a number or bigint for `uint64`,
 * a boolean, a Uint8Array/Buffer/string for bytes, an array of strings); the
 * component refuses the rest, naming the setting.
 *
 * @param {string} logDir
 * @param {{maxEntries?: number, argMaxChars?: number, snippetChars?: number,
 *          maxEntryBytes?: number, chainKey?: Uint8Array|string,
 *          redactKeys?: string[], syncData?: boolean, maxFileBytes?: number|bigint,
 *          maxDays?: number, maxUserBytes?: number|bigint, compress?: boolean,
 *          [setting: string]: unknown}} [options]
 */
export function openAuditLog(logDir, options = {}) {
  if (typeof logDir !== "string" || logDir === "") throw new TypeError("openAuditLog: logDir must be a path");
  loaded();
  mkdirSync(logDir, { recursive: true });
  const dir = realpathSync(resolve(logDir));
  if (!statSync(dir).isDirectory()) throw new TypeError(`openAuditLog: ${dir} is not a directory`);
  const config = settings(settingsSchemaOf(dir), options);

  let log = null;
  function instance() {
    if (!log) {
      const fresh = instantiateComponent(dir);
      call(() => fresh.configure(config));
      log = fresh;
    }
    return log;
  }

  function call(f) {
    try {
      return f();
    } catch (e) {
      const payload = e && Object.hasOwn(e, "payload") ? e.payload : undefined;
      if (payload && typeof payload === "object" && "tag" in payload) {
        switch (payload.tag) {
          case "invalid":
            throw new AuditLogError("invalid", `${payload.val.field}: ${payload.val.reason}`, {
              field: payload.val.field,
              reason: payload.val.reason,
            });
          case "storage":
            throw new AuditLogError("storage", `storage failed: ${payload.val}`);
          case "corrupt":
            throw new AuditLogError("corrupt", `log file is damaged: ${payload.val}`);
        }
      }
      // A trap (or an exit) leaves the instance unusable: the next call gets a
      // fresh one, as the Rust host does.
      log = null;
      throw e;
    }
  }

  // Configure now, so that bad options are refused at open.
  instance();

  /** The filter the component's `select` makes of the caller's selection; `name` goes into it as given. */
  function filter(sel = {}) {
    const chosen = selection(sel);
    const name = str("name", sel.name, { optional: true });
    const made = call(() => instance().select(chosen));
    return name === undefined ? made : { ...made, name };
  }

  return {
    /** The directory the component sees as `/`. */
    dir,

    /**
     * Every setting `openAuditLog` accepts, as the component describes it
     * (`settings-schema` in wit/auditlog.wit): `[{name, kind: "uint32" |
     * "uint64" | "boolean" | "bytes" | "words", default, min, max, zeroIsOff,
     * valueName, doc, fileKey}]`. The option for `max_user_bytes` is
     * `maxUserBytes`.
     */
    settingsSchema() {
      return settingsSchemaOf(dir);
    },

    /**
     * Appends a skill run to audit_log.json.
     * @param {string} skill @param {string} status
     * @param {{durationMs?: number, errors?: string[], metadata?: object|string}} [details]
     */
    record(skill, status, { durationMs, errors, metadata } = {}) {
      if (errors !== undefined && errors !== null && (!Array.isArray(errors) || errors.some((x) => typeof x !== "string"))) {
        throw refuse("errors", `must be an array of strings, got ${describe(errors)}`);
      }
      const run = {
        skill: str("skill", skill),
        status: str("status", status),
        durationMs: optU64("duration_ms", durationMs),
        errors: errors ?? undefined,
        metadata: jsonText("metadata", metadata, { optional: true }),
      };
      const r = call(() => instance().appendSkill(run));
      return {
        entry: JSON.parse(r.entry),
        path: r.path,
        totalEntries: num(r.totalEntries),
        recovered: r.recovered.map(recovery),
        warnings: r.warnings,
      };
    },

    /**
     * Appends a tool call to <user>/tool_audit/<today>.jsonl.
     * @param {{user: string, tool: string, status: 'ok'|'error'|'denied', args?: object|string, result?: string}} call
     */
    tool({ user, tool, status, args = {}, result = "" } = {}) {
      const c = {
        user: str("user", user),
        tool: str("tool", tool),
        args: jsonText("args", args),
        status: str("status", status),
        output: str("result", result),
      };
      const r = call(() => instance().appendTool(c));
      return {
        entry: JSON.parse(r.entry),
        path: r.path,
        recovered: r.recovered.map(recovery),
        warnings: r.warnings,
      };
    },

    /**
     * The newest entries, newest first, a page at a time.
     * @param {{skills?: true, user?: string, allUsers?: true, skill?: string, tool?: string,
     *          status?: string, since?: string|Date, until?: string|Date, days?: number,
     *          limit?: number, cursor?: string}} query
     */
    recent(query = {}) {
      const q = {
        filter: filter(query),
        limit: optU32("limit", query.limit),
        cursor: str("cursor", query.cursor, { optional: true }),
      };
      const page = call(() => instance().recent(q));
      return { entries: page.entries.map((e) => JSON.parse(e)), nextCursor: page.nextCursor ?? null };
    },

    /** Totals over every entry the filter selects (same filter as `recent`, no limit). */
    stats(query = {}) {
      const f = filter(query);
      const s = call(() => instance().stats(f));
      return {
        total: num(s.total),
        errors: num(s.errors),
        errorRate: s.errorRate,
        other: num(s.other),
        byStatus: counts(s.byStatus),
        byName: Object.fromEntries(
          s.byName.map((n) => [
            n.name,
            {
              count: num(n.count),
              errors: num(n.errors),
              avgMs: opt(n.avgMs),
              p50Ms: opt(n.p50Ms),
              p95Ms: opt(n.p95Ms),
              maxMs: opt(n.maxMs),
            },
          ]),
        ),
        byUser: counts(s.byUser),
        byDay: counts(s.byDay),
      };
    },

    /**
     * Checks the chains: of one log (`{skills: true}` / `{user}` / `{allUsers: true}`)
     * or, by default, of all. `checkpoint`: the `ends` of an earlier verify.
     */
    verify({ checkpoint = [], ...sel } = {}) {
      const src = source(sel, { optional: true });
      if (!Array.isArray(checkpoint)) throw refuse("checkpoint", "must be an array of {log, seq, link}");
      const ends = checkpoint.map((e) => ({ log: str("log", e.log), seq: optU64("seq", e.seq) ?? 0n, link: str("link", e.link) }));
      const r = call(() => instance().verify(src, ends));
      const problem = r.problem
        ? { file: r.problem.file, line: num(r.problem.line), seq: opt(r.problem.seq), reason: r.problem.reason }
        : null;
      return {
        ok: problem === null,
        entries: num(r.entries),
        ends: r.ends.map((e) => ({ log: e.log, seq: num(e.seq), link: e.link })),
        legacy: r.legacy.map((l) => ({
          log: l.log,
          beforeChain: num(l.beforeChain),
          total: num(l.total),
          adoptedSeq: opt(l.adoptedSeq),
          adoptedEntries: num(l.adoptedEntries),
          firstTime: opt(l.firstTime),
          lastTime: opt(l.lastTime),
        })),
        unsealed: r.unsealed.map((u) => ({ file: u.file, line: num(u.line) })),
        unsealedTotal: num(r.unsealedTotal),
        problem,
      };
    },

    /**
     * Seals the legacy entries (written by another writer, such as the seed
     * scripts) of one log or, by default, of all, as `auditlog adopt` does:
     * one `auditlog.adopt` entry per log whose legacy entries no adoption
     * covers yet, so that `verify` from then on proves them unchanged.
     * Running it again writes nothing; a damaged log, or one that does not
     * verify, is refused (`corrupt`) and left as it was. Returns one
     * `{log, entries, firstTime, lastTime, sealedAs, adoptedAt}` per log
     * (`sealedAs` null: nothing written).
     */
    adopt(sel = {}) {
      const src = source(sel, { optional: true });
      return call(() => instance().adopt(src)).map((a) => ({
        log: a.log,
        entries: num(a.entries),
        firstTime: opt(a.firstTime),
        lastTime: opt(a.lastTime),
        sealedAs: opt(a.sealedAs),
        adoptedAt: opt(a.adoptedAt),
      }));
    },

    /** Repairs damaged files of one log or, by default, of all; returns the repairs. */
    repair(sel = {}) {
      const src = source(sel, { optional: true });
      return call(() => instance().repair(src)).map(recovery);
    },

    /**
     * Applies the rotation policy now to one user's tool log (`{user}`) or, by
     * default, every user's: gzips closed files when `compress` is on and
     * deletes what retention no longer keeps, recording each deletion for
     * `verify`. Returns what changed, oldest file first, as `auditlog rotate
     * --format json` prints it: `[{file, action: "compressed"|"deleted", bytes}]`.
     */
    rotate(sel = {}) {
      const src = source(sel, { optional: true });
      return call(() => instance().rotate(src)).map((r) => ({ file: r.file, action: r.action, bytes: num(r.bytes) }));
    },
  };
}
