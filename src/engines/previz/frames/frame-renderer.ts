import { createShotRenderer } from "../render/shot-renderer.ts";
import type { ShotRenderer } from "../render/shot-renderer.ts";
import { createSurfaces } from "../render/surfaces.ts";
import { shotAt } from "../storyboard.ts";
import type { Storyboard, StoryboardShot } from "../storyboard.ts";

/** Draws any frame of a storyboard. */
export interface FrameRenderer {
  /** Bytes in one frame: width × height × 4 (RGBA). */
  readonly frameBytes: number;
  /**
   * Writes frame `index` (0-based over the whole video) into `out`. Frames may come in any
   * order: every motion is a function of time, so a contact sheet can draw one a half-second.
   */
  render(index: number, out: Uint8Array): void;
}

/**
 * @example
 * const frames = createFrameRenderer(makeStoryboard(plan));
 * const pixels = new Uint8Array(frames.frameBytes);
 * frames.render(0, pixels);
 */
export function createFrameRenderer(storyboard: Storyboard): FrameRenderer {
  const { width, height, fps } = storyboard;
  const surfaces = createSurfaces();
  // One shot is prepared at a time (its backdrop and paths), the one being drawn.
  let current: { shot: StoryboardShot; renderer: ShotRenderer } | undefined;
  return {
    frameBytes: width * height * 4,
    render(index, out) {
      if (out.byteLength !== width * height * 4)
        throw new RangeError(`A ${width}×${height} frame needs ${width * height * 4} bytes`);
      const shot = shotAt(storyboard, index);
      if (current?.shot !== shot)
        current = { shot, renderer: createShotRenderer(surfaces, shot, { width, height, fps }) };
      current.renderer.render(index - shot.startFrame, out);
    },
  };
}
