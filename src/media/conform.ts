import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

import type { EncodedVideo } from "./encoder.ts";
import { EncodeAbortedError, MediaToolError } from "./errors.ts";
import { watchFfmpegOutput } from "./ffmpeg-output.ts";

/** One clip to conform: any size, frame rate and length ffmpeg can read; `frames` is what it must become. */
export interface ConformInput {
  path: string;
  /** Exact number of output frames of this clip: longer clips are cut, shorter ones hold their last frame. */
  frames: number;
}

export interface ConformOptions {
  ffmpegPath: string;
  /** The clips in order; they are joined with hard cuts. */
  inputs: ConformInput[];
  width: number;
  height: number;
  fps: number;
  /** Final MP4 path. It only appears once ffmpeg succeeded (written beside it, then renamed). */
  outputPath: string;
  /** Aborting kills ffmpeg; the call rejects with `EncodeAbortedError` and leaves no file. */
  signal?: AbortSignal;
  /** x264 preset; default `veryfast` tuned as the frame encoder's. */
  preset?: string;
  /** x264 constant rate factor, default 20. */
  crf?: number;
  /** Called with the number of output frames written so far. */
  onProgress?: (framesDone: number) => void;
}

/**
 * Conforms clips from any source (an engine's native size and frame rate) to Shotline's output in
 * one ffmpeg run: each clip is scaled with lanczos to cover the frame and centre-cropped to it
 * (never stretched, never letterboxed), resampled to `fps`, cut or padded (holding its last frame)
 * to its exact frame count, converted to BT.709 and joined to the next with a hard cut on the exact
 * frame boundary. The file is H.264 High, yuv420p, BT.709-tagged, `+faststart`, with no audio.
 *
 * @example
 * await conformVideos({ ffmpegPath, width: 1920, height: 1080, fps: 24, outputPath,
 *   inputs: [{ path: "shot-1.mp4", frames: 72 }, { path: "shot-2.mp4", frames: 48 }] });
 */
export async function conformVideos(options: ConformOptions): Promise<EncodedVideo> {
  const { inputs, outputPath, signal } = options;
  if (inputs.length === 0) throw new RangeError("conformVideos needs at least one input");
  for (const input of inputs) {
    if (!Number.isInteger(input.frames) || input.frames < 1) {
      throw new RangeError(
        `A clip must last a whole number of frames ≥ 1, got ${input.frames} (${input.path})`,
      );
    }
  }
  if (signal?.aborted) throw new EncodeAbortedError({ cause: signal.reason });
  const total = inputs.reduce((sum, input) => sum + input.frames, 0);
  // Same directory, so the final rename is atomic and never crosses file systems.
  const tempPath = join(dirname(outputPath), `.${basename(outputPath)}.${randomUUID().slice(0, 8)}.partial`);
  try {
    await runFfmpeg(options.ffmpegPath, conformArgs(options, tempPath), options);
    await rename(tempPath, outputPath);
  } finally {
    await rm(tempPath, { force: true });
  }
  return { path: outputPath, frames: total };
}

export interface JoinOptions {
  ffmpegPath: string;
  /** MP4s written by `conformVideos` with the same size, rate and encoder settings, in order. */
  inputs: string[];
  /** Final MP4 path, written beside it and renamed once complete. */
  outputPath: string;
  signal?: AbortSignal;
}

/**
 * Joins conformed clips without re-encoding: each begins with a keyframe and lasts an exact
 * number of frames, so copying their streams one after another gives hard cuts on exact frame
 * boundaries. This lets an engine conform each shot as soon as it has it, while the next one is
 * still being generated, and pay only for a copy at the end.
 * @example await joinVideos({ ffmpegPath, inputs: ["shot-1.conformed.mp4", "shot-2.conformed.mp4"], outputPath });
 */
export async function joinVideos(options: JoinOptions): Promise<{ path: string }> {
  const { inputs, outputPath } = options;
  if (inputs.length === 0) throw new RangeError("joinVideos needs at least one input");
  if (options.signal?.aborted) throw new EncodeAbortedError({ cause: options.signal.reason });
  const stem = join(dirname(outputPath), `.${basename(outputPath)}.${randomUUID().slice(0, 8)}`);
  const [listPath, tempPath] = [`${stem}.txt`, `${stem}.partial`];
  // The concat demuxer's list: one `file '…'` line per clip, quotes escaped its way.
  const list = inputs.map((input) => `file '${resolve(input).replaceAll("'", "'\\''")}'\n`).join("");
  try {
    await writeFile(listPath, list);
    const args = [
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats"],
      ...["-f", "concat", "-safe", "0", "-i", listPath, "-map", "0:v", "-c", "copy"],
      ...["-movflags", "+faststart", "-f", "mp4", "-y", tempPath],
    ];
    await runFfmpeg(options.ffmpegPath, args, options);
    await rename(tempPath, outputPath);
  } finally {
    await rm(tempPath, { force: true });
    await rm(listPath, { force: true });
  }
  return { path: outputPath };
}

/** The filter chain of one clip: cover-scale, centre-crop, BT.709 4:2:0, resample, exact length. */
function clipFilter(index: number, input: ConformInput, options: ConformOptions): string {
  const { width, height, fps } = options;
  return [
    // Resampled first, so that frames a faster source loses are never scaled.
    `[${index}:v]fps=${fps}`,
    `scale=w=${width}:h=${height}:force_original_aspect_ratio=increase:flags=lanczos` +
      ":out_color_matrix=bt709:out_range=tv",
    `crop=${width}:${height}`,
    "setsar=1",
    "format=yuv420p",
    // Padding first, then the cut: a short clip holds its last frame, a long one loses its tail.
    `tpad=stop_mode=clone:stop=${input.frames}`,
    `trim=end_frame=${input.frames}`,
    `setpts=PTS-STARTPTS[v${index}]`,
  ].join(",");
}

function conformArgs(options: ConformOptions, tempPath: string): string[] {
  const { inputs } = options;
  const chains = inputs.map((input, index) => clipFilter(index, input, options));
  const labels = inputs.map((_, index) => `[v${index}]`).join("");
  const graph = [...chains, `${labels}concat=n=${inputs.length}:v=1:a=0[out]`].join(";");
  return [
    ...["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1"],
    ...inputs.flatMap((input) => ["-i", input.path]),
    ...["-filter_complex", graph, "-map", "[out]", "-an"],
    ...["-c:v", "libx264", "-profile:v", "high", "-pix_fmt", "yuv420p"],
    ...["-crf", String(options.crf ?? 20)],
    // By default the encoder's tuning (see encoder.ts): veryfast with the cheapest motion search,
    // no B-frames and a short lookahead, about 40% less CPU than plain veryfast at 1080p.
    ...(options.preset === undefined
      ? ["-preset", "veryfast", "-x264-params", "me=dia:subme=1:bframes=0:rc-lookahead=5"]
      : ["-preset", options.preset]),
    ...["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv"],
    ...["-movflags", "+faststart", "-f", "mp4", "-y", tempPath],
  ];
}

function runFfmpeg(
  ffmpegPath: string,
  args: string[],
  options: Pick<ConformOptions, "signal" | "onProgress">,
): Promise<void> {
  const { signal } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let aborted = false;
    const output = watchFfmpegOutput(child, options.onProgress);
    const onAbort = () => {
      aborted = true;
      child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (error: Error | undefined) => {
      signal?.removeEventListener("abort", onAbort);
      if (error) reject(error);
      else resolve();
    };
    child.once("error", (error) =>
      settle(
        new MediaToolError(
          `ffmpeg could not run (${error.message})`,
          { exitCode: null, stderr: "" },
          { cause: error },
        ),
      ),
    );
    child.once("close", (code) => {
      if (aborted) return settle(new EncodeAbortedError({ cause: signal?.reason }));
      if (code === 0) return settle(undefined);
      settle(
        new MediaToolError(`ffmpeg exited with code ${code}`, {
          exitCode: code,
          stderr: output.stderrTail(),
        }),
      );
    });
  });
}
