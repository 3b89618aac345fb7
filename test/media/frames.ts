import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

/** Test helpers: decode a video into small raw frames, compare them, and find leftover children. */

const BYTES_PER_PIXEL = { gray: 1, rgb24: 3, yuv420p: 1.5 } as const;

/**
 * Decodes every frame, scaled down (area average) to `width`×`height` pixels: grey, RGB, or the
 * stored YUV planes untouched (`yuv420p`, to read code values). With `crop`, only that rectangle
 * of the full-size frame is kept (before scaling).
 * @example const frames = await decodeFrames(ffmpegPath, "out.mp4", { width: 48, height: 27 });
 */
export function decodeFrames(
  ffmpegPath: string,
  path: string,
  options: {
    width: number;
    height: number;
    format?: keyof typeof BYTES_PER_PIXEL;
    crop?: { x: number; y: number; width: number; height: number };
  },
): Promise<Buffer[]> {
  const { width, height, format = "gray", crop } = options;
  const frameBytes = width * height * BYTES_PER_PIXEL[format];
  const cropFilter = crop ? `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},` : "";
  const filter = `${cropFilter}scale=${width}:${height}:flags=area,format=${format}`;
  const args = ["-v", "error", "-i", path, "-vf", filter];
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      [...args, "-f", "rawvideo", "pipe:1"],
      { encoding: "buffer", maxBuffer: 512 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error);
        const frames: Buffer[] = [];
        for (let offset = 0; offset + frameBytes <= stdout.length; offset += frameBytes) {
          frames.push(stdout.subarray(offset, offset + frameBytes));
        }
        resolve(frames);
      },
    );
  });
}

/** Mean of all bytes (mean luma for grey frames), 0–255. */
export function meanLevel(frame: Uint8Array): number {
  let sum = 0;
  for (const value of frame) sum += value;
  return sum / frame.length;
}

/** Mean absolute difference between two equal-sized frames, 0–255. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

/** Live child processes of `parentPid` with their command names (Linux /proc). */
export async function childProcesses(
  parentPid = process.pid,
): Promise<Array<{ pid: number; command: string }>> {
  const children: Array<{ pid: number; command: string }> = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // Format: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    if (close !== -1 && Number(fields[1]) === parentPid && fields[0] !== "Z") {
      children.push({ pid: Number(entry), command: stat.slice(stat.indexOf("(") + 1, close) });
    }
  }
  return children;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pixels darker than `threshold` inside the middle of a grey frame (edges and corners ignored). */
export function darkArea(frame: Uint8Array, width: number, height: number, threshold: number): number {
  let count = 0;
  for (let y = Math.floor(height * 0.1); y < height * 0.95; y++) {
    for (let x = Math.floor(width * 0.15); x < width * 0.85; x++)
      if ((frame[y * width + x] ?? 255) < threshold) count++;
  }
  return count;
}

/**
 * How far (pixels) the picture moved sideways from `a` to `b`: the shift of `a`'s column-mean
 * profile that best matches `b`'s. Positive when content moved right.
 */
export function horizontalShift(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  maxShift: number,
): number {
  const profile = (frame: Uint8Array) =>
    Array.from({ length: width }, (_, x) => {
      let sum = 0;
      for (let y = 0; y < height; y++) sum += frame[y * width + x] ?? 0;
      return sum / height;
    });
  const pa = profile(a);
  const pb = profile(b);
  let best = { shift: 0, error: Infinity };
  for (let shift = -maxShift; shift <= maxShift; shift++) {
    let error = 0;
    let n = 0;
    for (let x = maxShift; x < width - maxShift; x++) {
      error += Math.abs((pb[x] ?? 0) - (pa[x - shift] ?? 0));
      n++;
    }
    if (error / n < best.error) best = { shift, error: error / n };
  }
  return best.shift;
}

/** Share of pixels whose value changed by more than `threshold` between two frames. */
export function changedShare(a: Uint8Array, b: Uint8Array, threshold: number): number {
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > threshold) changed++;
  return changed / a.length;
}

/** How many cells of a `cols` × `rows` grid hold at least one changed pixel: spread, not a blob. */
export function changedCells(
  a: Uint8Array,
  b: Uint8Array,
  width: number,
  height: number,
  threshold: number,
  cols = 8,
  rows = 6,
): number {
  const cells = new Set<number>();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > threshold)
        cells.add(Math.floor((y * rows) / height) * cols + Math.floor((x * cols) / width));
    }
  }
  return cells.size;
}
