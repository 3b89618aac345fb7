import { execFile } from "node:child_process";

import { MediaToolError } from "./errors.ts";

/** What a video file really is, as ffprobe reads it: the facts the worker checks against a plan. */
export interface VideoFacts {
  /** e.g. `h264`. */
  codec: string;
  /** e.g. `High`. */
  profile: string;
  width: number;
  height: number;
  /** e.g. `yuv420p`. */
  pixFmt: string;
  /** From `r_frame_rate` (e.g. `24/1` → 24). */
  fps: number;
  /** Exact: from the container's sample table, or decoded and counted with `countFrames`. */
  numFrames: number;
  /** Seconds, of the video stream (falls back to the container's duration). */
  duration: number;
  /** `bt709` for Shotline's output; `unknown` when untagged. */
  colorSpace: string;
  colorPrimaries: string;
  colorTransfer: string;
  /** `tv` (limited) or `pc` (full). */
  colorRange: string;
  /** ffprobe's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  /** File size in bytes. */
  size: number;
  /** The first audio stream, if the file has one. */
  audio?: AudioFacts;
}

/** What an audio stream is, as ffprobe reads it. */
export interface AudioFacts {
  /** e.g. `aac`. */
  codec: string;
  sampleRate: number;
  channels: number;
  /** Seconds, of the audio stream. */
  duration: number;
}

export interface ProbeOptions {
  /**
   * Decode the whole stream and count frames instead of trusting the header. Slow (a full decode);
   * for tests and for files from outside, whose headers may be missing or wrong.
   */
  countFrames?: boolean;
  signal?: AbortSignal;
}

interface FfprobeJson {
  streams?: Array<Record<string, string | number | undefined>>;
  format?: Record<string, string | number | undefined>;
}

/**
 * Reads the first video stream's facts, and the first audio stream's if there is one. Without
 * `countFrames` it decodes nothing: an MP4's `nb_frames` comes from the sample table, which is
 * exact for files Shotline writes.
 * @example const { numFrames, fps } = await probeVideo(ffprobePath, "output.mp4");
 */
export async function probeVideo(
  ffprobePath: string,
  path: string,
  options: ProbeOptions = {},
): Promise<VideoFacts> {
  const streamFields = [
    "codec_type,codec_name,profile,width,height,pix_fmt,r_frame_rate,nb_frames,duration,sample_rate,channels",
    "color_space,color_primaries,color_transfer,color_range",
    ...(options.countFrames ? ["nb_read_frames"] : []),
  ].join(",");
  const args = [
    "-v",
    "error",
    ...(options.countFrames ? ["-count_frames"] : []),
    ...["-show_entries", `stream=${streamFields}:format=format_name,duration,size`, "-of", "json", path],
  ];
  const json = JSON.parse(await run(ffprobePath, args, options.signal)) as FfprobeJson;
  const stream = json.streams?.find((s) => s["codec_type"] === "video");
  const audio = json.streams?.find((s) => s["codec_type"] === "audio");
  const format = json.format ?? {};
  if (stream === undefined) {
    throw new MediaToolError(`ffprobe found no video stream in ${path}`, { exitCode: 0, stderr: "" });
  }
  const text = (value: string | number | undefined) => (value === undefined ? "unknown" : String(value));
  const frames = options.countFrames ? stream["nb_read_frames"] : stream["nb_frames"];
  return {
    codec: text(stream["codec_name"]),
    profile: text(stream["profile"]),
    width: Number(stream["width"]),
    height: Number(stream["height"]),
    pixFmt: text(stream["pix_fmt"]),
    fps: parseRate(text(stream["r_frame_rate"])),
    numFrames: Number(frames ?? Number.NaN),
    duration: Number(stream["duration"] ?? format["duration"] ?? Number.NaN),
    colorSpace: text(stream["color_space"]),
    colorPrimaries: text(stream["color_primaries"]),
    colorTransfer: text(stream["color_transfer"]),
    colorRange: text(stream["color_range"]),
    formatName: text(format["format_name"]),
    size: Number(format["size"] ?? Number.NaN),
    ...(audio === undefined
      ? {}
      : {
          audio: {
            codec: text(audio["codec_name"]),
            sampleRate: Number(audio["sample_rate"]),
            channels: Number(audio["channels"]),
            duration: Number(audio["duration"] ?? Number.NaN),
          },
        }),
  };
}

/** `24/1` → 24, `30000/1001` → 29.97…; NaN when ffprobe reports `0/0`. */
function parseRate(rate: string): number {
  const [num, den] = rate.split("/").map(Number);
  if (num === undefined || !Number.isFinite(num)) return Number.NaN;
  return den === undefined ? num : den === 0 ? Number.NaN : num / den;
}

function run(file: string, args: string[], signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { maxBuffer: 4 * 1024 * 1024, ...(signal ? { signal } : {}) };
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      if (error.name === "AbortError") return reject(error);
      const exitCode = typeof error.code === "number" ? error.code : null;
      reject(new MediaToolError(`ffprobe failed on ${args.at(-1)}`, { exitCode, stderr }, { cause: error }));
    });
  });
}
