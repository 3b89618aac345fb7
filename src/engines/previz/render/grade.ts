import { desaturate, luma, mix, rgb, scale } from "./color.ts";
import type { Rgb } from "./color.ts";
import type { Style } from "../scene-plan.ts";

/**
 * A style's look. The colour grade is a function applied to the few dozen colours of a shot's
 * palette (never per pixel), plus the screen-space touches `finish.ts` adds to each frame.
 */
export interface Look {
  grade(color: Rgb): Rgb;
  /** 0–1 darkening (or, for paper styles, whitening) of the frame's corners. */
  vignette: number;
  vignetteInk: Rgb;
  /** 0–1: specks of film grain per frame. */
  grain: number;
  /** Old-film hairline scratches and dust. */
  scratches: boolean;
  /** The frame jitters a pixel or two, as film does in a projector gate. */
  weave: boolean;
  /** Ink outlines around shapes (cel animation). */
  outline: boolean;
  /** The sky in a few flat bands instead of a smooth gradient (cel animation). */
  skyBands: number;
  /** Paper texture and soft washes (watercolour). */
  paper: boolean;
}

const identity = (color: Rgb) => color;

/** Black and white with an S-curve: noir's hard contrast without crushing night to black. */
function noir(color: Rgb): Rgb {
  const y = luma(color) / 255;
  const curved = 255 * Math.min(1, Math.max(0, y + 0.7 * (y * y * (3 - 2 * y) - y)));
  return [curved, curved, curved];
}

/** Warm, faded, lifted blacks: a print that has sat in a drawer. */
function vintage(color: Rgb): Rgb {
  const sepia = mix(color, [luma(color) * 1.07, luma(color) * 0.95, luma(color) * 0.78], 0.55);
  return mix(scale(sepia, 0.86), rgb("#3a2a1c"), 0.12).map((c) => c + 18) as unknown as Rgb;
}

function saturate(color: Rgb, amount: number): Rgb {
  const y = luma(color);
  return color.map((c) => y + (c - y) * amount) as unknown as Rgb;
}

/** Shadows toward violet-blue, highlights toward magenta and cyan. */
function cyberpunk(color: Rgb): Rgb {
  const y = luma(color) / 255;
  const shadow = rgb("#1a0b3d");
  const pushed = mix(color, shadow, 0.45 * (1 - y));
  return saturate(mix(pushed, rgb("#ff4fd8"), 0.08 * y), 1.35);
}

const PAPER = rgb("#f6f0e3");

const LOOKS: Record<Style, Look> = {
  photorealistic: {
    grade: identity,
    vignette: 0.28,
    vignetteInk: [0, 0, 0],
    grain: 0.12,
    scratches: false,
    weave: false,
    outline: false,
    skyBands: 0,
    paper: false,
  },
  noir: {
    grade: noir,
    vignette: 0.6,
    vignetteInk: [0, 0, 0],
    grain: 0.5,
    scratches: false,
    weave: false,
    outline: false,
    skyBands: 0,
    paper: false,
  },
  vintage: {
    grade: vintage,
    vignette: 0.55,
    vignetteInk: [10, 6, 2],
    grain: 0.8,
    scratches: true,
    weave: true,
    outline: false,
    skyBands: 0,
    paper: false,
  },
  anime: {
    grade: (c) => saturate(scale(c, 1.08), 1.3),
    vignette: 0.12,
    vignetteInk: [0, 0, 0],
    grain: 0,
    scratches: false,
    weave: false,
    outline: true,
    skyBands: 7,
    paper: false,
  },
  watercolor: {
    grade: (c) => mix(desaturate(c, 0.15), PAPER, 0.22),
    vignette: 0.55,
    vignetteInk: PAPER,
    grain: 0,
    scratches: false,
    weave: false,
    outline: false,
    skyBands: 0,
    paper: true,
  },
  cyberpunk: {
    grade: cyberpunk,
    vignette: 0.45,
    vignetteInk: [6, 0, 18],
    grain: 0.2,
    scratches: false,
    weave: false,
    outline: false,
    skyBands: 0,
    paper: false,
  },
  pastel: {
    grade: (c) => mix(desaturate(c, 0.35), rgb("#fff4f6"), 0.38),
    vignette: 0.3,
    vignetteInk: rgb("#f7dfe6"),
    grain: 0,
    scratches: false,
    weave: false,
    outline: false,
    skyBands: 0,
    paper: false,
  },
};

export function lookOf(style: Style): Look {
  return LOOKS[style];
}
