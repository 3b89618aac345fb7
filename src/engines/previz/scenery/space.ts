import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { glow, ridge, undulation } from "./shapes.ts";
import type { Scenery, SceneryKit } from "./types.ts";

/** Outer space: nebula clouds, a ringed planet, and the grey surface of a moon underfoot. */
export function buildSpace(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx, aspect } = kit;
  const nebulae = Array.from({ length: 3 }, () =>
    glow(
      ctx,
      random.range(0, aspect),
      random.range(0.1, 0.5),
      random.range(0.25, 0.45),
      mix(palette.far, palette.accent, random.next() * 0.4),
      0.35,
    ),
  );

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
  const tilt = random.range(-0.35, 0.35);
  ring.ellipse(planetX, planetY, radius * 1.9, radius * 0.45, tilt, 0, 2 * Math.PI);

  const surface = undulation(random, 0.025, 0.9);
  const craters = new Path2D();
  for (let i = random.int(4, 8); i > 0; i--) {
    const x = random.range(left, right);
    const size = random.range(0.02, 0.06);
    craters.ellipse(x, 0.86 + surface(x) + random.range(0.03, 0.12), size, size * 0.28, 0, 0, 2 * Math.PI);
  }

  return {
    layers: [
      { depth: 0.03, shapes: nebulae },
      {
        depth: 0.2,
        shapes: [
          { path: planet, fill: shading },
          {
            path: ring,
            stroke: css(mix(palette.mid, palette.accentAlt, 0.5), 0.7),
            lineWidth: radius * 0.08,
          },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.86 + surface(x)), fill: css(palette.near) },
          { path: craters, fill: css(scale(palette.near, 0.7)) },
        ],
      },
    ],
    groundY: 0.94,
    hidesSky: false,
  };
}
