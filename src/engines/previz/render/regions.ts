import type { Pixels, Rect } from "./pixels.ts";

/**
 * Rectangles of the frame that are redrawn each frame (live regions), and the row copies that
 * assemble a frame from the backdrop and those regions.
 */

/** Grows, rounds out to whole pixels and clips to the frame; undefined when nothing is left. */
export function frameRect(
  left: number,
  top: number,
  right: number,
  bottom: number,
  width: number,
  height: number,
): Rect | undefined {
  const x0 = Math.max(0, Math.floor(left) - 2);
  const y0 = Math.max(0, Math.floor(top) - 2);
  const x1 = Math.min(width, Math.ceil(right) + 2);
  const y1 = Math.min(height, Math.ceil(bottom) + 2);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** Merges overlapping rectangles until none overlap, so each pixel is drawn and read once. */
export function mergeRects(rects: readonly Rect[]): Rect[] {
  const merged = [...rects];
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < merged.length; i++) {
      for (let j = i + 1; j < merged.length; j++) {
        const a = merged[i];
        const b = merged[j];
        if (a && b && overlaps(a, b)) {
          merged[i] = union(a, b);
          merged.splice(j, 1);
          changed = true;
          break outer;
        }
      }
    }
  }
  return merged;
}

/**
 * Copies the frame-sized window at (`ox`, `oy`) of a larger image (`source`, in the same memory
 * as the frame) into the frame, skipping the rows in `skip` (they are about to be overwritten
 * whole).
 */
export function copyWindow(
  source: { at: number; width: number },
  ox: number,
  oy: number,
  px: Pixels,
  skip: { from: number; to: number } | undefined,
): void {
  const rowBytes = px.width * 4;
  const copy = (from: number, to: number) => {
    if (to <= from) return;
    const start = source.at + ((from + oy) * source.width + ox) * 4;
    px.kernels.copyRows(start, source.width * 4, px.at + from * rowBytes, rowBytes, rowBytes, to - from);
  };
  copy(0, skip ? skip.from : px.height);
  if (skip) copy(skip.to, px.height);
}
