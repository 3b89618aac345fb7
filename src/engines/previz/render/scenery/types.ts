import type { Path2D, SKRSContext2D } from "@napi-rs/canvas";

import type { Rgb } from "../color.ts";
import type { Look } from "../grade.ts";
import type { Palette } from "../palette.ts";
import type { Random } from "../random.ts";
import type { ScenePlan } from "../../scene-plan.ts";

/** Anything the canvas accepts as a fill or stroke: a CSS colour or a gradient. */
export type PaintStyle = SKRSContext2D["fillStyle"];

/** One prebuilt shape of a layer, in world units (see camera.ts). `outline`: inked in cel style. */
export type LayerShape = (
  { path: Path2D; fill: PaintStyle } | { path: Path2D; stroke: PaintStyle; lineWidth: number }
) & {
  outline?: boolean;
};

/** A soft light (lamp, window, neon sign, sun glint), world units. */
export interface Glow {
  x: number;
  y: number;
  radius: number;
  color: Rgb;
  /** 0–1 at the centre. */
  alpha: number;
}

/** A box in world units. */
export interface WorldBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Something in a layer that moves by itself (waves, a flickering sign), redrawn every frame. */
export interface LivePart {
  /** Where it stays, in the layer's world units: the part of the frame redrawn for it. */
  bounds: WorldBox;
  draw(ctx: SKRSContext2D, seconds: number): void;
}

/**
 * A band of scenery at one depth. Shapes are built once per shot; drawing a frame replays them
 * under the layer's camera transform, or (when the camera only turns) never again.
 */
export interface Layer {
  /** 0 = at the sky, 1 = nearest scenery. */
  depth: number;
  shapes: LayerShape[];
  glows?: Glow[];
  live?: LivePart[];
}

export interface Scenery {
  /** Far to near. */
  layers: Layer[];
  /** World y where a standing subject's feet go. */
  groundY: number;
  /** World y of a water surface, where boats float and swimmers stay below. */
  waterY?: number;
  /** Indoors: the sky only shows through this window, and rain falls only there. */
  window?: WorldBox;
  /** True when the first layer hides the sky entirely (indoors, stage). */
  hidesSky: boolean;
  /** A band where sunlight glints on water (drawn as sparkles each frame). */
  glints?: { top: number; bottom: number };
}

/** What a setting builder gets: the shot's colours and randomness, and how wide to build. */
export interface SceneryKit {
  /** Only to create gradients; builders draw nothing. */
  ctx: SKRSContext2D;
  scene: ScenePlan;
  palette: Palette;
  look: Look;
  random: Random;
  /** World x range to cover: the frame plus the camera's largest excursion. */
  left: number;
  right: number;
  /** The frame's width in world units (its aspect ratio). */
  aspect: number;
}

export type SceneryBuilder = (kit: SceneryKit) => Scenery;
