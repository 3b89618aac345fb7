import { createCanvas } from "@napi-rs/canvas";
import type { Canvas } from "@napi-rs/canvas";

import { apply, cameraAt, layerTransform } from "./camera.ts";
import type { CameraOptions, CameraPose, View } from "./camera.ts";
import { css } from "./color.ts";
import type { Vignette } from "./finish.ts";
import type { Look } from "./grade.ts";
import { bakeGlows, drawShapes } from "./layers.ts";
import type { Palette } from "./palette.ts";
import { createRandom } from "./random.ts";
import type { Kernels } from "./kernels/index.ts";
import type { Layer, Scenery, WorldBox } from "./scenery/index.ts";
import { paintPaper, paintSky } from "./sky.ts";
import { readRect } from "./surfaces.ts";
import type { ScenePlan } from "../scene-plan.ts";

/**
 * The backdrop: everything of a shot that the camera does not change, painted once into an image
 * a little bigger than the frame and copied into every frame, slid by whole pixels when the camera
 * turns. It holds the sky and every "pinned" layer: all of them when the camera only turns, and
 * under a travelling camera those so far away that they would move by less than a few pixels.
 */
export interface Backdrop {
  canvas: Canvas;
  /** Its pixels, in the kernels' memory, from where frames copy theirs. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** The world box it covers. */
  box: WorldBox;
  /** Layers painted into it (never redrawn). */
  pinned: ReadonlySet<Layer>;
  /** True when its pixels have the vignette painted in (its canvas never has). */
  vignetted: boolean;
}

/** How far the camera turns and travels during the shot (world units), sampled at every frame. */
export interface CameraReach {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** Largest sideways travel. */
  travel: number;
}

export function cameraReach(
  options: CameraOptions,
  frames: number,
  fps: number,
  progressOf: (local: number) => number,
): CameraReach {
  const reach = { minX: 0, maxX: 0, minY: 0, maxY: 0, travel: 0 };
  for (let local = 0; local < frames; local++) {
    const pose = cameraAt(options, progressOf(local), local / fps);
    reach.minX = Math.min(reach.minX, pose.look.x);
    reach.maxX = Math.max(reach.maxX, pose.look.x);
    reach.minY = Math.min(reach.minY, pose.look.y);
    reach.maxY = Math.max(reach.maxY, pose.look.y);
    reach.travel = Math.max(reach.travel, Math.abs(pose.travel));
  }
  // A pixel of slack each way for rounding.
  return {
    ...reach,
    minX: reach.minX - 0.002,
    minY: reach.minY - 0.002,
    maxX: reach.maxX + 0.002,
    maxY: reach.maxY + 0.002,
  };
}

/**
 * Largest distance (pixels) a layer strays during the shot from where sliding the picture would
 * put it, measured at the frame's corners (points near the focus move least).
 */
export function layerDrift(layer: Layer, poses: readonly CameraPose[], view: View): number {
  let drift = 0;
  const corners = [
    [0, 0],
    [view.aspect * view.height, 0],
    [0, view.height],
    [view.aspect * view.height, view.height],
  ] as const;
  for (const pose of poses) {
    const moved = layerTransform(pose, layer.depth, view);
    const slid = layerTransform({ look: pose.look, travel: 0, dolly: 0, zoom: 1 }, layer.depth, view);
    for (const [cx, cy] of corners) {
      const [x, y] = apply(moved, (cx - slid[4]) / slid[0], (cy - slid[5]) / slid[3]);
      drift = Math.max(drift, Math.hypot(x - cx, y - cy));
    }
  }
  return drift;
}

/** A layer may be pinned when it strays less than this share of the frame height (12 px at 1080p). */
const PIN_DRIFT = 0.011;

export interface BackdropOptions {
  scene: ScenePlan;
  scenery: Scenery;
  palette: Palette;
  look: Look;
  skySeed: number;
  reach: CameraReach;
  poses: readonly CameraPose[];
  view: View;
  vignette: Vignette | undefined;
  /** Where the vignette is painted in. */
  kernels: Kernels;
}

export function paintBackdrop(options: BackdropOptions): Backdrop {
  const { scene, scenery, palette, look, reach, view } = options;
  const { height, aspect } = view;
  const box: WorldBox = {
    left: reach.minX,
    top: reach.minY,
    right: aspect + reach.maxX,
    bottom: 1 + reach.maxY,
  };
  const width = Math.ceil((box.right - box.left) * height) + 1;
  const tall = Math.ceil((box.bottom - box.top) * height) + 1;
  const canvas = createCanvas(width, tall);
  const ctx = canvas.getContext("2d", { alpha: false });
  ctx.fillStyle = css(palette.far);
  ctx.fillRect(0, 0, width, tall);
  ctx.setTransform(height, 0, 0, height, -box.left * height, -box.top * height);
  const sky = { ctx, scene, palette, look, box, aspect };
  if (!scenery.hidesSky) paintSky({ ...sky, random: createRandom(options.skySeed) });
  // Layers pin from the back: one that moves hides whatever is pinned in front of it.
  const pinned = new Set<Layer>();
  const ink = look.outline ? palette.ink : undefined;
  for (const layer of scenery.layers) {
    if (layerDrift(layer, options.poses, view) > PIN_DRIFT * height) break;
    pinned.add(layer);
    drawShapes(ctx, layer.shapes, ink);
    bakeGlows(ctx, layer.glows ?? []);
  }
  if (look.paper) paintPaper({ ...sky, random: createRandom(options.skySeed + 1) });
  const pixels = options.kernels.backdrop(width * tall * 4);
  pixels.set(readRect(ctx, { x: 0, y: 0, width, height: tall }));
  // A camera that does not turn (give or take a shake) gets its vignette painted into the
  // backdrop's pixels once. Its canvas, from which moving scenery is restored, stays unvignetted:
  // that scenery has the vignette applied to its own rows each frame.
  const settled = reach.maxX - reach.minX < 0.03 && reach.maxY - reach.minY < 0.03;
  if (settled && options.vignette)
    bakeVignette(pixels, width, -box.left * height, -box.top * height, options.vignette, options.kernels);
  return { canvas, pixels, width, height: tall, box, pinned, vignetted: settled };
}

/**
 * Applies a vignette to the frame-sized window of a larger image (in the kernels' memory) whose
 * origin is at (`x`, `y`).
 */
function bakeVignette(
  image: Uint8Array,
  imageWidth: number,
  x: number,
  y: number,
  vignette: Vignette,
  kernels: Kernels,
): void {
  const at = image.byteOffset + (Math.round(y) * imageWidth + Math.round(x)) * 4;
  kernels.vignette(at, vignette.width, imageWidth, 0, vignette.height, vignette);
}

/** The highest world y a layer draws at (what is above it shows the layers behind). */
export function layerTop(layer: Layer): number {
  const tops = [
    ...layer.shapes.map((shape) => shape.path.getBounds()[1] - ("lineWidth" in shape ? shape.lineWidth : 0)),
    ...(layer.live ?? []).map((part) => part.bounds.top),
    ...(layer.glows ?? []).map((glow) => glow.y - glow.radius),
  ];
  return tops.length === 0 ? Infinity : Math.min(...tops);
}
