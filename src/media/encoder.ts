import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";

import { EncodeAbortedError, MediaToolError } from "./errors.ts";
import { watchFfmpegOutput } from "./ffmpeg-output.ts";

/** Byte layout of one raw frame: 4 bytes a pixel, rows top to bottom, no padding. */
export type RawPixelFormat = "rgba" | "bgra";

export interface EncoderOptions {
  ffmpegPath: string;
  width: number;
  height: number;
  fps: number;
  /** Final MP4 path. It only appears once the encode succeeded (written beside it, then renamed). */
  outputPath: string;
  /** Aborting kills ffmpeg (SIGKILL); pending and later calls reject with `EncodeAbortedError`. */
  signal?: AbortSignal;
  /** Layout of the frames you write; default `rgba` (what `@napi-rs/canvas`'s `canvas.data()` gives). */
  pixelFormat?: RawPixelFormat;
  /** x264 constant rate factor; lower is better and bigger. Default 20. */
  crf?: number;
  /**
   * x264 preset. Default: `veryfast` with the cheapest motion search, tuned to encode 1080p faster
   * than real time on two cores next to the renderer.
   */
  preset?: string;
  /** Called with the number of frames ffmpeg has encoded so far (from `-progress`). */
  onProgress?: (framesEncoded: number) => void;
  /**
   * A sound track muxed beside the video, encoded AAC-LC 48 kHz stereo: the bytes of a WAV file,
   * now or later — ffmpeg reads them from a second pipe, so it can start (and frames can be
   * drawn) while the sound is still being made. It is neither padded nor cut: give it the video's
   * length. Without it the MP4 is silent. A rejected promise fails the encode.
   */
  audio?: { wav: Uint8Array | Promise<Uint8Array> };
}

export interface EncodedVideo {
  path: string;
  frames: number;
}

/** A running ffmpeg that turns raw frames written in order into an H.264 MP4. */
export interface FrameEncoder {
  /** The ffmpeg child's process id (undefined if it could not be spawned). */
  readonly pid: number | undefined;
  readonly framesWritten: number;
  /**
   * Sends one frame (exactly width × height × 4 bytes) and resolves once ffmpeg has read all of
   * it: from then on the buffer may be reused (a renderer can draw the next frame into it).
   * Awaiting each write is the backpressure: memory stays at the frames the caller holds.
   * Writes may also be issued without awaiting; they are sent and resolved in order.
   */
  writeFrame(frame: Uint8Array): Promise<void>;
  /** Closes the input, waits for ffmpeg, moves the file into place. */
  finish(): Promise<EncodedVideo>;
  /** Kills ffmpeg and removes partial output, e.g. when drawing failed. Never rejects. */
  abort(): Promise<void>;
}

/**
 * Spawns ffmpeg first, reading raw frames from stdin (the remotion way), and encodes them to
 * H.264 High / yuv420p / BT.709 (converted and tagged) with `+faststart`, and the `audio` WAV, if
 * any, to AAC. Every frame written becomes exactly one frame of output.
 *
 * @example
 * const encoder = startEncoder({ ffmpegPath, width: 1920, height: 1080, fps: 24, outputPath, signal });
 * for (let i = 0; i < 120; i++) {
 *   draw(ctx, i);
 *   await encoder.writeFrame(ctx.getImageData(0, 0, 1920, 1080).data);
 * }
 * const { path, frames } = await encoder.finish();
 */
export function startEncoder(options: EncoderOptions): FrameEncoder {
  const { width, height, outputPath, signal } = options;
  const frameBytes = width * height * 4;
  // Same directory, so the final rename is atomic and never crosses file systems.
  const tempPath = join(dirname(outputPath), `.${basename(outputPath)}.${randomUUID().slice(0, 8)}.partial`);

  const child = spawn(options.ffmpegPath, ffmpegArgs(options, tempPath), {
    // fd 3 carries the sound track's WAV, when there is one.
    stdio: options.audio ? ["pipe", "pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe"],
  });
  let exit: { code: number | null; error?: Error } | undefined;
  let aborted = false;
  let audioFailure: Error | undefined;
  let finishing = false;
  let framesWritten = 0;
  // Writes still in flight, so that ffmpeg dying also wakes their callers.
  const pendingWrites = new Set<() => void>();

  const output = watchFfmpegOutput(child, options.onProgress);
  // EPIPE when ffmpeg dies early: the exit code and stderr explain it better, so report those instead.
  child.stdin.on("error", () => {});
  const audioInput = options.audio ? (child.stdio[3] as Writable | null) : null;
  audioInput?.on("error", () => {});

  const wakeWriters = () => {
    for (const wake of pendingWrites) wake();
    pendingWrites.clear();
  };

  const exited = new Promise<void>((resolve) => {
    child.once("error", (error) => {
      exit ??= { code: null, error };
      wakeWriters();
      resolve();
    });
    child.once("close", (code) => {
      exit ??= { code };
      wakeWriters();
      resolve();
    });
  });

  const kill = () => {
    aborted = true;
    if (exit === undefined) child.kill("SIGKILL");
  };
  const onAbort = () => kill();
  if (signal?.aborted) kill();
  else signal?.addEventListener("abort", onAbort, { once: true });

  if (audioInput && options.audio) {
    Promise.resolve(options.audio.wav).then(
      (wav) => audioInput.end(wav),
      (error: unknown) => {
        // No sound, no file: ffmpeg is stopped and the encode fails with the reason.
        audioFailure = error instanceof Error ? error : new Error(String(error));
        if (exit === undefined) child.kill("SIGKILL");
      },
    );
  }

  /** The error to report once ffmpeg is gone and nothing partial is left behind. */
  const fail = async (): Promise<never> => {
    await exited;
    signal?.removeEventListener("abort", onAbort);
    await rm(tempPath, { force: true });
    if (aborted) throw new EncodeAbortedError({ cause: signal?.reason });
    if (audioFailure)
      throw new Error(`The sound track could not be made: ${audioFailure.message}`, { cause: audioFailure });
    const what = exit?.error
      ? `ffmpeg could not run (${exit.error.message})`
      : `ffmpeg exited with code ${exit?.code}`;
    throw new MediaToolError(
      what,
      { exitCode: exit?.code ?? null, stderr: output.stderrTail() },
      { cause: exit?.error },
    );
  };

  /**
   * Resolves when the pipe has taken every byte of the frame (the write callback) or ffmpeg is
   * gone, whichever comes first. The stream copies nothing: the bytes go from the caller's buffer
   * into the pipe as ffmpeg reads, which is why the buffer is only free after this.
   */
  const sent = (frame: Uint8Array) =>
    new Promise<void>((resolve) => {
      const done = () => {
        pendingWrites.delete(done);
        resolve();
      };
      pendingWrites.add(done);
      child.stdin.write(frame, done);
    });

  return {
    get pid() {
      return child.pid;
    },
    get framesWritten() {
      return framesWritten;
    },
    async writeFrame(frame) {
      if (finishing) throw new Error("writeFrame() called after finish()");
      if (frame.byteLength !== frameBytes) {
        throw new RangeError(`A ${width}×${height} frame is ${frameBytes} bytes, got ${frame.byteLength}`);
      }
      if (aborted || exit !== undefined) return fail();
      framesWritten++;
      await sent(frame);
      if (aborted || exit !== undefined) return fail();
    },
    async finish() {
      if (finishing) throw new Error("finish() called twice");
      finishing = true;
      if (!aborted && exit === undefined) child.stdin.end();
      await exited;
      if (aborted || exit?.code !== 0) return fail();
      signal?.removeEventListener("abort", onAbort);
      await rename(tempPath, outputPath);
      return { path: outputPath, frames: framesWritten };
    },
    async abort() {
      kill();
      await fail().catch(() => {});
    },
  };
}

/** AAC bit rate of a sound track: plenty for a stereo scratch track. */
const AUDIO_BITRATE = "160k";

/** Space-separated fixed arguments (none contain spaces), to keep the argument list readable. */
const words = (text: string) => text.split(" ");

function ffmpegArgs(options: EncoderOptions, tempPath: string): string[] {
  const { width, height, fps } = options;
  return [
    ...words("-hide_banner -nostdin -loglevel error -nostats -progress pipe:1"),
    // Input: raw frames on stdin. Its rate is the output rate, so frames in = frames out.
    ...words(`-f rawvideo -pix_fmt ${options.pixelFormat ?? "rgba"} -s ${width}x${height} -r ${fps}`),
    // With a second input ffmpeg reads each in its own thread through a queue of 8 packets by
    // default: 8 raw 1080p frames, 66 MB. One is enough: x264 keeps its own lookahead of frames.
    ...(options.audio ? words("-thread_queue_size 1") : []),
    "-i",
    "pipe:0",
    ...(options.audio ? words("-f wav -i pipe:3 -map 0:v:0 -map 1:a:0") : ["-an"]),
    // Convert with the BT.709 matrix into limited range (not just tag it), then 4:2:0. Bilinear
    // chroma downsampling looks the same here and costs less than the default bicubic.
    ...words("-sws_flags fast_bilinear -vf scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"),
    ...words(`-c:v libx264 -profile:v high -pix_fmt yuv420p -crf ${options.crf ?? 20}`),
    // By default the cheapest motion search (diamond, subpixel level 1): about a third less CPU
    // than plain veryfast at a similar or smaller size, as engine frames move smoothly. No
    // B-frames and a 5-frame lookahead: x264 then holds fewer frames, which takes its memory at
    // 1080p from about 240 MB to 140 MB and its time down by a sixth, for files a little larger.
    ...(options.preset === undefined
      ? words("-preset veryfast -x264-params me=dia:subme=1:bframes=0:rc-lookahead=5")
      : ["-preset", options.preset]),
    // One x264 frame thread a core rather than its default of one and a half: each thread holds
    // frames in flight (about 18 MB of 1080p frames fewer on two cores), and the spare half a
    // core's worth of threads only ever competes with whoever draws the frames.
    "-threads",
    String(availableParallelism()),
    ...words("-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv"),
    // ffmpeg's fast AAC coder: a third of the default's time, and as clean for a scratch track.
    ...(options.audio ? words(`-c:a aac -aac_coder fast -b:a ${AUDIO_BITRATE} -ar 48000 -ac 2`) : []),
    ...words("-movflags +faststart -f mp4 -y"),
    tempPath,
  ];
}
