import { Path2D } from "@napi-rs/canvas";

import { css, mix } from "../color.ts";
import { glow, rectPath } from "./shapes.ts";
import type { LayerShape, Scenery, SceneryKit } from "./types.ts";

/** How many windows are lit, by hour: offices empty out in daylight, and at night every light shows. */
const LIT_WINDOWS = { dawn: 0.25, day: 0.04, sunset: 0.35, night: 0.5 } as const;

const STREET_Y = 0.84;

/** A street: a distant skyline, buildings with windows, then a pavement with street lamps. */
export function buildCity(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx } = kit;

  const skyline = new Path2D();
  for (let x = left; x < right;) {
    const width = random.range(0.04, 0.1);
    const height = random.range(0.1, 0.3);
    skyline.rect(x, 0.72 - height, width + 0.002, height + 1.5);
    if (random.next() < 0.3) skyline.rect(x + width * 0.4, 0.72 - height - 0.04, 0.004, 0.04); // antenna
    x += width;
  }

  const buildings = new Path2D();
  const litWindows = new Path2D();
  const darkWindows = new Path2D();
  const litShare = LIT_WINDOWS[kit.scene.timeOfDay];
  for (let x = left; x < right;) {
    const width = random.range(0.09, 0.18);
    const height = random.range(0.22, 0.5);
    const top = STREET_Y - height;
    buildings.rect(x, top, width, height + 1);
    for (let wy = top + 0.025; wy < STREET_Y - 0.05; wy += 0.036) {
      for (let wx = x + 0.012; wx < x + width - 0.02; wx += 0.026) {
        (random.next() < litShare ? litWindows : darkWindows).rect(wx, wy, 0.012, 0.018);
      }
    }
    x += width + random.range(0, 0.03);
  }

  const near: LayerShape[] = [
    { path: rectPath(left, STREET_Y, right - left, 2), fill: css(palette.ground) },
    {
      path: rectPath(left, STREET_Y, right - left, 0.035),
      fill: css(mix(palette.ground, palette.far, 0.25)),
    },
  ];
  const markings = new Path2D();
  for (let x = left; x < right; x += 0.16) markings.rect(x, 0.965, 0.08, 0.008);
  near.push({ path: markings, fill: css(mix(palette.ground, palette.accentAlt, 0.35)) });

  const poles = new Path2D();
  const lamps = new Path2D();
  const glows: LayerShape[] = [];
  const lampSpacing = random.range(0.55, 0.75);
  for (let x = left + random.range(0, lampSpacing); x < right; x += lampSpacing) {
    poles.rect(x, 0.5, 0.008, STREET_Y + 0.02 - 0.5);
    poles.rect(x, 0.5, 0.05, 0.006);
    lamps.rect(x + 0.035, 0.506, 0.022, 0.01);
    if (palette.glow > 0) glows.push(glow(ctx, x + 0.046, 0.515, 0.12, palette.accent, 0.55 * palette.glow));
  }
  near.push({ path: poles, fill: css(palette.near) });
  near.push({ path: lamps, fill: css(mix(palette.near, palette.accent, 0.2 + 0.8 * palette.glow)) });

  return {
    layers: [
      { depth: 0.12, shapes: [{ path: skyline, fill: css(palette.far) }] },
      {
        depth: 0.45,
        shapes: [
          { path: buildings, fill: css(palette.mid) },
          { path: darkWindows, fill: css(mix(palette.mid, palette.skyHorizon, 0.3)) },
          { path: litWindows, fill: css(mix(palette.accent, palette.mid, 1 - Math.max(0.5, palette.glow))) },
        ],
      },
      { depth: 1, shapes: [...near, ...glows] },
    ],
    groundY: 0.92,
    hidesSky: false,
  };
}
