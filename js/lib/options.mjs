// The keys each call's options object may have, and the one rule for the
// rest: a key that is not an option is refused, as an `invalid`
// AuditLogError naming it, before anything is converted, written or created.
// Nothing is ignored: `{duration_ms: 5}` would otherwise store a run with no
// duration, `{limt: 5}` read the default page, `rotate({skills: true})` act
// on logs it was not asked to.
//
// Each call's keys are listed once, in OPTIONS below; they are the
// properties of the call's type in ../auditlog.d.ts (named in TYPED), which
// tests/js/typings_shapes.test.mjs checks. openAuditLog's keys are the
// component's settings (settings.mjs): a setting added there is an option
// with no change here.

import { describe, refuse } from "./errors.mjs";

/** Which log: one of these, as `SourceSelection` in auditlog.d.ts. */
const SOURCE = ["skills", "user", "allUsers", "source"];
/** A log and its filters, as `Selection`. */
const SELECTION = [...SOURCE, "skill", "tool", "name", "status", "since", "until", "days"];

/** The keys of each options object, by the call (or the part of a call) that takes it. */
export const OPTIONS = Object.freeze({
  "record()": ["durationMs", "errors", "metadata"],
  "tool()": ["user", "tool", "status", "args", "result"],
  "recent()": [...SELECTION, "limit", "cursor"],
  "stats()": SELECTION,
  "verify()": [...SOURCE, "checkpoint"],
  "adopt()": SOURCE,
  "repair()": SOURCE,
  // The skill log has no rotation: only tool logs can be named.
  "rotate()": ["user", "allUsers", "source"],
  // `source: {user}`, and each end of `verify`'s `checkpoint`.
  source: ["user"],
  checkpoint: ["log", "seq", "link"],
  // new AuditLogError(kind, message, details)
  "new AuditLogError()": ["field", "reason", "cause"],
});

/** The type in auditlog.d.ts whose properties are each entry of OPTIONS (checked by typings_shapes.test.mjs). */
export const TYPED = Object.freeze({
  "record()": "SkillRunDetails",
  "tool()": "ToolCall",
  "recent()": "RecentQuery",
  "stats()": "Selection",
  "verify()": "VerifyOptions",
  "adopt()": "SourceSelection",
  "repair()": "SourceSelection",
  "rotate()": "ToolLogSource",
  checkpoint: "CheckpointEnd",
});

/** Why a key that looks like an option is not one, by call. */
const NOTES = { "rotate()": { skills: "the skill log is not rotated" } };

/** Other names callers use for an option: the CLI's, the stored entry's, the WIT's. */
const ALIASES = { duration: "durationMs", output: "result", arguments: "args", page: "limit", from: "since", to: "until" };

/** `max_user_bytes` -> `maxUserBytes`. */
export const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** Edit distance of `a` and `b` (insertions, deletions, substitutions, swaps of neighbours), for "did you mean". */
function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key `key` most likely stands for: its camelCase, a known alias, or a near spelling; else undefined. */
export function suggestion(key, known) {
  const fold = (k) => k.replace(/[_-]/g, "").toLowerCase();
  const direct = [camelCase(key), ALIASES[key]].find((k) => k !== undefined && known.includes(k));
  if (direct) return direct;
  const same = known.find((k) => fold(k) === fold(key));
  if (same) return same;
  const near = known
    .map((k) => [distance(fold(k), fold(key)), k])
    .filter(([d, k]) => d <= Math.min(2, Math.floor(k.length / 3)))
    .sort((a, b) => a[0] - b[0]);
  return near.length && (near.length === 1 || near[0][0] < near[1][0]) ? near[0][1] : undefined;
}

/**
 * `value`, an options object whose keys are all in `known` (default: the
 * call's in OPTIONS), or `{}` when it is undefined. A key not in `known` is
 * refused as `invalid` with that key as the field (`where` before it for a
 * part of a call, e.g. `checkpoint[0].lnk`), saying whose option it is not
 * and what was probably meant; so is a value that is not an object, with
 * `param` as the field.
 * @param {string} call as in OPTIONS: `record()`, `source`, …
 * @param {unknown} value @param {{param?: string, where?: string, known?: readonly string[]}} [how]
 */
export function checkOptions(call, value, { param = "options", where = "", known = OPTIONS[call] } = {}) {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw refuse(where || param, `must be an object of options (${known.join(", ")}), got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const meant = suggestion(key, known);
    const whose = where ? `a field of ${where}` : `an option of ${call}`;
    const note = NOTES[call]?.[key];
    throw refuse(
      where ? `${where}.${key}` : key,
      meant ? `not ${whose}; did you mean ${meant}?` : `not ${whose}${note ? ` (${note})` : ""}, which takes ${known.join(", ")}`,
    );
  }
  return value;
}
