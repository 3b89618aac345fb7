import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { peaks, polygonDown, rectPath, ridge, undulation, verticalGradient, oval } from "./shapes.ts";
import type { Scenery, SceneryKit } from "./types.ts";

/** Water: the open sea with its beach, a lake with reflections, and the world under the waves. */

const SEA_Y = 0.6;

export function buildOcean(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const shoreline = undulation(random, 0.025, 0.9);
  const crests = new Path2D();
  for (let row = 0; row < 7; row++) {
    const y = SEA_Y + 0.02 + row * row * 0.005;
    for (let x = left + random.range(0, 0.3); x < right; x += random.range(0.15, 0.35))
      crests.rect(x, y, random.range(0.04, 0.12), 0.002 + row * 0.0007);
  }
  const storm = kit.scene.atmosphere.includes("storm");
  const swell = undulation(random, storm ? 0.03 : 0.008, 0.5);
  const foam = mix(palette.water, palette.particles, 0.7);
  return {
    layers: [
      {
        depth: 0.06,
        // Solid, and only as deep as the swell in front of it leaves visible: a layer that moves
        // is redrawn every frame, and gradients cost several times a flat fill.
        shapes: [
          {
            path: rectPath(left, SEA_Y, right - left, 0.12),
            fill: css(mix(palette.water, palette.skyHorizon, 0.35)),
          },
        ],
      },
      {
        depth: 0.4,
        shapes: [
          { path: ridge(left, right, (x) => 0.66 + swell(x)), fill: css(scale(palette.water, 0.92)) },
          { path: crests, fill: css(foam, 0.55) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.835 + shoreline(x)), fill: css(mix(foam, palette.near, 0.3)) },
          { path: ridge(left, right, (x) => 0.845 + shoreline(x)), fill: css(palette.near), outline: true },
        ],
        live: [
          {
            // The surf's edge runs up the sand and back.
            bounds: { left, top: 0.8, right, bottom: 0.9 },
            draw(ctx, seconds) {
              const surge = 0.012 * Math.sin(seconds * 1.2);
              ctx.fillStyle = css(foam, 0.8);
              ctx.fill(band(left, right, (x) => 0.84 + shoreline(x) + surge, 0.008));
            },
          },
        ],
      },
    ],
    groundY: 0.95,
    waterY: 0.7,
    hidesSky: false,
    glints: { top: SEA_Y + 0.01, bottom: 0.8 },
  };
}

export function buildLake(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx } = kit;
  const shore = 0.66;
  const range = peaks(random, left, right, shore, [0.1, 0.22], [0.35, 0.7]);
  const hills = undulation(random, 0.02, 0.9);
  // The far shore mirrored in the water, paler, as still water does.
  const mirrored = new Path2D();
  const first = range[0];
  if (first) {
    mirrored.moveTo(first[0], shore);
    for (const [x, y] of range) mirrored.lineTo(x, 2 * shore - y);
    mirrored.lineTo(range.at(-1)?.[0] ?? right, shore);
    mirrored.closePath();
  }
  const reeds = new Path2D();
  for (let x = left; x < right; x += random.range(0.015, 0.05)) {
    const h = random.range(0.03, 0.09);
    reeds.rect(x, 0.9 - h + random.range(0, 0.03), 0.0035, h + 0.1);
  }
  const bank = undulation(random, 0.02, 0.7);
  return {
    layers: [
      {
        depth: 0.08,
        shapes: [
          { path: polygonDown(range), fill: css(palette.far), outline: true },
          {
            path: ridge(left, right, (x) => shore - 0.02 + hills(x) * 0.5),
            fill: css(scale(palette.mid, 0.9)),
          },
          {
            path: rectPath(left, shore, right - left, 0.3),
            fill: verticalGradient(
              ctx,
              shore,
              0.95,
              css(mix(palette.water, palette.skyHorizon, 0.35)),
              css(palette.water),
            ),
          },
          { path: mirrored, fill: css(mix(palette.far, palette.water, 0.55), 0.7) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.9 + bank(x)), fill: css(palette.near), outline: true },
          { path: reeds, fill: css(scale(palette.near, 0.8)) },
        ],
      },
    ],
    groundY: 0.96,
    waterY: 0.78,
    hidesSky: false,
    glints: { top: shore + 0.01, bottom: 0.88 },
  };
}

export function buildUnderwater(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const seabed = undulation(random, 0.03, 0.9);
  const distant = undulation(random, 0.05, 1.5);
  const corals = new Path2D();
  const kelp = new Path2D();
  for (let x = left; x < right; x += random.range(0.1, 0.3)) {
    const base = 0.86 + seabed(x);
    if (random.next() < 0.5) {
      // Branching coral: a fan of thick twigs.
      for (let b = -2; b <= 2; b++) {
        const h = random.range(0.04, 0.09);
        corals.moveTo(x, base);
        corals.lineTo(x + b * 0.015 - 0.004, base - h);
        corals.lineTo(x + b * 0.015 + 0.004, base - h);
        corals.closePath();
      }
    } else {
      const h = random.range(0.15, 0.4);
      for (let k = 0; k < 3; k++)
        oval(kelp, x + k * 0.012, base - h / 2, 0.006, h / 2, random.range(-0.1, 0.1), 0, 2 * Math.PI);
    }
  }
  const rocks = new Path2D();
  for (let x = left; x < right; x += random.range(0.3, 0.7))
    oval(
      rocks,
      x,
      0.76 + distant(x),
      random.range(0.06, 0.14),
      random.range(0.04, 0.08),
      0,
      Math.PI,
      2 * Math.PI,
    );
  return {
    layers: [
      {
        depth: 0.15,
        shapes: [
          { path: ridge(left, right, (x) => 0.74 + distant(x)), fill: css(palette.far) },
          { path: rocks, fill: css(scale(palette.far, 0.9)) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.87 + seabed(x)), fill: css(palette.ground), outline: true },
          { path: kelp, fill: css(mix(palette.mid, palette.foliage, 0.5)), outline: true },
          { path: corals, fill: css(palette.coral), outline: true },
        ],
      },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}

/** A thin band following `top(x)`: the foam line on the sand. */
function band(left: number, right: number, top: (x: number) => number, thickness: number): Path2D {
  const path = new Path2D();
  path.moveTo(left, top(left));
  for (let x = left; x <= right; x += 0.04) path.lineTo(x, top(x));
  for (let x = right; x >= left; x -= 0.04) path.lineTo(x, top(x) + thickness);
  path.closePath();
  return path;
}
