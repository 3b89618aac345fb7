import { desaturate, luma, mix, rgb, scale } from "./color.ts";
import type { Rgb } from "./color.ts";
import { lookOf } from "./grade.ts";
import { MATERIALS, TIME_LOOKS } from "./materials.ts";
import type { ScenePlan, Setting } from "../scene-plan.ts";

/**
 * Every colour a shot uses, decided once per shot from its time of day, setting, light,
 * atmosphere and style. Grading is applied here to the handful of colours rather than to every
 * pixel of every frame: that is what keeps the renderer cheap enough to beat real time.
 */
export interface Palette {
  skyTop: Rgb;
  skyHorizon: Rgb;
  /** Sun or moon; `y` is a fraction of the frame height, `x` of its width. */
  celestial: { kind: "sun" | "moon"; color: Rgb; glow: Rgb; x: number; y: number; radius: number };
  /** 0–1: how many stars show. */
  stars: number;
  cloud: Rgb;
  cloudShade: Rgb;
  /** 0–1: how much of the sky is cloud. */
  clouds: number;
  far: Rgb;
  mid: Rgb;
  near: Rgb;
  ground: Rgb;
  water: Rgb;
  /** Lit windows, lamps, neon, candles. */
  accent: Rgb;
  accentAlt: Rgb;
  /** 0–1: how strongly lights glow (night is all glow, noon none). */
  glow: number;
  /** Bodies of subjects (in shadow) and their clothes. */
  subject: Rgb;
  clothes: Rgb;
  skin: Rgb;
  /** The light's edge on subjects, on the side of the source. */
  rim: Rgb;
  particles: Rgb;
  fog: Rgb;
  /** Living colours that no material above covers: cacti and kelp, coral, firefly light. */
  foliage: Rgb;
  coral: Rgb;
  firefly: Rgb;
  /** Outline ink (cel style) and the lightning flash. */
  ink: Rgb;
  flash: Rgb;
  /** Snow lies on the ground. */
  snowCover: boolean;
}

/** Lamp-lit places, where the hour changes little. */
const INDOOR: ReadonlySet<Setting> = new Set(["stage", "interior"]);

/**
 * The graded colours of one shot; `celestialX` (0–1 of the frame width) places the sun or moon.
 * @example makePalette(interpretPrompt("a forest at dawn"), 0.3).skyHorizon
 */
export function makePalette(scene: ScenePlan, celestialX: number): Palette {
  const look = TIME_LOOKS[scene.timeOfDay];
  const [farBase, midBase, nearBase, groundBase, waterBase, accentBase] = MATERIALS[scene.setting].map(
    rgb,
  ) as [Rgb, Rgb, Rgb, Rgb, Rgb, Rgb];
  const indoor = INDOOR.has(scene.setting);
  let level = indoor ? Math.max(look.level, scene.setting === "stage" ? 0.42 : 0.72) : look.level;
  if (scene.light.spotlight) level *= 0.7;
  const cast = rgb(look.cast[0]);
  const lit = (color: Rgb) => mix(scale(color, level), scale(cast, level), look.cast[1]);
  let skyTop = rgb(look.skyTop);
  let skyHorizon = rgb(look.skyHorizon);
  if (scene.setting === "space") [skyTop, skyHorizon] = [rgb("#000004"), rgb("#0c0a22")];
  if (scene.setting === "underwater")
    [skyTop, skyHorizon] = [
      scale(rgb("#0d5f86"), 0.4 + 0.6 * look.level),
      scale(rgb("#39b6c8"), 0.3 + 0.7 * look.level),
    ];
  const storm = scene.atmosphere.includes("storm");
  if (storm) [skyTop, skyHorizon] = [mix(skyTop, rgb("#2c3038"), 0.7), mix(skyHorizon, rgb("#5a616b"), 0.6)];
  const snowCover = scene.setting === "snowfield" || scene.atmosphere.includes("snow");
  // Snow throws back what light there is: it stays pale even under the moon.
  const snowLit = (color: Rgb) => mix(lit(color), scale(color, 0.55), Math.max(0, 0.6 - level));
  const ground =
    snowCover && !indoor && scene.setting !== "space" ? snowLit(rgb("#eef3f9")) : lit(groundBase);
  const near = lit(nearBase);
  const air = indoor ? 0 : 1;
  let palette: Palette = {
    skyTop,
    skyHorizon,
    celestial: { ...look.sun, color: rgb(look.sun.color), glow: rgb(look.sun.glow), x: celestialX },
    stars:
      scene.setting === "space"
        ? 1
        : scene.atmosphere.includes("stars")
          ? Math.max(0.8, look.stars)
          : storm
            ? 0
            : look.stars,
    cloud: mix(skyHorizon, rgb("#ffffff"), look.level * 0.7),
    cloudShade: mix(skyTop, skyHorizon, 0.5),
    // A starry night is a clear one.
    clouds: storm
      ? 0.9
      : scene.setting === "sky"
        ? 0.7
        : scene.atmosphere.includes("rain")
          ? 0.6
          : scene.atmosphere.includes("stars")
            ? 0
            : 0.25,
    // Aerial perspective: distant things take the colour of the air in front of them.
    far: mix(scene.setting === "snowfield" ? snowLit(farBase) : lit(farBase), skyHorizon, 0.45 * air),
    mid: mix(scene.setting === "snowfield" ? snowLit(midBase) : lit(midBase), skyHorizon, 0.18 * air),
    near,
    ground,
    water: mix(lit(waterBase), skyHorizon, 0.3 * air),
    accent: accentBase,
    accentAlt: mix(accentBase, rgb("#ffffff"), 0.45),
    glow: indoor ? Math.max(look.glow, 0.6) : look.glow,
    subject: scale(near, 0.55),
    clothes: lit(rgb("#7a3b3b")),
    skin: lit(rgb("#c99a7a")),
    rim: mix(rgb(look.sun.glow), rgb("#ffffff"), 0.35),
    particles: mix(skyHorizon, rgb("#ffffff"), 0.65),
    fog: mix(skyHorizon, rgb("#c8ccd4"), 0.5),
    foliage: lit(rgb("#3c6e3c")),
    coral: mix(accentBase, rgb("#ff786e"), 0.6),
    firefly: mix(accentBase, rgb("#c8ff78"), 0.5),
    ink: rgb("#14101c"),
    flash: rgb("#e8eeff"),
    snowCover,
  };
  if (scene.atmosphere.includes("fog")) palette = fogged(palette);
  if (storm) palette = mapColors(palette, (c) => desaturate(scale(c, 0.8), 0.25));
  if (scene.light.color !== "natural") palette = lightColored(palette, scene.light.color);
  if (scene.light.backlit)
    palette = {
      ...palette,
      subject: scale(palette.subject, 0.45),
      near: scale(palette.near, 0.7),
      rim: mix(palette.rim, rgb("#ffffff"), 0.5),
    };
  if (scene.light.moody) palette = mapColors(palette, (c) => desaturate(scale(c, 0.7), 0.3));
  return mapColors(palette, lookOf(scene.style).grade);
}

function lightColored(palette: Palette, color: "warm" | "cold" | "neon" | "candle"): Palette {
  if (color === "neon") {
    const magenta = rgb("#ff2bd6");
    const cyan = rgb("#27e8ff");
    return {
      ...mapColors(palette, (c) => mix(c, rgb("#2a1060"), 0.28)),
      accent: magenta,
      accentAlt: cyan,
      rim: cyan,
      glow: Math.max(palette.glow, 0.85),
    };
  }
  if (color === "candle") {
    const flame = rgb("#ff9a3c");
    return {
      ...mapColors(palette, (c) => mix(scale(c, 0.75), scale(flame, luma(c) / 200), 0.3)),
      accent: flame,
      accentAlt: rgb("#ffd08a"),
      rim: rgb("#ffb060"),
      glow: Math.max(palette.glow, 0.9),
    };
  }
  const cast = rgb(color === "warm" ? "#ffa050" : "#5a96ff");
  return mapColors(palette, (c) => mix(c, scale(cast, luma(c) / 160 + 0.25), 0.22));
}

/**
 * Fog veils distance: far things sink into the fog colour, near ones less. Done on the colours
 * rather than with a translucent full-frame fill, which would cost a blend of every pixel.
 */
function fogged(palette: Palette): Palette {
  const { fog } = palette;
  return {
    ...palette,
    skyHorizon: mix(palette.skyHorizon, fog, 0.5),
    far: mix(palette.far, fog, 0.6),
    mid: mix(palette.mid, fog, 0.35),
    near: mix(palette.near, fog, 0.12),
    ground: mix(palette.ground, fog, 0.15),
    water: mix(palette.water, fog, 0.4),
    celestial: {
      ...palette.celestial,
      glow: mix(palette.celestial.glow, fog, 0.5),
      color: mix(palette.celestial.color, fog, 0.4),
    },
    stars: palette.stars * 0.3,
  };
}

function mapColors(palette: Palette, map: (color: Rgb) => Rgb): Palette {
  const keys = [
    "skyTop",
    "skyHorizon",
    "cloud",
    "cloudShade",
    "far",
    "mid",
    "near",
    "ground",
    "water",
    "accent",
    "accentAlt",
    "subject",
    "clothes",
    "skin",
    "rim",
    "particles",
    "fog",
    "foliage",
    "coral",
    "firefly",
    "ink",
    "flash",
  ] as const;
  const mapped = {
    ...palette,
    celestial: {
      ...palette.celestial,
      color: map(palette.celestial.color),
      glow: map(palette.celestial.glow),
    },
  };
  for (const key of keys) mapped[key] = map(palette[key]);
  return mapped;
}
