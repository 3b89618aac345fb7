import { Path2D } from "@napi-rs/canvas";
import type { SKRSContext2D } from "@napi-rs/canvas";

import { css } from "./color.ts";
import type { Palette } from "./palette.ts";
import type { Random } from "./random.ts";
import type { Atmosphere } from "./scene-plan.ts";

/**
 * Particles and haze in front of the scenery. Every particle's position is a closed-form function
 * of time (start + speed × t, wrapped), not a simulation stepped frame by frame: any frame can be
 * drawn on its own, in any order, and always looks the same.
 */
export type AtmosphereDrawer = (ctx: SKRSContext2D, seconds: number) => void;

interface Options {
  random: Random;
  palette: Palette;
  /** Frame width in world units. */
  aspect: number;
  ctx: SKRSContext2D;
}

/** What falls from the sky (only outdoors or through a window) and what hangs in the air (anywhere). */
export interface AtmosphereDrawers {
  precipitation: AtmosphereDrawer;
  air: AtmosphereDrawer;
}

const FALLING: ReadonlySet<Atmosphere> = new Set(["rain", "snow"]);

/** Drawers for the shot's atmospheres, in world units with a static camera. */
export function createAtmosphere(kinds: readonly Atmosphere[], options: Options): AtmosphereDrawers {
  const group = (falling: boolean): AtmosphereDrawer => {
    const drawers = kinds
      .filter((kind) => FALLING.has(kind) === falling)
      .map((kind) => BUILDERS[kind](options));
    return (ctx, seconds) => {
      for (const draw of drawers) draw(ctx, seconds);
    };
  };
  return { precipitation: group(true), air: group(false) };
}

const wrap = (value: number, size: number) => ((value % size) + size) % size;

const BUILDERS: Record<Atmosphere, (options: Options) => AtmosphereDrawer> = {
  rain({ random, palette, aspect }) {
    const slant = 0.18;
    const drops = Array.from({ length: 170 }, () => ({
      x: random.range(0, aspect + 0.4),
      y: random.next(),
      speed: random.range(1.6, 2.4),
      length: random.range(0.035, 0.08),
    }));
    const color = css(palette.particles, 0.38);
    return (ctx, seconds) => {
      const streaks = new Path2D();
      for (const drop of drops) {
        const y = wrap(drop.y + drop.speed * seconds, 1.3) - 0.15;
        const x = wrap(drop.x - slant * y, aspect + 0.4) - 0.2;
        streaks.moveTo(x, y);
        streaks.lineTo(x - slant * drop.length, y + drop.length);
      }
      ctx.strokeStyle = color;
      ctx.lineWidth = 0.0022;
      ctx.stroke(streaks);
    };
  },

  snow({ random, palette, aspect }) {
    const flakes = Array.from({ length: 180 }, () => ({
      x: random.range(0, aspect),
      y: random.next(),
      speed: random.range(0.05, 0.13),
      radius: random.range(0.0025, 0.007),
      sway: random.range(0.5, 1.4),
      phase: random.range(0, 2 * Math.PI),
    }));
    const color = css(palette.particles, 0.85);
    return (ctx, seconds) => {
      const dots = new Path2D();
      for (const flake of flakes) {
        const y = wrap(flake.y + flake.speed * seconds, 1.1) - 0.05;
        const x = wrap(flake.x + 0.02 * Math.sin(flake.sway * seconds + flake.phase), aspect);
        dots.moveTo(x + flake.radius, y);
        dots.arc(x, y, flake.radius, 0, 2 * Math.PI);
      }
      ctx.fillStyle = color;
      ctx.fill(dots);
    };
  },

  fog({ random, palette, aspect, ctx }) {
    // One band shape (0–1 tall) with soft top and bottom, placed and faded per band per frame.
    const band = ctx.createLinearGradient(0, 0, 0, 1);
    band.addColorStop(0, css(palette.fog, 0));
    band.addColorStop(0.5, css(palette.fog, 1));
    band.addColorStop(1, css(palette.fog, 0));
    const bands = Array.from({ length: 2 }, () => ({
      y: random.range(0.55, 0.85),
      height: random.range(0.16, 0.26),
      alpha: random.range(0.25, 0.4),
      phase: random.range(0, 2 * Math.PI),
    }));
    // The overall haze is in the palette (see palette.ts); here only drifting banks of fog.
    return (ctx, seconds) => {
      ctx.fillStyle = band;
      for (const b of bands) {
        ctx.save();
        ctx.globalAlpha = b.alpha * (0.8 + 0.2 * Math.sin(0.5 * seconds + b.phase));
        ctx.translate(0, b.y - b.height / 2 + 0.015 * Math.sin(0.3 * seconds + b.phase));
        ctx.scale(1, b.height);
        ctx.fillRect(-0.1, 0, aspect + 0.2, 1);
        ctx.restore();
      }
    };
  },

  smoke({ random, palette, aspect, ctx }) {
    const puff = ctx.createRadialGradient(0, 0, 0, 0, 0, 1);
    puff.addColorStop(0, css(palette.fog, 1));
    puff.addColorStop(1, css(palette.fog, 0));
    const disc = new Path2D();
    disc.arc(0, 0, 1, 0, 2 * Math.PI);
    // Puffs scale with the frame's narrow side, so a portrait frame is not one big cloud.
    const size = Math.min(1, aspect);
    const puffs = Array.from({ length: 6 }, () => ({
      x: random.range(0.1, 0.9) * aspect,
      y: random.range(0.75, 0.95),
      period: random.range(6, 9),
      phase: random.next(),
      drift: random.range(-0.08, 0.08),
    }));
    return (ctx, seconds) => {
      ctx.fillStyle = puff;
      for (const p of puffs) {
        const life = wrap(seconds / p.period + p.phase, 1);
        const radius = size * (0.05 + 0.17 * life);
        ctx.save();
        ctx.globalAlpha = 0.3 * Math.sin(Math.PI * life);
        ctx.translate(p.x + p.drift * life + 0.02 * Math.sin(3 * life + p.phase * 6), p.y - 0.35 * life);
        ctx.scale(radius, radius);
        ctx.fill(disc);
        ctx.restore();
      }
    };
  },
};
