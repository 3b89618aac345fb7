import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { ridge, undulation, oval } from "./shapes.ts";
import type { Scenery, SceneryKit } from "./types.ts";

/** Outer space: a ringed planet, drifting asteroids, and the grey surface of a moon underfoot. */
export function buildSpace(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx, aspect } = kit;
  const planetX = random.range(0.15 * aspect, 0.85 * aspect);
  const planetY = random.range(0.22, 0.38);
  const radius = random.range(0.09, 0.16);
  const planet = new Path2D();
  planet.arc(planetX, planetY, radius, 0, 2 * Math.PI);
  // Lit from one side: the gradient's bright centre sits off the disc's centre.
  const shading = ctx.createRadialGradient(
    planetX - radius * 0.45,
    planetY - radius * 0.4,
    radius * 0.1,
    planetX,
    planetY,
    radius * 1.05,
  );
  shading.addColorStop(0, css(mix(palette.mid, palette.accentAlt, 0.3)));
  shading.addColorStop(0.7, css(palette.mid));
  shading.addColorStop(1, css(scale(palette.mid, 0.25)));
  const ring = new Path2D();
  oval(ring, planetX, planetY, radius * 1.9, radius * 0.45, random.range(-0.35, 0.35), 0, 2 * Math.PI);
  const asteroids = new Path2D();
  for (let i = 0; i < 9; i++) {
    const x = random.range(left, right);
    const y = random.range(0.05, 0.6);
    const r = random.range(0.006, 0.02);
    oval(asteroids, x, y, r * 1.3, r, random.range(0, 3), 0, 2 * Math.PI);
  }
  const surface = undulation(random, 0.025, 0.9);
  const craters = new Path2D();
  for (let i = random.int(5, 9); i > 0; i--) {
    const x = random.range(left, right);
    const size = random.range(0.02, 0.06);
    oval(craters, x, 0.86 + surface(x) + random.range(0.03, 0.12), size, size * 0.28);
  }
  return {
    layers: [
      {
        depth: 0.05,
        shapes: [
          { path: planet, fill: shading, outline: true },
          {
            path: ring,
            stroke: css(mix(palette.mid, palette.accentAlt, 0.5), 0.7),
            lineWidth: radius * 0.08,
          },
        ],
      },
      {
        depth: 0.35,
        shapes: [{ path: asteroids, fill: css(scale(palette.near, 0.6)), outline: true }],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.86 + surface(x)), fill: css(palette.near), outline: true },
          { path: craters, fill: css(scale(palette.near, 0.7)) },
        ],
      },
    ],
    groundY: 0.94,
    hidesSky: false,
  };
}

/** Up in the sky: banks of cloud at three depths and nothing underfoot. */
export function buildSky(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const bank = (y: number, size: number, count: number) => {
    const path = new Path2D();
    for (let i = 0; i < count; i++) {
      const x = random.range(left, right);
      const cy = y + random.range(-0.05, 0.05);
      for (let p = 0; p < 5; p++) {
        const r = size * random.range(0.5, 1);
        oval(path, x + random.range(-1.5, 1.5) * size, cy + random.range(-0.3, 0.3) * size, r * 1.5, r * 0.8);
      }
    }
    return path;
  };
  const floor = undulation(random, 0.03, 0.8);
  return {
    layers: [
      {
        depth: 0.1,
        shapes: [
          {
            path: ridge(left, right, (x) => 0.72 + floor(x)),
            fill: css(mix(palette.cloud, palette.skyHorizon, 0.5)),
          },
          { path: bank(0.7, 0.06, 8), fill: css(mix(palette.cloud, palette.skyHorizon, 0.4)) },
        ],
      },
      { depth: 0.45, shapes: [{ path: bank(0.45, 0.08, 5), fill: css(palette.cloud, 0.9) }] },
      {
        depth: 1,
        shapes: [{ path: bank(0.95, 0.14, 4), fill: css(mix(palette.cloud, [255, 255, 255], 0.3), 0.95) }],
      },
    ],
    groundY: 0.85,
    hidesSky: false,
  };
}
