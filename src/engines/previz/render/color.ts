/** Colours as linear-ish 0–255 RGB triples, mixed on the CPU once per shot (never per pixel). */
export type Rgb = readonly [number, number, number];

export function rgb(hex: string): Rgb {
  const value = Number.parseInt(hex.replace("#", ""), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** `a` when `amount` is 0, `b` when it is 1. */
export function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return [a[0] + (b[0] - a[0]) * amount, a[1] + (b[1] - a[1]) * amount, a[2] + (b[2] - a[2]) * amount];
}

export function scale(color: Rgb, factor: number): Rgb {
  return [color[0] * factor, color[1] * factor, color[2] * factor];
}

/** BT.709 luma, 0–255. */
export function luma(color: Rgb): number {
  return 0.2126 * color[0] + 0.7152 * color[1] + 0.0722 * color[2];
}

/** Moves a colour toward its own grey: 0 keeps it, 1 removes all saturation. */
export function desaturate(color: Rgb, amount: number): Rgb {
  const y = luma(color);
  return mix(color, [y, y, y], amount);
}

/** CSS colour string for the canvas, clamped and rounded so output is stable. */
export function css(color: Rgb, alpha = 1): string {
  const channel = (value: number) => Math.round(Math.min(255, Math.max(0, value)));
  const [r, g, b] = color.map(channel) as [number, number, number];
  return alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${Math.round(alpha * 1000) / 1000})`;
}
