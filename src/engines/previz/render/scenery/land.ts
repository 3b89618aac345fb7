import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { broadleaf, conifer, peaks, polygonDown, rectPath, ridge, undulation, oval } from "./shapes.ts";
import type { Scenery, SceneryKit } from "./types.ts";

/** Open-air settings on land: forest, countryside, desert, mountains and snowfield. */

export function buildForest(kit: SceneryKit): Scenery {
  const { random, palette, left, right } = kit;
  const hills = undulation(random, 0.05, 1.4);
  const pines = new Path2D();
  for (let x = left; x < right; x += random.range(0.04, 0.08))
    conifer(pines, x, random.range(0.72, 0.77), random.range(0.14, 0.32));
  const trunks = new Path2D();
  const canopy = new Path2D();
  const trunkCount = Math.max(3, Math.round((right - left) * 2));
  for (let i = 0; i < trunkCount; i++) {
    const x = left + ((i + random.range(0.2, 0.8)) / trunkCount) * (right - left);
    const width = random.range(0.035, 0.07);
    trunks.rect(x - width / 2, -0.2, width, 1.15);
    for (let leaf = 0; leaf < 3; leaf++) {
      oval(
        canopy,
        x + random.range(-0.12, 0.12),
        random.range(-0.12, 0.02),
        random.range(0.1, 0.2),
        random.range(0.08, 0.14),
      );
    }
  }
  const floor = undulation(random, 0.012, 0.5);
  const ferns = new Path2D();
  for (let x = left; x < right; x += random.range(0.05, 0.12)) {
    const base = 0.9 + floor(x) + random.range(0, 0.06);
    oval(ferns, x, base, random.range(0.02, 0.05), random.range(0.008, 0.018), 0, Math.PI, 2 * Math.PI);
  }
  return {
    layers: [
      {
        depth: 0.1,
        shapes: [{ path: ridge(left, right, (x) => 0.55 + hills(x), 0.03), fill: css(palette.far) }],
      },
      {
        depth: 0.45,
        shapes: [
          { path: pines, fill: css(palette.mid), outline: true },
          { path: rectPath(left, 0.74, right - left, 3), fill: css(mix(palette.mid, palette.ground, 0.5)) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.88 + floor(x)), fill: css(palette.ground) },
          { path: ferns, fill: css(scale(palette.ground, 0.75)) },
          { path: trunks, fill: css(palette.near), outline: true },
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
    broadleaf(trees, random, x, 0.7 + mid(x) + 0.01, random.range(0.025, 0.045));
  }
  const fence = new Path2D();
  for (let x = left; x < right; x += 0.09) fence.rect(x, 0.8 + near(x) - 0.045, 0.006, 0.05);
  fence.rect(left, 0.8 - 0.035, right - left, 0.004);
  fence.rect(left, 0.8 - 0.018, right - left, 0.004);
  const tufts = new Path2D();
  const flowers = new Path2D();
  for (let x = left; x < right; x += random.range(0.03, 0.08)) {
    const base = 0.86 + near(x) + random.range(0.01, 0.12);
    tufts.moveTo(x - 0.006, base);
    tufts.lineTo(x, base - random.range(0.015, 0.035));
    tufts.lineTo(x + 0.006, base);
    tufts.closePath();
    if (random.next() < 0.3) flowers.rect(x + 0.01, base - 0.012, 0.006, 0.006);
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
          { path: ridge(left, right, (x) => 0.7 + mid(x)), fill: css(palette.mid), outline: true },
          { path: trees, fill: css(scale(palette.mid, 0.6)), outline: true },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.85 + near(x)), fill: css(palette.near), outline: true },
          { path: fence, fill: css(scale(palette.near, 0.55)) },
          { path: tufts, fill: css(scale(palette.near, 0.75)) },
          { path: flowers, fill: css(mix(palette.accent, [255, 255, 255], 0.3)) },
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
  mesas.rect(left, 0.655, right - left, 3);
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
  const rocks = new Path2D();
  for (let x = left; x < right; x += random.range(0.2, 0.5)) {
    oval(
      rocks,
      x,
      0.9 + foreground(x) + random.range(0.02, 0.08),
      random.range(0.01, 0.03),
      random.range(0.006, 0.014),
      0,
      Math.PI,
      2 * Math.PI,
    );
  }
  return {
    layers: [
      { depth: 0.1, shapes: [{ path: mesas, fill: css(palette.far), outline: true }] },
      {
        depth: 0.4,
        shapes: [{ path: ridge(left, right, (x) => 0.72 + dunes(x)), fill: css(palette.mid), outline: true }],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.87 + foreground(x)), fill: css(palette.near), outline: true },
          { path: rocks, fill: css(scale(palette.near, 0.7)) },
          { path: cacti, fill: css(mix(scale(palette.near, 0.5), palette.foliage, 0.6)), outline: true },
        ],
      },
    ],
    groundY: 0.94,
    hidesSky: false,
  };
}

/** Mountains: snow-capped peaks, a forested slope, rocky ground. Snowfield: the same, white. */
export function buildMountains(kit: SceneryKit): Scenery {
  const { random, palette, left, right, scene } = kit;
  const snowfield = scene.setting === "snowfield";
  const range = peaks(random, left, right, 0.66, snowfield ? [0.08, 0.2] : [0.16, 0.34], [0.3, 0.6]);
  const caps = new Path2D();
  for (let i = 1; i + 1 < range.length; i += 2) {
    const [px, py] = range[i] ?? [0, 0];
    const [lx, ly] = range[i - 1] ?? [0, 0];
    const [rx, ry] = range[i + 1] ?? [0, 0];
    const depth = 0.35;
    caps.moveTo(px, py);
    caps.lineTo(px + (rx - px) * depth, py + (ry - py) * depth);
    caps.lineTo(px, py + (Math.min(ly, ry) - py) * depth * 0.6);
    caps.lineTo(px + (lx - px) * depth, py + (ly - py) * depth);
    caps.closePath();
  }
  const slope = undulation(random, 0.04, 1.2);
  const pines = new Path2D();
  if (!snowfield)
    for (let x = left; x < right; x += random.range(0.05, 0.1))
      conifer(pines, x, 0.78 + slope(x) + 0.03, random.range(0.06, 0.12));
  const foreground = undulation(random, 0.02, 0.8);
  const rocks = new Path2D();
  for (let x = left; x < right; x += random.range(0.25, 0.6)) {
    const y = 0.9 + foreground(x) + random.range(0.0, 0.05);
    const w = random.range(0.03, 0.08);
    rocks.moveTo(x - w, y + 0.02);
    rocks.lineTo(x - w * 0.4, y - w * 0.6);
    rocks.lineTo(x + w * 0.5, y - w * 0.4);
    rocks.lineTo(x + w, y + 0.02);
    rocks.closePath();
  }
  const snow = mix(palette.far, [255, 255, 255], 0.65);
  return {
    layers: [
      {
        depth: 0.08,
        shapes: [
          { path: polygonDown(range), fill: css(palette.far), outline: true },
          { path: caps, fill: css(snow) },
        ],
      },
      {
        depth: 0.4,
        shapes: [
          { path: ridge(left, right, (x) => 0.78 + slope(x)), fill: css(palette.mid), outline: true },
          { path: pines, fill: css(scale(palette.mid, 0.7)) },
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: ridge(left, right, (x) => 0.89 + foreground(x)), fill: css(palette.ground), outline: true },
          {
            path: rocks,
            fill: css(snowfield ? mix(palette.ground, palette.far, 0.5) : scale(palette.near, 0.8)),
            outline: true,
          },
        ],
      },
    ],
    groundY: 0.94,
    hidesSky: false,
  };
}
