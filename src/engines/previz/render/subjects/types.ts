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
  /** A person's head (where a speaking mouth is drawn). */
  face?: Face;
}

/** A head in a figure's units: its centre and radius. */
export interface Face {
  x: number;
  y: number;
  radius: number;
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
  colors: ActorColors;
  /** Lights it carries (headlamps, engine flames), in its own units. */
  lights?(seconds: number): Glow[];
  action: Action;
  /** A speaking person's mouth openness at `seconds` (0 closed – 1 wide), from the voice. */
  mouth?(seconds: number): number;
}

/**
 * An actor's world box at `seconds`, from the bounds of its posed shapes (plus a margin for the
 * rim light and outline): the region of the frame redrawn for it, so the tighter the better.
 */
export function actorBounds(actor: Actor, seconds: number, figure: Figure = actor.pose(seconds)): WorldBox {
  const { x, y, size, tilt } = actor.placeAt(seconds);
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const path of [figure.body, figure.detail, figure.light]) {
    const [l, t, r, b] = path.getBounds();
    if (!(r > l || b > t)) continue;
    [left, top, right, bottom] = [
      Math.min(left, l),
      Math.min(top, t),
      Math.max(right, r),
      Math.max(bottom, b),
    ];
  }
  if (!Number.isFinite(left)) return { left: x, top: y, right: x, bottom: y };
  const cos = Math.cos(tilt * actor.facing);
  const sin = Math.sin(tilt * actor.facing);
  const corners = [
    [left, top],
    [right, top],
    [left, bottom],
    [right, bottom],
  ].map(
    ([cx = 0, cy = 0]) =>
      [x + size * actor.facing * (cx * cos - cy * sin), y + size * (cx * sin + cy * cos)] as const,
  );
  const pad = 0.04 * size;
  return {
    left: Math.min(...corners.map((c) => c[0])) - pad,
    right: Math.max(...corners.map((c) => c[0])) + pad,
    top: Math.min(...corners.map((c) => c[1])) - pad,
    bottom: Math.max(...corners.map((c) => c[1])) + pad,
  };
}
