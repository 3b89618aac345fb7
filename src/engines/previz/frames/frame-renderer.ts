import { createKernels, frameMemory } from "../render/kernels/index.ts";
import { createShotRenderer } from "../render/shot-renderer.ts";
import type { ShotRenderer } from "../render/shot-renderer.ts";
import { createSurfaces } from "../render/surfaces.ts";
import { shotAt } from "../storyboard.ts";
import type { FrameRing } from "./ring.ts";
import type { Storyboard, StoryboardShot } from "../storyboard.ts";

/** Draws any frame of a storyboard. */
export interface FrameRenderer {
  /** Bytes in one frame: width × height × 4 (RGBA). */
  readonly frameBytes: number;
  /**
   * Draws frame `index` (0-based over the whole video) and returns it: made for a ring, into its
   * slot (`index` modulo the slots), else into the renderer's own frame; either is valid until it
   * is drawn over. With `out`, the frame is also copied there, and `out` returned. Frames may come
   * in any order: every motion is a function of time, so a contact sheet can draw one a half-second.
   */
  render(index: number, out?: Uint8Array): Uint8Array;
}

/**
 * @param ring Where frames are drawn in place: the frame ring's memory, slot after slot (see
 *   ring.ts). By default the renderer has a memory of its own, for one frame.
 * @example
 * const frames = createFrameRenderer(makeStoryboard(plan));
 * const pixels = frames.render(0);
 */
export function createFrameRenderer(
  storyboard: Storyboard,
  ring?: Pick<FrameRing, "memory" | "slots">,
): FrameRenderer {
  const { width, height, fps } = storyboard;
  const frameBytes = width * height * 4;
  const { memory, slots } = ring ?? { memory: frameMemory(1, { width, height }), slots: 1 };
  const kernels = createKernels(memory, slots, { width, height });
  const surfaces = createSurfaces();
  // One shot is prepared at a time (its backdrop and paths), the one being drawn.
  let current: { shot: StoryboardShot; renderer: ShotRenderer } | undefined;
  return {
    frameBytes,
    render(index, out) {
      if (out && out.byteLength !== frameBytes)
        throw new RangeError(`A ${width}×${height} frame needs ${frameBytes} bytes`);
      const shot = shotAt(storyboard, index);
      if (current?.shot !== shot)
        current = { shot, renderer: createShotRenderer(surfaces, kernels, shot, { width, height, fps }) };
      const at = (index % slots) * frameBytes;
      current.renderer.render(index - shot.startFrame, at);
      // A view of the memory's current buffer (a new one once it grew for a backdrop).
      const frame = new Uint8Array(memory.buffer, at, frameBytes);
      out?.set(frame);
      return out ?? frame;
    },
  };
}
