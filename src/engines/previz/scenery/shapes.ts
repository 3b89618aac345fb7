import { Path2D } from "@napi-rs/canvas";
import type { SKRSContext2D } from "@napi-rs/canvas";

import { css } from "../color.ts";
import type { Rgb } from "../color.ts";
import type { Random } from "../random.ts";

/** Shape helpers shared by the setting builders; all coordinates are world units. */

/** A smooth random skyline function: a sum of a few sines with seeded phases. */
export function undulation(random: Random, amplitude: number, wavelength: number): (x: number) => number {
  const waves = [1, 2.3, 5.1].map((k, i) => ({
    k: (2 * Math.PI * k) / wavelength,
    phase: random.range(0, 2 * Math.PI),
    weight: amplitude / (i + 1) / 1.83,
  }));
  return (x) => waves.reduce((sum, w) => sum + w.weight * Math.sin(w.k * x + w.phase), 0);
}

/** A filled band whose top edge follows `top(x)` and which reaches well below the frame. */
export function ridge(left: number, right: number, top: (x: number) => number, step = 0.02): Path2D {
  const path = new Path2D();
  path.moveTo(left, 2);
  for (let x = left; x < right + step; x += step) path.lineTo(x, top(x));
  path.lineTo(right + step, 2);
  path.closePath();
  return path;
}

/** A conifer: three stacked triangles. */
export function conifer(path: Path2D, x: number, baseY: number, height: number): void {
  const width = height * 0.42;
  for (let tier = 0; tier < 3; tier++) {
    const tierBase = baseY - height * 0.12 - tier * height * 0.26;
    const tierWidth = width * (1 - tier * 0.25);
    path.moveTo(x - tierWidth / 2, tierBase);
    path.lineTo(x, tierBase - height * 0.45);
    path.lineTo(x + tierWidth / 2, tierBase);
    path.closePath();
  }
  path.rect(x - height * 0.025, baseY - height * 0.14, height * 0.05, height * 0.14);
}

/** A soft round light: the colour at the centre fading to nothing at `radius`. */
export function glow(ctx: SKRSContext2D, x: number, y: number, radius: number, color: Rgb, alpha: number) {
  const gradient = ctx.createRadialGradient(x, y, 0, x, y, radius);
  gradient.addColorStop(0, css(color, alpha));
  gradient.addColorStop(0.35, css(color, alpha * 0.35));
  gradient.addColorStop(1, css(color, 0));
  const path = new Path2D();
  path.arc(x, y, radius, 0, 2 * Math.PI);
  return { path, fill: gradient };
}

/** A vertical gradient from `top` to `bottom` colour between two world ys. */
export function verticalGradient(ctx: SKRSContext2D, y0: number, y1: number, top: string, bottom: string) {
  const gradient = ctx.createLinearGradient(0, y0, 0, y1);
  gradient.addColorStop(0, top);
  gradient.addColorStop(1, bottom);
  return gradient;
}

export function rectPath(x: number, y: number, width: number, height: number): Path2D {
  const path = new Path2D();
  path.rect(x, y, width, height);
  return path;
}
