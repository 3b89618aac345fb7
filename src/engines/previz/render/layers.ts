import type { SKRSContext2D } from "@napi-rs/canvas";

import { css } from "./color.ts";
import type { Rgb } from "./color.ts";
import { glowShape } from "./scenery/shapes.ts";
import type { Glow, Layer, LayerShape } from "./scenery/types.ts";

/** Replaying a layer's prebuilt shapes in the current transform. */

/** Outline width in world units: about two pixels of a 1080-line frame. */
const OUTLINE = 0.0019;

export function drawShapes(ctx: SKRSContext2D, shapes: readonly LayerShape[], ink: Rgb | undefined): void {
  for (const shape of shapes) {
    if ("fill" in shape) {
      ctx.fillStyle = shape.fill;
      ctx.fill(shape.path);
    } else {
      ctx.strokeStyle = shape.stroke;
      ctx.lineWidth = shape.lineWidth;
      ctx.stroke(shape.path);
    }
    if (ink && shape.outline) {
      ctx.strokeStyle = css(ink);
      ctx.lineWidth = OUTLINE;
      ctx.stroke(shape.path);
    }
  }
}

/** Soft lights drawn with Skia gradients: only when they are painted once, into a backdrop. */
export function bakeGlows(ctx: SKRSContext2D, glows: readonly Glow[]): void {
  for (const glow of glows) {
    const shape = glowShape(ctx, glow.x, glow.y, glow.radius, glow.color, glow.alpha);
    ctx.fillStyle = shape.fill;
    ctx.fill(shape.path);
  }
}

/** The live parts of a layer at `seconds`. */
export function drawLive(ctx: SKRSContext2D, layer: Layer, seconds: number): void {
  for (const part of layer.live ?? []) part.draw(ctx, seconds);
}
