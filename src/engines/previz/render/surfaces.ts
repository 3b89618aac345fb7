import { createCanvas } from "@napi-rs/canvas";
import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";

import type { Rect } from "./pixels.ts";

/**
 * The canvases Skia draws in, kept small on purpose. Every read back from a Skia canvas after
 * drawing costs a copy of the whole canvas into freshly allocated memory (copy-on-write of its
 * pixels), so the cost of a frame follows the size of the canvases read, not of what was drawn:
 * subjects are drawn in a canvas the size of the subject, and a travelling camera's scenery in
 * one only as tall as the band it covers.
 */
export interface Surfaces {
  /**
   * An opaque canvas of at least `width` × `height` for the scenery of a travelling camera: only
   * as tall as the band of the frame that scenery covers. Without arguments, any canvas (to build
   * gradients, which belong to no canvas).
   */
  scenery(width?: number, height?: number): SKRSContext2D;
  /**
   * A transparent canvas of at least `width` × `height`, cleared, for drawing an overlay (a
   * subject, a wave) that is then read back with its alpha and blended into the frame.
   */
  overlay(width: number, height: number): SKRSContext2D;
}

/** Rounds sizes up so that a growing subject does not make a new canvas every frame. */
const GROW = 128;

export function createSurfaces(): Surfaces {
  let scenery = createCanvas(1, 1).getContext("2d", { alpha: false });
  let overlay: { canvas: Canvas; ctx: SKRSContext2D } | undefined;
  return {
    scenery(w = 1, h = 1) {
      if (scenery.canvas.width < w || scenery.canvas.height < h) {
        const canvas = createCanvas(
          Math.max(w, scenery.canvas.width),
          Math.ceil(Math.max(h, scenery.canvas.height) / GROW) * GROW,
        );
        scenery = canvas.getContext("2d", { alpha: false });
      }
      return scenery;
    },
    overlay(w, h) {
      if (!overlay || overlay.canvas.width < w || overlay.canvas.height < h) {
        const canvas = createCanvas(
          Math.ceil(Math.max(w, overlay?.canvas.width ?? 0) / GROW) * GROW,
          Math.ceil(Math.max(h, overlay?.canvas.height ?? 0) / GROW) * GROW,
        );
        overlay = { canvas, ctx: canvas.getContext("2d") };
      }
      overlay.ctx.setTransform(1, 0, 0, 1, 0, 0);
      overlay.ctx.clearRect(0, 0, w, h);
      return overlay.ctx;
    },
  };
}

/** Reads a rectangle of a canvas as tightly packed RGBA bytes. */
export function readRect(ctx: SKRSContext2D, rect: Rect): Uint8Array {
  const { data } = ctx.getImageData(rect.x, rect.y, rect.width, rect.height);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
