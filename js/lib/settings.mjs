// openAuditLog's options as the component's `settings` record. The settings
// themselves come from the component (`settings-schema`): a setting added
// there is an option here with no change to this file.

import { optU32, optU64 } from "./arguments.mjs";
import { instantiateComponent } from "./component.mjs";
import { refuse } from "./errors.mjs";
import { settingSpec } from "./results.mjs";

/** `max_user_bytes` -> `maxUserBytes`: a setting's name as an option and as jco's record field. */
const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The component's settings record from the caller's options: every setting
 * the component describes (`settingsSchema()`), each value checked only for
 * its JavaScript type by the setting's kind; the component checks the rest.
 */
export function settings(schema, options) {
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

/** The settings the component accepts (a fresh copy each call), asked of an instance over `dir` the first time. */
export function settingsSchemaOf(dir) {
  schemaCache ??= instantiateComponent(dir).settingsSchema().map(settingSpec);
  return schemaCache.map((spec) => ({ ...spec }));
}
