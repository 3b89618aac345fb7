import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import type { VideoFile } from "../../contract/output.ts";

/**
 * Saves an output file (fetched without a key, as on fal). It is written beside its destination
 * and renamed into place, so an interrupted download never leaves a file that looks finished.
 */
export async function saveVideo(url: string, file: string, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body) throw new Error(`could not download ${url}: HTTP ${response.status}`);
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** `1920×1080, 3 s, 72 frames` */
export const describeVideo = (video: VideoFile) =>
  `${video.width}×${video.height}, ${video.duration} s, ${video.num_frames} frames`;
