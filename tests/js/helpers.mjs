// Shared by the tests in this directory (not a test file itself).
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, lstatSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory, removed after the test `t`. */
export function tempDir(t, prefix = "auditlog-js-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file, directory and symlink under `dir`, with file contents: compare with deepStrictEqual. */
export function snapshot(dir) {
  const out = {};
  const walk = (rel) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const full = join(dir, path);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out[path] = `symlink -> ${readlinkSync(full)}`;
      else if (st.isDirectory()) {
        out[path] = "dir";
        walk(path);
      } else out[path] = readFileSync(full).toString("base64");
    }
  };
  walk("");
  return out;
}

/** The lines of a text file, without the final newline. */
export function lines(path) {
  return readFileSync(path, "utf8").replace(/\n$/, "").split("\n");
}

/** Runs `f`, which must throw an AuditLogError; returns it. */
export function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, none was thrown");
}
