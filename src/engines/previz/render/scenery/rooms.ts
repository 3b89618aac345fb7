import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { rectPath, oval } from "./shapes.ts";
import type { Glow, LayerShape, Scenery, SceneryKit } from "./types.ts";

/** Indoor settings: a back wall hides the sky; light comes from lamps, candles and spotlights. */

export function buildStage(kit: SceneryKit): Scenery {
  const { random, palette, left, right, aspect, scene } = kit;
  const wall = rectPath(left - 1, -1, right - left + 2, 3);
  const folds = new Path2D();
  for (let x = left; x < right; x += 0.06) folds.rect(x, -0.2, 0.03, 1.02);
  const bulbs: Glow[] = [];
  for (let x = left + 0.04; x < right; x += 0.13)
    bulbs.push({ x, y: 0.07, radius: 0.03, color: palette.accentAlt, alpha: 0.5 + 0.4 * palette.glow });
  // Beams from the rig: translucent cones. Flat fills, not gradients, because a travelling
  // camera redraws them every frame and a gradient costs several times as much per pixel.
  const beams: LayerShape[] = [];
  const beamCount = scene.light.spotlight ? 1 : 3;
  for (let i = 0; i < beamCount; i++) {
    const x = beamCount === 1 ? aspect / 2 : aspect * (0.2 + 0.3 * i) + random.range(-0.08, 0.08);
    const target = beamCount === 1 ? aspect / 2 : x + random.range(-0.2, 0.2);
    const cone = new Path2D();
    cone.moveTo(x - 0.015, -0.05);
    cone.lineTo(x + 0.015, -0.05);
    cone.lineTo(target + 0.14, 0.92);
    cone.lineTo(target - 0.14, 0.92);
    cone.closePath();
    beams.push({ path: cone, fill: css(palette.accent, 0.12 + 0.12 * palette.glow) });
  }
  const pool = new Path2D();
  oval(pool, aspect / 2, 0.9, Math.min(0.35, aspect * 0.4), 0.05);
  return {
    layers: [
      {
        depth: 0.05,
        shapes: [
          { path: wall, fill: css(palette.far) },
          { path: folds, fill: css(palette.mid) },
          { path: rectPath(left - 1, -0.2, right - left + 2, 0.14), fill: css(scale(palette.mid, 0.7)) },
          // The beams hang in front of the wall, but at a distance a camera move barely changes:
          // kept with the wall, a slow move draws them only once.
          ...beams,
        ],
        glows: bulbs,
      },
      {
        depth: 1,
        shapes: [
          { path: rectPath(left, 0.8, right - left, 3), fill: css(palette.near) },
          {
            path: rectPath(left, 0.8, right - left, 0.008),
            fill: css(mix(palette.near, palette.accent, 0.5)),
          },
          { path: pool, fill: css(mix(palette.near, palette.accent, 0.35 + 0.3 * palette.glow)) },
        ],
      },
    ],
    groundY: 0.9,
    hidesSky: true,
  };
}

export function buildInterior(kit: SceneryKit): Scenery {
  const { random, palette, left, right, aspect, scene } = kit;
  const windowWidth = Math.min(0.45, aspect * 0.4);
  const windowX = random.range(0.1 * aspect, 0.9 * aspect - windowWidth);
  const pane = { left: windowX, top: 0.12, right: windowX + windowWidth, bottom: 0.62 };
  // The wall, with the window cut out: the sky behind shows through it.
  const wall = new Path2D();
  wall.rect(left - 1, -1, right - left + 2, 3);
  // Wound the other way round, so that under the non-zero rule the pane is a hole.
  wall.moveTo(pane.left, pane.top);
  wall.lineTo(pane.left, pane.bottom);
  wall.lineTo(pane.right, pane.bottom);
  wall.lineTo(pane.right, pane.top);
  wall.closePath();
  const frame = new Path2D();
  frame.rect(windowX - 0.015, 0.105, windowWidth + 0.03, 0.015);
  frame.rect(windowX - 0.015, 0.62, windowWidth + 0.03, 0.02);
  frame.rect(windowX - 0.015, 0.105, 0.015, 0.535);
  frame.rect(windowX + windowWidth, 0.105, 0.015, 0.535);
  frame.rect(windowX + windowWidth / 2 - 0.006, 0.12, 0.012, 0.5);
  frame.rect(windowX, 0.36, windowWidth, 0.01);

  const furniture = new Path2D();
  const sofaX = random.range(0.05 * aspect + 0.1, Math.max(0.2, aspect - 0.65));
  furniture.roundRect(sofaX, 0.66, 0.55, 0.16, 0.03);
  furniture.roundRect(sofaX - 0.03, 0.62, 0.07, 0.2, 0.02);
  furniture.roundRect(sofaX + 0.51, 0.62, 0.07, 0.2, 0.02);
  const shelfX = sofaX + random.range(0.75, 1.1);
  furniture.rect(shelfX, 0.3, 0.3, 0.52);
  const books = new Path2D();
  for (let y = 0.34; y < 0.8; y += 0.12) {
    for (let x = shelfX + 0.02; x < shelfX + 0.27; x += random.range(0.018, 0.03))
      books.rect(x, y + random.range(0, 0.02), 0.014, 0.08);
  }
  const lampX = sofaX - random.range(0.12, 0.2);
  furniture.rect(lampX - 0.004, 0.48, 0.008, 0.34);
  const shade = new Path2D();
  shade.moveTo(lampX - 0.03, 0.48);
  shade.lineTo(lampX - 0.018, 0.42);
  shade.lineTo(lampX + 0.018, 0.42);
  shade.lineTo(lampX + 0.03, 0.48);
  shade.closePath();
  const candles = new Path2D();
  const lights: Glow[] = [
    { x: lampX, y: 0.47, radius: 0.25, color: palette.accent, alpha: 0.5 * palette.glow },
  ];
  if (scene.light.color === "candle") {
    for (let i = 0; i < 3; i++) {
      const cx = shelfX + 0.05 + i * 0.05;
      candles.rect(cx - 0.006, 0.27 - 0.04 - i * 0.01, 0.012, 0.04 + i * 0.01);
      lights.push({ x: cx, y: 0.22 - i * 0.01, radius: 0.12, color: palette.accent, alpha: 0.7 });
    }
  }
  const boards = new Path2D();
  for (let y = 0.84; y < 1.3; y += 0.03 + (y - 0.8) * 0.15) boards.rect(left, y, right - left, 0.003);
  return {
    layers: [
      {
        depth: 0.08,
        shapes: [
          { path: wall, fill: css(palette.far) },
          { path: frame, fill: css(scale(palette.far, 0.7)), outline: true },
        ],
      },
      {
        depth: 0.4,
        shapes: [
          { path: furniture, fill: css(palette.mid), outline: true },
          { path: books, fill: css(mix(palette.mid, palette.accentAlt, 0.25)) },
          { path: shade, fill: css(mix(palette.mid, palette.accent, 0.3 + 0.7 * palette.glow)) },
          { path: candles, fill: css(mix(palette.accentAlt, [255, 255, 255], 0.5)) },
        ],
        glows: lights,
      },
      {
        depth: 1,
        shapes: [
          { path: rectPath(left, 0.82, right - left, 3), fill: css(palette.near) },
          { path: boards, fill: css(scale(palette.near, 0.8)) },
        ],
      },
    ],
    groundY: 0.93,
    window: pane,
    hidesSky: false,
  };
}
