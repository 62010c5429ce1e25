// The filesystem adapter: WASI filesystem imports over preview2-shim that show
// the component one directory, as `/`, and nothing else.
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

import { filesystem } from "@bytecodealliance/preview2-shim";

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
  return confined({ "/": dir });
}

/** WASI filesystem imports with no directory at all: every path fails (for calls that need none). */
export function noFilesystem() {
  return confined({});
}

function confined(preopened) {
  const shim = filesystem.createFilesystem({ preopens: preopened });
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
