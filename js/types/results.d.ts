// Typings of what auditlog.mjs's calls return (see ../auditlog.d.ts, which
// exports them all). Counts are numbers; an absent value is null.

/** Any JSON value, as entries hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * An entry of the skill log, parsed exactly as stored (docs/formats.md), with
 * the fields auditlog writes. An entry another writer left in the file (the
 * seed scripts, another schema) comes back as it is, with the fields it has:
 * read those through a cast, e.g. `entry as { [field: string]: JsonValue }`.
 */
export interface SkillRunEntry {
  /** ISO 8601 UTC with milliseconds, `2025-10-23T12:34:56.789Z`. */
  timestamp: string;
  skill: string;
  /** A lowercase word: `success`, `failed`, `timeout`, … */
  status: string;
  duration_ms?: number;
  errors?: string[];
  metadata?: { [key: string]: JsonValue };
  /** Where secrets were replaced, e.g. `["metadata.db.password"]`. */
  redacted?: string[];
  /** Present when the entry was cut to fit `maxEntryBytes`. */
  truncated?: true;
  /** Its place in the chain (absent on an entry written before the chain started). */
  seq?: number;
  /** Its link: SHA-256, or `mac` with a chain key. */
  hash?: string;
  /** Its link under a chain key (HMAC-SHA-256). */
  mac?: string;
}

/** An entry of a user's tool log, parsed exactly as stored (docs/formats.md), with the fields auditlog writes. */
export interface ToolCallEntry {
  /** ISO 8601 UTC to the second, `2025-10-23T12:34:56Z`. */
  ts: string;
  user: string;
  tool: string;
  /** The call's arguments, long strings cut to `argMaxChars` + ` …[N chars total]`. */
  args: { [key: string]: JsonValue };
  /** `ok`, `error` or `denied`. */
  status: string;
  /** The result's length in characters. */
  result_chars: number;
  /** Its first `snippetChars` characters. */
  result_snippet: string;
  redacted?: string[];
  truncated?: true;
  /** Its place in the user's chain (absent on an entry written before the chain started). */
  seq?: number;
  hash?: string;
  mac?: string;
}

/** An entry of either log. */
export type StoredEntry = SkillRunEntry | ToolCallEntry;

/** One repair: a damaged file's unreadable bytes moved aside. */
export interface Recovery {
  /** The damaged file, relative to the log directory. */
  file: string;
  /** What was wrong with it. */
  reason: string;
  /** Where its unreadable bytes went, or null when none were kept. */
  movedTo: string | null;
  /** How many bytes were moved aside. */
  bytes: number;
  /** How many intact entries were kept. */
  kept: number;
  /** The notice as the CLI prints it. */
  notice: string;
}

/** What `record` returns. */
export interface SkillReceipt {
  /** The entry as stored. */
  entry: SkillRunEntry;
  /** The file written, relative to the log directory: `audit_log.json`. */
  path: string;
  /** Entries in the skill log now. */
  totalEntries: number;
  /** Damage repaired before the append. */
  recovered: Recovery[];
  /** Warnings about the entry (e.g. that it was cut). */
  warnings: string[];
}

/** What `tool` returns. */
export interface ToolReceipt {
  /** The entry as stored. */
  entry: ToolCallEntry;
  /** The file written, relative to the log directory: `<user>/tool_audit/<day>.jsonl`. */
  path: string;
  /** Damage repaired before the append. */
  recovered: Recovery[];
  /** Warnings about the entry (e.g. that it was cut). */
  warnings: string[];
}

/** A page of `recent`, newest entry first. */
export interface Page<E = StoredEntry> {
  entries: E[];
  /** The `cursor` of the next page, or null on the last. */
  nextCursor: string | null;
}

/** Totals of one skill or tool. */
export interface NameStats {
  count: number;
  /** Runs whose status is not a success (`success`, `ok`). */
  errors: number;
  /** Of the runs with a `duration_ms`; null when none has one. */
  avgMs: number | null;
  /** Nearest-rank median duration, or null. */
  p50Ms: number | null;
  /** Nearest-rank 95th percentile, or null. */
  p95Ms: number | null;
  maxMs: number | null;
}

/** What `stats` returns: totals over every selected entry. */
export interface Stats {
  total: number;
  errors: number;
  /** `errors / total`, 0 when there is none. */
  errorRate: number;
  /** Entries of another schema (another writer's), counted apart. */
  other: number;
  byStatus: { [status: string]: number };
  byName: { [name: string]: NameStats };
  /** Tool logs only; `{}` for the skill log. */
  byUser: { [user: string]: number };
  /** By UTC day, `YYYY-MM-DD`. */
  byDay: { [day: string]: number };
}

/** Where a log's chain ends: what `checkpoint` takes back. */
export interface LogEnd {
  /** `audit_log.json`, or a user's name. */
  log: string;
  seq: number;
  /** The last entry's link. */
  link: string;
}

/** A log's entries without a seal (written by another writer, e.g. the seed scripts). */
export interface LegacyEntries {
  log: string;
  /** How many come before the chain's first entry. */
  beforeChain: number;
  total: number;
  /** The `seq` of the adoption that seals them, or null. */
  adoptedSeq: number | null;
  /** How many that adoption covers. */
  adoptedEntries: number;
  firstTime: string | null;
  lastTime: string | null;
}

/** An entry without a seal after a chain started. */
export interface UnsealedEntry {
  file: string;
  /** Its line, from 1. */
  line: number;
}

/** The first thing `verify` found wrong. */
export interface VerifyProblem {
  file: string;
  /** Its line, from 1. */
  line: number;
  seq: number | null;
  /** What is wrong, e.g. that the entry was modified. */
  reason: string;
}

/** What every `verify` report holds. */
export interface VerifyTotals {
  /** Sealed entries checked. */
  entries: number;
  /** Where each log's chain ends: keep them to pass as `checkpoint` later. */
  ends: LogEnd[];
  legacy: LegacyEntries[];
  /** The unsealed entries found (a bounded list; see `unsealedTotal`). */
  unsealed: UnsealedEntry[];
  unsealedTotal: number;
}

/** What `verify` returns: `ok` with no problem, or the first problem found. */
export type VerifyReport = (VerifyTotals & { ok: true; problem: null }) | (VerifyTotals & { ok: false; problem: VerifyProblem });

/** One log's answer to `adopt`. */
export interface Adoption {
  log: string;
  /** The legacy entries sealed (or already sealed). */
  entries: number;
  firstTime: string | null;
  lastTime: string | null;
  /** The `seq` of the `auditlog.adopt` entry written now; null: nothing written. */
  sealedAs: number | null;
  /** The `seq` of the adoption that covers them, or null. */
  adoptedAt: number | null;
}

/** One file `rotate` changed. */
export interface Rotation {
  /** Relative to the log directory. */
  file: string;
  action: "compressed" | "deleted";
  /** Its size before. */
  bytes: number;
}
