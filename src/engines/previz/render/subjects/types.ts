import type { Path2D } from "@napi-rs/canvas";

import type { Rgb } from "../color.ts";
import type { Glow, WorldBox } from "../scenery/types.ts";
import type { Action } from "../../scene-plan.ts";

/** A posed body at one instant, in its own units: feet (or hull, or belly) at 0, height 1 up. */
export interface Figure {
  /** Filled in the body colour. */
  body: Path2D;
  /** Filled in the second colour (clothes, paint, a sail); may be empty. */
  detail: Path2D;
  /** Filled in the highlight colour (skin, windows, a visor); may be empty. */
  light: Path2D;
}

/** Colours an actor is drawn with (already graded). */
export interface ActorColors {
  body: Rgb;
  detail: Rgb;
  light: Rgb;
  rim: Rgb;
  ink: Rgb;
}

/**
 * Someone or something on screen for the whole shot: where it is and how it is posed at any
 * time, as closed-form functions, so any frame can be drawn on its own.
 */
export interface Actor {
  /** Scenery depth it stands at (it moves with that layer under a travelling camera). */
  depth: number;
  /** Where it is at `seconds`: world position of its base and its size (world units). */
  placeAt(seconds: number): { x: number; y: number; size: number; tilt: number };
  /** 1 when facing right. */
  facing: 1 | -1;
  pose(seconds: number): Figure;
  /** Its extent around its base in its own units (−x…x, −up…down), for the live region. */
  extent: { x: number; up: number; down: number };
  colors: ActorColors;
  /** Lights it carries (headlamps, engine flames), in its own units. */
  lights?(seconds: number): Glow[];
  action: Action;
}

/** An actor's world box at `seconds`, for the region of the frame redrawn for it. */
export function actorBounds(actor: Actor, seconds: number): WorldBox {
  const { x, y, size } = actor.placeAt(seconds);
  const { extent } = actor;
  // Rims and tilts reach a little beyond the pose's own box.
  const pad = 0.08 * size;
  return {
    left: x - extent.x * size - pad,
    right: x + extent.x * size + pad,
    top: y - extent.up * size - pad,
    bottom: y + extent.down * size + pad,
  };
}
