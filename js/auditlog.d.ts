// Typings of auditlog.mjs, written by hand from what lib/ accepts and
// returns: here the calls and their arguments; in types/, what they return
// and the filesystem adapter. Kept true by tests/js/typings.test.mjs (tsc
// --strict compiles a file making every call with every option, and refuses
// misnamed ones), tests/js/typings_shapes.test.mjs (the options are the
// component's settings; each call's other options are the keys lib/options.mjs
// accepts at run time; real results have exactly the fields typed here) and
// tests/npm-pack.sh (a file compiled against the installed package).

import type {
  Adoption,
  JsonValue,
  Page,
  Recovery,
  Rotation,
  SkillReceipt,
  SkillRunEntry,
  Stats,
  StoredEntry,
  ToolCallEntry,
  ToolReceipt,
  VerifyReport,
} from "./types/results.js";

export type {
  Adoption,
  JsonValue,
  LegacyEntries,
  LogEnd,
  NameStats,
  Page,
  Recovery,
  Rotation,
  SkillReceipt,
  SkillRunEntry,
  Stats,
  StoredEntry,
  ToolCallEntry,
  ToolReceipt,
  UnsealedEntry,
  VerifyProblem,
  VerifyReport,
  VerifyTotals,
} from "./types/results.js";
export { ConfinedDescriptor, confinedFilesystem } from "./types/confined_filesystem.js";
export type { ConfinedFilesystem } from "./types/confined_filesystem.js";

// ---------------------------------------------------------------------------
// Errors.
// ---------------------------------------------------------------------------

/**
 * What failed: `invalid`, a refused input (nothing was written); `storage`,
 * the filesystem failed (including a path that leads out of the log
 * directory); `corrupt`, a log file is damaged (reads refuse it, the next
 * append or `repair()` mends it).
 */
export type AuditLogErrorKind = "invalid" | "storage" | "corrupt";

/**
 * Every failure of a call: the component's `audit-error`, an argument of
 * the wrong JavaScript type, or an options object with a key the call does
 * not take (`field` is that key, `reason` says whose option it is not and,
 * when it can tell, the name meant: `duration_ms: not an option of record();
 * did you mean durationMs?`). Anything else (a trap in the component) is
 * rethrown as it is, and the next call gets a fresh instance.
 */
export declare class AuditLogError extends Error {
  /**
   * @param kind what failed
   * @param message the whole message; for `invalid`, `field: reason`
   * @param details for `invalid`, the field and the reason; `cause`, as for `Error`; any other key is refused
   */
  constructor(kind: AuditLogErrorKind, message: string, details?: { field?: string; reason?: string; cause?: unknown });
  name: "AuditLogError";
  /** `invalid` (refused input; nothing written), `storage` or `corrupt`. */
  kind: AuditLogErrorKind;
  /**
   * For `invalid`: the refused field as stored or on the command line
   * (`status`, `duration_ms`, `args`, `user`, `limit`, `max_entries`, …),
   * or a key that is not an option, as given (`limt`, `checkpoint[0].lnk`);
   * otherwise undefined.
   */
  field: string | undefined;
  /** For `invalid`: why, e.g. `must be one of ok, error, denied, got "maybe"`; otherwise undefined. */
  reason: string | undefined;
}

// ---------------------------------------------------------------------------
// Opening a log directory.
// ---------------------------------------------------------------------------

/**
 * The options of {@link openAuditLog}: the component's settings
 * (`settings` in wit/auditlog.wit) in camelCase, all optional. Each value is
 * checked by the wrapper only for its JavaScript type; the component refuses
 * the rest (an `invalid` AuditLogError naming the setting as
 * `log.settingsSchema()` does, e.g. `max_entries`). Any other key is refused,
 * naming it (`maxEntrys`, `max_entries`). The wrapper does not read
 * `auditlog.toml`.
 */
export interface AuditLogOptions {
  /** How many entries the skill log keeps, oldest dropped first. Default 10,000; 1 to 10,000,000. */
  maxEntries?: number;
  /** Longest string value kept in a tool call's `args`, in characters. Default 500; 1 to 65,536. */
  argMaxChars?: number;
  /** Characters of a tool result kept as `result_snippet`. Default 300; at most 65,536. */
  snippetChars?: number;
  /** Largest stored entry in bytes, 1,024 to 1,048,576; default 102,400. A bigger entry is cut, not refused. */
  maxEntryBytes?: number;
  /**
   * A key of at least 16 bytes (a string is taken as its UTF-8 bytes):
   * entries are linked with HMAC-SHA-256 (field `mac`) instead of SHA-256
   * (field `hash`). Keep it outside the log directory.
   */
  chainKey?: Uint8Array | string;
  /** Words that make a key secret, besides the built-in ones (password, token, …). */
  redactKeys?: readonly string[];
  /** Flush each appended entry to stable storage before the call returns. Default false. */
  syncData?: boolean;
  /** Tool logs: roll a day file over into `YYYY-MM-DD.1.jsonl`, … once it holds this many bytes. 0 (default): off; else at least 1024. */
  maxFileBytes?: number | bigint;
  /** Tool logs: keep each user's last this many UTC days, today included. 0 (default): every day. */
  maxDays?: number;
  /** Tool logs: keep at most this many bytes of files per user, oldest deleted first. 0 (default): no bound; else at least 1024. */
  maxUserBytes?: number | bigint;
  /** Tool logs: gzip closed files. Default false. */
  compress?: boolean;
  /** With `compress`: gzip a closed file only once its last entry is this many seconds old. Default 0; at most 2,592,000. */
  compressGrace?: number;
}

/**
 * Opens the audit logs in `logDir` (created if missing) and configures a
 * component instance for it. Bad options (a key that is not an option, or a
 * value refused) throw here, before anything is created. Only one process
 * at a time may write to a log directory through this package (see README.md).
 *
 * @throws {AuditLogError} an option is refused; `logDir` was not created
 * @throws {TypeError} `logDir` is not a path, or not a directory
 */
export declare function openAuditLog(logDir: string, options?: AuditLogOptions): AuditLog;

/** The type of a setting's value, as `settingsSchema()` names it. */
export type SettingKind = "uint32" | "uint64" | "boolean" | "bytes" | "words";

/** One setting, as the component describes it (`settings-schema` in wit/auditlog.wit). */
export interface SettingSpec {
  /** Its name in snake_case, as errors name it: `max_user_bytes` is the option `maxUserBytes`. */
  name: string;
  /** The type of its value. */
  kind: SettingKind;
  /** Its default value. */
  default: JsonValue;
  /** The smallest value accepted, or null. */
  min: number | null;
  /** The largest value accepted, or null. */
  max: number | null;
  /** Whether 0 (for `bytes`, empty) turns it off, and so is accepted below `min`. */
  zeroIsOff: boolean;
  /** The value's name in the CLI's help, e.g. `BYTES`. */
  valueName: string;
  /** What it does. */
  doc: string;
  /** Its key in `auditlog.toml`, or null when the file has none. */
  fileKey: string | null;
}

// ---------------------------------------------------------------------------
// What a call selects.
// ---------------------------------------------------------------------------

/** A log named by `source`: the skill log, every user's tool log, or one user's. */
export type LogSource = "skills" | "all-users" | "allUsers" | { user: string };

/**
 * Which log: one of `skills: true`, `user: NAME`, `allUsers: true`, or
 * `source` instead of them. Giving two is refused (`source`).
 *
 * Every options object of a call is checked the same way: a key its type
 * here does not have is refused at run time too (an `invalid`
 * {@link AuditLogError} naming it), never ignored.
 */
export interface SourceSelection {
  /** The skill log, `audit_log.json`. */
  skills?: boolean;
  /** One user's tool log, `<user>/tool_audit/`. */
  user?: string;
  /** Every user's tool log, merged. */
  allUsers?: boolean;
  /** The log, named instead of by `skills`, `user` or `allUsers`. */
  source?: LogSource;
}

/**
 * A log (required) and the filters that go with it; which filters go with
 * which log is the component's rule (`select`): `skill` with the skill log,
 * `tool` with a tool log.
 */
export interface Selection extends SourceSelection {
  /** Only runs of this skill (the skill log). */
  skill?: string;
  /** Only calls of this tool (tool logs). */
  tool?: string;
  /** The skill's or tool's name, taken as given, for either log. */
  name?: string;
  /** Only entries with this status. */
  status?: string;
  /** Only entries at or after this instant: RFC 3339 text, a date (`YYYY-MM-DD`) or a `Date`. */
  since?: string | Date;
  /** Only entries before this instant, as for `since`. */
  until?: string | Date;
  /** Only entries of the last this many UTC days, today included. */
  days?: number;
}

/** The arguments of `recent`: a selection, and the page. */
export interface RecentQuery extends Selection {
  /** Entries a page, 1 to 10,000. */
  limit?: number;
  /** The `nextCursor` of the previous page; null or absent: the first page. */
  cursor?: string | null;
}

/** Which tool log `rotate` applies to: the skill log is not rotated (`skills` is refused). */
export interface ToolLogSource {
  /** One user's tool log, `<user>/tool_audit/`. */
  user?: string;
  /** Every user's tool log. */
  allUsers?: boolean;
  /** The log, named instead of by `user` or `allUsers`. */
  source?: "all-users" | "allUsers" | { user: string };
}

/** A selection of the skill log. */
export type SkillLogSelection = { skills: true } | { source: "skills" };
/** A selection of one user's tool log or of every user's. */
export type ToolLogSelection = { user: string } | { allUsers: true } | { source: "all-users" | "allUsers" | { user: string } };

/** One entry of an earlier `verify`'s `ends`, as `checkpoint` takes it. */
export interface CheckpointEnd {
  /** The log: `audit_log.json` or a user's name. */
  log: string;
  /** The `seq` the log had reached; default 0. */
  seq?: number | bigint;
  /** That entry's link (`hash` or `mac`). */
  link: string;
}

/** The arguments of `verify`: no log, every log. */
export interface VerifyOptions extends SourceSelection {
  /** The `ends` of an earlier verify: each log must still hold those entries unchanged. */
  checkpoint?: readonly CheckpointEnd[];
}

// ---------------------------------------------------------------------------
// What is appended.
// ---------------------------------------------------------------------------

/** The optional parts of a skill run, `record`'s third argument. */
export interface SkillRunDetails {
  /** How long the run took, a non-negative integer. */
  durationMs?: number | bigint;
  /** Its error messages. */
  errors?: readonly string[];
  /** A JSON object, or its text. Secret keys are redacted. */
  metadata?: { readonly [key: string]: unknown } | string;
}

/** A tool call's status. */
export type ToolStatus = "ok" | "error" | "denied";

/** A tool call, `tool`'s argument. */
export interface ToolCall {
  /** Whose tool log: a name that is also a directory. */
  user: string;
  /** The tool's name. */
  tool: string;
  /** How the call ended. */
  status: ToolStatus;
  /** Its arguments: a JSON object, or its text; default `{}`. Long strings are cut, secret keys redacted. */
  args?: { readonly [key: string]: unknown } | string;
  /** The tool's full result text; default `""`. Its length and first characters are stored. */
  result?: string;
}

// ---------------------------------------------------------------------------
// The log.
// ---------------------------------------------------------------------------

/**
 * One log directory, from {@link openAuditLog}. Every call is synchronous
 * and throws {@link AuditLogError}. The methods do not use `this`: they may be
 * passed around on their own.
 */
export interface AuditLog {
  /** The directory the component sees as `/` (absolute, symlinks resolved). */
  readonly dir: string;

  /** Every setting `openAuditLog` accepts, as the component describes it. */
  settingsSchema(): SettingSpec[];

  /**
   * Appends a skill run to `audit_log.json`.
   * @param skill the skill's name
   * @param status a lowercase word: `success`, `failed`, …
   */
  record(skill: string, status: string, details?: SkillRunDetails): SkillReceipt;

  /** Appends a tool call to `<user>/tool_audit/<UTC day>.jsonl`. */
  tool(call: ToolCall): ToolReceipt;

  /** The newest entries of the skill log, newest first, a page at a time. */
  recent(query: RecentQuery & SkillLogSelection): Page<SkillRunEntry>;
  /** The newest entries of a tool log, newest first, a page at a time. */
  recent(query: RecentQuery & ToolLogSelection): Page<ToolCallEntry>;
  /** The newest entries of the selected log, newest first, a page at a time. */
  recent(query: RecentQuery): Page<StoredEntry>;

  /** Totals over every entry the selection selects. */
  stats(query: Selection): Stats;

  /** Checks the chains of one log or, with no log given, of all. */
  verify(options?: VerifyOptions): VerifyReport;

  /**
   * Seals the legacy entries of one log or, with no log given, of all, as
   * `auditlog adopt` does. Running it again writes nothing; a log that does
   * not verify is refused (`corrupt`).
   */
  adopt(source?: SourceSelection): Adoption[];

  /** Repairs damaged files of one log or, with no log given, of all; returns the repairs. */
  repair(source?: SourceSelection): Recovery[];

  /**
   * Applies the rotation policy now to one user's tool log or, with no log
   * given, every user's: gzips closed files when `compress` is on, deletes
   * what retention no longer keeps. Returns what changed, oldest file first.
   */
  rotate(source?: ToolLogSource): Rotation[];
}
