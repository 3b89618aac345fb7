import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import type { Rgb } from "../color.ts";
import { rectPath } from "./shapes.ts";
import type { Glow, LayerShape, Scenery, SceneryKit } from "./types.ts";

/** How many windows are lit, by hour: offices empty out in daylight; at night every light shows. */
const LIT_WINDOWS = {
  dawn: 0.25,
  morning: 0.08,
  noon: 0.04,
  afternoon: 0.06,
  sunset: 0.35,
  dusk: 0.45,
  night: 0.5,
};

const STREET_Y = 0.84;

/**
 * A street: a distant skyline, buildings with windows, then a pavement with street lamps. The neon
 * city is the same street, taller and darker, hung with glowing signs that reflect in the road.
 */
export function buildCity(kit: SceneryKit): Scenery {
  const { random, palette, left, right, scene } = kit;
  const neon = scene.setting === "neon city";

  const skyline = new Path2D();
  for (let x = left; x < right;) {
    const width = random.range(0.04, 0.1);
    const height = random.range(0.1, neon ? 0.42 : 0.3);
    skyline.rect(x, 0.72 - height, width + 0.002, height + 2);
    if (random.next() < 0.3) skyline.rect(x + width * 0.4, 0.72 - height - 0.04, 0.004, 0.04);
    x += width;
  }

  const buildings = new Path2D();
  const litWindows = new Path2D();
  const darkWindows = new Path2D();
  const signs: Array<{ path: Path2D; color: Rgb }> = [];
  const signGlows: Glow[] = [];
  const lampGlows: Glow[] = [];
  const litShare = neon ? 0.35 : LIT_WINDOWS[scene.timeOfDay];
  const neonColors: Rgb[] = [palette.accent, palette.accentAlt, mix(palette.accent, palette.accentAlt, 0.5)];
  for (let x = left; x < right;) {
    const width = random.range(0.1, 0.2);
    const height = random.range(0.25, neon ? 0.62 : 0.5);
    const top = STREET_Y - height;
    buildings.rect(x, top, width, height + 1);
    // Windows on a coarse grid: fewer, larger panes read as well and cost far less to draw.
    for (let wy = top + 0.03; wy < STREET_Y - 0.07; wy += 0.05) {
      for (let wx = x + 0.016; wx < x + width - 0.03; wx += 0.038) {
        (random.next() < litShare ? litWindows : darkWindows).rect(wx, wy, 0.018, 0.026);
      }
    }
    if (neon && random.next() < 0.75) {
      const color = random.pick(neonColors as [Rgb, ...Rgb[]]);
      const sign = new Path2D();
      const vertical = random.next() < 0.5;
      const [sw, sh] = vertical ? [0.025, random.range(0.12, 0.22)] : [random.range(0.06, 0.12), 0.03];
      const sx = x + random.range(0.01, Math.max(0.011, width - sw - 0.01));
      const sy = random.range(top + 0.04, STREET_Y - sh - 0.1);
      sign.roundRect(sx, sy, sw, sh, 0.005);
      signs.push({ path: sign, color });
      // A tight halo: under a travelling camera each glow is blended pixel by pixel every frame.
      signGlows.push({ x: sx + sw / 2, y: sy + sh / 2, radius: Math.max(sw, sh) * 0.6, color, alpha: 0.6 });
    }
    x += width + random.range(0, 0.025);
  }

  const near: LayerShape[] = [
    { path: rectPath(left, STREET_Y, right - left, 3), fill: css(palette.ground) },
    {
      path: rectPath(left, STREET_Y, right - left, 0.035),
      fill: css(mix(palette.ground, palette.far, 0.25)),
    },
  ];
  const markings = new Path2D();
  for (let x = left; x < right; x += 0.16) markings.rect(x, 0.965, 0.08, 0.008);
  near.push({ path: markings, fill: css(mix(palette.ground, palette.accentAlt, 0.35)) });
  if (neon || scene.atmosphere.includes("rain") || scene.atmosphere.includes("storm")) {
    // Wet asphalt: every sign and lamp leaves a long streak of colour in the road.
    for (const sign of signs) {
      const reflection = new Path2D();
      reflection.rect(random.range(left, right), STREET_Y + 0.04, 0.012, random.range(0.05, 0.12));
      near.push({ path: reflection, fill: css(sign.color, 0.35) });
    }
  }

  const poles = new Path2D();
  const lamps = new Path2D();
  const lampSpacing = random.range(0.55, 0.75);
  for (let x = left + random.range(0, lampSpacing); x < right; x += lampSpacing) {
    poles.rect(x, 0.5, 0.008, STREET_Y + 0.02 - 0.5);
    poles.rect(x, 0.5, 0.05, 0.006);
    lamps.rect(x + 0.035, 0.506, 0.022, 0.01);
    if (palette.glow > 0.1)
      lampGlows.push({
        x: x + 0.046,
        y: 0.52,
        radius: 0.11,
        color: palette.accent,
        alpha: 0.5 * palette.glow,
      });
  }
  near.push({ path: poles, fill: css(scale(palette.near, 0.8)), outline: true });
  near.push({ path: lamps, fill: css(mix(palette.near, palette.accent, 0.2 + 0.8 * palette.glow)) });

  const windowLight = mix(palette.accent, palette.mid, 1 - Math.max(0.45, palette.glow));
  return {
    layers: [
      { depth: 0.12, shapes: [{ path: skyline, fill: css(palette.far) }] },
      {
        depth: 0.45,
        shapes: [
          { path: buildings, fill: css(palette.mid), outline: true },
          { path: darkWindows, fill: css(mix(palette.mid, palette.skyHorizon, 0.25)) },
          { path: litWindows, fill: css(neon ? mix(palette.accentAlt, palette.mid, 0.4) : windowLight) },
          ...signs.map((sign) => ({ path: sign.path, fill: css(mix(sign.color, [255, 255, 255], 0.25)) })),
        ],
        glows: signGlows,
      },
      { depth: 1, shapes: near, glows: lampGlows },
    ],
    groundY: 0.93,
    hidesSky: false,
  };
}
