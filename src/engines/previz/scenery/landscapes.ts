import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { conifer, rectPath, ridge, undulation } from "./shapes.ts";
import type { Scenery, SceneryKit } from "./types.ts";

/** Open-air settings built from ridges: forest, countryside, desert and beach. */

export function buildForest(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const hills = undulation(random, 0.05, 1.4);

  const pines = new Path2D();
  for (let x = left; x < right; x += random.range(0.025, 0.06)) {
    conifer(pines, x, random.range(0.72, 0.77), random.range(0.14, 0.34));
  }

  const trunks = new Path2D();
  const canopy = new Path2D();
  const trunkCount = random.int(3, 5);
  for (let i = 0; i < trunkCount; i++) {
    const x = left + ((i + random.range(0.2, 0.8)) / trunkCount) * (right - left);
    const width = random.range(0.04, 0.08);
    trunks.rect(x - width / 2, -0.2, width, 1.15);
    for (let leaf = 0; leaf < 3; leaf++) {
      const dx = random.range(-0.12, 0.12);
      canopy.ellipse(
        x + dx,
        random.range(-0.12, 0.02),
        random.range(0.1, 0.2),
        random.range(0.08, 0.14),
        0,
        0,
        2 * Math.PI,
      );
    }
  }
  const floor = undulation(random, 0.012, 0.5);

  return {
    layers: [
      {
        depth: 0.1,
        shapes: [{ path: ridge(left, right, (x) => 0.55 + hills(x), 0.03), fill: css(palette.far) }],
      },
      {
        depth: 0.45,
        shapes: [
          { path: pines, fill: css(palette.mid) },
          { path: rectPath(left, 0.74, right - left, 2), fill: css(mix(palette.mid, palette.ground, 0.5)) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.88 + floor(x)), fill: css(palette.ground) },
          { path: trunks, fill: css(palette.near) },
          { path: canopy, fill: css(scale(palette.near, 0.9)) },
        ],
      },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}

export function buildCountryside(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const far = undulation(random, 0.06, 1.8);
  const mid = undulation(random, 0.04, 1.1);
  const near = undulation(random, 0.015, 0.7);

  const trees = new Path2D();
  for (let x = left + random.range(0, 0.4); x < right; x += random.range(0.25, 0.6)) {
    const base = 0.7 + mid(x) + 0.01;
    const size = random.range(0.03, 0.055);
    trees.rect(x - 0.005, base - size * 1.6, 0.01, size * 1.6);
    trees.ellipse(x, base - size * 1.9, size, size * 1.1, 0, 0, 2 * Math.PI);
  }
  const tufts = new Path2D();
  for (let x = left; x < right; x += random.range(0.03, 0.08)) {
    const base = 0.85 + near(x) + random.range(0.01, 0.12);
    tufts.moveTo(x - 0.006, base);
    tufts.lineTo(x, base - random.range(0.015, 0.035));
    tufts.lineTo(x + 0.006, base);
    tufts.closePath();
  }

  return {
    layers: [
      {
        depth: 0.1,
        shapes: [{ path: ridge(left, right, (x) => 0.6 + far(x), 0.03), fill: css(palette.far) }],
      },
      {
        depth: 0.4,
        shapes: [
          { path: ridge(left, right, (x) => 0.7 + mid(x)), fill: css(palette.mid) },
          { path: trees, fill: css(scale(palette.mid, 0.6)) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.85 + near(x)), fill: css(palette.near) },
          { path: tufts, fill: css(scale(palette.near, 0.75)) },
        ],
      },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}

export function buildDesert(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const mesas = new Path2D();
  for (let x = left + random.range(0, 0.3); x < right; x += random.range(0.35, 0.8)) {
    const width = random.range(0.12, 0.3);
    const height = random.range(0.05, 0.12);
    mesas.moveTo(x, 0.66);
    mesas.lineTo(x + width * 0.15, 0.66 - height);
    mesas.lineTo(x + width * 0.85, 0.66 - height);
    mesas.lineTo(x + width, 0.66);
    mesas.closePath();
  }
  mesas.rect(left, 0.655, right - left, 2);
  const dunes = undulation(random, 0.05, 1.3);
  const foreground = undulation(random, 0.03, 0.9);

  const cacti = new Path2D();
  for (let i = random.int(1, 3); i > 0; i--) {
    const x = random.range(left + 0.3, right - 0.3);
    const base = 0.87 + foreground(x) + 0.02;
    const height = random.range(0.12, 0.2);
    cacti.roundRect(x - 0.012, base - height, 0.024, height, 0.012);
    cacti.roundRect(x - 0.05, base - height * 0.7, 0.018, height * 0.35, 0.009);
    cacti.rect(x - 0.05, base - height * 0.42, 0.05, 0.014);
  }

  return {
    layers: [
      { depth: 0.1, shapes: [{ path: mesas, fill: css(palette.far) }] },
      {
        depth: 0.4,
        shapes: [{ path: ridge(left, right, (x) => 0.73 + dunes(x), 0.03), fill: css(palette.mid) }],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.87 + foreground(x)), fill: css(palette.near) },
          { path: cacti, fill: css(scale(palette.near, 0.45)) },
        ],
      },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}

export function buildBeach(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const shoreline = undulation(random, 0.02, 0.8);
  const foamColor = css(mix(palette.mid, palette.particles, 0.7), 0.7);
  const waveColor = css(mix(palette.mid, palette.celestial.glow, 0.35), 0.55);
  const waveRows = Array.from({ length: 7 }, (_, i) => ({
    y: 0.63 + i * i * 0.004,
    speed: random.range(0.01, 0.03) * (i + 1),
    phase: random.range(0, 10),
  }));

  return {
    layers: [
      { depth: 0.08, shapes: [{ path: rectPath(left, 0.6, right - left, 2), fill: css(palette.far) }] },
      {
        depth: 0.4,
        shapes: [
          { path: rectPath(left, 0.68, right - left, 2), fill: css(mix(palette.far, palette.mid, 0.5)) },
        ],
        // Wave crests: dashes sliding sideways, nearer rows faster, so the sea is never still.
        animate(ctx, seconds) {
          const dashes = new Path2D();
          for (const row of waveRows) {
            const offset = (row.phase + row.speed * seconds) % 0.3;
            for (let x = left - 0.3 + offset; x < right; x += 0.3)
              dashes.rect(x, row.y, 0.12, 0.003 + row.y * 0.004);
          }
          ctx.fillStyle = waveColor;
          ctx.fill(dashes);
        },
      },
      {
        depth: 1,
        shapes: [{ path: ridge(left, right, (x) => 0.84 + shoreline(x)), fill: css(palette.near) }],
        animate(ctx, seconds) {
          const surge = 0.008 * Math.sin(seconds * 1.3);
          ctx.fillStyle = foamColor;
          ctx.fill(ridgeBand(left, right, (x) => 0.835 + shoreline(x) + surge, 0.01));
        },
      },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}

/** A thin band following `top(x)`: the foam line on the sand. */
function ridgeBand(left: number, right: number, top: (x: number) => number, thickness: number): Path2D {
  const path = new Path2D();
  path.moveTo(left, top(left));
  for (let x = left; x <= right; x += 0.04) path.lineTo(x, top(x));
  for (let x = right; x >= left; x -= 0.04) path.lineTo(x, top(x) + thickness);
  path.closePath();
  return path;
}
