import type { Rgb } from "./color.ts";
import type { Kernels } from "./kernels/index.ts";

/**
 * Drawing straight into an RGBA frame buffer, for what is small and everywhere: raindrops,
 * snowflakes, motes, glints, grain. Doing these on the final pixels costs a fraction of drawing
 * them with Skia and reading the whole frame back. What covers many pixels (subjects blended in,
 * glows, the vignette) runs in the WebAssembly kernels (kernels/), on the same memory.
 *
 * Pixels are handled as 32-bit words (little-endian RGBA: 0xAABBGGRR) with red and blue blended
 * together in one multiply ("SWAR"), so a blend is a few integer operations. The words are signed
 * (`Int32Array`) and every step stays in 32-bit integers (`Math.imul`, `| 0`): unsigned words
 * above 2³¹ would push V8 into floating point and make these loops several times slower.
 */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** One word a pixel, rows top to bottom. */
  readonly words: Int32Array;
  /** The same pixels as bytes (RGBA). */
  readonly bytes: Uint8Array;
  /** The kernels whose memory holds the pixels, and the byte address of the first there. */
  readonly kernels: Kernels;
  readonly at: number;
}

/** The `width` × `height` pixels at byte address `at` of the kernels' memory. */
export function pixelsAt(kernels: Kernels, at: number, width: number, height: number): Pixels {
  // The memory's current buffer: it is a new one after the memory grew.
  const { buffer } = kernels.memory;
  const words = new Int32Array(buffer, at, width * height);
  return { width, height, words, bytes: new Uint8Array(buffer, at, width * height * 4), kernels, at };
}

/** A colour split the way the blends want it: red and blue in one word, green in another. */
export interface Ink {
  rb: number;
  g: number;
}

export function inkOf(color: Rgb): Ink {
  const [r, g, b] = color.map((c) => Math.round(Math.min(255, Math.max(0, c)))) as [number, number, number];
  return { rb: r | (b << 16), g: g << 8 };
}

/** An ink as the kernels take it: 0x00BBGGRR. */
export const inkWord = (ink: Ink): number => ink.rb | ink.g;

/** Blends `ink` over pixel `i` with opacity `alpha` (0–256). */
export function blendWord(words: Int32Array, i: number, ink: Ink, alpha: number): void {
  const p = words[i] ?? 0;
  const keep = 256 - alpha;
  const rb = ((Math.imul(ink.rb, alpha) + Math.imul(p & 0x00ff00ff, keep)) >>> 8) & 0x00ff00ff;
  const g = ((Math.imul(ink.g, alpha) + Math.imul(p & 0x0000ff00, keep)) >>> 8) & 0x0000ff00;
  words[i] = OPAQUE | rb | g;
}

/** The alpha byte of an opaque pixel, as a signed word. */
const OPAQUE = 0xff000000 | 0;

/** Blends `ink` over pixel (x, y) when it lies inside `clip` (default: the frame). */
export function plot(px: Pixels, x: number, y: number, ink: Ink, alpha: number, clip?: Rect): void {
  const ix = Math.round(x);
  const iy = Math.round(y);
  if (clip ? !inside(clip, ix, iy) : ix < 0 || iy < 0 || ix >= px.width || iy >= px.height) return;
  blendWord(px.words, iy * px.width + ix, ink, alpha);
}

/** A pixel rectangle: `x, y` inclusive, `x + width, y + height` exclusive. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function inside(rect: Rect, x: number, y: number): boolean {
  return x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;
}

/** The part of `rect` inside the frame. */
function clipToFrame(px: Pixels, rect: Rect): Rect {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(px.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(px.height, Math.ceil(rect.y + rect.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * A straight streak from (x0, y0) to (x1, y1), one pixel wide plus a fainter second column,
 * fading toward its tail: a raindrop caught by a 1/48 s shutter.
 */
export function streak(
  px: Pixels,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  ink: Ink,
  alpha: number,
  clip?: Rect,
): void {
  const steps = Math.max(1, Math.round(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let k = 0; k <= steps; k++) {
    const t = k / steps;
    const a = Math.round(alpha * (0.35 + 0.65 * t));
    const x = x0 + (x1 - x0) * t;
    const y = y0 + (y1 - y0) * t;
    plot(px, x, y, ink, a, clip);
    plot(px, x + 1, y, ink, a >> 1, clip);
  }
}

/** A soft round dot of radius `r` pixels (anti-aliased edge). */
export function dot(
  px: Pixels,
  cx: number,
  cy: number,
  r: number,
  ink: Ink,
  alpha: number,
  clip?: Rect,
): void {
  const box = clipToFrame(px, clip ?? { x: 0, y: 0, width: px.width, height: px.height });
  const x0 = Math.max(box.x, Math.floor(cx - r - 1));
  const x1 = Math.min(box.x + box.width - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(box.y, Math.floor(cy - r - 1));
  const y1 = Math.min(box.y + box.height - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const cover = Math.min(1, Math.max(0, r + 0.5 - d));
      if (cover > 0) blendWord(px.words, y * px.width + x, ink, Math.round(alpha * cover));
    }
  }
}

/**
 * Glow radii in steps of about 6 %, at most 160 px: a camera that dollies changes a glow's size
 * every frame, and each distinct radius costs a mask. Bigger glows are baked into backdrops.
 */
function glowRadius(radius: number): number {
  const clamped = Math.min(160, Math.max(1, radius));
  return Math.max(1, Math.round(Math.pow(1.06, Math.round(Math.log(clamped) / Math.log(1.06)))));
}

/** Radial falloff masks by radius, shared by glows, puffs and firefly halos (made once a thread). */
const masks = new Map<number, Uint8Array>();

function maskOf(radius: number): Uint8Array {
  let mask = masks.get(radius);
  if (mask === undefined) {
    const size = 2 * radius + 1;
    mask = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - radius, y - radius) / radius;
        // Smooth at the centre and at the rim: a glow, not a disc.
        const falloff = d >= 1 ? 0 : (1 - d * d) * (1 - d * d);
        mask[y * size + x] = Math.round(255 * falloff);
      }
    }
    masks.set(radius, mask);
  }
  return mask;
}

/** A soft glow or puff of radius `radius` pixels, strongest (`alpha`, 0–256) at its centre. */
export function glowDot(
  px: Pixels,
  cx: number,
  cy: number,
  radius: number,
  ink: Ink,
  alpha: number,
  clip?: Rect,
): void {
  const r = glowRadius(radius);
  const size = 2 * r + 1;
  const left = Math.round(cx) - r;
  const top = Math.round(cy) - r;
  const box = clipToFrame(px, clip ?? { x: 0, y: 0, width: px.width, height: px.height });
  const x0 = Math.max(box.x, left);
  const x1 = Math.min(box.x + box.width, left + size);
  const y0 = Math.max(box.y, top);
  const y1 = Math.min(box.y + box.height, top + size);
  const at = px.kernels.glowMask(r, () => maskOf(r));
  const color = inkWord(ink);
  for (let y = y0; y < y1; y++) {
    // Only the span of this row inside the circle: the box's corners are dark anyway.
    const dy = y - top - r;
    const span = Math.ceil(Math.sqrt(Math.max(0, r * r - dy * dy)));
    const from = Math.max(x0, left + r - span);
    const to = Math.min(x1, left + r + span + 1);
    if (to > from)
      px.kernels.glowSpan(
        px.at + (y * px.width + from) * 4,
        at + (y - top) * size + from - left,
        to - from,
        color,
        alpha,
      );
  }
}

/**
 * Blends a tightly packed, non-premultiplied RGBA rectangle (what `getImageData` gives) over
 * the frame at `rect` (inside the frame): transparent pixels keep the frame's, opaque ones replace
 * it, the rest mix.
 */
export function compositeOver(source: Uint8Array, rect: Rect, px: Pixels): void {
  const at = px.at + (rect.y * px.width + rect.x) * 4;
  px.kernels.composite(source, rect.width, rect.height, at, px.width);
}
