import { desaturate, luma, mix, rgb, scale } from "./color.ts";
import type { Rgb } from "./color.ts";
import type { ScenePlan, Setting, TimeOfDay } from "./scene-plan.ts";

/**
 * Every colour a shot uses, decided once per shot. Grading (light colour, moody, black and white)
 * is applied here to the handful of colours rather than to every pixel of every frame: that is
 * what keeps the renderer cheap enough to run faster than real time.
 */
export interface Palette {
  skyTop: Rgb;
  skyHorizon: Rgb;
  /** Sun or moon; `y` is a fraction of the frame height. */
  celestial: { kind: "sun" | "moon"; color: Rgb; glow: Rgb; y: number; radius: number };
  /** 0–1: how many stars show. */
  stars: number;
  far: Rgb;
  mid: Rgb;
  near: Rgb;
  ground: Rgb;
  /** Lit windows, lamps, spotlights, neon. */
  accent: Rgb;
  accentAlt: Rgb;
  /** How strongly light sources glow (night is all glow, noon none). */
  glow: number;
  subject: Rgb;
  rim: Rgb;
  particles: Rgb;
  fog: Rgb;
  /** 0–1 darkening of the frame's edges. */
  vignette: number;
}

interface TimeLook {
  skyTop: string;
  skyHorizon: string;
  celestial: Palette["celestial"];
  stars: number;
  /** How much daylight falls on the scenery. */
  level: number;
  /** Colour cast of the light on the scenery, and how much. */
  cast: [string, number];
  glow: number;
}

const TIME_LOOKS: Record<TimeOfDay, TimeLook> = {
  dawn: {
    skyTop: "#34406e",
    skyHorizon: "#f3a683",
    celestial: { kind: "sun", color: rgb("#ffe2b8"), glow: rgb("#ff9a7a"), y: 0.56, radius: 0.05 },
    stars: 0.15,
    level: 0.72,
    cast: ["#ff9f8a", 0.18],
    glow: 0.35,
  },
  day: {
    skyTop: "#3d7cc9",
    skyHorizon: "#bfe0f4",
    celestial: { kind: "sun", color: rgb("#fffbe8"), glow: rgb("#fff1c0"), y: 0.16, radius: 0.045 },
    stars: 0,
    level: 1,
    cast: ["#fff4dc", 0.05],
    glow: 0,
  },
  sunset: {
    skyTop: "#2c1f4f",
    skyHorizon: "#ff8c42",
    celestial: { kind: "sun", color: rgb("#ffc070"), glow: rgb("#ff6a2a"), y: 0.54, radius: 0.06 },
    stars: 0.05,
    level: 0.6,
    cast: ["#ff8a4a", 0.25],
    glow: 0.5,
  },
  night: {
    skyTop: "#02030a",
    skyHorizon: "#16223f",
    celestial: { kind: "moon", color: rgb("#e8ecf5"), glow: rgb("#5a6e9e"), y: 0.18, radius: 0.035 },
    stars: 1,
    level: 0.22,
    cast: ["#4a6aa8", 0.3],
    glow: 1,
  },
};

/** Scenery materials under white daylight: far, mid, near, ground, accent. */
const MATERIALS: Record<Setting, [string, string, string, string, string]> = {
  city: ["#7a8696", "#4d5866", "#2d3239", "#3a3d42", "#ffcf7a"],
  forest: ["#6a8c78", "#2f5a3a", "#1c3322", "#2e4a25", "#ffd98a"],
  beach: ["#2f6f9a", "#3b86b0", "#d8c08e", "#e2cc9a", "#fff1c8"],
  desert: ["#d9a86a", "#c98d4f", "#b5773d", "#c88a4a", "#ffe0a0"],
  stage: ["#3a2a3e", "#6a1a28", "#4a3426", "#2a1d16", "#ffd27a"],
  interior: ["#b9a891", "#6b5444", "#8a6a4f", "#7a5c44", "#ffc870"],
  space: ["#3b2d6b", "#9a7a62", "#7a7670", "#5c5954", "#bcd4ff"],
  countryside: ["#86a596", "#5f8a4a", "#44702f", "#4c7a33", "#ffe6a0"],
};

/** Indoor places are lit by lamps, so the hour changes them less. */
const INDOOR: ReadonlySet<Setting> = new Set(["stage", "interior"]);

/**
 * The graded colours of one shot.
 * @example makePalette(interpretPrompt("a forest at dawn")).skyHorizon
 */
export function makePalette(scene: ScenePlan): Palette {
  const look = TIME_LOOKS[scene.timeOfDay];
  const [farBase, midBase, nearBase, groundBase, accentBase] = MATERIALS[scene.setting].map(rgb) as [
    Rgb,
    Rgb,
    Rgb,
    Rgb,
    Rgb,
  ];
  const indoor = INDOOR.has(scene.setting);
  const level = indoor ? Math.max(look.level, scene.setting === "stage" ? 0.45 : 0.7) : look.level;
  const cast = rgb(look.cast[0]);
  const light = (color: Rgb) => mix(scale(color, level), scale(cast, level), look.cast[1]);
  let skyTop = rgb(look.skyTop);
  let skyHorizon = rgb(look.skyHorizon);
  if (scene.setting === "space") {
    skyTop = rgb("#000004");
    skyHorizon = rgb("#0c0a22");
  }
  const near = light(nearBase);
  let palette: Palette = {
    skyTop,
    skyHorizon,
    celestial: { ...look.celestial },
    stars: scene.setting === "space" ? 1 : look.stars,
    // Aerial perspective: distant things take the colour of the air in front of them.
    far: mix(light(farBase), skyHorizon, indoor ? 0 : 0.45),
    mid: mix(light(midBase), skyHorizon, indoor ? 0 : 0.18),
    near,
    ground: light(groundBase),
    accent: accentBase,
    accentAlt: mix(accentBase, rgb("#ffffff"), 0.4),
    glow: indoor ? Math.max(look.glow, 0.6) : look.glow,
    subject: scale(near, 0.45),
    rim: mix(look.celestial.glow, rgb("#ffffff"), 0.3),
    particles: mix(skyHorizon, rgb("#ffffff"), 0.6),
    fog: mix(skyHorizon, rgb("#c8ccd4"), 0.5),
    vignette: 0.2,
  };
  if (scene.atmosphere.includes("fog")) palette = fogged(palette);
  if (scene.light !== "natural") palette = tint(palette, scene.light);
  if (scene.moody)
    palette = mapColors({ ...palette, vignette: 0.55 }, (c) => desaturate(scale(c, 0.68), 0.3));
  if (scene.style === "noir") palette = mapColors({ ...palette, vignette: 0.6 }, noir);
  return palette;
}

function tint(palette: Palette, light: "warm" | "cold" | "neon"): Palette {
  if (light === "neon") {
    const magenta = rgb("#ff2bd6");
    const cyan = rgb("#27e8ff");
    return {
      ...mapColors(palette, (c) => mix(c, rgb("#3a1266"), 0.25)),
      accent: magenta,
      accentAlt: cyan,
      rim: cyan,
      glow: Math.max(palette.glow, 0.8),
    };
  }
  const cast = rgb(light === "warm" ? "#ffa050" : "#5a96ff");
  return mapColors(palette, (c) => mix(c, scale(cast, luma(c) / 160 + 0.25), 0.2));
}

/**
 * Fog veils distance: far things sink into the fog colour, near ones less. Done on the colours
 * rather than with a translucent full-frame fill, which would cost a blend of every pixel.
 */
function fogged(palette: Palette): Palette {
  const { fog } = palette;
  return {
    ...palette,
    skyHorizon: mix(palette.skyHorizon, fog, 0.4),
    far: mix(palette.far, fog, 0.55),
    mid: mix(palette.mid, fog, 0.3),
    near: mix(palette.near, fog, 0.1),
    ground: mix(palette.ground, fog, 0.12),
    celestial: { ...palette.celestial, glow: mix(palette.celestial.glow, fog, 0.5) },
  };
}

/** Black and white with a gentle S-curve; a full one would crush night scenes to black. */
function noir(color: Rgb): Rgb {
  const y = luma(color) / 255;
  const curved = 255 * (y + 0.5 * (y * y * (3 - 2 * y) - y));
  return [curved, curved, curved];
}

function mapColors(palette: Palette, map: (color: Rgb) => Rgb): Palette {
  return {
    ...palette,
    skyTop: map(palette.skyTop),
    skyHorizon: map(palette.skyHorizon),
    celestial: {
      ...palette.celestial,
      color: map(palette.celestial.color),
      glow: map(palette.celestial.glow),
    },
    far: map(palette.far),
    mid: map(palette.mid),
    near: map(palette.near),
    ground: map(palette.ground),
    accent: map(palette.accent),
    accentAlt: map(palette.accentAlt),
    subject: map(palette.subject),
    rim: map(palette.rim),
    particles: map(palette.particles),
    fog: map(palette.fog),
  };
}
