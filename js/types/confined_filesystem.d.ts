// Typings of the filesystem adapter (lib/confined_filesystem.mjs), exported by
// ../auditlog.d.ts. The WASI types are preview2-shim's, the package's one
// dependency: the adapter hands the component the shim's descriptors, wrapped.

import type {
  Descriptor,
  DescriptorFlags,
  DirectoryEntryStream,
  filesystemErrorCode,
  OpenFlags,
  PathFlags,
} from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";

/** The descriptor methods passed to the shim's descriptor unchanged: `stat`, `read`, `write`, `readDirectory`, … */
type PassedThrough = Omit<Descriptor, "openAt" | "getFlags" | "renameAt" | "linkAt" | "isSameObject">;

/** Every method of a shim descriptor; see the class. */
export interface ConfinedDescriptor extends PassedThrough {}

/**
 * `wasi:filesystem/types#descriptor` over one of preview2-shim's: the same
 * calls, except that `openAt` drops `mutateDirectory` from the flags (the
 * shim refuses it, and grants what it asks for anyway) and that descriptors
 * it opens are ConfinedDescriptors too. Paths are resolved by the shim, which
 * refuses absolute paths, `..` above the directory and symlinks that lead out
 * of it. Failures are thrown as WASI error codes (`"not-permitted"`, …).
 */
export declare class ConfinedDescriptor {
  /**
   * @param shimDescriptor the shim's descriptor
   * @param flags the flags it was opened with, which `getFlags` reports
   */
  constructor(shimDescriptor: Descriptor, flags?: DescriptorFlags);
  /** The shim's `openAt` without `mutateDirectory`, its result wrapped. */
  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): ConfinedDescriptor;
  /** The flags this descriptor was opened with, `mutateDirectory` included. */
  getFlags(): DescriptorFlags;
  /** Throws `"bad-descriptor"` unless `newDescriptor` is a ConfinedDescriptor. */
  renameAt(oldPath: string, newDescriptor: ConfinedDescriptor, newPath: string): void;
  /** Throws `"bad-descriptor"` unless `newDescriptor` is a ConfinedDescriptor. */
  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: ConfinedDescriptor, newPath: string): void;
  /** Whether `other` is a ConfinedDescriptor of the same file or directory. */
  isSameObject(other: unknown): boolean;
}

/** The `wasi:filesystem` imports {@link confinedFilesystem} makes. */
export interface ConfinedFilesystem {
  /** `wasi:filesystem/types`. */
  types: {
    Descriptor: typeof ConfinedDescriptor;
    DirectoryEntryStream: typeof DirectoryEntryStream;
    /** The WASI error code of an error a stream reported, if it is a filesystem error (the shim's). */
    filesystemErrorCode: typeof filesystemErrorCode;
  };
  /** `wasi:filesystem/preopens`: the one directory, as `/`. */
  preopens: {
    getDirectories(): Array<[ConfinedDescriptor, string]>;
  };
}

/**
 * WASI filesystem imports that show the component `dir` as `/` and nothing
 * else: the imports openAuditLog gives each instance of the component.
 * @param dir an existing directory
 */
export declare function confinedFilesystem(dir: string): ConfinedFilesystem;
