import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { InvalidKeyError } from "./errors.ts";
import { isValidKey } from "./port.ts";
import type { ByteRange, FileStorage, StoredObject } from "./port.ts";

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service; undefined: AWS. */
  endpoint?: string | undefined;
  /** Undefined: the AWS SDK's default credential chain (environment, profile, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Address the bucket as `endpoint/bucket/key` rather than `bucket.endpoint/key`. */
  forcePathStyle?: boolean;
}

export interface S3Storage extends FileStorage {
  signedUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Closes the client's connections. */
  destroy(): void;
}

const FALLBACK_CONTENT_TYPE = "application/octet-stream";

/**
 * FileStorage in an S3 bucket: the object key is the storage key (`<request id>/<file name>`).
 * A PutObject is atomic, so a file is never visible half-written; the ETag is the one S3 keeps
 * (the MD5 of the content for a single upload), which changes with the content.
 *
 * @example
 * const storage = createS3Storage({ bucket: "renders", region: "eu-west-1" });
 * await storage.put(`${id}/output.mp4`, tmpPath, "video/mp4");
 * const url = await storage.signedUrl(`${id}/output.mp4`, 3600);
 */
export function createS3Storage(options: S3StorageOptions): S3Storage {
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    // By default the SDK sends uploads as aws-chunked bodies with a trailing checksum, which
    // several S3-compatible servers (s3rver among them) store verbatim: checksums only where required.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  function requireKey(key: string): string {
    if (!isValidKey(key)) throw new InvalidKeyError(key);
    return key;
  }

  async function statObject(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        key,
        size: head.ContentLength ?? 0,
        etag: quoted(head.ETag ?? ""),
        contentType: head.ContentType ?? FALLBACK_CONTENT_TYPE,
      };
    } catch (error) {
      // A missing object answers 404 only to credentials allowed to list the bucket (else 403).
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  return {
    async put(key, sourcePath, contentType) {
      requireKey(key);
      const { size } = await stat(sourcePath);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          // Streamed, never read into memory; the length lets S3 take it as one PutObject.
          Body: createReadStream(sourcePath),
          ContentLength: size,
          ContentType: contentType,
        }),
      );
      // The file was moved into the bucket: the source goes, as a local move would take it.
      await rm(sourcePath, { force: true });
      const stored = await statObject(key);
      if (stored === undefined) throw new Error(`Object vanished right after it was stored: ${key}`);
      return stored;
    },

    async stat(key) {
      return isValidKey(key) ? statObject(key) : undefined;
    },

    read(key, range?: ByteRange) {
      const out = new PassThrough();
      // A reader that goes away (a client that hung up) cancels a download still on its way.
      const abort = new AbortController();
      out.once("close", () => abort.abort());
      const get = async () => {
        const answer = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: requireKey(key),
            ...(range && { Range: `bytes=${range.start}-${range.end}` }),
          }),
          { abortSignal: abort.signal },
        );
        const body = answer.Body as Readable;
        if (range === undefined) return pipeline(body, out);
        if (!answer.ContentRange?.startsWith(`bytes ${range.start}-`)) {
          body.destroy();
          throw new Error(
            `Storage answered ${answer.ContentRange ?? "the whole object"} for bytes ${range.start}-${range.end} of ${key}`,
          );
        }
        // Some S3-compatible servers send more than asked (s3rver: all of `bytes=0-0`).
        return pipeline(
          body,
          (chunks: AsyncIterable<Buffer>) => firstBytes(chunks, range.end - range.start + 1),
          out,
        );
      };
      // Callers handle one failure path, the stream's 'error' event, whatever went wrong.
      get().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
      return out;
    },

    async delete(key) {
      // S3 answers a delete of a missing object with success: deleting again is harmless.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: requireKey(key) }));
    },

    async signedUrl(key, expiresInSeconds) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: requireKey(key) });
      return getSignedUrl(client, command, { expiresIn: expiresInSeconds });
    },

    destroy() {
      client.destroy();
    },
  };
}

/** The first `length` bytes of a stream; the rest is not read. */
async function* firstBytes(chunks: AsyncIterable<Buffer>, length: number): AsyncGenerator<Buffer> {
  let left = length;
  for await (const chunk of chunks) {
    if (chunk.length >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.length;
    yield chunk;
  }
}

/** S3 quotes ETags; some compatible servers do not. HTTP wants them quoted. */
function quoted(etag: string): string {
  return /^".*"$/.test(etag) ? etag : `"${etag}"`;
}

function isNotFound(error: unknown): boolean {
  return (error as Partial<S3ServiceException> | undefined)?.$metadata?.httpStatusCode === 404;
}
