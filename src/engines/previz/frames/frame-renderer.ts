import { createCanvas } from "@napi-rs/canvas";
import type { Canvas } from "@napi-rs/canvas";

import { createShotRenderer } from "../render.ts";
import type { ShotRenderer } from "../render.ts";
import { shotAt } from "../storyboard.ts";
import type { Storyboard, StoryboardShot } from "../storyboard.ts";

/** Draws any frame of a storyboard into one canvas it owns. */
export interface FrameRenderer {
  readonly canvas: Canvas;
  /**
   * Draws frame `index` (0-based over the whole video). Frames may come in any order: every
   * motion is a function of time, so a contact sheet can draw one frame a half-second.
   */
  draw(index: number): void;
  /** The canvas's pixels, RGBA, width × height × 4 bytes (a fresh buffer each call). */
  read(): Uint8Array;
}

/**
 * @example
 * const frames = createFrameRenderer(makeStoryboard(plan));
 * frames.draw(0);
 * await encoder.writeFrame(frames.read());
 */
export function createFrameRenderer(storyboard: Storyboard): FrameRenderer {
  const { width, height, fps } = storyboard;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d", { alpha: false });
  // One shot is prepared at a time (its paths and cached layers), the one being drawn.
  let current: { shot: StoryboardShot; renderer: ShotRenderer } | undefined;
  return {
    canvas,
    draw(index) {
      const shot = shotAt(storyboard, index);
      if (current?.shot !== shot) {
        current = {
          shot,
          renderer: createShotRenderer(ctx, shot.scene, { width, height, seed: shot.seed, seconds: shot.seconds }),
        };
      }
      const local = index - shot.startFrame;
      current.renderer.drawFrame(shot.frames > 1 ? local / (shot.frames - 1) : 0, local / fps);
    },
    read() {
      // getImageData rather than canvas.data(): the latter's fresh native buffer costs up to
      // 15 ms a 1080p frame in page-table work on this kernel; this one is usually 2 ms.
      const { data } = ctx.getImageData(0, 0, width, height);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },
  };
}
