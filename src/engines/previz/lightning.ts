import { createRandom, mixSeeds } from "./render/random.ts";
import type { ScenePlan } from "./scene-plan.ts";

/** A lightning strike in a storm: when it flashes, and where its bolt falls. */
export interface Strike {
  /** Seconds into the shot when the flash starts (and the thunder cracks). */
  at: number;
  /** Where the bolt comes down, as a share of the frame's width. */
  x: number;
  /** Shapes the bolt's zigzag. */
  seed: number;
}

/** Its own random stream, so that the picture and the sound agree on every strike. */
const LIGHTNING_STREAM = 6;

/**
 * The strikes of a shot's storm (none without one): the renderer flashes on them and the
 * soundtrack thunders on them, both from this one list.
 * @example lightningStrikes(scene, shot.seed).map((strike) => strike.at) // [1.2, 3.9, 6.1]
 */
export function lightningStrikes(scene: ScenePlan, seed: number): Strike[] {
  if (!scene.atmosphere.includes("storm")) return [];
  const random = createRandom(mixSeeds(seed, LIGHTNING_STREAM));
  return Array.from({ length: 3 }, (_, i) => ({
    at: 0.6 + i * 2.4 + random.range(0, 1.2),
    x: random.range(0.15, 0.85),
    seed: random.next(),
  }));
}
