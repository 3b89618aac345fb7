import { mix } from "./color.ts";
import type { Palette } from "./palette.ts";
import { dot, glowDot, inkOf, plot, streak } from "./pixels.ts";
import type { Pixels, Rect } from "./pixels.ts";
import type { Random } from "./random.ts";
import type { Strike } from "../lightning.ts";
import type { ScenePlan } from "../scene-plan.ts";

/**
 * What hangs or falls in the air, drawn straight into each finished frame: rain, snow, dust,
 * fireflies, smoke, drifting fog, bubbles under water and glints on water. Every particle's
 * position is a closed-form function of time (start + speed × t, wrapped), not a simulation
 * stepped frame by frame: any frame can be drawn on its own and always looks the same.
 * Sizes scale with the frame height, so every aspect ratio looks alike.
 */
export interface AtmosphereOptions {
  scene: ScenePlan;
  palette: Palette;
  random: Random;
  width: number;
  height: number;
  /** A band of the frame where water glints (pixels), if the scenery has water. */
  glints: { top: number; bottom: number } | undefined;
  /** Lightning of a storm (see lightning.ts: the soundtrack thunders on the same strikes). */
  strikes: readonly Strike[];
}

export type ParticleDrawer = (px: Pixels, seconds: number, clip: Rect | undefined) => void;

export interface Atmosphere {
  /** Rain and snow: indoors they only fall in the window (the clip). */
  weather: ParticleDrawer;
  /** Everything else in the air, and glints. */
  air: ParticleDrawer;
  /** Lightning: the flash strength (0–1) at `seconds`, and the bolt if one is striking. */
  lightning(seconds: number): { flash: number; bolt: Array<[number, number]> | undefined };
}

const wrap = (value: number, size: number) => ((value % size) + size) % size;

export function createAtmosphere(options: AtmosphereOptions): Atmosphere {
  const { scene, palette, random, width, height } = options;
  const unit = height / 1080;
  const area = (width * height) / (1920 * 1080);
  const kinds = new Set(scene.atmosphere);
  const storm = kinds.has("storm");
  const weather: ParticleDrawer[] = [];
  const air: ParticleDrawer[] = [];

  if (kinds.has("rain") || storm) {
    const slant = storm ? 0.32 : 0.16;
    const drops = Array.from({ length: Math.round((storm ? 360 : 230) * area) }, () => ({
      x: random.next(),
      y: random.next(),
      speed: random.range(1.5, 2.3),
      length: random.range(0.035, 0.075),
    }));
    const ink = inkOf(mix(palette.particles, [255, 255, 255], 0.3));
    weather.push((px, seconds, clip) => {
      for (const drop of drops) {
        const y = (wrap(drop.y + drop.speed * seconds, 1.25) - 0.12) * height;
        const x = wrap(drop.x * width + slant * y, width + 0.2 * height) - 0.1 * height;
        const len = drop.length * height;
        streak(px, x - slant * len, y - len, x, y, ink, 120, clip);
      }
    });
  }

  if (kinds.has("snow")) {
    const flakes = Array.from({ length: Math.round(260 * area) }, () => ({
      x: random.next(),
      y: random.next(),
      speed: random.range(0.05, 0.14),
      radius: random.range(1, 3.6),
      sway: random.range(0.5, 1.4),
      phase: random.range(0, 2 * Math.PI),
    }));
    const ink = inkOf(mix(palette.particles, [255, 255, 255], 0.5));
    weather.push((px, seconds, clip) => {
      for (const flake of flakes) {
        const y = (wrap(flake.y + flake.speed * seconds, 1.1) - 0.05) * height;
        const x = wrap(flake.x * width + 0.02 * height * Math.sin(flake.sway * seconds + flake.phase), width);
        dot(px, x, y, flake.radius * unit, ink, 220, clip);
      }
    });
  }

  if (kinds.has("dust")) {
    const windy = scene.setting === "desert";
    const motes = Array.from({ length: Math.round((windy ? 320 : 140) * area) }, () => ({
      x: random.next(),
      y: random.next(),
      vx: windy ? random.range(0.08, 0.2) : random.range(-0.01, 0.01),
      vy: random.range(-0.01, 0.01),
      phase: random.range(0, 2 * Math.PI),
    }));
    const ink = inkOf(
      windy ? mix(palette.ground, palette.particles, 0.5) : mix(palette.particles, palette.accent, 0.3),
    );
    air.push((px, seconds) => {
      for (const mote of motes) {
        const x = wrap(mote.x + mote.vx * seconds + 0.005 * Math.sin(seconds + mote.phase), 1) * width;
        const y = wrap(mote.y + mote.vy * seconds + 0.004 * Math.cos(0.7 * seconds + mote.phase), 1) * height;
        const twinkle = 0.5 + 0.5 * Math.sin(2.3 * seconds + mote.phase);
        plot(px, x, y, ink, Math.round(60 + 120 * twinkle));
        if (unit > 0.7) plot(px, x + 1, y, ink, Math.round(40 + 60 * twinkle));
      }
    });
  }

  if (kinds.has("fireflies")) {
    const flies = Array.from({ length: Math.round(44 * Math.sqrt(area)) }, () => ({
      x: random.next(),
      y: random.range(0.45, 0.95),
      phase: random.range(0, 2 * Math.PI),
      rate: random.range(0.6, 1.3),
    }));
    const glow = inkOf(palette.firefly);
    const core = inkOf(mix(palette.firefly, [255, 255, 255], 0.6));
    air.push((px, seconds) => {
      for (const fly of flies) {
        const blink = Math.max(0, Math.sin(fly.rate * 2.1 * seconds + fly.phase));
        if (blink < 0.05) continue;
        const x = wrap(fly.x + 0.02 * Math.sin(0.4 * seconds + fly.phase), 1) * width;
        const y = (fly.y + 0.015 * Math.sin(0.5 * seconds * fly.rate + 2 * fly.phase)) * height;
        glowDot(px, x, y, 9 * unit, glow, Math.round(140 * blink));
        dot(px, x, y, 1.4 * unit, core, Math.round(255 * blink));
      }
    });
  }

  if (kinds.has("smoke")) {
    const puffs = Array.from({ length: 5 }, () => ({
      x: random.range(0.1, 0.9),
      y: random.range(0.7, 0.95),
      period: random.range(6, 9),
      phase: random.next(),
      drift: random.range(-0.05, 0.05),
    }));
    const ink = inkOf(palette.fog);
    air.push((px, seconds) => {
      for (const p of puffs) {
        const life = wrap(seconds / p.period + p.phase, 1);
        const radius = Math.min(width, height) * (0.04 + 0.05 * life);
        const x = (p.x + p.drift * life) * width;
        const y = (p.y - 0.35 * life) * height;
        glowDot(px, x, y, radius, ink, Math.round(70 * Math.sin(Math.PI * life)));
      }
    });
  }

  if (kinds.has("fog")) {
    const wisps = Array.from({ length: 3 }, () => ({
      x: random.next(),
      y: random.range(0.55, 0.85),
      speed: random.range(0.008, 0.02),
    }));
    const ink = inkOf(palette.fog);
    air.push((px, seconds) => {
      for (const wisp of wisps) {
        const x = wrap(wisp.x + wisp.speed * seconds, 1.2) * width - 0.1 * width;
        glowDot(px, x, wisp.y * height, 0.11 * height, ink, 60);
      }
    });
  }

  if (scene.setting === "underwater") {
    const bubbles = Array.from({ length: Math.round(50 * area) }, () => ({
      x: random.next(),
      y: random.next(),
      speed: random.range(0.05, 0.15),
      r: random.range(1.5, 4),
      phase: random.range(0, 6),
    }));
    const ink = inkOf(mix(palette.particles, [255, 255, 255], 0.5));
    air.push((px, seconds) => {
      for (const b of bubbles) {
        const y = (1.05 - wrap(b.y + b.speed * seconds, 1.1)) * height;
        const x = (b.x + 0.006 * Math.sin(3 * seconds + b.phase)) * width;
        dot(px, x, y, b.r * unit, ink, 110);
      }
    });
  }

  if (options.glints) {
    const band = options.glints;
    const sparkles = Array.from({ length: Math.round(90 * area) }, () => ({
      x: random.next(),
      y: random.next(),
      rate: random.range(1, 3),
      phase: random.range(0, 6),
    }));
    const ink = inkOf(mix(palette.celestial.color, palette.particles, 0.3));
    air.push((px, seconds) => {
      for (const s of sparkles) {
        const on = Math.sin(s.rate * seconds + s.phase);
        if (on < 0.3) continue;
        const y = band.top + (band.bottom - band.top) * s.y * s.y;
        const x = wrap(s.x + 0.004 * seconds, 1) * width;
        const w = (2 + 6 * s.y) * unit;
        for (let k = 0; k < w; k++) plot(px, x + k, y, ink, Math.round(200 * (on - 0.3)));
      }
    });
  }

  const { strikes } = options;
  return {
    weather: (px, seconds, clip) => {
      for (const draw of weather) draw(px, seconds, clip);
    },
    air: (px, seconds, clip) => {
      for (const draw of air) draw(px, seconds, clip);
    },
    lightning(seconds) {
      for (const strike of strikes) {
        const since = seconds - strike.at;
        if (since < 0 || since > 0.3) continue;
        // Two quick pulses, then the flash dies away.
        const flash = since < 0.08 ? 1 : since < 0.12 ? 0.3 : Math.max(0, 0.8 - (since - 0.12) * 4);
        const bolt: Array<[number, number]> = [];
        let x = strike.x * width;
        for (let y = 0, k = 0; y < height * 0.62; y += height * 0.05, k++) {
          bolt.push([x, y]);
          x += Math.sin(strike.seed * 100 + k * 12.9898) * 0.5 * height * 0.06;
        }
        return { flash: 0.55 * flash, bolt: since < 0.15 ? bolt : undefined };
      }
      return { flash: 0, bolt: undefined };
    },
  };
}
