import { Path2D } from "@napi-rs/canvas";
import type { SKRSContext2D } from "@napi-rs/canvas";

import { css, mix, scale } from "./color.ts";
import type { Rgb } from "./color.ts";
import type { Look } from "./grade.ts";
import type { Palette } from "./palette.ts";
import type { Random } from "./random.ts";
import { glowShape, verticalGradient, oval } from "./scenery/shapes.ts";
import type { WorldBox } from "./scenery/types.ts";
import type { ScenePlan } from "../scene-plan.ts";

/**
 * The sky: gradient, stars, sun or moon, clouds — or, in space, nebulae, and under water, the
 * lit column of water with its light rays. Drawn once per shot into the backdrop, in world units
 * (the caller sets the transform), so none of its soft gradients cost anything per frame.
 */
export interface SkyPainting {
  ctx: SKRSContext2D;
  scene: ScenePlan;
  palette: Palette;
  look: Look;
  random: Random;
  /** The world region to cover (the frame plus the camera's excursions). */
  box: WorldBox;
  aspect: number;
}

/** World y where the sky gradient reaches its horizon colour. */
const HORIZON_Y = 0.74;

export function paintSky(sky: SkyPainting): void {
  const { ctx, palette, box, scene } = sky;
  const underwater = scene.setting === "underwater";
  // Under water the light comes from above: bright near the surface, deep blue below.
  const [top, bottom] = underwater
    ? [palette.skyHorizon, palette.skyTop]
    : [palette.skyTop, palette.skyHorizon];
  paintGradient(ctx, sky.look, box, top, bottom);
  if (scene.setting === "space") paintNebulae(sky);
  paintStars(sky);
  if (!underwater && scene.setting !== "space") paintCelestial(sky);
  if (scene.setting === "space") paintCelestial(sky);
  if (underwater) paintLightRays(sky);
  else if (scene.setting !== "space" && palette.clouds > 0) paintClouds(sky);
  if (scene.atmosphere.includes("fog") || scene.atmosphere.includes("dust")) {
    // A bank of haze on the horizon; the palette already veils distant scenery.
    ctx.fillStyle = verticalGradient(
      ctx,
      HORIZON_Y - 0.3,
      HORIZON_Y + 0.05,
      css(palette.fog, 0),
      css(palette.fog, 0.7),
    );
    ctx.fillRect(box.left, HORIZON_Y - 0.3, box.right - box.left, box.bottom - HORIZON_Y + 0.3);
  }
  if (sky.look.paper) paintPaper(sky);
}

function paintGradient(ctx: SKRSContext2D, look: Look, box: WorldBox, top: Rgb, bottom: Rgb): void {
  const width = box.right - box.left;
  if (look.skyBands > 0) {
    // Cel animation paints skies in a few flat bands.
    const span = HORIZON_Y - box.top;
    for (let i = 0; i < look.skyBands; i++) {
      ctx.fillStyle = css(mix(top, bottom, i / (look.skyBands - 1)));
      ctx.fillRect(
        box.left,
        box.top + (span * i) / look.skyBands,
        width,
        i === look.skyBands - 1 ? box.bottom : span / look.skyBands + 0.002,
      );
    }
    return;
  }
  ctx.fillStyle = verticalGradient(ctx, Math.min(0, box.top), HORIZON_Y, css(top), css(bottom));
  ctx.fillRect(box.left, box.top, width, box.bottom - box.top);
}

function paintStars(sky: SkyPainting): void {
  const { ctx, palette, random, box } = sky;
  if (palette.stars <= 0) return;
  const area = (box.right - box.left) * (HORIZON_Y - box.top);
  const count = Math.round(palette.stars * 420 * area);
  const small = new Path2D();
  const bright = new Path2D();
  for (let i = 0; i < count; i++) {
    const x = random.range(box.left, box.right);
    // Fewer stars low in the sky, where the air is thicker.
    const y = box.top + (HORIZON_Y - box.top) * Math.pow(random.next(), 1.4);
    const size = random.range(0.0011, 0.0026);
    (random.next() < 0.12 ? bright : small).rect(x, y, size * (random.next() < 0.12 ? 1.6 : 1), size);
  }
  ctx.fillStyle = css(palette.particles, 0.55 * Math.min(1, palette.stars + 0.2));
  ctx.fill(small);
  ctx.fillStyle = css(mix(palette.particles, [255, 255, 255], 0.6), Math.min(1, 0.5 + palette.stars * 0.5));
  ctx.fill(bright);
}

function paintCelestial(sky: SkyPainting): void {
  const { ctx, palette, aspect } = sky;
  const { celestial } = palette;
  const x = celestial.x * aspect;
  const glow = glowShape(
    ctx,
    x,
    celestial.y,
    celestial.radius * 7,
    celestial.glow,
    celestial.kind === "sun" ? 0.6 : 0.35,
  );
  ctx.fillStyle = glow.fill;
  ctx.fill(glow.path);
  ctx.fillStyle = css(celestial.color);
  ctx.beginPath();
  ctx.arc(x, celestial.y, celestial.radius, 0, 2 * Math.PI);
  ctx.fill();
  if (celestial.kind === "moon") {
    // Maria: a few darker patches, so the moon is not a sun.
    ctx.fillStyle = css(scale(celestial.color, 0.82));
    for (const [dx, dy, r] of [
      [-0.3, -0.2, 0.28],
      [0.25, 0.15, 0.22],
      [-0.05, 0.35, 0.16],
    ] as const) {
      ctx.beginPath();
      ctx.arc(
        x + dx * celestial.radius,
        celestial.y + dy * celestial.radius,
        r * celestial.radius,
        0,
        2 * Math.PI,
      );
      ctx.fill();
    }
  }
}

/** Clouds: clusters of overlapping ellipses, lit on top and shaded below. */
function paintClouds(sky: SkyPainting): void {
  const { ctx, palette, random, box, scene } = sky;
  const storm = scene.atmosphere.includes("storm");
  const count = Math.round(palette.clouds * 14 * (box.right - box.left));
  for (let i = 0; i < count; i++) {
    const cx = random.range(box.left, box.right);
    const cy = random.range(Math.max(box.top, -0.1), scene.setting === "sky" ? 0.85 : 0.5);
    const size = random.range(0.08, storm ? 0.3 : 0.2);
    const puffs = random.int(4, 8);
    const body = new Path2D();
    const shade = new Path2D();
    for (let p = 0; p < puffs; p++) {
      const px = cx + random.range(-1.6, 1.6) * size;
      const py = cy + random.range(-0.3, 0.2) * size;
      const r = size * random.range(0.45, 0.9);
      oval(body, px, py, r * 1.4, r * 0.8);
      oval(shade, px, py + r * 0.35, r * 1.3, r * 0.45);
    }
    const alpha = storm ? 0.92 : 0.8;
    ctx.fillStyle = css(storm ? scale(palette.cloudShade, 0.7) : palette.cloud, alpha);
    ctx.fill(body);
    ctx.fillStyle = css(storm ? scale(palette.cloudShade, 0.5) : palette.cloudShade, 0.45);
    ctx.fill(shade);
  }
}

function paintNebulae(sky: SkyPainting): void {
  const { ctx, palette, random, box } = sky;
  const colors = [palette.far, palette.accent, mix(palette.far, palette.accentAlt, 0.5)];
  for (let i = 0; i < 5; i++) {
    const color = colors[i % colors.length] ?? palette.far;
    const glow = glowShape(
      ctx,
      random.range(box.left, box.right),
      random.range(0, 0.6),
      random.range(0.2, 0.45),
      color,
      0.35,
    );
    ctx.fillStyle = glow.fill;
    ctx.fill(glow.path);
  }
  // The Milky Way: a tilted band of haze.
  ctx.save();
  ctx.translate((box.left + box.right) / 2, 0.35);
  ctx.rotate(random.range(-0.5, 0.5));
  const band = ctx.createLinearGradient(0, -0.12, 0, 0.12);
  band.addColorStop(0, css(palette.particles, 0));
  band.addColorStop(0.5, css(palette.particles, 0.12));
  band.addColorStop(1, css(palette.particles, 0));
  ctx.fillStyle = band;
  ctx.fillRect(-3, -0.12, 6, 0.24);
  ctx.restore();
}

/** Shafts of light from the surface, spreading downward. */
function paintLightRays(sky: SkyPainting): void {
  const { ctx, palette, random, box } = sky;
  const rays = Math.round(5 * (box.right - box.left));
  for (let i = 0; i < rays; i++) {
    const x = random.range(box.left, box.right);
    const spread = random.range(0.04, 0.1);
    const shaft = new Path2D();
    shaft.moveTo(x - spread * 0.3, box.top);
    shaft.lineTo(x + spread * 0.3, box.top);
    shaft.lineTo(x + spread + 0.15, 1.1);
    shaft.lineTo(x - spread + 0.15, 1.1);
    shaft.closePath();
    ctx.fillStyle = verticalGradient(
      ctx,
      box.top,
      1,
      css(palette.particles, random.range(0.12, 0.22)),
      css(palette.particles, 0),
    );
    ctx.fill(shaft);
  }
}

/** Watercolour paper: faint blotches of uneven wash and a fine tooth. */
export function paintPaper(sky: SkyPainting): void {
  const { ctx, random, box, palette } = sky;
  for (let i = 0; i < 40; i++) {
    const blot = glowShape(
      ctx,
      random.range(box.left, box.right),
      random.range(box.top, box.bottom),
      random.range(0.05, 0.2),
      mix(palette.skyHorizon, [255, 250, 240], 0.5),
      0.12,
    );
    ctx.fillStyle = blot.fill;
    ctx.fill(blot.path);
  }
}
