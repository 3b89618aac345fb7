import { createReadStream } from "node:fs";
import {
  copyFile,
  mkdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  unlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import { InvalidKeyError } from "./errors.ts";
import { isValidKey } from "./port.ts";
import type { ByteRange, FileStorage, StoredObject } from "./port.ts";

export interface LocalStorageOptions {
  /** The directory that holds every file; created on first put. */
  root: string;
}

const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * FileStorage in a local directory: `root/<request id>/<file name>`. The content type lives in a
 * dot-file beside the data (`.<file name>.type`), a name no valid key can reach.
 *
 * @example
 * const storage = createLocalStorage({ root: ".shotline/files" });
 * await storage.put(`${id}/output.mp4`, tmpPath, "video/mp4");
 */
export function createLocalStorage({ root }: LocalStorageOptions): FileStorage {
  const rootDir = resolve(root);

  /** The file behind a key, or undefined when the key could name anything outside the root. */
  function pathOf(key: string): string | undefined {
    if (!isValidKey(key)) return undefined;
    const path = resolve(rootDir, key);
    // Defence in depth: the key rule already forbids this, but the root must never be left.
    const inside = relative(rootDir, path);
    if (inside === "" || inside.startsWith("..") || isAbsolute(inside)) return undefined;
    return path;
  }

  function requirePath(key: string): string {
    const path = pathOf(key);
    if (path === undefined) throw new InvalidKeyError(key);
    return path;
  }

  async function statPath(key: string, path: string): Promise<StoredObject | undefined> {
    let info;
    try {
      info = await stat(path, { bigint: true });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!info.isFile()) return undefined;
    const contentType = await readFile(typePathOf(path), "utf8").catch((error: unknown) => {
      if (isMissing(error)) return FALLBACK_CONTENT_TYPE;
      throw error;
    });
    return { key, size: Number(info.size), etag: etagOf(info), contentType };
  }

  return {
    async put(key, sourcePath, contentType) {
      const path = requirePath(key);
      await stat(sourcePath); // fails early, before anything under the root changes
      await mkdir(dirname(path), { recursive: true });
      // The type first: a crash in between leaves a stray dot-file, never a file without its type.
      await writeAtomically(typePathOf(path), contentType);
      await moveFile(sourcePath, path);
      const stored = await statPath(key, path);
      if (stored === undefined) throw new Error(`File vanished right after it was stored: ${key}`);
      return stored;
    },

    async stat(key) {
      const path = pathOf(key);
      return path === undefined ? undefined : statPath(key, path);
    },

    read(key, range?: ByteRange) {
      try {
        const path = requirePath(key);
        return range === undefined ? createReadStream(path) : createReadStream(path, range);
      } catch (error) {
        // Callers handle one failure path, the stream's 'error' event, whatever went wrong.
        const failed = new Readable({ read() {} });
        failed.destroy(error instanceof Error ? error : new Error(String(error)));
        return failed;
      }
    },

    async delete(key) {
      const path = requirePath(key);
      await rm(path, { force: true });
      await rm(typePathOf(path), { force: true });
      // The request's folder goes with its last file; a concurrent put may have refilled it.
      await rmdir(dirname(path)).catch((error: unknown) => {
        if (!isMissing(error) && !hasCode(error, "ENOTEMPTY") && !hasCode(error, "EEXIST")) throw error;
      });
    },
  };
}

/**
 * Size, modification time (ns) and inode. The mtime is stamped by `put` at sub-millisecond precision,
 * and a replacing put renames a file that existed beside the old one (so a different inode): the
 * etag changes with every put even when the size does not.
 */
function etagOf(info: { size: bigint; mtimeNs: bigint; ino: bigint }): string {
  return `"${info.size.toString(16)}-${info.mtimeNs.toString(16)}-${info.ino.toString(16)}"`;
}

function typePathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.type`);
}

function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = tempPathBeside(path);
  await writeFile(temp, content);
  await rename(temp, path);
}

/**
 * rename is atomic within a filesystem; across filesystems, copy beside the target and rename.
 * The file is stamped with the time of the put first, because many kernels keep file times at the
 * granularity of a clock tick, so two puts in a row could otherwise show the same mtime.
 */
async function moveFile(source: string, target: string): Promise<void> {
  const stamp = preciseNowSeconds();
  try {
    await utimes(source, stamp, stamp);
    await rename(source, target);
    return;
  } catch (error) {
    if (!hasCode(error, "EXDEV")) throw error;
  }
  const temp = tempPathBeside(target);
  try {
    await copyFile(source, temp);
    await utimes(temp, stamp, stamp);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await unlink(source);
}

function preciseNowSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

function hasCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function isMissing(error: unknown): boolean {
  return hasCode(error, "ENOENT");
}
