// openAuditLog: one log directory, and the calls on it. Each call converts
// its arguments (arguments.mjs), makes one call on the component and converts
// the result (results.mjs); the component's errors become AuditLogError.

import { mkdirSync, realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { checkpointEnds, optU32, selection, skillRun, source, str, toolCall } from "./arguments.mjs";
import { instantiateComponent, loaded } from "./component.mjs";
import { fromAuditError } from "./errors.mjs";
import { adoption, page, recovery, rotation, skillReceipt, summary, toolReceipt, verifyReport } from "./results.mjs";
import { checkOptions } from "./options.mjs";
import { checkSettings, settings, settingsSchemaOf } from "./settings.mjs";

/**
 * Opens the audit logs in `logDir` (created if missing). Only one process at
 * a time may write to a log directory through this module (see README.md).
 * The options are checked first: a refused open creates nothing.
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
 * component refuses the rest, naming the setting. A key that is not an
 * option is refused too, naming it (options.mjs), as is every call's.
 *
 * @param {string} logDir
 * @param {{maxEntries?: number, argMaxChars?: number, snippetChars?: number,
 *          maxEntryBytes?: number, chainKey?: Uint8Array|string,
 *          redactKeys?: string[], syncData?: boolean, maxFileBytes?: number|bigint,
 *          maxDays?: number, maxUserBytes?: number|bigint, compress?: boolean,
 *          compressGrace?: number, [setting: string]: unknown}} [options]
 */
export function openAuditLog(logDir, options = {}) {
  if (typeof logDir !== "string" || logDir === "") throw new TypeError("openAuditLog: logDir must be a path");
  loaded();
  // Checked before anything is created: the keys and types here, the values
  // by the component (an instance that sees no directory).
  const config = settings(settingsSchemaOf(), options);
  checkSettings(config);
  mkdirSync(logDir, { recursive: true });
  const dir = realpathSync(resolve(logDir));
  if (!statSync(dir).isDirectory()) throw new TypeError(`openAuditLog: ${dir} is not a directory`);

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
      const refused = fromAuditError(e);
      if (refused) throw refused;
      // A trap (or an exit) leaves the instance unusable: the next call gets a
      // fresh one, as the Rust host does.
      log = null;
      throw e;
    }
  }

  // Configure now, so that bad options are refused at open.
  instance();

  /** The filter the component's `select` makes of the caller's selection; `name` goes into it as given. */
  function filter(sel) {
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
      return settingsSchemaOf();
    },

    /**
     * Appends a skill run to audit_log.json.
     * @param {string} skill @param {string} status
     * @param {{durationMs?: number|bigint, errors?: string[], metadata?: object|string}} [details]
     */
    record(skill, status, details) {
      const run = skillRun(skill, status, checkOptions("record()", details, { param: "details" }));
      return skillReceipt(call(() => instance().appendSkill(run)));
    },

    /**
     * Appends a tool call to <user>/tool_audit/<today>.jsonl.
     * @param {{user: string, tool: string, status: 'ok'|'error'|'denied', args?: object|string, result?: string}} toolCall
     */
    tool(details) {
      const c = toolCall(checkOptions("tool()", details, { param: "call" }));
      return toolReceipt(call(() => instance().appendTool(c)));
    },

    /**
     * The newest entries, newest first, a page at a time.
     * @param {{skills?: true, user?: string, allUsers?: true, skill?: string, tool?: string,
     *          status?: string, since?: string|Date, until?: string|Date, days?: number,
     *          limit?: number, cursor?: string}} query
     */
    recent(query) {
      query = checkOptions("recent()", query, { param: "query" });
      const q = {
        filter: filter(query),
        limit: optU32("limit", query.limit),
        cursor: str("cursor", query.cursor, { optional: true }),
      };
      return page(call(() => instance().recent(q)));
    },

    /** Totals over every entry the filter selects (same filter as `recent`, no limit). */
    stats(query) {
      const f = filter(checkOptions("stats()", query, { param: "query" }));
      return summary(call(() => instance().stats(f)));
    },

    /**
     * Checks the chains: of one log (`{skills: true}` / `{user}` / `{allUsers: true}`)
     * or, by default, of all. `checkpoint`: the `ends` of an earlier verify.
     */
    verify(options) {
      const { checkpoint = [], ...sel } = checkOptions("verify()", options);
      const src = source(sel, { optional: true });
      const ends = checkpointEnds(checkpoint);
      return verifyReport(call(() => instance().verify(src, ends)));
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
    adopt(sel) {
      const src = source(checkOptions("adopt()", sel, { param: "source" }), { optional: true });
      return call(() => instance().adopt(src)).map(adoption);
    },

    /** Repairs damaged files of one log or, by default, of all; returns the repairs. */
    repair(sel) {
      const src = source(checkOptions("repair()", sel, { param: "source" }), { optional: true });
      return call(() => instance().repair(src)).map(recovery);
    },

    /**
     * Applies the rotation policy now to one user's tool log (`{user}`) or, by
     * default, every user's: gzips closed files when `compress` is on and
     * deletes what retention no longer keeps, recording each deletion for
     * `verify`. Returns what changed, oldest file first, as `auditlog rotate
     * --format json` prints it: `[{file, action: "compressed"|"deleted", bytes}]`.
     */
    rotate(sel) {
      const src = source(checkOptions("rotate()", sel, { param: "source" }), { optional: true, toolLogs: true });
      return call(() => instance().rotate(src)).map(rotation);
    },
  };
}
