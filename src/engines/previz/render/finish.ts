import type { Rgb } from "./color.ts";
import { blendWord, glowDot, inkOf, inkWord, plot, streak } from "./pixels.ts";
import type { VignetteTables } from "./kernels/index.ts";
import type { Pixels } from "./pixels.ts";
import { hashUnit } from "./random.ts";

/**
 * The last touches on a finished frame, in screen space: vignette, grain, film scratches and
 * lightning flashes. They work on the frame buffer directly and only where they show (the vignette
 * only in the corners it darkens), so none of them is a full-frame pass on ordinary frames.
 */

export interface Vignette extends VignetteTables {
  width: number;
  height: number;
}

/**
 * Prepares a vignette of `strength` (0–1) for a frame size. Only the corners darken (beyond the
 * ellipse that touches the frame's edges), which keeps the middle untouched and the per-frame
 * work to a fifth of the pixels. Tables are shared: shots of the same size and look reuse one.
 */
export function makeVignette(
  width: number,
  height: number,
  strength: number,
  ink: Rgb,
): Vignette | undefined {
  if (strength <= 0) return undefined;
  const key = `${width}x${height}:${strength}:${ink.join(",")}`;
  let vignette = vignettes.get(key);
  if (!vignette) {
    vignette = computeVignette(width, height, strength, ink);
    // A few sizes and looks at a time: each table is a megabyte at 1080p.
    if (vignettes.size >= 4) vignettes.delete(vignettes.keys().next().value ?? "");
    vignettes.set(key, vignette);
  }
  return vignette;
}

const vignettes = new Map<string, Vignette>();

function computeVignette(width: number, height: number, strength: number, ink: Rgb): Vignette {
  const half = Math.ceil(width / 2);
  const keep = new Uint16Array(half * height).fill(256);
  const reach = new Uint16Array(height);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    const dy = (y - cy) / (height / 2);
    let rowReach = 0;
    // From the edge inwards the distance only falls: once inside the ellipse, the rest of the row
    // is kept whole (the fill above).
    for (let x = 0; x < half; x++) {
      const dx = (x - cx) / (width / 2);
      // Elliptical distance, 1 at the corners.
      const d = Math.sqrt(dx * dx + dy * dy) / Math.SQRT2;
      if (d <= 0.72) break;
      const t = Math.min(1, (d - 0.72) / 0.28);
      const k = Math.round(256 * (1 - strength * t * t * (3 - 2 * t)));
      keep[y * half + x] = k;
      if (k < 254) rowReach = x + 1;
    }
    reach[y] = rowReach;
  }
  return { reach, keep, ink: inkWord(inkOf(ink)), width, height };
}

/**
 * Darkens (or, with paper-white ink, whitens) the corners of a frame, in rows `from`…`to`
 * (default: all of them): each pixel keeps `keep` 256ths of itself and takes the rest from the ink.
 */
export function applyVignette(px: Pixels, vignette: Vignette, from = 0, to = vignette.height): void {
  px.kernels.vignette(px.at, px.width, px.width, from, to, vignette);
}

/** Film grain as scattered specks: `amount` 0–1 of about one speck per 300 pixels. */
export function applyGrain(px: Pixels, seed: number, frame: number, amount: number): void {
  if (amount <= 0) return;
  const count = Math.round((amount * px.width * px.height) / 300);
  const light = inkOf([255, 255, 255]);
  const dark = inkOf([0, 0, 0]);
  for (let k = 0; k < count; k++) {
    const x = Math.floor(hashUnit(seed, frame, k, 1) * px.width);
    const y = Math.floor(hashUnit(seed, frame, k, 2) * px.height);
    const a = 20 + Math.floor(hashUnit(seed, frame, k, 3) * 40);
    blendWord(px.words, y * px.width + x, k % 2 === 0 ? light : dark, a);
    if (k % 5 === 0 && x + 1 < px.width)
      blendWord(px.words, y * px.width + x + 1, k % 2 === 0 ? light : dark, a >> 1);
  }
}

/** Old-film scratches and dust: a vertical hairline or two that jump from frame to frame. */
export function applyScratches(px: Pixels, seed: number, frame: number): void {
  const ink = inkOf([235, 230, 215]);
  const lines = Math.floor(hashUnit(seed, frame, 0, 9) * 3);
  for (let k = 0; k < lines; k++) {
    const x = hashUnit(seed, frame, k, 10) * px.width;
    const top = hashUnit(seed, frame, k, 11) * px.height * 0.5;
    const length = px.height * (0.3 + 0.7 * hashUnit(seed, frame, k, 12));
    for (let y = Math.floor(top); y < Math.min(px.height, top + length); y++) {
      plot(px, x + 0.6 * Math.sin(y / 40 + k), y, ink, 70);
    }
  }
  const specks = Math.floor(hashUnit(seed, frame, 1, 13) * 6);
  const dark = inkOf([20, 16, 12]);
  for (let k = 0; k < specks; k++) {
    const x = hashUnit(seed, frame, k, 14) * px.width;
    const y = hashUnit(seed, frame, k, 15) * px.height;
    const r = 1 + hashUnit(seed, frame, k, 16) * 2.5;
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) plot(px, x + dx, y + dy, dark, 160);
  }
}

/** A lightning flash: the whole frame blended toward the flash colour by `strength` (0–1). */
export function applyFlash(px: Pixels, color: Rgb, strength: number): void {
  const alpha = Math.round(256 * Math.min(0.85, strength));
  if (alpha <= 0) return;
  const ink = inkOf(color);
  const words = px.words;
  for (let i = 0; i < words.length; i++) blendWord(words, i, ink, alpha);
}

/** A lightning bolt: a jagged bright line, three pixels wide, with a glow at each joint. */
export function drawBolt(px: Pixels, bolt: ReadonlyArray<[number, number]>, color: Rgb): void {
  const core = inkOf(color);
  for (let i = 1; i < bolt.length; i++) {
    const [x0, y0] = bolt[i - 1] ?? [0, 0];
    const [x1, y1] = bolt[i] ?? [0, 0];
    for (const dx of [-1, 0, 1]) streak(px, x0 + dx, y0, x1 + dx, y1, core, 230);
    glowDot(px, x1, y1, px.height * 0.03, core, 70);
  }
}
