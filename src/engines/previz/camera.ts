import type { Pace, ScenePlan } from "./scene-plan.ts";

/**
 * The virtual camera. World units: 1 = the frame height; x runs from 0 to the aspect ratio across
 * the frame, y from 0 (top) to 1 (bottom). Depth 0 is the sky (never moves), 1 the nearest scenery:
 * moving the camera shifts and scales each layer by its depth, which is what reads as parallax.
 */
export interface CameraState {
  /** 1 = the framing of a static shot. */
  zoom: number;
  /** Sideways travel of the camera in world units (positive = to the right). */
  pan: number;
}

/** A 2D affine transform `[a, b, c, d, e, f]` as `setTransform` takes it. */
export type Affine = [number, number, number, number, number, number];

const PACE_FACTOR: Record<Pace, number> = { slow: 0.55, normal: 1, fast: 1.7 };
const ZOOM_RANGE = 0.16;
const PAN_RANGE = 0.22;

/** Slow in, slow out: camera operators never start or stop a move abruptly. */
export function easeInOut(t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  return 0.5 - 0.5 * Math.cos(Math.PI * clamped);
}

/**
 * Where the camera is at `progress` (0–1 through the shot).
 * @example cameraAt({ move: "push-in", pace: "slow" }, 1).zoom // 1.088
 */
export function cameraAt(camera: ScenePlan["camera"], progress: number): CameraState {
  const amount = easeInOut(progress) * PACE_FACTOR[camera.pace];
  switch (camera.move) {
    case "push-in":
      return { zoom: 1 + ZOOM_RANGE * amount, pan: 0 };
    case "pull-back":
      return { zoom: 1 + ZOOM_RANGE * (PACE_FACTOR[camera.pace] - amount), pan: 0 };
    case "pan-left":
      return { zoom: 1, pan: -PAN_RANGE * amount };
    case "pan-right":
      return { zoom: 1, pan: PAN_RANGE * amount };
    case "static":
      return { zoom: 1, pan: 0 };
  }
}

/** How far a layer may need to extend beyond the frame's sides for the largest pan. */
export const MAX_PAN = PAN_RANGE * PACE_FACTOR.fast;

/**
 * The world → pixel transform of a layer at `depth` for a camera state. Zoom is about `focus`
 * (world units); far layers zoom and pan less than near ones.
 */
export function layerTransform(
  state: CameraState,
  depth: number,
  view: { height: number; focus: { x: number; y: number } },
): Affine {
  const s = 1 + (state.zoom - 1) * (0.25 + 0.75 * depth);
  const { x: fx, y: fy } = view.focus;
  const h = view.height;
  return [h * s, 0, 0, h * s, h * (fx - (fx + state.pan * depth) * s), h * (fy - fy * s)];
}
