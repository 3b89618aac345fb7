import { createRandom, mixSeeds } from "../../render/random.ts";
import type { ScenePlan, TimeOfDay } from "../../scene-plan.ts";
import type { Strike } from "../../lightning.ts";
import { peak, rms, SAMPLE_RATE, stereo } from "../dsp.ts";
import type { Stereo } from "../dsp.ts";
import { clubRoom, roomTone, spaceHum, traffic } from "./built.ts";
import { birds, crickets, crowd } from "./life.ts";
import type { BedDrawer } from "./types.ts";
import { lapping, sea, underwater } from "./water.ts";
import { rain, thunder, wind } from "./weather.ts";

/**
 * The ambient bed of a shot: which sounds its plan calls for (the place, the weather, the hour,
 * a crowd) and how loud each is. Levels are set here and only here, as an RMS over the shot (or a
 * peak, for sparse events), so that every drawer can work in its own units.
 */

export const BED_NAMES = [
  "rain",
  "wind",
  "thunder",
  "sea",
  "lapping water",
  "underwater",
  "traffic",
  "birds",
  "crickets",
  "crowd",
  "space hum",
  "room tone",
  "club room tone",
] as const;
export type BedName = (typeof BED_NAMES)[number];

const DRAWERS: Record<BedName, BedDrawer> = {
  rain,
  wind,
  thunder,
  sea,
  "lapping water": lapping,
  underwater,
  traffic,
  birds,
  crickets,
  crowd,
  "space hum": spaceHum,
  "room tone": roomTone,
  "club room tone": clubRoom,
};

export interface Bed {
  name: BedName;
  /** Linear level: the RMS of the bed over the shot, or its peak for sparse events. */
  level: { rms: number } | { peak: number };
}

const DAYLIGHT: ReadonlySet<TimeOfDay> = new Set(["dawn", "morning", "noon", "afternoon", "sunset"]);

/**
 * @example bedsOf(interpretPrompt("a city street in the rain")).map((bed) => bed.name) // ["traffic", "rain"]
 */
export function bedsOf(scene: ScenePlan): Bed[] {
  const beds: Bed[] = [];
  const add = (name: BedName, level: Bed["level"]) => {
    if (!beds.some((bed) => bed.name === name)) beds.push({ name, level });
  };
  const day = DAYLIGHT.has(scene.timeOfDay);
  // Birds and crickets keep quiet in the rain.
  const dry = !scene.atmosphere.includes("rain") && !scene.atmosphere.includes("storm");
  const indoors = isIndoors(scene);
  switch (scene.setting) {
    case "city street":
    case "neon city":
      add("traffic", { rms: 0.035 });
      break;
    case "forest":
    case "countryside":
      if (dry && day) add("birds", { peak: scene.setting === "forest" ? 0.12 : 0.08 });
      if (dry && !day) add("crickets", { peak: 0.05 });
      break;
    case "lake":
      add("lapping water", { rms: 0.025 });
      if (dry && day) add("birds", { peak: 0.06 });
      break;
    case "ocean":
      add("sea", { rms: 0.06 });
      break;
    case "underwater":
      add("underwater", { rms: 0.05 });
      break;
    case "desert":
    case "mountains":
    case "snowfield":
    case "sky":
      add("wind", { rms: 0.035 });
      break;
    case "space":
      add("space hum", { rms: 0.03 });
      break;
    case "stage":
      add("club room tone", { rms: 0.012 });
      add("crowd", { rms: 0.012 });
      break;
    case "interior":
      add("room tone", { rms: 0.0035 });
      break;
  }
  const storm = scene.atmosphere.includes("storm");
  if (scene.setting !== "underwater" && scene.setting !== "space") {
    if (storm || scene.atmosphere.includes("rain"))
      add("rain", { rms: indoors ? 0.018 : storm ? 0.07 : 0.05 });
    if (storm && !indoors) add("wind", { rms: 0.05 });
    if (storm) add("thunder", { peak: indoors ? 0.5 : 0.95 });
    if ((scene.atmosphere.includes("snow") || scene.atmosphere.includes("dust")) && !indoors)
      add("wind", { rms: 0.02 });
    if (scene.atmosphere.includes("fireflies")) add("crickets", { peak: 0.05 });
  }
  const people = scene.subjects.reduce((sum, s) => sum + (s.kind === "person" ? s.count : 0), 0);
  if (people >= 3 && scene.setting !== "space" && scene.setting !== "underwater")
    add("crowd", { rms: 0.025 });
  return beds;
}

function isIndoors(scene: ScenePlan): boolean {
  return scene.setting === "interior" || scene.setting === "stage";
}

export interface BedShot {
  scene: ScenePlan;
  seed: number;
  seconds: number;
  /** Samples to draw (the shot and its crossfade tail). */
  length: number;
  strikes: readonly Strike[];
}

/** Draws a shot's beds, each at its level, summed. */
export function drawBeds(shot: BedShot): { sound: Stereo; beds: Bed[] } {
  const beds = bedsOf(shot.scene);
  const sound = stereo(shot.length);
  const span = Math.min(shot.length, Math.round(shot.seconds * SAMPLE_RATE));
  // One scratch layer for every bed in turn, emptied between them.
  const layer = stereo(shot.length);
  beds.forEach((bed, index) => {
    layer.left.fill(0);
    layer.right.fill(0);
    const seed = mixSeeds(shot.seed, 0xa0d10, index);
    DRAWERS[bed.name](
      {
        scene: shot.scene,
        length: shot.length,
        seconds: shot.seconds,
        seed,
        random: createRandom(seed),
        strikes: shot.strikes,
        indoors: isIndoors(shot.scene),
      },
      layer,
    );
    const measured =
      "rms" in bed.level
        ? Math.hypot(rms(layer.left, 0, span), rms(layer.right, 0, span)) / Math.SQRT2
        : Math.max(peak(layer.left), peak(layer.right));
    if (!(measured > 0)) return;
    const gain = ("rms" in bed.level ? bed.level.rms : bed.level.peak) / measured;
    addScaled(sound.left, layer.left, gain, shot.length);
    addScaled(sound.right, layer.right, gain, shot.length);
  });
  return { sound, beds };
}

/** `out[i] += gain × layer[i]` for the first `length` samples. */
function addScaled(out: Float32Array, layer: Float32Array, gain: number, length: number): void {
  for (let i = 0; i < length; i++) out[i] = (out[i] ?? 0) + gain * (layer[i] ?? 0);
}
