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
  path.moveTo(left, 3);
  for (let x = left; x < right + step; x += step) path.lineTo(x, top(x));
  path.lineTo(right + step, 3);
  path.closePath();
  return path;
}

/** Jagged peaks: straight slopes between random summits, as mountains read from afar. */
export function peaks(
  random: Random,
  left: number,
  right: number,
  base: number,
  height: [number, number],
  width: [number, number],
) {
  const points: Array<[number, number]> = [[left - 0.2, base]];
  for (let x = left - 0.2; x < right + 0.2;) {
    const w = random.range(width[0], width[1]);
    points.push([x + w / 2, base - random.range(height[0], height[1])]);
    points.push([x + w, base - random.range(0, height[0] * 0.5)]);
    x += w;
  }
  return points;
}

/** A filled polygon through `points`, closed far below the frame. */
export function polygonDown(points: ReadonlyArray<readonly [number, number]>): Path2D {
  const path = new Path2D();
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return path;
  path.moveTo(first[0], 3);
  for (const [x, y] of points) path.lineTo(x, y);
  path.lineTo(last[0], 3);
  path.closePath();
  return path;
}

/** A conifer: three stacked triangles and a trunk. */
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

/** A broadleaf tree: trunk and a crown of overlapping discs. */
export function broadleaf(path: Path2D, random: Random, x: number, baseY: number, size: number): void {
  path.rect(x - size * 0.08, baseY - size * 1.1, size * 0.16, size * 1.1);
  for (let i = 0; i < 4; i++) {
    const cx = x + random.range(-0.5, 0.5) * size;
    const cy = baseY - size * (1.3 + random.range(0, 0.5));
    const r = size * random.range(0.45, 0.7);
    path.moveTo(cx + r, cy);
    path.arc(cx, cy, r, 0, 2 * Math.PI);
  }
}

/** A soft round light as a Skia fill: the colour at the centre fading to nothing at `radius`. */
export function glowShape(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  radius: number,
  color: Rgb,
  alpha: number,
) {
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

/**
 * Adds an ellipse as a closed sub-path of its own. `Path2D.ellipse` alone continues the current
 * sub-path, joining the previous shape to this one with a stray edge.
 */
export function oval(
  path: Path2D,
  x: number,
  y: number,
  rx: number,
  ry: number,
  rotation = 0,
  start = 0,
  end = 2 * Math.PI,
): void {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const ex = rx * Math.cos(start);
  const ey = ry * Math.sin(start);
  path.moveTo(x + ex * cos - ey * sin, y + ex * sin + ey * cos);
  path.ellipse(x, y, rx, ry, rotation, start, end);
  path.closePath();
}
