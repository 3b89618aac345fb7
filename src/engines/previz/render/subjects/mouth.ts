import type { SKRSContext2D } from "@napi-rs/canvas";

import { css, scale } from "../color.ts";
import type { ActorColors, Face } from "./types.ts";

/** Mouth sizes in head radii: a line when closed, about half the head's height wide open. */
const MOUTH = { x: 0.42, y: 0.45, halfWidth: 0.3, closed: 0.035, open: 0.26 } as const;

/**
 * Draws a speaking person's mouth on the face side of the head, in the figure's own units (the
 * caller's transform places and mirrors it): a dark oval whose height follows `openness` (0
 * closed, 1 wide open), taken frame by frame from the voice.
 */
export function drawMouth(ctx: SKRSContext2D, face: Face, openness: number, colors: ActorColors): void {
  const open = Math.min(1, Math.max(0, openness));
  const halfHeight = face.radius * (MOUTH.closed + MOUTH.open * open);
  ctx.fillStyle = css(scale(colors.light, 0.22));
  ctx.beginPath();
  ctx.ellipse(
    face.x + MOUTH.x * face.radius,
    face.y + MOUTH.y * face.radius,
    MOUTH.halfWidth * face.radius,
    halfHeight,
    0,
    0,
    2 * Math.PI,
  );
  ctx.fill();
}
