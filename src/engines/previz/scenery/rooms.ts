import { Path2D } from "@napi-rs/canvas";

import { css, mix, scale } from "../color.ts";
import { glow, rectPath, verticalGradient } from "./shapes.ts";
import type { LayerShape, Scenery, SceneryKit } from "./types.ts";

/** Indoor settings: a back wall hides the sky; light comes from lamps and spotlights. */

export function buildStage(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx } = kit;
  const wall = rectPath(left - 1, -1, right - left + 2, 3);
  const folds = new Path2D();
  for (let x = left; x < right; x += 0.06) folds.rect(x, -0.2, 0.03, 1.02);
  const bulbs: LayerShape[] = [];
  for (let x = left + 0.04; x < right; x += 0.09) {
    bulbs.push(glow(ctx, x, 0.07, 0.03, palette.accentAlt, 0.5 + 0.4 * palette.glow));
  }

  const beams = Array.from({ length: 3 }, (_, i) => ({
    x: kit.aspect * (0.2 + 0.3 * i) + random.range(-0.08, 0.08),
    swing: random.range(0.1, 0.22),
    rate: random.range(0.35, 0.7),
    phase: random.range(0, 2 * Math.PI),
  }));
  // One beam gradient in the beam's own frame (pointing down +y), rotated per beam per frame.
  const beamPaint = verticalGradient(
    ctx,
    0,
    0.9,
    css(palette.accent, 0.45 * palette.glow),
    css(palette.accent, 0),
  );
  const beam = new Path2D();
  beam.moveTo(-0.015, 0);
  beam.lineTo(0.015, 0);
  // Narrow cones: translucent gradient fills are the costliest pixels of a frame.
  beam.lineTo(0.12, 0.9);
  beam.lineTo(-0.12, 0.9);
  beam.closePath();

  const floorLight = glow(
    ctx,
    kit.aspect / 2,
    0.9,
    Math.min(0.35, kit.aspect * 0.4),
    palette.accent,
    0.3 * palette.glow,
  );
  return {
    layers: [
      {
        depth: 0.05,
        shapes: [
          { path: wall, fill: css(palette.far) },
          { path: folds, fill: css(palette.mid) },
          { path: rectPath(left - 1, -0.2, right - left + 2, 0.14), fill: css(scale(palette.mid, 0.7)) },
          ...bulbs,
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: rectPath(left, 0.8, right - left, 2), fill: css(palette.near) },
          {
            path: rectPath(left, 0.8, right - left, 0.008),
            fill: css(mix(palette.near, palette.accent, 0.5)),
          },
          floorLight,
        ],
      },
      // Drawn last although they hang mid-depth: translucent light may fall over the floor, and
      // with nothing moving behind them a static shot caches the wall and floor as one backdrop.
      {
        depth: 0.35,
        shapes: [],
        animate(ctx, seconds) {
          ctx.fillStyle = beamPaint;
          for (const b of beams) {
            ctx.save();
            ctx.translate(b.x, -0.05);
            ctx.rotate(b.swing * Math.sin(b.phase + b.rate * seconds));
            ctx.fill(beam);
            ctx.restore();
          }
        },
      },
    ],
    groundY: 0.9,
    hidesSky: true,
  };
}

export function buildInterior(kit: SceneryKit): Scenery {
  const { random, palette, left, right, ctx, aspect } = kit;
  const windowWidth = Math.min(0.45, aspect * 0.4);
  const windowX = random.range(0.1 * aspect, 0.9 * aspect - windowWidth);
  const sky = verticalGradient(ctx, 0.12, 0.62, css(palette.skyTop), css(palette.skyHorizon));
  const pane = rectPath(windowX, 0.12, windowWidth, 0.5);
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
    for (let x = shelfX + 0.02; x < shelfX + 0.27; x += random.range(0.018, 0.03)) {
      books.rect(x, y + random.range(0, 0.02), 0.014, 0.08);
    }
  }
  const lampX = sofaX - random.range(0.12, 0.2);
  furniture.rect(lampX - 0.004, 0.48, 0.008, 0.34);
  const shade = new Path2D();
  shade.moveTo(lampX - 0.03, 0.48);
  shade.lineTo(lampX - 0.018, 0.42);
  shade.lineTo(lampX + 0.018, 0.42);
  shade.lineTo(lampX + 0.03, 0.48);
  shade.closePath();

  const frameColor = css(scale(palette.far, 0.7));
  const boards = new Path2D();
  for (let y = 0.84; y < 1.3; y += 0.03 + (y - 0.8) * 0.15) boards.rect(left, y, right - left, 0.003);

  return {
    layers: [
      {
        depth: 0.08,
        shapes: [
          { path: rectPath(left - 1, -1, right - left + 2, 3), fill: css(palette.far) },
          { path: pane, fill: sky },
        ],
        // Weather stays outside: seen through the pane, under the window frame.
        animate(ctx, seconds) {
          ctx.save();
          ctx.clip(pane);
          kit.weather(ctx, seconds);
          ctx.restore();
          ctx.fillStyle = frameColor;
          ctx.fill(frame);
        },
      },
      {
        depth: 0.4,
        shapes: [
          { path: furniture, fill: css(palette.mid) },
          { path: books, fill: css(mix(palette.mid, palette.accentAlt, 0.25)) },
          { path: shade, fill: css(mix(palette.mid, palette.accent, 0.3 + 0.7 * palette.glow)) },
          glow(ctx, lampX, 0.47, 0.3, palette.accent, 0.45 * palette.glow),
        ],
      },
      {
        depth: 1,
        shapes: [
          { path: rectPath(left, 0.82, right - left, 2), fill: css(palette.near) },
          { path: boards, fill: css(scale(palette.near, 0.8)) },
        ],
      },
    ],
    groundY: 0.93,
    hidesSky: true,
  };
}
