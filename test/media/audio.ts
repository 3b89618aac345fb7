import { execFile } from "node:child_process";

/** Test helpers: decode a file's sound to plain samples, measure levels, read its audio streams. */

export const RATE = 48_000;

export interface DecodedAudio {
  left: Float32Array;
  right: Float32Array;
}

/**
 * Decodes the first audio stream to 48 kHz stereo float samples, through an ffmpeg filter if
 * given (e.g. `highpass=f=3000` to keep the highs), so measurements do not rely on Shotline's code.
 * @example const { left } = await decodeAudio(ffmpegPath, "out.mp4", { filter: "highpass=f=2000" });
 */
export function decodeAudio(
  ffmpegPath: string,
  path: string,
  options: { filter?: string } = {},
): Promise<DecodedAudio> {
  const args = [
    ...["-v", "error", "-i", path, "-vn"],
    ...(options.filter ? ["-af", options.filter] : []),
    ...["-f", "f32le", "-acodec", "pcm_f32le", "-ac", "2", "-ar", String(RATE), "pipe:1"],
  ];
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const all = new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
      const frames = all.length / 2;
      const left = new Float32Array(frames);
      const right = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        left[i] = all[2 * i] ?? 0;
        right[i] = all[2 * i + 1] ?? 0;
      }
      resolve({ left, right });
    });
  });
}

/** RMS of both channels over samples `[from, to)`. */
export function levelOf(audio: DecodedAudio, from = 0, to = audio.left.length): number {
  let sum = 0;
  const end = Math.min(to, audio.left.length);
  for (let i = Math.max(0, from); i < end; i++) sum += (audio.left[i] ?? 0) ** 2 + (audio.right[i] ?? 0) ** 2;
  return end > from ? Math.sqrt(sum / (2 * (end - from))) : 0;
}

/** RMS of each consecutive window of `size` samples (the last partial window dropped). */
export function levels(audio: DecodedAudio, size: number): number[] {
  const count = Math.floor(audio.left.length / size);
  return Array.from({ length: count }, (_, k) => levelOf(audio, k * size, (k + 1) * size));
}

export function peakOf(audio: DecodedAudio): number {
  let peak = 0;
  for (const channel of [audio.left, audio.right])
    for (const value of channel) peak = Math.max(peak, Math.abs(value));
  return peak;
}

/** Pearson correlation of two equal-length series. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (xs: readonly number[]) => xs.slice(0, n).reduce((sum, x) => sum + x, 0) / n;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [da, db] = [(a[i] ?? 0) - ma, (b[i] ?? 0) - mb];
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return ab / Math.sqrt(aa * bb);
}

export interface StreamFacts {
  codec_type: string;
  codec_name: string;
  sample_rate?: string;
  channels?: number;
  duration: string;
}

/** Every stream of a file, as ffprobe lists them. */
export function streamsOf(ffprobePath: string, path: string): Promise<StreamFacts[]> {
  const args = [
    ...["-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,channels,duration"],
    ...["-of", "json", path],
  ];
  return new Promise((resolve, reject) => {
    execFile(ffprobePath, args, (error, stdout) => {
      if (error) return reject(error);
      resolve((JSON.parse(stdout) as { streams: StreamFacts[] }).streams);
    });
  });
}
