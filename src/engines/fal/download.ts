import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { isRetryableError } from "@fal-ai/client";
import { readTopLevelBoxes } from "../../media/mp4-boxes.ts";

export interface DownloadOptions {
  signal: AbortSignal;
  /** Tries in all (a dropped connection or a 5xx starts the file over). Default 4. */
  attempts?: number;
  /** First wait between tries, doubled after each. Default 1000 ms. */
  backoffMs?: number;
  /** Fraction of the file received, when the server says how long it is. */
  onProgress?: (fraction: number) => void;
}

/** HTTP answers worth asking again for. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

class DownloadHttpError extends Error {
  override name = "DownloadHttpError";
  constructor(
    readonly status: number,
    url: string,
  ) {
    super(`fetching ${url} answered HTTP ${status}`);
  }
}

/** The connection ended cleanly before the announced length: as good as dropped. */
class TruncatedDownloadError extends Error {
  override name = "TruncatedDownloadError";
}

/**
 * Streams a public file (fal's output URLs need no credentials, so none are sent) to `path`,
 * starting over after a dropped connection or a transient HTTP error, a few times with backoff.
 * @example await downloadFile(video.url, join(workDir, "upstream.mp4"), { signal });
 */
export async function downloadFile(url: string, path: string, options: DownloadOptions): Promise<number> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await downloadOnce(url, path, options);
    } catch (error) {
      const transient =
        error instanceof DownloadHttpError
          ? TRANSIENT_STATUSES.has(error.status)
          : error instanceof TruncatedDownloadError || isRetryableError(error, []);
      if (options.signal.aborted || !transient || attempt >= attempts) {
        if (options.signal.aborted) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`fal: could not download the output (${attempt} tries): ${reason}`, { cause: error });
      }
      await sleep((options.backoffMs ?? 1000) * 2 ** (attempt - 1), undefined, { signal: options.signal });
    }
  }
}

async function downloadOnce(url: string, path: string, options: DownloadOptions): Promise<number> {
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new DownloadHttpError(response.status, url);
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (Number.isFinite(length) && length > 0) options.onProgress?.(received / length);
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  await pipeline(body, count, createWriteStream(path), { signal: options.signal });
  const { size } = await stat(path);
  if (Number.isFinite(length) && size !== length) {
    throw new TruncatedDownloadError(`got ${size} of ${length} bytes from ${url}`);
  }
  return size;
}

/** Throws unless the file is an MP4 (ISO-BMFF with `ftyp`, `moov` and `mdat` boxes). */
export async function assertMp4(path: string, source: string): Promise<void> {
  const types = await readTopLevelBoxes(path)
    .then((boxes) => boxes.map((box) => box.type))
    .catch((): string[] => []);
  if (types[0] !== "ftyp" || !types.includes("moov") || !types.includes("mdat")) {
    throw new Error(
      `fal: the output at ${source} is not an MP4 (top-level boxes: ${types.join(", ") || "none"})`,
    );
  }
}
