import type { Pace, ScenePlan } from "../scene-plan.ts";
import { hashUnit } from "./random.ts";

/**
 * The virtual camera. World units: 1 = the frame height; x runs from 0 to the aspect ratio across
 * the frame at rest, y from 0 (top) to 1 (bottom). Depth 0 is the sky, 1 the nearest scenery.
 *
 * A pose has two kinds of motion. Turning the camera (pan, tilt, shake) moves everything alike:
 * the whole picture slides, so a shot whose camera only turns is drawn once and slid. Travelling
 * (dolly, tracking, orbit, aerial) and zooming move each layer by its depth — parallax — so those
 * shots redraw their scenery every frame.
 */
export interface CameraPose {
  /** Where the camera points, world units: +x looks right (the picture slides left). */
  look: { x: number; y: number };
  /** Sideways travel of the camera (tracking, orbit): layers slide by `travel × depth`. */
  travel: number;
  /** Forward travel (dolly): a layer grows by `1 + dolly × depth`. */
  dolly: number;
  /** Focal length (zoom): everything grows alike. */
  zoom: number;
}

/** A 2D affine transform `[a, b, c, d, e, f]` as `setTransform` takes it. */
export type Affine = [number, number, number, number, number, number];

const PACE_FACTOR: Record<Pace, number> = { slow: 0.6, normal: 1, energetic: 1.6 };
const DOLLY = 0.24;
const ZOOM = 0.32;
const PAN = 0.3;
const TILT = 0.3;
const TRACK = 0.45;
/** Where a dolly or zoom aims, as fractions of the frame: the middle, a little below centre. */
const FOCUS_Y = 0.58;

/** Slow in, slow out: camera operators never start or stop a move abruptly. */
export function easeInOut(t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  return 0.5 - 0.5 * Math.cos(Math.PI * clamped);
}

export interface CameraOptions {
  camera: ScenePlan["camera"];
  pace: Pace;
  /** Seeds the handheld shake. */
  seed: number;
  /** Film weave: a pixel-sized jitter of the whole frame (vintage). */
  weave: boolean;
  /**
   * A tracking shot follows this: the sideways travel (world units at depth 1) that keeps the
   * lead subject where it was mid-shot. Without it the camera glides the width of a street.
   */
  follow?: (seconds: number) => number;
}

/**
 * Where the camera is at `progress` (0–1 through the shot) and `seconds` into it.
 * @example cameraAt({ camera: { move: "push-in", handheld: false }, pace: "slow", … }, 1, 5).dolly // 0.144
 */
export function cameraAt(options: CameraOptions, progress: number, seconds: number): CameraPose {
  const amount = PACE_FACTOR[options.pace];
  const e = easeInOut(progress);
  const pose: CameraPose = { look: { x: 0, y: 0 }, travel: 0, dolly: 0, zoom: 1 };
  switch (options.camera.move) {
    case "push-in":
      pose.dolly = DOLLY * amount * e;
      break;
    case "pull-back":
      pose.dolly = DOLLY * amount * (1 - e);
      break;
    case "zoom-in":
      pose.zoom = 1 + ZOOM * amount * e;
      break;
    case "zoom-out":
      pose.zoom = 1 + ZOOM * amount * (1 - e);
      break;
    case "pan-left":
      pose.look.x = -PAN * amount * e;
      break;
    case "pan-right":
      pose.look.x = PAN * amount * e;
      break;
    case "tilt-up":
      pose.look.y = TILT * amount * (0.5 - e);
      break;
    case "tilt-down":
      pose.look.y = TILT * amount * (e - 0.5);
      break;
    case "tracking":
      pose.travel = options.follow ? options.follow(seconds) : TRACK * amount * (e - 0.5);
      break;
    case "orbit":
      // Travel sideways while turning back toward the subject (about depth 0.9), so it stays
      // centred and the background swings the other way.
      pose.travel = TRACK * 1.3 * amount * (e - 0.5);
      pose.look.x = pose.travel * 0.9;
      pose.dolly = 0.04 * Math.sin(Math.PI * e);
      break;
    case "aerial":
      // Looking down from high up, flying forward.
      pose.look.y = 0.1;
      pose.dolly = 0.2 * amount * e;
      break;
    case "static":
      break;
  }
  const shake = options.camera.handheld ? 0.0045 * Math.sqrt(amount) : 0;
  if (shake > 0) {
    pose.look.x += shake * wobble(options.seed, 1, seconds);
    pose.look.y += shake * wobble(options.seed, 2, seconds);
  }
  if (options.weave) {
    // Whole pixels at most: the gate jumps, it does not drift.
    pose.look.y += 0.0012 * Math.round(2 * hashUnit(options.seed, Math.round(seconds * 24), 7) - 1);
  }
  return pose;
}

/** Smooth noise in −1…1: a sum of sines at unrelated rates with seeded phases. */
function wobble(seed: number, axis: number, t: number): number {
  let sum = 0;
  for (const [rate, weight] of [
    [0.7, 0.5],
    [1.9, 0.3],
    [4.3, 0.2],
  ] as const) {
    sum += weight * Math.sin(2 * Math.PI * (rate * t + hashUnit(seed, axis, rate * 10)));
  }
  return sum;
}

export interface View {
  /** Frame height in pixels. */
  height: number;
  /** Frame width in world units. */
  aspect: number;
}

/** The scale of a layer at `depth`: dolly grows near layers more, zoom grows all alike. */
export function layerScale(pose: CameraPose, depth: number): number {
  return pose.zoom * (1 + pose.dolly * depth);
}

/**
 * The world → pixel transform of a layer at `depth`. Scaling is about the focus (the middle of
 * the frame, a little low); turning slides every layer alike; travel slides near layers more.
 */
export function layerTransform(pose: CameraPose, depth: number, view: View): Affine {
  const s = layerScale(pose, depth);
  const fx = view.aspect / 2;
  const fy = FOCUS_Y;
  const h = view.height;
  const ox = fx + pose.look.x + pose.travel * depth;
  const oy = fy + pose.look.y;
  return [h * s, 0, 0, h * s, h * (fx - ox * s), h * (fy - oy * s)];
}

/** Applies an affine transform to a point. */
export function apply(t: Affine, x: number, y: number): [number, number] {
  return [t[0] * x + t[2] * y + t[4], t[1] * x + t[3] * y + t[5]];
}
