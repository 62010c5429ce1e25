// openAuditLog's options as the component's `settings` record. The settings
// themselves come from the component (`settings-schema`): a setting added
// there is an option here with no change to this file.

import { optU32, optU64 } from "./arguments.mjs";
import { instantiateComponent } from "./component.mjs";
import { fromAuditError, refuse } from "./errors.mjs";
import { camelCase, checkOptions } from "./options.mjs";
import { settingSpec } from "./results.mjs";

/**
 * The component's settings record from the caller's options: every setting
 * the component describes (`settingsSchema()`), each value checked only for
 * its JavaScript type by the setting's kind; the component checks the rest
 * (`checkSettings`). A key that is not a setting's camelCase name is refused
 * (options.mjs), naming it.
 */
export function settings(schema, options) {
  const given = checkOptions("openAuditLog()", options, { known: schema.map(({ name }) => camelCase(name)) });
  return Object.fromEntries(schema.map(({ name, kind }) => [camelCase(name), setting(name, kind, given[camelCase(name)])]));
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

/**
 * One instance of the component per process that sees no directory: it
 * describes the settings and checks them before openAuditLog creates
 * anything. Neither touches a file. (`configure` judges each update by
 * itself, so what it was given before does not change its answer.)
 */
let detached = null;

/** Calls `f` on the detached instance; its `audit-error` becomes AuditLogError, and a trap drops the instance. */
function onDetached(f) {
  try {
    return f((detached ??= instantiateComponent(null)));
  } catch (e) {
    const refused = fromAuditError(e);
    if (refused) throw refused;
    detached = null;
    throw e;
  }
}

/** The settings the component accepts, asked once per process. */
let schemaCache = null;

/** The settings the component accepts (a fresh copy each call). */
export function settingsSchemaOf() {
  schemaCache ??= onDetached((log) => log.settingsSchema().map(settingSpec));
  return schemaCache.map((spec) => ({ ...spec }));
}

/** Throws the component's AuditLogError for a setting it refuses (a value out of range), without a log directory. */
export function checkSettings(config) {
  onDetached((log) => log.configure(config));
}
