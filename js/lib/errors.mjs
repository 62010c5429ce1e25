// The errors the wrapper throws: AuditLogError, made from the component's
// `audit-error` or from the wrapper's own checks of JavaScript types.

import { checkOptions } from "./options.mjs";

/** A refused input or a failed call, from the component's `audit-error`. */
export class AuditLogError extends Error {
  /**
   * @param {'invalid'|'storage'|'corrupt'} kind
   * @param {string} message
   * @param {{field?: string, reason?: string, cause?: unknown}} [details] no other key (refused, as every call's options)
   */
  constructor(kind, message, details) {
    const { field, reason, cause } = checkOptions("new AuditLogError()", details, { param: "details" });
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

/** An `invalid` AuditLogError for `field`, worded as the component words its own: `field: reason`. */
export function refuse(field, reason) {
  return new AuditLogError("invalid", `${field}: ${reason}`, { field, reason });
}

/** `value` as a refusal quotes it: strings and objects as JSON, bigints as digits. */
export function describe(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The AuditLogError for what a component call threw, when it is an
 * `audit-error` (jco throws it with the variant as `payload`); else null:
 * a trap or an exit, which the caller rethrows as it is.
 */
export function fromAuditError(thrown) {
  const payload = thrown && Object.hasOwn(thrown, "payload") ? thrown.payload : undefined;
  if (!payload || typeof payload !== "object" || !("tag" in payload)) return null;
  switch (payload.tag) {
    case "invalid":
      return refuse(payload.val.field, payload.val.reason);
    case "storage":
      return new AuditLogError("storage", `storage failed: ${payload.val}`);
    case "corrupt":
      return new AuditLogError("corrupt", `log file is damaged: ${payload.val}`);
    default:
      return null;
  }
}
