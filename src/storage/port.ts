import type { Readable } from "node:stream";

/**
 * Where output files live. A key is `<request id>/<file name>`; the file behind a key never
 * changes once put. Every adapter passes `test/storage/conformance.ts`.
 */
export interface StoredObject {
  key: string;
  size: number;
  /** Changes whenever the content could have: used as the HTTP ETag. */
  etag: string;
  contentType: string;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface FileStorage {
  /** Moves a finished file into place under `key` (never visible half-written). */
  put(key: string, sourcePath: string, contentType: string): Promise<StoredObject>;
  stat(key: string): Promise<StoredObject | undefined>;
  read(key: string, range?: ByteRange): Readable;
  delete(key: string): Promise<void>;
  /**
   * A URL that fetches the file straight from where it lives (with byte ranges), valid for
   * `expiresInSeconds`. Offered by storages that callers can reach without the API (S3: a presigned GET).
   */
  signedUrl?(key: string, expiresInSeconds: number): Promise<string>;
}

const KEY = /^[A-Za-z0-9_-]{1,128}\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Keys are two plain path segments: nothing can name a file outside the storage root. */
export function isValidKey(key: string): boolean {
  return KEY.test(key) && !key.includes("..");
}
