import type { Path2D, SKRSContext2D } from "@napi-rs/canvas";

import type { Palette } from "../palette.ts";
import type { Random } from "../random.ts";
import type { ScenePlan } from "../scene-plan.ts";

/** Anything the canvas accepts as a fill or stroke: a CSS colour or a gradient. */
export type PaintStyle = SKRSContext2D["fillStyle"];

/** One prebuilt shape of a layer, in world units (see camera.ts). */
export type LayerShape =
  { path: Path2D; fill: PaintStyle } | { path: Path2D; stroke: PaintStyle; lineWidth: number };

/**
 * A band of scenery at one depth. Shapes are built once per shot, so drawing a frame only
 * replays paths under the layer's camera transform.
 */
export interface Layer {
  /** 0 = at the sky (never moves), 1 = nearest scenery. */
  depth: number;
  shapes: LayerShape[];
  /** Moving parts (waves, spotlights), drawn in the layer's transform after its shapes. */
  animate?: (ctx: SKRSContext2D, seconds: number) => void;
}

export interface Scenery {
  /** Far to near. */
  layers: Layer[];
  /** World y where a standing subject's feet go. */
  groundY: number;
  /** True indoors: the first layer hides the sky, so the sky is not drawn at all. */
  hidesSky: boolean;
}

/** What a setting builder gets: the shot's colours and randomness, and how wide to build. */
export interface SceneryKit {
  /** Only to create gradients; builders draw nothing. */
  ctx: SKRSContext2D;
  scene: ScenePlan;
  palette: Palette;
  random: Random;
  /** World x range to cover, frame plus the camera's largest pan. */
  left: number;
  right: number;
  /** The frame's width in world units (its aspect ratio). */
  aspect: number;
  /** World x of the sun or moon. */
  celestialX: number;
  /** Rain or snow, for settings that show the outside through a window (world units, frame-wide). */
  weather: (ctx: SKRSContext2D, seconds: number) => void;
}

export type SceneryBuilder = (kit: SceneryKit) => Scenery;
