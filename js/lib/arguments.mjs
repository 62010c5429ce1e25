// The caller's arguments as the component's WIT types take them. Only
// JavaScript types are checked here; every rule about the values (names,
// statuses, ranges, which log a selection names) is the component's.

import { describe, refuse } from "./errors.mjs";
import { checkOptions } from "./options.mjs";

const U32_MAX = 0xffff_ffff;

/** An optional `u32`: an integer from 0 to 2^32 - 1, or undefined. */
export function optU32(field, value) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw refuse(field, `must be an integer from 0 to ${U32_MAX}, got ${describe(value)}`);
  }
  return value;
}

/** An optional `u64`, as the BigInt jco takes: from a safe integer or a bigint. */
export function optU64(field, value) {
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

/** Why a string with a lone surrogate is refused: it has no UTF-8 form, so it would reach the log altered. */
const LONE_SURROGATE = "holds a lone surrogate (half of a UTF-16 pair), which is not text";

/** A string; with `optional`, undefined or null give undefined. */
export function str(field, value, { optional = false } = {}) {
  if ((value === undefined || value === null) && optional) return undefined;
  if (typeof value !== "string") throw refuse(field, `must be a string, got ${describe(value)}`);
  if (!value.isWellFormed()) throw refuse(field, LONE_SURROGATE);
  return value;
}

/** A list of strings (a skill run's `errors`), or undefined. */
export function strings(field, value) {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((x) => typeof x !== "string")) {
    throw refuse(field, `must be an array of strings, got ${describe(value)}`);
  }
  const bad = value.findIndex((x) => !x.isWellFormed());
  if (bad >= 0) throw refuse(`${field}[${bad}]`, LONE_SURROGATE);
  return value;
}

/** A value JSON.stringify would change without a word. */
class NotJson extends Error {}

/** Objects JSON.stringify writes as {} or as an object of indexes: their data is not in their own properties. */
const OPAQUE = [Map, Set, WeakMap, WeakSet, ArrayBuffer, RegExp, Error, Promise];

/** `value` if it is one of OPAQUE or a view of bytes (a typed array, a Buffer, a DataView), else undefined. */
function opaque(value) {
  if (value === null || typeof value !== "object") return undefined;
  return ArrayBuffer.isView(value) || OPAQUE.some((type) => value instanceof type) ? value : undefined;
}

/**
 * JSON.stringify's replacer that refuses what it would otherwise store as
 * something else: NaN and ±Infinity (as null), a Map, a Set, bytes, a
 * RegExp, an Error or a Promise (as {} or an object of indexes), a lone
 * surrogate (as an escape the component refuses as "not valid JSON"), as the
 * CLI and the Python package refuse them. The value is judged as it was
 * given (`this[key]`), before a `toJSON` (a Buffer's) changes it.
 */
function strictly(key, value) {
  const under = key === "" ? "" : ` under ${JSON.stringify(key)}`;
  if (!key.isWellFormed() || (typeof value === "string" && !value.isWellFormed())) {
    throw new NotJson(`${key.isWellFormed() ? "the value" + under : "a key"} ${LONE_SURROGATE}`);
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new NotJson(`${value}${under} is not a JSON number; pass null or a string`);
  }
  const given = opaque(this[key]) ?? opaque(value);
  if (given) {
    const name = given.constructor?.name ?? "object";
    const article = /^[AEIO]/.test(name) ? "an" : "a";
    throw new NotJson(`${article} ${name}${under} has no JSON form; pass an object, an array or a string`);
  }
  return value;
}

/** A JSON object given as an object or as its text. */
export function jsonText(field, value, { optional = false } = {}) {
  if ((value === undefined || value === null) && optional) return undefined;
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    try {
      return JSON.stringify(value, strictly);
    } catch (e) {
      if (e instanceof NotJson) throw refuse(field, e.message);
      throw refuse(field, `must be JSON-serialisable: ${e.message}`);
    }
  }
  throw refuse(field, `must be an object or the text of a JSON object, got ${describe(value)}`);
}

/** An instant as text: a `Date`, or text the component reads (RFC 3339, a date). */
export function instantText(field, value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw refuse(field, "must be a valid Date");
    return value.toISOString();
  }
  return str(field, value);
}

/**
 * `source`'s value as the log it names: `"skills"`, `"all-users"` (or
 * `"allUsers"`) or `{user: NAME}` (no other key). With `toolLogs`, the skill
 * log is refused.
 */
function named(src, { toolLogs = false } = {}) {
  const expected = toolLogs ? `"all-users" or {user: NAME}` : `"skills", "all-users" or {user: NAME}`;
  if (src === "skills" && toolLogs) throw refuse("source", `must be ${expected}: the skill log is not rotated, got "skills"`);
  if (src === "skills") return { tag: "skills" };
  if (src === "all-users" || src === "allUsers") return { tag: "all-users" };
  if (src !== null && typeof src === "object" && !Array.isArray(src)) {
    checkOptions("source", src, { where: "source" });
    if ("user" in src) return { tag: "user", val: str("user", src.user) };
  }
  throw refuse("source", `must be ${expected}, got ${describe(src)}`);
}

/**
 * A WIT `source` from `{skills: true}` | `{user: "alice"}` | `{allUsers: true}`,
 * or `source`: `"skills"` | `"all-users"` | `{user: "alice"}`. With
 * `optional`, no source at all gives undefined (every log); with
 * `toolLogs`, the skill log is refused (the caller's keys are checked
 * before, options.mjs).
 */
export function source(sel, { optional = false, toolLogs = false } = {}) {
  const given = [sel.skills ? "skills" : null, sel.user != null ? "user" : null, sel.allUsers ? "allUsers" : null].filter(
    Boolean,
  );
  if (sel.source !== undefined) {
    if (given.length) throw refuse("source", "give either `source` or one of `skills`, `user`, `allUsers`");
    return named(sel.source, { toolLogs });
  }
  if (given.length > 1) throw refuse("source", `give one of skills, user, allUsers, got ${given.join(" and ")}`);
  if (given.length === 0) {
    if (optional) return undefined;
    throw refuse("source", "give one of skills: true, user: NAME, allUsers: true");
  }
  if (given[0] === "user") return { tag: "user", val: str("user", sel.user) };
  return named(given[0] === "skills" ? "skills" : "all-users", { toolLogs });
}

/**
 * A WIT `selection` from the caller's: the log as `{skills: true}` |
 * `{user: "alice"}` | `{allUsers: true}`, or `source`: `"skills"` |
 * `"all-users"` | `{user: "alice"}`; then `skill`, `tool`, `status`,
 * `since`, `until`, `days`. Only JavaScript types are checked here: which
 * log, and which filters go with it, is the component's rule (`select`).
 */
export function selection(sel) {
  let { skills, user, allUsers } = sel;
  if (sel.source !== undefined) {
    if (skills || user != null || allUsers) {
      throw refuse("source", "give either `source` or one of `skills`, `user`, `allUsers`");
    }
    const src = named(sel.source);
    if (src.tag === "skills") skills = true;
    else if (src.tag === "all-users") allUsers = true;
    else user = src.val;
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

/** A WIT `skill-run` from `record`'s arguments. */
export function skillRun(skill, status, { durationMs, errors, metadata } = {}) {
  // Checked first: of several bad arguments, `errors` is the one named.
  const checkedErrors = strings("errors", errors);
  return {
    skill: str("skill", skill),
    status: str("status", status),
    durationMs: optU64("duration_ms", durationMs),
    errors: checkedErrors,
    metadata: jsonText("metadata", metadata, { optional: true }),
  };
}

/** A WIT `tool-call` from `tool`'s argument; `args` defaults to `{}`, `result` to `""`. */
export function toolCall({ user, tool, status, args = {}, result = "" } = {}) {
  return {
    user: str("user", user),
    tool: str("tool", tool),
    args: jsonText("args", args),
    status: str("status", status),
    output: str("result", result),
  };
}

/** The WIT `log-end`s of `verify`'s `checkpoint`: the `ends` of an earlier report. */
export function checkpointEnds(checkpoint) {
  if (!Array.isArray(checkpoint)) throw refuse("checkpoint", "must be an array of {log, seq, link}");
  return checkpoint.map((given, i) => {
    const e = checkOptions("checkpoint", given, { where: `checkpoint[${i}]` });
    return { log: str("log", e.log), seq: optU64("seq", e.seq) ?? 0n, link: str("link", e.link) };
  });
}
