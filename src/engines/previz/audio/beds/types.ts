import type { Strike } from "../../lightning.ts";
import type { ScenePlan } from "../../scene-plan.ts";
import type { Random } from "../../render/random.ts";
import type { Stereo } from "../dsp.ts";

/** What a bed is drawn from: one shot's plan, its length and its own seeded randomness. */
export interface BedContext {
  scene: ScenePlan;
  /** Samples to draw: the shot and the few milliseconds that crossfade into the next one. */
  length: number;
  /** The shot's length: events (a car passing, a bird) start inside it. */
  seconds: number;
  /** Seeds the bed's noise and its random events. */
  seed: number;
  random: Random;
  strikes: readonly Strike[];
  /** Inside walls: weather is heard through a window, muffled. */
  indoors: boolean;
}

/** Draws one bed into silent buffers; the level is set afterwards by the bed's table entry. */
export type BedDrawer = (context: BedContext, out: Stereo) => void;

/** Sparse events (a chirp, a car) are drawn where they fall, not over the whole shot. */
export function eventRange(
  start: number,
  seconds: number,
  length: number,
  sampleRate: number,
): [number, number] {
  const from = Math.max(0, Math.floor(start * sampleRate));
  const to = Math.min(length, Math.ceil((start + seconds) * sampleRate));
  return [from, to];
}
